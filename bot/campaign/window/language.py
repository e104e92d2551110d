"""Which language a window is written in (the text decides, the Slack locale is a hint) and which numeric date order
applies (rule 16: the text's language, else the Slack locale, else the zone's country, from CLDR through Babel)."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from bot.campaign.window.vocab import GROUPS, vocabulary
from bot.campaign.window.words import GRAMMARS

LANGUAGES = ("en", "zh-Hans", "zh-Hant", "ja", "ko", "es", "pt", "id", "th", "vi")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TRADITIONAL = re.compile(r"[點兩週後時鐘現麻煩謝請禮開從個續為]")  # 時, 後 also Japanese: Japanese words first
_JAPANESE_WORDS = re.compile(r"午前|午後|曜|来週|今週|明後日|終日|正午|夕方|分後|本日")
_CHINESE_ONLY = re.compile(r"[点天后钟个这礼从现两麻烦谢请开间续为周号]")  # never in a Japanese window
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_VIETNAMESE = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_WORD = re.compile(r"[^\W\d_]+(?:[ -][^\W\d_]+)?")


def hint(locale: str | None) -> str | None:
    """Slack's locale ("pt-BR", "zh-TW", "es-LA") -> one of LANGUAGES, or None."""
    if not locale:
        return None
    code = locale.replace("_", "-").lower()
    if code.startswith("zh"):
        return "zh-Hant" if code in ("zh-tw", "zh-hk", "zh-mo", "zh-hant") else "zh-Hans"
    base = code.split("-")[0]
    return base if base in LANGUAGES else None


def language_of(text: str, locale: str | None) -> str:
    return candidates(text, locale)[0]


def candidates(text: str, locale: str | None) -> list[str]:
    """The languages the text may be in, likeliest first (a Latin text without accents may fit two: "mai 9h-11h")."""
    script = _by_script(text, locale)
    if script:
        return [script]
    hinted = hint(locale)
    words = set(_WORD.findall(text)) | set(text.split())
    scores = {lang: len(words & _known(lang)) for lang in ("en", "es", "pt", "id", "vi")}
    ranked = sorted(scores, key=lambda lang: (-scores[lang], lang != hinted, lang != "en"))
    if scores[ranked[0]] == 0:
        return [hinted or "en"]
    return [lang for lang in ranked if scores[lang] > 0]


def _by_script(text: str, locale: str | None) -> str | None:
    """The text's own script first; the Slack locale breaks ties; English last."""
    hinted = hint(locale)
    if _THAI.search(text):
        return "th"
    if _HANGUL.search(text):
        return "ko"
    if _KANA.search(text) or _JAPANESE_WORDS.search(text):
        return "ja"
    if _HAN.search(text):
        if _CHINESE_ONLY.search(text):
            return "zh-Hant" if _TRADITIONAL.search(text) else "zh-Hans"
        if hinted == "ja":
            return "ja"
        return "zh-Hant" if _TRADITIONAL.search(text) or hinted == "zh-Hant" else "zh-Hans"
    return "vi" if _VIETNAMESE.search(text) else None


def group_of(language: str) -> str:
    return "cjk" if language in ("zh-Hans", "zh-Hant", "ja") else language


@cache
def _known(group: str) -> frozenset[str]:
    v, g = vocabulary(group), GRAMMARS[group]
    words = [*v.months, *v.weekdays, *v.days, *v.now, *g.days, *g.parts, *g.day_parts, *g.seps, *g.opens,
             *g.after_open, *g.filler, *g.weekdays, *g.until, *g.next_before, *g.week_before, *g.week_after,
             *g.rel_before, *g.rel_after, *g.dur_before,
             *v.hours, *v.minutes, *g.hours, *g.minutes, *g.noon, *g.midnight]
    common = {"-", "~", "–", "—", "a", "h", "m", "am", "pm"} | set(",;:!?()'\"")
    return frozenset(w for w in words if w not in common and not w.isdigit())


@cache
def month_first(locale_name: str) -> bool | None:
    """Whether CLDR's short date pattern for this locale puts the month before the day (None: unknown locale)."""
    try:
        pattern = str(Locale.parse(locale_name.replace("-", "_")).date_formats["short"].pattern)
    except (UnknownLocaleError, ValueError, TypeError):
        language = locale_name.replace("-", "_").split("_")[0]
        if language == locale_name:
            return None
        return month_first(language)
    return pattern.lower().index("m") < pattern.lower().index("d")


@cache
def zone_month_first(zone: str) -> bool | None:
    territory = get_global("zone_territories").get(zone)
    return month_first(f"und_{territory}") if territory else None


def numeric_month_first(language: str, locale: str | None, zone: str) -> bool:
    """Rule 16's order: the text's language unless English, else the Slack locale, else the zone's country."""
    if language != "en":
        return month_first(language.replace("-Hans", "_Hans").replace("-Hant", "_Hant")) or False
    if locale and (order := month_first(locale)) is not None:
        return order
    order = zone_month_first(zone)
    return True if order is None else order


def warm_language_data() -> None:
    for lang in LANGUAGES:
        month_first(lang.replace("-", "_"))
    for group in GROUPS:
        _known(group)
