"""Rules about whom we may call and when: calling hours in every callee's zone, and launch warnings. Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

from bot.campaign.numbers import time_zones
from bot.campaign.text import Moment, Text, lazy, lazy_plural


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


@lru_cache(maxsize=512)
def _country_zones(country_code: str) -> tuple[str, ...] | None:
    """The zones of every number of a country, when they are all the same (China: Asia/Shanghai), else None."""
    zones = {v for k, v in TIMEZONE_DATA.items() if k.startswith(country_code)}
    return zones.pop() if len(zones) == 1 else None


def _country_code(e164: str) -> str | None:
    for length in (1, 2, 3):  # country codes are prefix-free
        if int(e164[1:1 + length]) in COUNTRY_CODE_TO_REGION_CODE:
            return e164[1:1 + length]
    return None


def zone_counts(callees: list[str]) -> Counter[str]:
    """How many numbers ring in each zone; a number that maps to several zones counts in each (all must hold)."""
    counts: Counter[str] = Counter()
    cache: dict[str, tuple[str, ...]] = {}
    for number in callees:
        country = _country_code(number)
        zones = _country_zones(country) if country else None
        if zones is None:
            key = number[: TIMEZONE_LONGEST_PREFIX + 1]  # zone data is keyed by prefix: no longer one matters
            zones = cache.get(key)
            if zones is None:
                zones = cache[key] = time_zones(number)
        counts.update(z for z in zones if z != "Etc/Unknown")
    return counts


def _allowed(zone: ZoneInfo, day: datetime, hours: tuple[time, time]) -> tuple[datetime, datetime]:
    local = day.astimezone(zone).date()
    opens = datetime.combine(local, hours[0], zone).astimezone(UTC)
    closes = datetime.combine(local, hours[1], zone).astimezone(UTC)
    return opens, closes


def check_calling_hours(callees: list[str], start: datetime, end: datetime,
                        hours: tuple[time, time]) -> HoursCheck:
    """Every minute of [start, end) must fall inside `hours` in each callee zone (that zone's day of the start)."""
    counts = zone_counts(callees)
    violations: list[HoursViolation] = []
    opens_all, closes_all = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    for name, count in sorted(counts.items()):
        zone = ZoneInfo(name)
        opens, closes = _allowed(zone, start, hours)
        if start < opens or end > closes:
            violations.append(HoursViolation(name, count, start.astimezone(zone), end.astimezone(zone)))
        opens_all, closes_all = max(opens_all, opens), min(closes_all, closes)
    suggestion = None
    if violations:
        # The part of the requested window that complies, else the whole span every zone allows that day.
        lo, hi = max(opens_all, start.astimezone(UTC)), min(closes_all, end.astimezone(UTC))
        if hi - lo < timedelta(minutes=15):
            lo, hi = opens_all, closes_all
        if hi - lo >= timedelta(minutes=15):
            suggestion = (lo, hi)
    return HoursCheck(violations, suggestion)


def hours_message(check: HoursCheck, hours: tuple[time, time], tz: str) -> Text:
    parts: Text | None = None
    for v in reversed(check.violations[:3]):  # "A; B; C" built from the end, each "; " said in the reader's way
        part = lazy_plural("{n} number in {zone} would ring at {start}–{end} local time",
                           "{n} numbers in {zone} would ring at {start}–{end} local time", v.count, zone=v.zone,
                           start=Moment(v.local_start), end=f"{v.local_end:%H:%M}")
        parts = part if parts is None else lazy("{clause}; {more}", clause=part, more=parts)
    allowed = f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"
    if check.suggestion:
        s, e = (t.astimezone(ZoneInfo(tz)) for t in check.suggestion)
        end_text = f"{e:%H:%M}" if e.date() == s.date() else Moment(e)
        return lazy("Outside calling hours ({allowed} where the callee is): {violations}. The largest window that "
                    "complies: {start}–{end} ({tz}).", allowed=allowed, violations=parts, start=Moment(s),
                    end=end_text, tz=tz)
    return lazy("Outside calling hours ({allowed} where the callee is): {violations}. No part of that window is "
                "inside calling hours for every number; split the list by region.", allowed=allowed,
                violations=parts)


def warnings(concurrency: int) -> list[str]:
    notes: list[str] = []
    if concurrency > 1:
        notes.append(lazy("Numbers CCC provides carry 1 concurrent channel by default, so CCC may place fewer than "
                          "{concurrency} calls at once.", concurrency=concurrency))
    return notes


def review(callees: list[str], start: datetime, end: datetime, tz: str, concurrency: int,
           hours: tuple[time, time] | None) -> tuple[Text | None, list[str]]:
    """The policy verdict on a checked draft: an error for the window field (or None), and warnings to show."""
    error = None
    if hours is not None:
        check = check_calling_hours(callees, start, end, hours)
        if check.violations:
            error = hours_message(check, hours, tz)
    return error, warnings(concurrency)
