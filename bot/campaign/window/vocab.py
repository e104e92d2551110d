"""Words dateparser already knows, read from its locale data: month and weekday names, relative days, "now",
am/pm words and hour/minute units, for the ten languages (grouped by how the lexer reads them)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from dateparser.languages.loader import default_loader

# The lexer's groups: the CJK scripts share one table (a Han-only text may be Chinese or Japanese, and reads the same).
GROUPS: dict[str, tuple[str, ...]] = {
    "en": ("en",), "cjk": ("zh", "zh-Hant", "ja"), "ko": ("ko",), "es": ("es",), "pt": ("pt",), "id": ("id",),
    "th": ("th",), "vi": ("vi",),
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_KEY = re.compile(r"(in )?(\d) day( ago)?")
# dateparser entries too loose for a time window: they would read filler or units as dates.
_DROP = {"till date", "thứ 1", "baru saja", "刚刚", "剛剛", "min", "mo", "we", "su", "sa", "lu", "mi", "do", "ju",
         "vi", "ma", "ch", "th 2", "th 3", "th 4", "th 5", "th 6", "th 7", "cn", "(月)", "(火)", "(水)", "(木)", "(金)",
         "(土)", "(日)", "1 時間以内", "1 分以内", "chút", "lát", "nguyên bản", "m", "j", "น"}


def fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower().strip()


@dataclass(frozen=True)
class Vocabulary:
    months: dict[str, int]  # name -> 1..12
    weekdays: dict[str, int]  # name -> 0 (Monday)..6
    days: dict[str, int]  # "tomorrow" -> 1
    now: tuple[str, ...]
    am: tuple[str, ...]
    pm: tuple[str, ...]
    hours: tuple[str, ...]  # unit words
    minutes: tuple[str, ...]
    numbers: dict[str, int]  # number words dateparser spells out in its simplifications ("una" -> 1)


def _keep(word: str, latin: bool) -> bool:
    return word not in _DROP and len(word) >= (3 if latin else 2) and not word.isdigit()


@cache
def vocabulary(group: str) -> Vocabulary:
    """Merged over the group's dateparser locales; Latin-script names also without accents ("miercoles")."""
    latin = group not in ("cjk", "ko", "th")
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    days: dict[str, int] = {}
    now: set[str] = set()
    am: set[str] = set()
    pm: set[str] = set()
    hours: set[str] = set()
    minutes: set[str] = set()
    numbers: dict[str, int] = {}
    for code in GROUPS[group]:
        info = default_loader.get_locale(code).info
        for number, key in enumerate(_MONTHS, 1):
            months.update({w: number for w in map(fold, info.get(key, [])) if _keep(w, latin) or w.endswith("月")})
        for number, key in enumerate(_WEEKDAYS):
            weekdays.update({w: number for w in map(fold, info.get(key, [])) if _keep(w, latin)})
        for key, words in info.get("relative-type", {}).items():
            if key == "0 second ago":
                now.update(w for w in map(fold, words) if w not in _DROP)
            elif (m := _DAY_KEY.fullmatch(key)) and (m.group(1) or m.group(3)):  # not id "sehari" = "one day"
                offset = int(m.group(2)) * (1 if m.group(1) else -1)
                days.update({w: offset for w in map(fold, words) if w not in _DROP})
        am.update(w for w in map(fold, info.get("am", [])) if w not in _DROP)
        pm.update(w for w in map(fold, info.get("pm", [])) if w not in _DROP)
        hours.update(w for w in map(fold, info.get("hour", [])) if w not in _DROP)
        minutes.update(w for w in map(fold, info.get("minute", [])) if w not in _DROP)
        for simplification in info.get("simplifications", []):
            numbers.update({fold(k): int(v) for k, v in simplification.items() if k.isalpha() and v.isdigit()})
    if latin and group != "vi":
        for table in (months, weekdays, days):
            table.update({_plain(w): n for w, n in list(table.items()) if _plain(w) not in table})
    return Vocabulary(months, weekdays, days, tuple(now), tuple(am), tuple(pm), tuple(hours), tuple(minutes),
                      numbers)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def alternation(words: object) -> str:
    """A regex alternation, longest first (so "day after tomorrow" wins over "tomorrow")."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))  # type: ignore[call-overload]
