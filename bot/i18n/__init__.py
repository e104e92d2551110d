"""The bot's languages: which one a Slack locale or DIALCAMPAIGN_LANGUAGE means, and a Translator per language that
says our sentences from the gettext catalogs shipped beside this file (managed with Babel), formats counts and
durations with Babel's CLDR data, and renders the domain's lazy Texts."""

from __future__ import annotations

import gettext
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal

from bot.campaign.text import Moment, Text

Language = Literal["en", "zh_Hans", "zh_Hant", "ja"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
TRANSLATED: tuple[Language, ...] = ("zh_Hans", "zh_Hant", "ja")  # English is the source: its msgids are its text
DOMAIN = "messages"
LOCALES = Path(__file__).resolve().parent / "locales"

# Slack's locales (users.info include_locale) that have a catalog; every other locale reads English.
_SLACK: dict[str, Language] = {"zh-cn": "zh_Hans", "zh-sg": "zh_Hans", "zh-tw": "zh_Hant", "zh-hk": "zh_Hant",
                               "zh-mo": "zh_Hant", "ja-jp": "ja", "ja": "ja"}
_COMMA: dict[Language, str] = {"en": ", ", "zh_Hans": "，", "zh_Hant": "，", "ja": "、"}  # between list items
_CLAUSES: dict[Language, str] = {"en": "; ", "zh_Hans": "；", "zh_Hant": "；", "ja": "、"}  # between clauses

# A local time with its weekday, as each language writes it (English exactly as strftime's "%a %Y-%m-%d %H:%M").
_MOMENT: dict[Language, tuple[str, str]] = {  # (with the date, weekday and time only)
    "en": ("EEE yyyy-MM-dd HH:mm", "EEE HH:mm"), "zh_Hans": ("yyyy-MM-dd EEE HH:mm", "EEE HH:mm"),
    "zh_Hant": ("yyyy-MM-dd EEE HH:mm", "EEE HH:mm"), "ja": ("yyyy-MM-dd（EEE）HH:mm", "EEEE HH:mm")}


def from_slack_locale(locale: str | None) -> Language:
    """zh-CN/zh-SG → 简体中文, zh-TW/zh-HK → 繁體中文, ja-JP → 日本語, anything else (or nothing) → English."""
    return _SLACK.get((locale or "").strip().lower().replace("_", "-"), "en")


def parse_language(value: str) -> Language | None:
    """DIALCAMPAIGN_LANGUAGE: en, zh-Hans, zh-Hant or ja (case and -/_ do not matter); None when unknown."""
    wanted = value.strip().lower().replace("-", "_")
    return next((lang for lang in LANGUAGES if lang.lower() == wanted), None)


class Translator:
    """One language's words. Builders take one and call gettext/ngettext with `{name}` placeholders."""

    def __init__(self, language: Language, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self.comma = _COMMA[language]
        self._catalog = catalog

    def gettext(self, msgid: str, /, **params: object) -> str:
        return self._fill(self._catalog.gettext(msgid), params)

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """The form for `n` in this language; `{n}` is the count, formatted for the language."""
        return self._fill(self._catalog.ngettext(singular, plural, n), {**params, "n": self.number(n)})

    def render(self, text: str) -> str:
        """A domain sentence in this language; a plain str (already in its reader's language, or a name) as is."""
        if not isinstance(text, Text):
            return text
        if text.plural is not None and text.quantity is not None:
            return self.ngettext(text.msgid, text.plural, text.quantity, **text.params)
        return self.gettext(text.msgid, **text.params)

    def clauses(self, parts: list[str]) -> str:
        """Clauses already said in this language, joined as it joins them ("A; B", "A；B")."""
        return _CLAUSES[self.language].join(parts)

    def number(self, n: int) -> str:
        """A count as the language writes it (English keeps today's plain digits: "10000 numbers")."""
        return str(n) if self.language == "en" else format_decimal(n, locale=self.language)

    def duration(self, span: timedelta) -> str:
        """'2 h 30 min' in English (as it always read); CLDR's units elsewhere: 2小时30分钟, 2 小時 30 分鐘,
        2 時間 30 分."""
        hours, minutes = divmod(int(span.total_seconds() // 60), 60)
        if self.language == "en":
            return " ".join(p for p in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if p)
        parts = [format_timedelta(timedelta(hours=hours), threshold=1, format="long", locale=self.language)
                 if hours else "",
                 format_timedelta(timedelta(minutes=minutes), threshold=1, format="long", locale=self.language)
                 if minutes else ""]
        return ("" if self.language == "zh_Hans" else " ").join(p for p in parts if p)

    def moment(self, at: datetime, *, dated: bool = False) -> str:
        """A local time (already in its zone) with its weekday, and its date when `dated`."""
        if self.language == "en":
            return str(Moment(at, dated=dated))
        return format_datetime(at, _MOMENT[self.language][0 if dated else 1], locale=self.language)

    def _fill(self, template: str, params: dict[str, object]) -> str:
        return template.format(**{k: self._param(v) for k, v in params.items()}) if params else template

    def _param(self, value: object) -> str:
        if isinstance(value, Moment):
            return self.moment(value.at, dated=value.dated)
        if isinstance(value, list | tuple):
            return self.comma.join(self._param(v) for v in value)
        return self.render(value) if isinstance(value, str) else str(value)


@cache
def translator(language: Language) -> Translator:
    """The catalogs are read once per process; English needs none."""
    if language == "en":
        return Translator("en", gettext.NullTranslations())
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        return Translator(language, gettext.GNUTranslations(mo))


ENGLISH = translator("en")


def for_locale(locale: str | None) -> Translator:
    return translator(from_slack_locale(locale))
