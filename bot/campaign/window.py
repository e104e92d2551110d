"""Natural-language time windows ("tomorrow 9am to 11:30", "明天上午9点到11点") -> aware (start, end), or a reason.

The rules are those of the project's time-window notes: days and weekdays in the requester's calendar, clock times
with am/pm inheritance, the end inheriting the start's date, durations, past-midnight windows, date-only and
part-of-day windows, DST by the zone's own rules. dateparser reads only month-name dates; everything about ranges is
ours, because dateparser parses single points. Pure: the caller passes `now` and `tz`.

window_lexer.py turns the text into tokens; this module assembles them into one window and applies the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.campaign.window_lexer import (
    AbsoluteTok,
    DateTok,
    DurationTok,
    Lexer,
    PartTok,
    Reason,
    RelativeTok,
    SepTok,
    TimeTok,
    Token,
    WindowError,
    ZoneTok,
    normalise,
    to24,
    warm_up,
)

__all__ = ["DEFAULT_PARTS", "DayParts", "Reason", "TimeWindow", "WindowError", "parse_window", "warm_up"]

PAST_GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class TimeWindow:
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        # Aware datetimes sharing one tzinfo subtract as wall times; elapsed time needs UTC.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class DayParts:
    """Implied hours for windows given as a day or a part of one (configurable: a product choice)."""

    workday: tuple[time, time] = (time(9), time(18))
    morning: tuple[time, time] = (time(9), time(12))
    afternoon: tuple[time, time] = (time(13), time(18))
    evening: tuple[time, time] = (time(18), time(21))


DEFAULT_PARTS = DayParts()

# --- assembly -----------------------------------------------------------------------------------------------------


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
            raise WindowError("unparseable", f"{exact.day:%b %d} is not a {named.day:%A}")
        side.dates = [exact]
    if len(side.dates) > 1 or len(side.times) > 1 or len(side.parts) > 1:
        raise WindowError("unparseable", "two dates or times where one was expected")
    if side.absolute and (side.dates or side.times):
        raise WindowError("unparseable")
    return side


def _localise(day: date, clock: time, zone: tzinfo) -> datetime:
    """Wall time -> the instant, in UTC: an ambiguous time takes its first occurrence (fold=0); a nonexistent one
    moves forward by the gap (fold=0 reads it with the pre-transition offset, which lands after the gap).

    Every instant inside this module is UTC: aware datetimes that share a tzinfo compare and subtract as wall
    times, which is wrong across a DST change."""
    return datetime.combine(day, clock).replace(tzinfo=zone, fold=0).astimezone(UTC)


def _today(now: datetime, zone: tzinfo) -> date:
    return now.astimezone(zone).date()


def _resolve_clocks(start: TimeTok, end: TimeTok) -> tuple[time, time]:
    """am/pm inheritance: the start borrows the end's meridiem when that keeps start < end, else the opposite; an
    unmarked end is the earliest of h or h+12 after the start."""
    if start.fixed or start.meridiem:
        s24 = start.as24()
    elif end.meridiem and not end.fixed:
        s24 = to24(start.hour, end.meridiem)
        if (s24, start.minute) >= (end.as24(), end.minute):
            s24 = to24(start.hour, "pm" if end.meridiem == "am" else "am")
    else:
        s24 = start.hour % 24
    if end.fixed or end.meridiem:
        e24 = end.as24()
    else:
        # 24 stands for the midnight that ends the day ("晚上6点到12点"); the roll-over rule moves it forward.
        candidates = [c for c in (end.hour, end.hour + 12) if c <= 24]
        after = [c for c in candidates if (c, end.minute) > (s24, start.minute)]
        e24 = min(after) % 24 if after else end.hour % 24
    return time(s24, start.minute), time(e24, end.minute)


def _apply_part(clock: TimeTok, part: PartTok | None) -> TimeTok:
    """An unmarked hour inside a named part of the day takes its meridiem ("this afternoon 2 to 4")."""
    if part is None or clock.fixed or clock.meridiem:
        return clock
    return TimeTok(clock.hour, clock.minute, "am" if part.name == "morning" else "pm")


def parse_window(text: str, *, tz: str, now: datetime, parts: DayParts = DEFAULT_PARTS) -> TimeWindow:
    """Read `text` as a window in zone `tz` at instant `now`; raise WindowError with the reason otherwise."""
    if not text or not text.strip():
        raise WindowError("empty")
    try:
        requester: tzinfo = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        requester = UTC
    zone = requester
    now = now.astimezone(UTC)
    normalised = normalise(text)
    tokens = Lexer(normalised, _today(now, zone), tz).run()
    zones = [tok.zone for tok in tokens if isinstance(tok, ZoneTok)]
    if len(zones) > 1:
        raise WindowError("unparseable", "more than one time zone")
    if zones:  # the text names its own zone: its calendar and clock, not the requester's
        zone = zones[0]
        tokens = [tok for tok in Lexer(normalised, _today(now, zone), tz).run() if not isinstance(tok, ZoneTok)]
    if not tokens:
        raise WindowError("unparseable")
    window = _assemble(tokens, zone, now, parts)
    return TimeWindow(window.start.astimezone(requester), window.end.astimezone(requester))


def _assemble(tokens: list[Token], zone: tzinfo, now: datetime, parts: DayParts) -> TimeWindow:
    seps = [i for i, tok in enumerate(tokens) if isinstance(tok, SepTok)]
    durations = [tok for tok in tokens if isinstance(tok, DurationTok)]
    if len(seps) > 1 or len(durations) > 1 or (seps and durations):
        raise WindowError("unparseable", "more than one separator or duration")
    if seps:
        left, right = _side(tokens[: seps[0]]), _side(tokens[seps[0] + 1 :])
        if right.empty:
            raise WindowError("no end")
        return _range(left, right, zone, now, parts)
    side = _side([tok for tok in tokens if not isinstance(tok, DurationTok)])
    if durations:
        return _with_duration(side, durations[0], zone, now)
    if side.times or side.absolute or side.relative:
        raise WindowError("no end")
    if side.dates or side.parts:
        return _implied(side, zone, now, parts)
    raise WindowError("unparseable")


def _check(start: datetime, end: datetime, now: datetime, *, explicit_start: bool) -> TimeWindow:
    """An implied start was clipped to now, so for it "over already" is the true reason, not the order."""
    if not explicit_start and end <= now:
        raise WindowError("in the past")
    if end <= start:
        raise WindowError("end before start")
    if end <= now or (explicit_start and start < now - PAST_GRACE):
        raise WindowError("in the past")
    return TimeWindow(start, end)


def _start_of(side: _Side, zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    """The instant a one-sided phrase names, and whether it named a date; None when it names no clock time."""
    if side.absolute:
        return side.absolute.at.astimezone(UTC), True
    if side.relative:
        return now + side.relative.offset, True
    if not side.times:
        return None
    part = side.parts[0] if side.parts else None
    clock = _apply_part(side.times[0], part)
    wall = time(clock.as24(), clock.minute)
    if side.dates:
        return _localise(side.dates[0].day, wall, zone), True
    start = _localise(_today(now, zone), wall, zone)
    if start < now - PAST_GRACE:
        start = _localise(_today(now, zone) + timedelta(days=1), wall, zone)
    return start, False


def _with_duration(side: _Side, duration: DurationTok, zone: tzinfo, now: datetime) -> TimeWindow:
    if duration.from_now or side.empty:
        if not side.empty and not duration.from_now:
            raise WindowError("unparseable")
        start = now
    else:
        found = _start_of(side, zone, now)
        if found is None:
            raise WindowError("unparseable", "a duration needs a start time")
        start = found[0]
    # Elapsed time: add in UTC so a DST change inside the window does not stretch or shrink it.
    end = start + duration.length  # both UTC: elapsed time, whatever DST does in between
    return _check(start, end, now, explicit_start=True)


def _range(left: _Side, right: _Side, zone: tzinfo, now: datetime, parts: DayParts) -> TimeWindow:
    if left.absolute and right.absolute:
        return _check(left.absolute.at.astimezone(UTC), right.absolute.at.astimezone(UTC), now, explicit_start=True)
    if left.absolute:
        zone = left.absolute.at.tzinfo or zone
        left = _Side(dates=[DateTok(left.absolute.at.date())], times=[TimeTok(left.absolute.at.hour,
                     left.absolute.at.minute, fixed=True)])
    if left.empty or left.relative:
        return _from_now(left, right, zone, now)
    if right.absolute or right.relative or (not right.times and not right.dates):
        raise WindowError("unparseable")
    if not left.times and not right.times:
        return _date_span(left, right, zone, now, parts)
    if not left.times or not right.times:
        raise WindowError("unparseable", "give a clock time on both ends")

    # A date after the end's clock time ("2-5pm tomorrow") applies to both ends when the start has none.
    shared = right.dates[0] if right.dates and right.trailing_date and not left.dates else None
    start_date = left.dates[0] if left.dates else shared
    end_date = right.dates[0] if right.dates else None
    part = left.parts[0] if left.parts else (right.parts[0] if right.parts else None)
    s_clock, e_clock = _resolve_clocks(_apply_part(left.times[0], part), right.times[0])

    day = start_date.day if start_date else _today(now, zone)
    start = _localise(day, s_clock, zone)
    if start_date is None and start < now - PAST_GRACE and end_date is None:
        day += timedelta(days=1)
        start = _localise(day, s_clock, zone)
    end_day = end_date.day if end_date and end_date is not shared else day
    end = _localise(end_day, e_clock, zone)
    if end_date is None or end_date is shared:
        end = _roll_past_midnight(start, end, s_clock, e_clock, day, zone)
    return _check(start, end, now, explicit_start=True)


def _roll_past_midnight(start: datetime, end: datetime, s: time, e: time, day: date, zone: tzinfo) -> datetime:
    """Midnight as an end is the end of the start's day; an evening start with an early-morning end crosses it."""
    if end > start:
        return end
    if e == time(0) or (s >= time(18) and e <= time(6)):
        return _localise(day + timedelta(days=1), e, zone)
    return end


def _from_now(left: _Side, right: _Side, zone: tzinfo, now: datetime) -> TimeWindow:
    """"now until 6pm", "until 6pm", "in 2 hours to 5pm": the start is relative, the end the next such wall time."""
    start = now + (left.relative.offset if left.relative else timedelta())
    if not right.times:
        raise WindowError("unparseable")
    clock = right.times[0]
    wall = time(clock.as24(), clock.minute)
    day = right.dates[0].day if right.dates else _today(start, zone)
    end = _localise(day, wall, zone)
    if not right.dates and end <= start:
        end = _localise(day + timedelta(days=1), wall, zone)
    return _check(start, end, now, explicit_start=False)


def _date_span(left: _Side, right: _Side, zone: tzinfo, now: datetime, parts: DayParts) -> TimeWindow:
    """"Dec 3 to Dec 5": from the first day's working start to the last day's working end."""
    if not left.dates or not right.dates:
        raise WindowError("unparseable")
    start = _localise(left.dates[0].day, parts.workday[0], zone)
    end = _localise(right.dates[0].day, parts.workday[1], zone)
    return _check(max(start, now), end, now, explicit_start=False)


def _implied(side: _Side, zone: tzinfo, now: datetime, parts: DayParts) -> TimeWindow:
    """A day or part of one: its configured hours, the start clipped to now when already under way."""
    hours = getattr(parts, side.parts[0].name) if side.parts else parts.workday
    day = side.dates[0].day if side.dates else _today(now, zone)
    start, end = _localise(day, hours[0], zone), _localise(day, hours[1], zone)
    if not side.dates and end <= now:
        day += timedelta(days=1)
        start, end = _localise(day, hours[0], zone), _localise(day, hours[1], zone)
    return _check(max(start, now), end, now, explicit_start=False)
