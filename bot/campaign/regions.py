"""Blocked regions: where a number is registered, by phonenumbers' geocoder (its data, not a prefix list of ours)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import geocoder
from phonenumbers.geodata import GEOCODE_LONGEST_PREFIX

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

    The geocoder keys its data by prefix (at most GEOCODE_LONGEST_PREFIX digits), so answers are cached per prefix
    and length: a 100,000-number list costs one lookup per distinct prefix, not per number."""

    def __init__(self, rules: tuple[tuple[str, str], ...]) -> None:
        self._rules: dict[str, list[str]] = {}
        for country, name in rules:
            self._rules.setdefault(country, []).append(name)
        self._cache: dict[tuple[str, int], str | None] = {}

    @property
    def active(self) -> bool:
        return bool(self._rules)

    def region_of(self, e164: str) -> str | None:
        names = next((self._rules[e164[1:1 + n]] for n in (1, 2, 3) if e164[1:1 + n] in self._rules), None)
        if names is None:
            return None
        key = (e164[:1 + GEOCODE_LONGEST_PREFIX], len(e164))
        if key not in self._cache:
            self._cache[key] = _lookup(e164, names)
        return self._cache[key]


def _lookup(e164: str, names: list[str]) -> str | None:
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
