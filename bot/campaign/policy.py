"""Rules about whom we may call and when: calling hours in every callee's zone, and launch warnings. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from phonenumbers.tzdata import TIMEZONE_LONGEST_PREFIX

from bot.campaign.numbers import time_zones


@dataclass(frozen=True)
class HoursViolation:
    zone: str
    count: int  # numbers ringing in this zone
    local_start: datetime
    local_end: datetime


@dataclass(frozen=True)
class HoursCheck:
    violations: list[HoursViolation]
    suggestion: tuple[datetime, datetime] | None  # the largest window inside the hours everywhere, if any


def zone_counts(callees: list[str]) -> Counter[str]:
    """How many numbers ring in each zone; a number that maps to several zones counts in each (all must hold)."""
    counts: Counter[str] = Counter()
    cache: dict[str, tuple[str, ...]] = {}
    for number in callees:
        key = number[: TIMEZONE_LONGEST_PREFIX + 1]  # zone data is keyed by prefix: no longer one matters
        zones = cache.get(key)
        if zones is None:
            zones = cache[key] = time_zones(number)
        counts.update(zones)
    return counts


def _allowed(zone: ZoneInfo, day: datetime, hours: tuple[time, time]) -> tuple[datetime, datetime]:
    local = day.astimezone(zone).date()
    opens = datetime.combine(local, hours[0], zone).astimezone(UTC)
    closes = datetime.combine(local, hours[1], zone).astimezone(UTC)
    return opens, closes


def check_calling_hours(callees: list[str], start: datetime, end: datetime,
                        hours: tuple[time, time]) -> HoursCheck:
    """Every minute of [start, end) must fall inside `hours` in each callee zone."""
    counts = zone_counts(callees)
    violations: list[HoursViolation] = []
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    for name, count in sorted(counts.items()):
        zone = ZoneInfo(name)
        opens, closes = _allowed(zone, start, hours)
        if start < opens or end > closes:
            violations.append(HoursViolation(name, count, start.astimezone(zone), end.astimezone(zone)))
        lo, hi = max(lo, opens), min(hi, closes)
    suggestion = (lo.astimezone(start.tzinfo), hi.astimezone(start.tzinfo)) if violations and hi - lo >= \
        timedelta(minutes=15) else None
    return HoursCheck(violations, suggestion)


def hours_message(check: HoursCheck, hours: tuple[time, time], tz: str) -> str:
    parts = []
    for v in check.violations[:3]:
        parts.append(f"{v.count} number{'s' if v.count != 1 else ''} in {v.zone} would ring at "
                     f"{v.local_start:%a %H:%M}–{v.local_end:%H:%M} local time")
    allowed = f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"
    text = f"Outside calling hours ({allowed} where the callee is): " + "; ".join(parts) + "."
    if check.suggestion:
        s, e = (t.astimezone(ZoneInfo(tz)) for t in check.suggestion)
        text += f" The largest window that complies: {s:%a %H:%M}–{e:%H:%M} ({tz})."
    else:
        text += " No part of that window is inside calling hours for every number; split the list by region."
    return text


def warnings(concurrency: int) -> list[str]:
    notes = []
    if concurrency > 1:
        notes.append("Numbers CCC provides carry 1 concurrent channel by default, so CCC may place fewer than "
                     f"{concurrency} calls at once.")
    return notes


def review(callees: list[str], start: datetime, end: datetime, tz: str, concurrency: int,
           hours: tuple[time, time] | None) -> tuple[str | None, list[str]]:
    """The policy verdict on a checked draft: an error for the window field (or None), and warnings to show."""
    error = None
    if hours is not None:
        check = check_calling_hours(callees, start, end, hours)
        if check.violations:
            error = hours_message(check, hours, tz)
    return error, warnings(concurrency)
