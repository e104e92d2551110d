"""Window text -> tokens: the lexer walks the text and, at each position, takes the first rule of its table that
matches (rules.py builds the tables); anything no rule reads makes the whole window unparseable (never a guess)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.campaign.window.tokens import DateTok, NumericDate, Token, WindowError

Handler = Callable[["Lexer", re.Match[str]], bool | None]  # False: not this rule after all, try the next one


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handle: Handler


@dataclass
class Lexer:
    text: str
    today: date
    month_first: bool  # rule 16's order for numeric dates both orders could read
    rules: Sequence[Rule]
    tokens: list[Token] = field(default_factory=list)
    opened: bool = False  # an opening word ("between", "de", "das", "từ") was read: "and"/"a"/"às" now separate

    def run(self) -> list[Token]:
        pos = 0
        while pos < len(self.text):
            if self.text[pos] in " .!?。！？":
                pos += 1
                continue
            pos = self._step(pos)
        return self.tokens

    def _step(self, pos: int) -> int:
        for rule in self.rules:
            m = rule.pattern.match(self.text, pos)
            if m and m.end() > pos and rule.handle(self, m) is not False:
                return m.end()
        raise WindowError("unparseable")

    # --- dates in the requester's calendar ---------------------------------------------------------------------

    def next_occurrence(self, month: int, day: int) -> date:
        candidate = mkdate(self.today.year, month, day) if (month, day) != (2, 29) else None
        if candidate is None or candidate < self.today:
            year = self.today.year + 1
            while (month, day) == (2, 29) and not _leap(year):
                year += 1
            candidate = mkdate(year, month, day)
        return candidate

    def dated(self, year: int | None, month: int, day: int) -> date:
        return self.next_occurrence(month, day) if year is None else mkdate(year, month, day)

    def numeric(self, typed: str, a: int, b: int, year: int | None) -> DateTok:
        """Rule 16: the one order that is a real date, else the convention's, reported as a guess."""
        readings: list[date | None] = []
        for month, day in ((a, b), (b, a)):
            try:
                readings.append(self.dated(year, month, day))
            except WindowError:
                readings.append(None)
        month_day, day_month = readings
        if month_day is None or day_month is None:
            found = month_day or day_month
            if found is None:
                raise WindowError("unparseable")
            return DateTok(found)
        read, other = (month_day, day_month) if self.month_first else (day_month, month_day)
        return DateTok(read, guess=NumericDate(typed, read, other) if read != other else None)

    def weekday(self, weekday: int, kind: str | None) -> DateTok:
        """A bare weekday and "next" are the next occurrence after today; "this" may be today; the week kinds
        count Monday-based weeks (下周一, 来週の月曜日, 다음 주 월요일, thứ hai tuần sau)."""
        monday = self.today - timedelta(days=self.today.weekday())
        weeks = {"this week": 0, "next week": 1, "week after": 2, "last week": -1}
        if kind in weeks:
            return DateTok(monday + timedelta(weeks=weeks[kind], days=weekday))
        ahead = (weekday - self.today.weekday()) % 7
        if ahead == 0 and kind != "this":
            ahead = 7
        return DateTok(self.today + timedelta(days=ahead), from_weekday=True)


def year_of(text: str | None) -> int | None:
    """A typed year; Thai Buddhist-era years (2569 = 2026) are read as such. An empty group is no year."""
    if not text:
        return None
    year = int(text)
    return year - 543 if year >= 2400 else year


def mkdate(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WindowError("unparseable") from None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def hour(value: int, limit: int) -> int:
    if value > limit:
        raise WindowError("unparseable")
    return value


def minute(text: str | None) -> int:
    value = int(text or 0)
    if value > 59:
        raise WindowError("unparseable")
    return value
