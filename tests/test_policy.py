"""Calling hours in every callee's own zone (pure: fixed instants, no clock)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.campaign.policy import check_calling_hours, hours_message, review

LA = ZoneInfo("America/Los_Angeles")
SH = ZoneInfo("Asia/Shanghai")
HOURS = (time(8), time(21))
CN = ["+8613012345670", "+8613012345671"]


def test_a_window_inside_the_hours_in_china_passes_whatever_the_requesters_zone() -> None:
    start, end = datetime(2026, 11, 26, 17, tzinfo=LA), datetime(2026, 11, 26, 19, 30, tzinfo=LA)
    assert check_calling_hours(CN, start, end, HOURS).violations == []  # 09:00-11:30 in Shanghai


def test_the_boundaries_are_inclusive() -> None:
    start, end = datetime(2026, 11, 26, 8, tzinfo=SH), datetime(2026, 11, 26, 21, tzinfo=SH)
    assert check_calling_hours(CN, start, end, HOURS).violations == []
    late = datetime(2026, 11, 26, 21, 1, tzinfo=SH)
    assert check_calling_hours(CN, start, late, HOURS).violations


def test_night_in_china_is_refused_with_the_local_times_and_the_largest_compliant_window() -> None:
    start, end = datetime(2026, 11, 26, 9, tzinfo=LA), datetime(2026, 11, 26, 11, tzinfo=LA)
    check = check_calling_hours(CN, start, end, HOURS)
    (violation,) = check.violations
    assert (violation.zone, violation.count) == ("Asia/Shanghai", 2)
    assert (violation.local_start.hour, violation.local_end.hour) == (1, 3)
    assert check.suggestion is not None
    s, e = (t.astimezone(LA) for t in check.suggestion)
    assert (s.hour, e.hour) == (16, 5)  # 08:00-21:00 Friday in Shanghai, read in Los Angeles
    message = hours_message(check, HOURS, "America/Los_Angeles")
    assert "2 numbers in Asia/Shanghai would ring at Fri 01:00–03:00 local time" in message
    assert "Thu 16:00–Fri 05:00 (America/Los_Angeles)" in message


def test_a_number_that_rings_in_many_zones_must_satisfy_all_of_them() -> None:
    toll_free = ["+18005550100"]  # phonenumbers maps it to every NANP zone, Guam to Newfoundland
    start, end = datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("America/New_York")), datetime(
        2026, 11, 26, 17, tzinfo=ZoneInfo("America/New_York"))
    zones = {v.zone for v in check_calling_hours(toll_free, start, end, HOURS).violations}
    assert "Pacific/Honolulu" in zones and "America/Los_Angeles" in zones  # 06:00 there: too early
    assert "America/New_York" not in zones and "America/Chicago" not in zones


def test_across_a_dst_change_local_hours_follow_the_zone() -> None:
    # 2026-11-01: New York falls back at 02:00. 08:00-20:00 local is still inside the hours, 13 real hours later.
    ny = ZoneInfo("America/New_York")
    start, end = datetime(2026, 11, 1, 8, tzinfo=ny), datetime(2026, 11, 1, 20, tzinfo=ny)
    assert check_calling_hours(["+12125550100"], start, end, HOURS).violations == []
    early = datetime(2026, 11, 1, 7, 30, tzinfo=ny)
    assert check_calling_hours(["+12125550100"], early, end, HOURS).violations


def test_review_warns_about_concurrency_and_can_be_switched_off() -> None:
    start, end = datetime(2026, 11, 26, 3, tzinfo=SH), datetime(2026, 11, 26, 4, tzinfo=SH)
    error, warnings = review(CN, start, end, "Asia/Shanghai", 3, None)
    assert error is None  # no calling hours configured: the guard is off
    assert warnings and "1 concurrent channel" in warnings[0]
    error, warnings = review(CN, start, end, "Asia/Shanghai", 1, HOURS)
    assert error and warnings == []
