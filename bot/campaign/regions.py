"""Blocked regions: where a number is registered, by phonenumbers' geocoder (its data, not a prefix list of ours)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import phonenumbers

# CCC refuses calls to numbers registered in these regions of China (EndStatus 110).
DEFAULT_BLOCKED = "+86:Xinjiang,+86:Tibet"
_RULE = re.compile(r"\+?(\d{1,3})\s*:\s*(.+)")


def parse_rules(text: str) -> tuple[tuple[str, str], ...] | None:
    """"+86:Xinjiang,+86:西藏" -> (("86", "xinjiang"), ("86", "西藏")); None when malformed, () when empty."""
    rules = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        match = _RULE.fullmatch(item)
        if not match or int(match.group(1)) not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return None
        rules.append((match.group(1), match.group(2).strip().lower()))
    return tuple(rules)


UNSETTLED = "\0"  # the table cannot tell: the geocoder itself must answer

Tables = tuple[int, Mapping[str, "tuple[Table, ...] | None"]]  # the longest geodata prefix; per country its tables
Lookup = Callable[[str, tuple[str, ...]], "str | None"]


@dataclass(frozen=True)
class Table:
    """One language's prefixes (see region_data.tables), and their lengths longest first: the only lengths worth
    probing."""

    prefixes: dict[str, str | None]
    lengths: tuple[int, ...]

    def longest(self, digits: str) -> str | None:
        prefixes = self.prefixes
        for n in self.lengths:
            if digits[:n] in prefixes:
                return prefixes[digits[:n]]
        return UNSETTLED


class BlockedRegions:
    """region_of(e164) -> the geocoder's description when it names a blocked region, else None.

    The answer is the geocoder's own, read off its data ahead of time: for each language the rules need, the prefixes
    that have a description in it, marked with whether that description names a blocked region (`tables`, built by
    region_data.build — the serving process gets them from a child process, as the full geocoding data is ~100 MB).
    The geocoder answers with the longest such prefix of the number, so the first one found, longest first, decides:
    a few dictionary probes per number. Numbers the tables cannot settle (a code shared by several countries whose
    area has no description; countries whose mobiles carry a token, such as +54 and +52) go to `lookup` — the
    geocoder itself, which the app runs in its process pool — cached per prefix and length. The default rules
    (+86 only) never need it. Without `tables`, they are built here on first use (tests, benches)."""

    def __init__(self, rules: tuple[tuple[str, str], ...], tables: Tables | None = None,
                 lookup: Lookup | None = None) -> None:
        self._rules: dict[str, tuple[str, ...]] = {}
        for country, name in rules:
            self._rules[country] = (*self._rules.get(country, ()), name)
        self._tables = tables
        self._lookup = lookup or geocoder_lookup
        self._cache: dict[tuple[str, int], str | None] = {}

    @property
    def active(self) -> bool:
        return bool(self._rules)

    def warm(self) -> None:
        """Builds the prefix tables now in this process (~0.1–0.2 s of CPU per country), not at the first preview."""
        self._built()

    def use(self, tables: Tables) -> None:
        """Tables built elsewhere (region_data.build in a child process)."""
        self._tables = tables

    def _built(self) -> Tables:
        if self._tables is None:
            from bot.campaign.region_data import build  # the full geocoding data: only where no tables were given

            self._tables = build(tuple((c, n) for c, names in self._rules.items() for n in names))
        return self._tables

    def region_of(self, e164: str) -> str | None:
        for country in self._rules:  # one or two countries: cheaper than slicing three codes
            if e164.startswith(country, 1):
                break
        else:
            return None
        longest, by_country = self._built()
        known = by_country.get(country)
        if known is not None:
            digits = e164[1:1 + longest]
            for table in known:
                found = table.longest(digits)
                if found == UNSETTLED:  # by value: the tables may come pickled from another process
                    break
                if found is not None:
                    return found
            else:
                return None
        # One digit more than the longest geodata prefix: a country whose mobiles carry a token (Argentina's 9) has it
        # stripped by the geocoder before the prefix is matched, so its deciding digits reach one further.
        key = (e164[:2 + longest], len(e164))
        if key not in self._cache:
            self._cache[key] = self._lookup(e164, self._rules[country])
        return self._cache[key]


def blocked_in(description: str | None, language: str, names: tuple[str, ...]) -> str | None:
    if description is None or description == UNSETTLED:
        return description
    text = description.lower() if language == "en" else description
    return description if any(name in text for name in names) else None


def build_tables(rules: tuple[tuple[str, str], ...]) -> Tables:
    """region_data.build, named here so that a child process can be asked for it without this process importing the
    geocoding data."""
    from bot.campaign.region_data import build

    return build(rules)


def geocoder_lookup(e164: str, names: tuple[str, ...]) -> str | None:
    """The geocoder's own answer, for numbers the tables cannot settle. It imports the full geocoding data: the app
    calls it in its process pool, never in the serving process."""
    from phonenumbers import geocoder

    # Callees are valid E.164 already (numbers.normalise): the geocoder's own validity check (~80% of its cost for a
    # Chinese mobile) would only repeat it.
    if e164.startswith("+86"):  # E.164 of China has no leading zero to keep: skip the full parse (~13 µs)
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(e164[3:]))
    else:
        try:
            number = phonenumbers.parse(e164, None)
        except phonenumbers.NumberParseException:
            return None
    english = geocoder.description_for_valid_number(number, "en")
    if any(name in english.lower() for name in names):
        return english
    if all(name.isascii() for name in names):  # only a rule written in Chinese needs the Chinese description
        return None
    chinese = geocoder.description_for_valid_number(number, "zh")
    return chinese if any(name in chinese for name in names) else None


def data_version() -> str:
    """Which phonenumbers release the geocoding data comes from (the README and start-up log name it)."""
    return str(phonenumbers.__version__)
