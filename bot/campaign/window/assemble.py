"""Tokens -> one window: sides of a range, am/pm and business-hour readings (rules 5 and 15), the end inheriting the
start's date, durations, past midnight, implied hours, DST, validity; every guess made is recorded on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.campaign.clock import GRACE
from bot.campaign.window.tokens import (
    AbsoluteTok,
    BareHours,
    DateTok,
    DurationTok,
    Guess,
    ImpliedHours,
    PartName,
    PartTok,
    RelativeTok,
    SepTok,
    TimeTok,
    Token,
    WindowError,
    to24,
    with_part,
)

# Implied hours for a day or a part of one (rule 11; a product choice).
IMPLIED: dict[PartName, tuple[time, time]] = {
    "workday": (time(9), time(18)), "morning": (time(9), time(12)), "afternoon": (time(13), time(18)),
    "evening": (time(18), time(21)),
    # 夕方 (the Japan Meteorological Agency's 15-18時) and Indonesian sore; siang is the middle of the day.
    "late afternoon": (time(15), time(18)), "daytime": (time(11), time(15)),
}


@dataclass
class Reading:
    zone: tzinfo
    now: datetime  # UTC
    guesses: list[Guess] = field(default_factory=list)

    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def at(self, day: date, clock: time) -> datetime:
        """Wall time -> the instant, in UTC: an ambiguous time takes its first occurrence (fold=0); a nonexistent
        one moves forward by the gap. Every instant here is UTC: aware datetimes sharing a tzinfo compare and
        subtract as wall times, which is wrong across a DST change."""
        return datetime.combine(day, clock).replace(tzinfo=self.zone, fold=0).astimezone(UTC)


@dataclass
class _Side:
    dates: list[DateTok] = field(default_factory=list)
    times: list[TimeTok] = field(default_factory=list)
    parts: list[PartTok] = field(default_factory=list)
    absolute: AbsoluteTok | None = None
    relative: RelativeTok | None = None
    trailing_date: bool = False  # a date typed after the clock time ("2-5pm tomorrow")

    @property
    def empty(self) -> bool:
        return not (self.dates or self.times or self.parts or self.absolute or self.relative)

    @property
    def clock(self) -> TimeTok:
        return with_part(self.times[0], self.parts[0].name if self.parts else None)


def _side(tokens: list[Token]) -> _Side:
    side = _Side()
    for tok in tokens:
        if isinstance(tok, DateTok):
            side.trailing_date = side.trailing_date or bool(side.times)
            side.dates.append(tok)
        elif isinstance(tok, TimeTok):
            side.times.append(tok)
        elif isinstance(tok, PartTok):
            side.parts.append(tok)
        elif isinstance(tok, AbsoluteTok):
            side.absolute = tok
        elif isinstance(tok, RelativeTok):
            side.relative = tok
    if len(side.dates) == 2 and side.dates[0].from_weekday != side.dates[1].from_weekday:
        named, exact = sorted(side.dates, key=lambda d: not d.from_weekday)
        if named.day.weekday() != exact.day.weekday():
            raise WindowError("unparseable")  # "Saturday, Dec 4" when Dec 4 is a Friday: ask, don't pick one
        side.dates = [exact]
    if len(side.parts) == 2 and side.dates and {p.name for p in side.parts} <= {"morning", "early"}:
        side.parts = side.parts[1:]  # "mañana por la mañana" read twice as morning is still one morning
    if len(side.dates) > 1 or len(side.times) > 1 or len(side.parts) > 1:
        raise WindowError("unparseable")
    if side.absolute and (side.dates or side.times):
        raise WindowError("unparseable")
    return side


def _business(hour: int) -> int:
    """Rule 15: a bare start hour 1-6 is afternoon, 7-11 that morning, 12 noon."""
    return hour + 12 if 1 <= hour <= 6 else hour


def resolve_clocks(start: TimeTok, end: TimeTok, r: Reading) -> tuple[time, time]:
    """Rule 15 when neither end is marked, else rule 5: the start borrows the end's meridiem when that keeps
    start < end, else the opposite; an unmarked end is the earliest of h or h+12 after the start."""
    if start.bare and end.bare:
        s24 = _business(start.hour)
    elif not start.bare:
        s24 = start.as24()
    elif end.meridiem and not end.fixed:
        s24 = to24(start.hour, end.meridiem)
        if (s24, start.minute) >= (end.as24(), end.minute):
            s24 = to24(start.hour, "pm" if end.meridiem == "am" else "am")
    else:
        s24 = start.hour % 24
    if not end.bare:
        e24 = end.as24()
    else:
        # 24 stands for the midnight that ends the day ("晚上6点到12点"); the roll-over rule moves it forward.
        candidates = [c for c in (end.hour, end.hour + 12) if c <= 24]
        after = [c for c in candidates if (c, end.minute) > (s24, start.minute)]
        e24 = min(after) % 24 if after else end.hour % 24
    s, e = time(s24, start.minute), time(e24, end.minute)
    if start.bare and end.bare:
        r.guesses.append(BareHours(s, e))
    return s, e


def single_clock(clock: TimeTok, r: Reading) -> time:
    if clock.bare:
        read = time(_business(clock.hour) % 24, clock.minute)
        r.guesses.append(BareHours(read, None))
        return read
    return time(clock.as24(), clock.minute)


def assemble(tokens: list[Token], r: Reading) -> tuple[datetime, datetime]:
    seps = [i for i, tok in enumerate(tokens) if isinstance(tok, SepTok)]
    durations = [tok for tok in tokens if isinstance(tok, DurationTok)]
    if len(seps) == 1 and durations and all(isinstance(t, DurationTok) for t in tokens[seps[0] + 1:]):
        tokens, seps = tokens[: seps[0]] + tokens[seps[0] + 1:], []  # 今から1時間, 10분 후부터 1시간 동안
    if len(seps) > 1 or len(durations) > 1 or (seps and durations):
        raise WindowError("unparseable")
    if seps:
        left, right = _side(tokens[: seps[0]]), _side(tokens[seps[0] + 1:])
        if right.empty:
            raise WindowError("no end")
        return _range(left, right, r)
    side = _side([tok for tok in tokens if not isinstance(tok, DurationTok)])
    if durations:
        return _with_duration(side, durations[0], r)
    if side.times or side.absolute or side.relative:
        raise WindowError("no end")
    if side.dates or side.parts:
        return _implied(side, r)
    raise WindowError("unparseable")


def _check(start: datetime, end: datetime, r: Reading, *, explicit_start: bool) -> tuple[datetime, datetime]:
    """An implied start was clipped to now, so for it "over already" is the true reason, not the order."""
    if not explicit_start and end <= r.now:
        raise WindowError("in the past")
    if end <= start:
        raise WindowError("end before start")
    if end <= r.now or (explicit_start and start < r.now - GRACE):
        raise WindowError("in the past")
    return start, end


def _start_of(side: _Side, r: Reading) -> datetime | None:
    if side.absolute:
        return side.absolute.at.astimezone(UTC)
    if side.relative:
        return r.now + side.relative.offset
    if not side.times:
        return None
    wall = single_clock(side.clock, r)
    later = timedelta(days=1 if side.clock.next_day else 0)
    if side.dates:
        return r.at(side.dates[0].day + later, wall)
    start = r.at(r.today() + later, wall)
    return r.at(r.today() + timedelta(days=1), wall) if start < r.now - GRACE else start


def _with_duration(side: _Side, duration: DurationTok, r: Reading) -> tuple[datetime, datetime]:
    if duration.from_now or side.empty:
        if not side.empty and not duration.from_now:
            raise WindowError("unparseable")
        start = r.now
    else:
        found = _start_of(side, r)
        if found is None:
            raise WindowError("unparseable")
        start = found
    return _check(start, start + duration.length, r, explicit_start=True)  # UTC: elapsed time across DST


def _range(left: _Side, right: _Side, r: Reading) -> tuple[datetime, datetime]:
    if left.absolute and right.absolute:
        return _check(left.absolute.at.astimezone(UTC), right.absolute.at.astimezone(UTC), r, explicit_start=True)
    if left.absolute:
        r.zone = left.absolute.at.tzinfo or r.zone
        at = left.absolute.at
        left = _Side(dates=[DateTok(at.date())], times=[TimeTok(at.hour, at.minute, fixed=True)])
    if left.empty or left.relative:
        return _from_now(left, right, r)
    if right.absolute or right.relative or (not right.times and not right.dates):
        raise WindowError("unparseable")
    if not left.times and not right.times:
        return _date_span(left, right, r)
    if not left.times or not right.times:
        raise WindowError("unparseable")
    # A date after the end's clock time ("2-5pm tomorrow") applies to both ends when the start has none.
    shared = right.dates[0] if right.dates and right.trailing_date and not left.dates else None
    start_date = left.dates[0] if left.dates else shared
    end_date = right.dates[0] if right.dates else None
    s_clock, e_clock = resolve_clocks(left.clock, right.clock, r)
    day = start_date.day if start_date else r.today()
    if left.clock.next_day:  # 25時〜27時: both ends on the following day
        day += timedelta(days=1)
    start = r.at(day, s_clock)
    if start_date is None and start < r.now - GRACE and end_date is None:
        day += timedelta(days=1)
        start = r.at(day, s_clock)
    end = r.at(end_date.day if end_date and end_date is not shared else day, e_clock)
    if right.clock.next_day and not left.clock.next_day:  # 22時〜25時: 01:00 of the next day
        end = r.at(day + timedelta(days=1), e_clock)
    # Midnight as an end is the end of the start's day; an evening start with an early-morning end crosses it.
    overnight = e_clock == time(0) or (s_clock >= time(18) and e_clock <= time(6))
    if (end_date is None or end_date is shared) and end <= start and overnight:
        end = r.at(day + timedelta(days=1), e_clock)
    return _check(start, end, r, explicit_start=True)


def _from_now(left: _Side, right: _Side, r: Reading) -> tuple[datetime, datetime]:
    """"now until 6pm", "until 6pm", "in 2 hours to 5pm": the start is relative, the end the next such wall time."""
    start = r.now + (left.relative.offset if left.relative else timedelta())
    if not right.times:
        raise WindowError("unparseable")
    wall = single_clock(right.clock, r)
    day = right.dates[0].day if right.dates else start.astimezone(r.zone).date()
    if right.clock.next_day:
        day += timedelta(days=1)
    end = r.at(day, wall)
    if not right.dates and end <= start:
        end = r.at(day + timedelta(days=1), wall)
    return _check(start, end, r, explicit_start=False)


def _date_span(left: _Side, right: _Side, r: Reading) -> tuple[datetime, datetime]:
    """"Dec 3 to Dec 5": from the first day's working start to the last day's working end."""
    if not left.dates or not right.dates:
        raise WindowError("unparseable")
    hours = IMPLIED["workday"]
    r.guesses.append(ImpliedHours("workday", *hours))
    start, end = r.at(left.dates[0].day, hours[0]), r.at(right.dates[0].day, hours[1])
    return _check(max(start, r.now), end, r, explicit_start=False)


def _implied(side: _Side, r: Reading) -> tuple[datetime, datetime]:
    """A day or part of one: its configured hours, the start clipped to now when already under way."""
    part: PartName = side.parts[0].name if side.parts else "workday"
    if part not in IMPLIED:
        raise WindowError("unparseable")  # 凌晨, trưa alone: no configured hours
    hours = IMPLIED[part]
    day = side.dates[0].day if side.dates else r.today()
    start, end = r.at(day, hours[0]), r.at(day, hours[1])
    if not side.dates and end <= r.now:
        day += timedelta(days=1)
        start, end = r.at(day, hours[0]), r.at(day, hours[1])
    r.guesses.append(ImpliedHours(part, *hours))
    return _check(max(start, r.now), end, r, explicit_start=False)
