"""The blocked-region prefix tables, read off phonenumbers' full geocoding data (~100 MB once imported): imported only
in a short-lived child process at start-up (bot.app) and by tests, never by the serving process."""

from __future__ import annotations

import phonenumbers
from phonenumbers import geocoder
from phonenumbers.geodata import GEOCODE_DATA, GEOCODE_LONGEST_PREFIX
from phonenumbers.prefix import _find_lang

from bot.campaign.regions import UNSETTLED, Table, blocked_in


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
                phonenumbers.PhoneNumber(country_code=int(country), national_number=0), language) or UNSETTLED
        for prefix, descriptions in GEOCODE_DATA.items():
            if not (prefix.startswith(country) or country.startswith(prefix)):
                continue
            description = _find_lang(descriptions, language, None, None)
            if description is None:  # the geocoder tries a shorter prefix
                continue
            # An empty description makes the geocoder answer with the country's name: known here for a code of one
            # country (under ""), so the serving process never needs the geocoder for it.
            table[prefix] = description or table.get("", UNSETTLED)
        marked = {prefix: blocked_in(description, language, names) for prefix, description in table.items()}
        kept = _pruned(marked)
        found.append(Table(kept, tuple(sorted({len(prefix) for prefix in kept}, reverse=True))))
    return tuple(found)


def _pruned(marked: dict[str, str | None]) -> dict[str, str | None]:
    """Only the prefixes whose answer differs from that of their longest shorter prefix in the table (UNSETTLED when
    none): the longest match then gives the same answer for every number, and China's ~10 MB of prefixes, nearly all
    "not blocked" like China itself, shrink to the blocked areas and the exceptions inside them."""
    kept: dict[str, str | None] = {}
    for prefix, answer in marked.items():
        parent = next((marked[prefix[:n]] for n in range(len(prefix) - 1, -1, -1) if prefix[:n] in marked), UNSETTLED)
        if answer != parent:
            kept[prefix] = answer
    return kept


def build(rules: tuple[tuple[str, str], ...]) -> tuple[int, dict[str, tuple[Table, ...] | None]]:
    """The tables for every country the rules name, and the longest geodata prefix (what decides an answer of the
    geocoder's own): small and picklable, handed back from the child process to the serving one."""
    names: dict[str, tuple[str, ...]] = {}
    for country, name in rules:
        names[country] = (*names.get(country, ()), name)
    return GEOCODE_LONGEST_PREFIX, {country: tables(country, found) for country, found in names.items()}
