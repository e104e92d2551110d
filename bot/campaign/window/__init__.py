"""Natural-language time windows in ten languages -> an aware (start, end) and the guesses made, or a reason.

The rules are those of the project's time-window notes (1-18). Pure: the caller passes `now`, `tz` and the Slack
locale (a hint). Module map: text (normalising), language (which language, which date order), vocab (dateparser's
words), words (ours), dates/clock/rules (the lexer's table), lexer (the walk), assemble (the range layer),
messages (what a person reads, per language)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.campaign.window.assemble import Reading, assemble
from bot.campaign.window.language import candidates, group_of, numeric_month_first, warm_language_data
from bot.campaign.window.lexer import Lexer
from bot.campaign.window.messages import warm_messages
from bot.campaign.window.rules import table, warm_tables
from bot.campaign.window.text import normalise
from bot.campaign.window.tokens import (
    BareHours,
    DateTok,
    Guess,
    ImpliedHours,
    NumericDate,
    Reason,
    WindowError,
    ZoneTok,
)

__all__ = ["BareHours", "Guess", "ImpliedHours", "NumericDate", "Reason", "TimeWindow", "WindowError",
           "parse_window", "warm_up"]


@dataclass(frozen=True)
class TimeWindow:
    start: datetime
    end: datetime
    guesses: tuple[Guess, ...] = ()  # every reading the text did not pin down (rules 15, 16 and 11)
    language: str = "en"  # the language the text was read in

    @property
    def duration(self) -> timedelta:
        # Aware datetimes sharing one tzinfo subtract as wall times; elapsed time needs UTC.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


def parse_window(text: str, *, tz: str, now: datetime, locale: str | None = None) -> TimeWindow:
    """Read `text` as a window in zone `tz` at instant `now`; raise WindowError with the reason otherwise."""
    normalised = normalise(text or "")
    languages = candidates(normalised, locale)
    if not normalised:
        raise WindowError("empty", languages[0])
    failure = WindowError("unparseable", languages[0])
    for language in languages:  # the likeliest language whose words read the whole text
        try:
            return _parse(normalised, language, tz, now.astimezone(UTC), locale)
        except WindowError as exc:
            failure = WindowError(exc.reason, language)
            if exc.reason != "unparseable":
                break
    raise failure


def _parse(text: str, language: str, tz: str, now: datetime, locale: str | None) -> TimeWindow:
    try:
        requester: tzinfo = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        requester = UTC
    rules = table(group_of(language))
    month_first = numeric_month_first(language, locale, tz)
    tokens = Lexer(text, now.astimezone(requester).date(), month_first, rules).run()
    zones = [tok.zone for tok in tokens if isinstance(tok, ZoneTok)]
    if len(zones) > 1:
        raise WindowError("unparseable")
    zone = zones[0] if zones else requester
    if zones:  # the text names its own zone: its calendar and clock, not the requester's
        tokens = [t for t in Lexer(text, now.astimezone(zone).date(), month_first, rules).run()
                  if not isinstance(t, ZoneTok)]
    if not tokens:
        raise WindowError("unparseable")
    reading = Reading(zone, now)
    start, end = assemble(tokens, reading)
    dates: tuple[Guess, ...] = tuple(t.guess for t in tokens if isinstance(t, DateTok) and t.guess is not None)
    return TimeWindow(start.astimezone(requester), end.astimezone(requester), dates + tuple(reading.guesses),
                      language)


def warm_up() -> None:
    """Build every language's table and load dateparser's and CLDR's data at start-up, never on a first request;
    then parse one window per language so nothing is left to compile lazily."""
    warm_language_data()
    warm_tables()
    warm_messages()
    now = datetime(2026, 1, 5, tzinfo=UTC)
    for sample in ("tomorrow 9am to 11am", "明天上午9点到11点", "明日の9時から11時", "내일 오전 9시~11시",
                   "mañana de 9 a 11", "amanhã das 9 às 11", "besok jam 9 sampai 11", "พรุ่งนี้ 9 โมงถึง 11 โมง",
                   "ngày mai từ 9 giờ đến 11 giờ", "3 Dec 9-11", "now for 2 hours"):
        with contextlib.suppress(WindowError):
            parse_window(sample, tz="Asia/Shanghai", now=now)
