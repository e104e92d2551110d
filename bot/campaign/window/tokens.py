"""The window's vocabulary of tokens, the guess records a parse reports, and the one error type with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

Reason = Literal["empty", "unparseable", "no end", "end before start", "in the past"]
Meridiem = Literal["am", "pm"]
PartName = Literal["workday", "morning", "afternoon", "late afternoon", "evening", "early", "midday", "daytime"]


class WindowError(ValueError):
    """The text is not a usable window; `.reason` is one of the `Reason` literals, `.language` the text's language
    (so the message can be written in it)."""

    def __init__(self, reason: Reason, language: str = "en") -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.language = language


# --- guesses: every reading the text did not pin down, shown in the preview (rules 15 and 16) ----------------------


@dataclass(frozen=True)
class BareHours:
    """Hours without am/pm, day part or 24-hour form, read as business hours ("2-4" -> 14:00-16:00)."""

    start: time
    end: time | None  # None when only one clock time was typed


@dataclass(frozen=True)
class NumericDate:
    """A numeric date both orders could read ("3/12"): `read` is the one taken, `other` the one not taken."""

    typed: str
    read: date
    other: date


@dataclass(frozen=True)
class ImpliedHours:
    """A day or a part of one without clock times: its configured hours ("tomorrow" -> 09:00-18:00)."""

    part: PartName
    start: time
    end: time


Guess = BareHours | NumericDate | ImpliedHours

# --- tokens --------------------------------------------------------------------------------------------------------


@dataclass
class DateTok:
    day: date
    from_weekday: bool = False  # "Friday" in "Friday, Dec 4": must agree with the date beside it
    guess: NumericDate | None = None


@dataclass
class TimeTok:
    hour: int
    minute: int = 0
    meridiem: Meridiem | None = None
    fixed: bool = False  # 24-hour form or noon/midnight: the value is final
    next_day: bool = False  # Japanese 25時-29時: that hour of the following day

    @property
    def bare(self) -> bool:
        return not self.fixed and self.meridiem is None

    def as24(self) -> int:
        if self.meridiem is None:
            return self.hour % 24
        return to24(self.hour, self.meridiem)


@dataclass
class PartTok:
    name: PartName


@dataclass
class ZoneTok:
    zone: tzinfo  # "UTC", "UTC+8", "+08:00", "Asia/Shanghai" typed in the text: wins over the requester's zone


@dataclass
class AbsoluteTok:
    at: datetime  # aware: the text carried its own offset


@dataclass
class SepTok:
    pass


@dataclass
class DurationTok:
    length: timedelta
    from_now: bool = False  # "for the next 2 hours"


@dataclass
class RelativeTok:
    offset: timedelta  # "now" is a zero offset


Token = DateTok | TimeTok | PartTok | AbsoluteTok | SepTok | DurationTok | RelativeTok | ZoneTok


def to24(hour: int, meridiem: Meridiem) -> int:
    if meridiem == "am":
        return 0 if hour == 12 else hour
    return 12 if hour == 12 else hour + 12


def with_part(clock: TimeTok, part: PartName | None) -> TimeTok:
    """An unmarked hour next to a day part takes its meridiem ("2 giờ chiều", "this afternoon 2 to 4", "밤 10시")."""
    if part == "afternoon" and clock.hour == 0 and not clock.meridiem:  # 午後0時, 오후 0시: noon, not midnight
        return TimeTok(12, clock.minute, fixed=True)
    if part is None or not clock.bare or part == "workday":
        return clock
    if part in ("midday", "daytime"):  # 中午, trưa, siang: around noon ("12 giờ trưa", "jam 2 siang")
        return TimeTok(clock.hour if clock.hour >= 11 else clock.hour + 12, clock.minute, fixed=True)
    if part == "evening" and clock.hour == 12:  # "12 giờ đêm", 晚上12点: the midnight ending the day
        return TimeTok(0, clock.minute, fixed=True)
    return TimeTok(clock.hour, clock.minute, "am" if part in ("morning", "early") else "pm")
