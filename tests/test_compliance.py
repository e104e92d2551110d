"""The scrub before Launch, with a fixed now: do-not-call, blocked regions, frequency caps, what the preview says."""

from __future__ import annotations

import functools
import json
import random
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import phonenumbers
import pytest

from bot.campaign.compliance import DAY, Window, nothing_left, over_cap, screen, summary_lines
from bot.campaign.dnc import parse_expiry, read_typed, read_upload
from bot.campaign.numbers import parse_csv
from bot.campaign.regions import DEFAULT_BLOCKED, BlockedRegions, parse_rules
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN
from tests.harness import ROOT, clean_env
from tests.test_config import settings_from

# One worker runs them all: their reference, the geocoding data (~1 CPU-second to import), is then loaded once.
pytestmark = pytest.mark.xdist_group("test_compliance")

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
T = int(NOW.timestamp())
H = 3600
URUMQI, LHASA, CHONGQING, BEIJING = "+8613999123456", "+8613908912345", "+8613012345670", "+8613812345678"
REGIONS = BlockedRegions(parse_rules(DEFAULT_BLOCKED) or ())


def test_each_removed_number_is_counted_once_under_the_first_reason() -> None:
    ours = Window(T + H, T + 3 * H)
    busy = [Window(T + i * H, T + i * H + 1800) for i in range(5)]
    result = screen([CHONGQING, URUMQI, LHASA, BEIJING, "+14155550100"], blocked_numbers={URUMQI, CHONGQING},
                    earlier={BEIJING: busy, "+14155550100": busy[:4]}, window=ours, cap=5,
                    region_of=REGIONS.region_of)
    assert result.removed == {"dnc": [CHONGQING, URUMQI], "region": [LHASA], "frequency": [BEIJING], "hours": []}
    assert result.kept == ["+14155550100"]  # four earlier campaigns plus this one: five, the cap allows it
    assert result.masked()["dnc"] == ["+861*******670", "+861*******456"]


def test_the_cap_counts_campaigns_within_any_24_hours_not_per_calendar_day() -> None:
    ours = Window(T, T + H)  # 12:00-13:00 UTC
    next_day = [Window(T + DAY - 60, T + DAY) for _ in range(5)]  # 11:59 the next day: one span holds all six
    assert over_cap(ours, next_day, 5)
    a_day_after_ours_ends = [Window(T + H + DAY, T + 2 * H + DAY) for _ in range(5)]
    assert not over_cap(ours, a_day_after_ours_ends, 5)
    assert not over_cap(ours, next_day[:4], 5)


def test_the_cap_is_about_one_span_not_the_total_around() -> None:
    ours = Window(T, T + H)
    # Three the day before and three the day after: six around, but no 24 h span holds more than four with ours.
    before = [Window(T - 20 * H + i, T - 19 * H) for i in range(3)]
    after = [Window(T + 20 * H + i, T + 21 * H) for i in range(3)]
    assert not over_cap(ours, before + after, 5)
    assert over_cap(ours, before + after, 3)


def test_blocked_regions_come_from_phonenumbers_geocoder_in_english_or_chinese() -> None:
    assert REGIONS.region_of(URUMQI) == "Urumchi, Xinjiang"
    assert REGIONS.region_of(LHASA) == "Lhasa, Tibet"
    assert REGIONS.region_of(CHONGQING) is None and REGIONS.region_of("+14155550100") is None
    chinese = BlockedRegions(parse_rules("+86:西藏") or ())
    assert chinese.region_of(LHASA) == "西藏拉萨市" and chinese.region_of(URUMQI) is None
    assert parse_rules("") == () and parse_rules("Xinjiang") is None and parse_rules("+999:X") is None


def test_a_number_behind_a_mobile_token_is_answered_for_itself_whatever_was_asked_before() -> None:
    """Argentina's mobiles carry a 9 the geocoder strips: two numbers alike up to one digit past the longest prefix
    are in different places, and the answer for one must not be reused for the other, in either order."""
    bellocq, elsewhere = "+5492982497123", "+5492982491234"
    assert geocoder_says(bellocq, "+54:Bellocq") == "San Francisco de Bellocq, Buenos Aires"
    assert geocoder_says(elsewhere, "+54:Bellocq") is None
    for first, second in ((bellocq, elsewhere), (elsewhere, bellocq)):
        regions = BlockedRegions(parse_rules("+54:Bellocq") or ())
        assert [regions.region_of(first), regions.region_of(second)] == [geocoder_says(first, "+54:Bellocq"),
                                                                         geocoder_says(second, "+54:Bellocq")]


def geocoder_says(e164: str, rules: str) -> str | None:
    """The reference: phonenumbers' geocoder on the parsed number, English then (for a Chinese rule) Chinese."""
    names = [name for _, name in parse_rules(rules) or ()]
    number = phonenumbers.parse(e164)
    from phonenumbers import geocoder  # ~100 MB of geocoding data: imported by the tests that use it, not at collection

    english = geocoder.description_for_valid_number(number, "en")
    if any(name in english.lower() for name in names):
        return english
    chinese = geocoder.description_for_valid_number(number, "zh")
    return chinese if not all(n.isascii() for n in names) and any(n in chinese for n in names) else None


@functools.cache
def geodata_of(country: str) -> tuple[tuple[str, str, str], ...]:
    """(prefix, English, Chinese description) of each geodata prefix of `country`, read once for its cases."""
    from phonenumbers.geodata import GEOCODE_DATA

    return tuple((p, d.get("en", ""), d.get("zh", "")) for p, d in GEOCODE_DATA.items() if p.startswith(country))


def pools(rules: str, country: str, marker: str) -> list[list[list[str]]]:
    """Where numbers are drawn: the country's geodata prefixes whose English description has `marker` (a blocked area
    and the places inside it), those whose description names a blocked region, and all of them; each grouped by
    description, so that every place is drawn as often, however many prefixes it has."""
    names = [name for _, name in parse_rules(rules) or ()]
    marked: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    everywhere: dict[str, list[str]] = {}
    for prefix, english, chinese in geodata_of(country):
        everywhere.setdefault(english, []).append(prefix)
        if marker in english:
            marked.setdefault(english, []).append(prefix)
        if any(name in english.lower() or name in chinese for name in names):
            named.setdefault(english, []).append(prefix)
    return [list(pool.values()) for pool in (marked, named, everywhere) if pool]


def valid_numbers(rng: random.Random, country: str, where: list[list[list[str]]], count: int) -> list[str]:
    """`count` valid numbers of `country`, E.164 as numbers.normalise leaves them. Each round draws random digits and
    tries them after the country code (anywhere in the country), then after a prefix of a random place of each pool,
    cut to the first of the country's lengths that makes a valid number (Argentina's: half of them mobiles, behind
    its mobile token "9")."""
    region = phonenumbers.region_code_for_country_code(int(country))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert metadata is not None and metadata.general_desc is not None and metadata.mobile is not None
    mobile = sorted(metadata.mobile.possible_length, reverse=True)  # the commonest numbers' lengths: tried first
    lengths = mobile + sorted(set(metadata.general_desc.possible_length) - set(mobile), reverse=True)
    token = phonenumbers.country_mobile_token(int(country))
    found: list[str] = []

    def valid(candidate: str) -> bool:
        number = phonenumbers.parse(candidate)
        if phonenumbers.is_valid_number(number):
            found.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
            return True
        return False

    while len(found) < count:
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 10, 11))))
        valid(f"+{country}{digits}")
        for pool in where:
            prefix = rng.choice(rng.choice(pool))
            national = (token if token and rng.random() < 0.5 else "") + prefix[len(country):] + digits
            for n in lengths:
                if valid(f"+{country}{national[:n]}"):
                    break
    return found


# Drawn this way, few candidates are invalid numbers. Measured against the 3000 (Argentina: 1000) uniformly random
# valid numbers this test drew before (~3 s of CPU for +1 and ~5 s for +54, where few random digit strings are valid
# numbers), each case reaches every answer they reached (and up to 13 more) and more distinct (deciding geodata
# prefix, answer) pairs. 4000 where 3000 would reach fewer pairs (the default rules) or under 11 blocked numbers.
@pytest.mark.parametrize(("rules", "country", "marker", "count"), [
    (DEFAULT_BLOCKED, "86", "Xinjiang", 4000), ("+86:Xinjiang,+86:西藏", "86", "Tibet", 3000),
    ("+86:China", "86", "Lhasa", 4000), ("+1:California", "1", "CA", 2000), ("+54:Mendoza", "54", "Mendoza", 1000)])
def test_the_prefix_tables_answer_what_the_geocoder_answers(rules: str, country: str, marker: str, count: int) -> None:
    numbers = valid_numbers(random.Random(rules), country, pools(rules, country, marker), count)
    # The default rules' tables are REGIONS' own (built once: ~1 s of the product's CPU for +86).
    regions = REGIONS if rules == DEFAULT_BLOCKED else BlockedRegions(parse_rules(rules) or ())
    fast = [regions.region_of(n) for n in numbers]
    assert fast == [geocoder_says(n, rules) for n in numbers]
    assert sum(f is not None for f in fast) > 10  # blocked ones were reached, not only the rest


def test_the_summary_names_every_reason_even_when_nothing_was_removed() -> None:
    lines = summary_lines({"dnc": ["+861*******670"]}, 5, hours_checked=True)
    assert lines[0] == "Do-not-call list: 1 number removed, on the do-not-call list (+861*******670)"
    assert lines[1:] == ["Frequency cap: 0 removed", "Blocked regions: 0 removed",
                         "Calling hours: 0 removed — the window is inside calling hours for every number"]
    many = summary_lines({"region": ["a", "b", "c", "d"]}, 5, hours_checked=False)
    assert "Blocked regions: 4 numbers removed, registered in a blocked region (a, b, c…)" in many
    assert many[-1] == "Calling hours: not checked (DIALCAMPAIGN_CALLING_HOURS is empty)"
    assert nothing_left({"dnc": ["a"], "frequency": ["b", "c"]}, 5) == (
        "Nothing can be launched: every number was removed — 1 number on the do-not-call list; 2 numbers already "
        "in 5 campaigns within 24 hours (at most 5 calls a day per number).")


def test_typed_numbers_come_first_and_the_rest_is_the_reason() -> None:
    typed = read_typed(str.split("13012345670 +86-138-1234-5678,13012345670 asked us <never> to call"), "CN")
    assert typed.numbers == [CHONGQING, BEIJING]
    assert typed.reason == "asked us <never> to call"
    assert read_typed(str.split("+86 130 1234 5670 wrong number"), "CN").numbers == [CHONGQING]  # as the form reads it
    bad = read_typed(["13012345670", "12345"], "CN")
    assert bad.invalid == ["13012345670 12345"] and bad.numbers == [] and bad.reason == ""


def test_an_uploaded_list_keeps_its_reasons_and_expiry_and_says_which_rows_it_skipped() -> None:
    content = ("phone,reason,expires\n13012345670,complained,2026-12-31\n13812345678,,\n"
               "13999123456,old,2026-01-01\n12,,\n13908912345,x,soon\n")
    parsed = parse_csv(content, region="CN", columns={"reason": re.compile("reason"), "expires": re.compile("exp")})
    upload = read_upload(parsed, default_reason="from the file", tz="Asia/Shanghai", now=NOW)
    end_of_day = datetime.fromisoformat("2027-01-01T00:00:00+08:00")
    assert upload.entries == [(CHONGQING, "complained", end_of_day), (BEIJING, "from the file", None)]
    assert upload.problems == ["row 5: '12' is not a phone number",
                               f"{URUMQI}: the expiry 2026-01-01 has passed",
                               f"{LHASA}: the expiry 'soon' is not a date like 2026-12-31"]
    assert parse_expiry("", "UTC") is None


def test_the_compliance_settings_are_checked_with_the_rest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    base = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    settings, problems = settings_from(monkeypatch, tmp_path, **base)
    assert problems == [] and settings.dialcampaign_max_calls_per_day == 5
    assert settings.blocked_regions == (("86", "xinjiang"), ("86", "tibet"))
    assert settings.dnc_admins == []
    settings, problems = settings_from(monkeypatch, tmp_path, **base, DIALCAMPAIGN_LAUNCHERS="UBOSS1,SLEADS2",
                                       DIALCAMPAIGN_BLOCKED_REGIONS="")
    assert settings.dnc_admins == ["UBOSS1", "SLEADS2"] and settings.blocked_regions == ()  # empty: the launchers; none
    _settings, problems = settings_from(monkeypatch, tmp_path, **base, DIALCAMPAIGN_MAX_CALLS_PER_DAY="0",
                                        DIALCAMPAIGN_BLOCKED_REGIONS="Xinjiang", DIALCAMPAIGN_DNC_ADMINS="bob")
    assert [p.split()[0] for p in problems] == ["DIALCAMPAIGN_DNC_ADMINS", "DIALCAMPAIGN_MAX_CALLS_PER_DAY",
                                                "DIALCAMPAIGN_BLOCKED_REGIONS"]


# What the serving process runs at start-up: Services, the Slack app, the start-up's region tables (from a child
# process); then a number of each blocked country is looked up as a preview would.
SERVING = """
import asyncio, json, sys
from bot.app import Services, build_app
from bot.config import load_settings
import bot.web  # noqa: F401

async def main():
    services = Services.from_settings(load_settings())
    build_app(services)
    await services.load_regions()
    regions = services.regions()
    found = await asyncio.to_thread(lambda: [regions.region_of(n) for n in sys.argv[1:]])
    await services.aclose()
    print(json.dumps({"found": found, "geodata": "phonenumbers.geodata" in sys.modules}))

asyncio.run(main())
"""


# What Services.load_regions does with the tables' cache warm (the serving process's other imports are the above's).
CACHED = """
import json, sys
from bot import region_cache
from bot.campaign.regions import BlockedRegions, parse_rules

def build(rules):
    raise SystemExit("built, not read from the cache")

rules = parse_rules(sys.argv[1])
regions = BlockedRegions(rules, region_cache.load(rules, build))
found = [regions.region_of(n) for n in sys.argv[2:]]
print(json.dumps({"found": found, "geodata": "phonenumbers.geodata" in sys.modules}))
"""


def test_the_serving_process_finds_blocked_regions_without_holding_the_geocoding_data(tmp_path: Path) -> None:
    """phonenumbers' full geocoding data is ~100 MB: the app reads its tables in a child process at start-up (the
    first time; then from the cache on disk) and asks the geocoder itself (for +54, whose mobiles carry a token) in
    its process pool, never in the serving process."""
    mendoza_mobile, mendoza_fixed, buenos_aires = "+5492614234567", "+542614234567", "+541143214321"
    numbers = [URUMQI, LHASA, CHONGQING, mendoza_mobile, mendoza_fixed, buenos_aires]
    env = {**clean_env(), "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s" * 32, "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "DIALCAMPAIGN_SANDBOX": "true",
           "DIALCAMPAIGN_BLOCKED_REGIONS": "+86:Xinjiang,+86:Tibet,+54:Mendoza",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", SERVING, *numbers], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=True)
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["found"] == ["Urumchi, Xinjiang", "Lhasa, Tibet", None, "Mendoza, Mendoza", "Mendoza, Mendoza", None]
    assert answer["geodata"] is False
    # The tables it built are cached: a later start reads them — without building, and without the geocoding data.
    done = subprocess.run([sys.executable, "-c", CACHED, env["DIALCAMPAIGN_BLOCKED_REGIONS"], URUMQI, LHASA, CHONGQING],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {"found": ["Urumchi, Xinjiang", "Lhasa, Tibet", None],
                                                        "geodata": False}
