"""Blocked regions: where a number is registered, by phonenumbers' geocoder (its data, not a prefix list of ours)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import geocoder
from phonenumbers.geodata import GEOCODE_DATA, GEOCODE_LONGEST_PREFIX
from phonenumbers.prefix import _find_lang

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


class BlockedRegions:
    """region_of(e164) -> the geocoder's description when it names a blocked region, else None.

    The answer is the geocoder's own, read off its data ahead of time: for each language the rules need, the prefixes
    that have a description in it, marked with whether that description names a blocked region (`tables`, built once
    per process and warmed at start-up). The geocoder answers with the longest such prefix of the number, so the
    first one found, longest first, decides: a few dictionary probes per number. Numbers the table cannot settle (no
    area description, so the geocoder falls back to the country's name; countries whose mobiles carry a token) go to
    the geocoder itself, cached per prefix and length."""

    def __init__(self, rules: tuple[tuple[str, str], ...]) -> None:
        self._rules: dict[str, tuple[str, ...]] = {}
        for country, name in rules:
            self._rules[country] = (*self._rules.get(country, ()), name)
        self._cache: dict[tuple[str, int], str | None] = {}

    @property
    def active(self) -> bool:
        return bool(self._rules)

    def warm(self) -> None:
        """Builds the prefix tables now (~0.1–0.2 s of CPU per country), not at the first preview."""
        for country, names in self._rules.items():
            tables(country, names)

    def region_of(self, e164: str) -> str | None:
        for country in self._rules:  # one or two countries: cheaper than slicing three codes
            if e164.startswith(country, 1):
                break
        else:
            return None
        names = self._rules[country]
        known = tables(country, names)
        if known is not None:
            digits = e164[1:1 + GEOCODE_LONGEST_PREFIX]
            for table in known:
                found = table.longest(digits)
                if found is _UNSETTLED:
                    break
                if found is not None:
                    return found
            else:
                return None
        key = (e164[:1 + GEOCODE_LONGEST_PREFIX], len(e164))
        if key not in self._cache:
            self._cache[key] = _lookup(e164, names)
        return self._cache[key]


_UNSETTLED = "\0"  # the table cannot tell: the geocoder itself must answer


@dataclass(frozen=True)
class Table:
    """One language's prefixes (see `tables`), and their lengths longest first: the only lengths worth probing."""

    prefixes: dict[str, str | None]
    lengths: tuple[int, ...]

    def longest(self, digits: str) -> str | None:
        prefixes = self.prefixes
        for n in self.lengths:
            if digits[:n] in prefixes:
                return prefixes[digits[:n]]
        return _UNSETTLED


@lru_cache(maxsize=16)
def tables(country: str, names: tuple[str, ...]) -> tuple[Table, ...] | None:
    """Per language the rules need (English; Chinese too when a rule is written in it): every geodata prefix that a
    number of `country` can start with and that has a description in that language -> the description when it names
    a blocked region, else None; under "" the country's name, the geocoder's answer when no prefix has a description
    (only for a code of one country: for a shared code the name depends on the number). None when the country's
    mobiles carry a token (the geocoder strips it first)."""
    if phonenumbers.country_mobile_token(int(country)):
        return None
    single = len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(country), ())) == 1
    languages = ["en"] if all(name.isascii() for name in names) else ["en", "zh"]
    found: list[Table] = []
    for language in languages:
        table: dict[str, str | None] = {}
        if single:
            table[""] = geocoder.country_name_for_number(
                phonenumbers.PhoneNumber(country_code=int(country), national_number=0), language) or _UNSETTLED
        for prefix, descriptions in GEOCODE_DATA.items():
            if not (prefix.startswith(country) or country.startswith(prefix)):
                continue
            description = _find_lang(descriptions, language, None, None)
            if description is None:  # the geocoder tries a shorter prefix
                continue
            table[prefix] = description or _UNSETTLED
        found.append(Table({prefix: _blocked(description, language, names) for prefix, description in table.items()},
                           tuple(sorted({len(prefix) for prefix in table}, reverse=True))))
    return tuple(found)


def _blocked(description: str | None, language: str, names: tuple[str, ...]) -> str | None:
    if description is None or description is _UNSETTLED:
        return description
    text = description.lower() if language == "en" else description
    return description if any(name in text for name in names) else None


def _lookup(e164: str, names: tuple[str, ...]) -> str | None:
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
