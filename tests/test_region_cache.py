"""The blocked-region tables cached on disk: a later start reads them; a file that is not exactly theirs is rebuilt."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import region_cache
from bot.campaign.regions import DEFAULT_BLOCKED, BlockedRegions, Tables, parse_rules

RULES = parse_rules(DEFAULT_BLOCKED) or ()
URUMQI, LHASA, CHONGQING = "+8613999123456", "+8613908912345", "+8613012345670"


@pytest.fixture(scope="module")
def built() -> Tables:
    return build(RULES)


def build(rules: tuple[tuple[str, str], ...]) -> Tables:
    """region_data.build, imported when a test builds (it imports the geocoding data), not at collection."""
    from bot.campaign.region_data import build

    return build(rules)


class Builds:
    """The build the app runs in a child process, counted."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.rules_seen: list[tuple[tuple[str, str], ...]] = []

    def __call__(self, rules: tuple[tuple[str, str], ...]) -> Tables:
        self.rules_seen.append(rules)
        return build(rules) if rules != RULES else self.tables


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path / "home")}


def the_file(tmp_path: Path) -> Path:
    [found] = (tmp_path / "cache" / "dialcampaign").glob("regions-*.json")
    return found


def answers(tables: Tables) -> list[str | None]:
    regions = BlockedRegions(RULES, tables, lookup=lambda e164, names: pytest.fail(f"the geocoder asked for {e164}"))
    return [regions.region_of(n) for n in (URUMQI, LHASA, CHONGQING)]


def test_a_second_load_reads_the_tables_the_first_built(tmp_path: Path, built: Tables) -> None:
    builds = Builds(built)
    first = region_cache.load(RULES, builds, env_for(tmp_path))
    second = region_cache.load(RULES, builds, env_for(tmp_path))
    assert builds.rules_seen == [RULES]
    assert second == first == built
    assert answers(second) == ["Urumchi, Xinjiang", "Lhasa, Tibet", None]
    # The same rules in another order or repeated are the same tables: one file serves them all.
    assert region_cache.load((*reversed(RULES), RULES[0]), builds, env_for(tmp_path)) == built
    assert builds.rules_seen == [RULES]


def test_without_xdg_the_cache_is_under_home(tmp_path: Path, built: Tables) -> None:
    builds = Builds(built)
    env = {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": "relative/ignored"}
    region_cache.load(RULES, builds, env)
    assert [p.parent for p in (tmp_path / "home").rglob("regions-*.json")] == [tmp_path / "home/.cache/dialcampaign"]
    assert region_cache.load(RULES, builds, env) == built and len(builds.rules_seen) == 1
    assert region_cache.load(RULES, builds, {}) == built and len(builds.rules_seen) == 2  # nowhere to cache: built


def _edit(key: str, value: object) -> Callable[[str], str]:
    def edit(text: str) -> str:
        return json.dumps({**json.loads(text), key: value})
    return edit


def _first_table(value: object) -> Callable[[str], str]:
    def edit(text: str) -> str:
        data = json.loads(text)
        data["countries"]["86"][0] = value
        return json.dumps(data)
    return edit


def _another_country(text: str) -> str:
    data = json.loads(text)
    data["countries"]["1"] = None
    return json.dumps(data)


@pytest.mark.parametrize("spoil", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: "\udcff" + text,  # not UTF-8 once written
    lambda text: "[" * 100_000,  # deeper than the parser goes
    lambda text: "[]",
    _edit("phonenumbers", "1.0.0"),  # another release's data
    _edit("format", region_cache.FORMAT + 1),
    _edit("builder", "0" * 16),  # written by a build of the tables' code other than this one
    _edit("rules", [["86", "tibet"]]),
    _edit("longest", "8"),
    _edit("longest", True),
    _edit("countries", {}),
    _edit("countries", {"86": []}),
    _another_country,
    _first_table(None),
    _first_table({"86": 5}),
    _first_table({"8613999": ["Urumchi"]}),
    _first_table({"xx": "Tibet"}),
    _first_table([["86", None]]),
], ids=["truncated", "not-utf8", "deep", "not-an-object", "other-release", "other-format", "other-builder",
        "other-rules",
        "longest-str", "longest-bool", "no-country", "no-tables", "other-country", "table-null", "answer-int",
        "answer-list", "prefix-not-digits", "table-not-object"])
def test_a_spoilt_or_foreign_file_is_rebuilt_not_trusted(tmp_path: Path, built: Tables, spoil: Callable[[str], str],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    builds = Builds(built)
    region_cache.load(RULES, builds, env_for(tmp_path))
    path = the_file(tmp_path)
    path.write_bytes(spoil(path.read_text()).encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.DEBUG, logger="bot"):
        assert region_cache.load(RULES, builds, env_for(tmp_path)) == built
    assert len(builds.rules_seen) == 2
    assert [r.levelno for r in caplog.records] == [logging.INFO]  # one quiet line: "damaged or not ours"
    assert region_cache.decode(RULES, path.read_text()) == built  # rewritten whole


def test_the_file_of_other_rules_is_not_read_for_these(tmp_path: Path, built: Tables) -> None:
    builds = Builds(built)
    ours = region_cache.cache_path(RULES, tmp_path / "cache" / "dialcampaign")
    region_cache.write(ours, (("86", "tibet"),), built)  # a file for Tibet alone, under the name of ours
    assert region_cache.load(RULES, builds, env_for(tmp_path)) == built
    assert builds.rules_seen == [RULES]
    assert region_cache.read(ours, RULES) == built  # replaced by ours


def test_an_unwritable_cache_directory_still_gives_the_tables(tmp_path: Path, built: Tables,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "cache").write_text("a file where the directory would be")  # refuses even root, unlike chmod
    builds = Builds(built)
    with caplog.at_level(logging.DEBUG, logger="bot"):
        assert region_cache.load(RULES, builds, env_for(tmp_path)) == built
        assert answers(region_cache.load(RULES, builds, env_for(tmp_path))) == ["Urumchi, Xinjiang", "Lhasa, Tibet",
                                                                                None]
    assert len(builds.rules_seen) == 2
    assert [r.levelno for r in caplog.records] == [logging.INFO] * 2  # one line per start, nothing alarming


def test_a_reader_never_sees_half_a_file_while_others_write_it(tmp_path: Path, built: Tables) -> None:
    directory = tmp_path / "cache" / "dialcampaign"
    path = region_cache.cache_path(RULES, directory)
    writing = True
    seen: list[Tables | None] = []

    def reader() -> None:
        while writing:
            if path.exists():
                seen.append(region_cache.read(path, RULES))

    threads = [threading.Thread(target=reader)]
    threads[0].start()
    def writer() -> None:
        for _ in range(20):
            region_cache.write(path, RULES, built)

    writers = [threading.Thread(target=writer) for _ in range(2)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing = False
    threads[0].join()
    assert seen and all(found == built for found in seen)
    assert [p.name for p in directory.iterdir()] == [path.name]  # no temporary file left behind
