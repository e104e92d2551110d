"""parse_window: the shared corpus, and cases of our own for every rule (fixed `now`, never the clock)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.campaign.window import WindowError, parse_window

CORPUS = json.loads((Path(__file__).parent / "data" / "window-corpus.json").read_text())

SH = "Asia/Shanghai"
LA = "America/Los_Angeles"
LON = "Europe/London"
NOW_SH = datetime.fromisoformat("2026-11-25T10:00:00+08:00")  # Wednesday
NOW_LA = datetime.fromisoformat("2026-11-24T18:00:00-08:00")  # Tuesday, same instant... of the corpus's LA cases


def outcome(phrase: str, tz: str, now: datetime) -> tuple[str | None, str | None, str | None]:
    try:
        window = parse_window(phrase, tz=tz, now=now)
    except WindowError as exc:
        return None, None, exc.reason
    return window.start.isoformat(), window.end.isoformat(), None


@pytest.mark.parametrize("case", CORPUS, ids=[f"{c['tz']}:{c['phrase']}" for c in CORPUS])
def test_corpus(case: dict[str, str]) -> None:
    assert outcome(case["phrase"], case["tz"], datetime.fromisoformat(case["now"])) == (
        case["start"], case["end"], case["error"])


def sh(day: str, start: str, end: str, end_day: str | None = None) -> tuple[str, str, None]:
    return f"{day}T{start}:00+08:00", f"{end_day or day}T{end}:00+08:00", None


OWN_SHANGHAI = [
    # days
    ("day after tomorrow 9am to 11am", sh("2026-11-27", "09:00", "11:00")),
    ("大后天上午9点到11点", sh("2026-11-28", "09:00", "11:00")),
    ("昨天上午9点到11点", (None, None, "in the past")),
    ("tmrw 14:00-15:00", sh("2026-11-26", "14:00", "15:00")),
    # weekdays: a bare weekday is its next occurrence after today; "this" may be today
    ("Wednesday 2-4pm", sh("2026-12-02", "14:00", "16:00")),
    ("this Wednesday 2-4pm", sh("2026-11-25", "14:00", "16:00")),
    ("next Friday 10am-noon", sh("2026-11-27", "10:00", "12:00")),
    ("Sat 10:00-12:00", sh("2026-11-28", "10:00", "12:00")),
    ("周五上午9点到11点", sh("2026-11-27", "09:00", "11:00")),
    ("星期四 14:00-16:00", sh("2026-11-26", "14:00", "16:00")),
    ("本周五 14:00-16:00", sh("2026-11-27", "14:00", "16:00")),
    ("这周一 14:00-16:00", (None, None, "in the past")),
    ("下下周一 9:00-11:00", sh("2026-12-07", "09:00", "11:00")),
    ("下周日 9:00-11:00", sh("2026-12-06", "09:00", "11:00")),
    # dates without a year, numeric dates, Chinese dates
    ("3 December 10:00-12:00", sh("2026-12-03", "10:00", "12:00")),
    ("December 3rd, 2027 10am-noon", sh("2027-12-03", "10:00", "12:00")),
    ("the 3rd of December 10am to noon", sh("2026-12-03", "10:00", "12:00")),
    ("Nov 20 9am-11am", sh("2027-11-20", "09:00", "11:00")),  # already gone this year: next occurrence
    ("2026/12/03 9:00-11:00", sh("2026-12-03", "09:00", "11:00")),
    ("2026年12月3日 9点到11点", sh("2026-12-03", "09:00", "11:00")),
    ("12月3号下午2点到4点", sh("2026-12-03", "14:00", "16:00")),
    # Rule 16 (overrides rule 3): with no locale, China's CLDR order is month/day, so this is 12 March, gone.
    ("03/12/2026 9:00-11:00", (None, None, "in the past")),
    ("Feb 30 2027 9am-11am", (None, None, "unparseable")),
    ("2027-02-30 09:00-11:00", (None, None, "unparseable")),
    ("tomorrow 25:00-26:00", (None, None, "unparseable")),
    ("tomorrow 9:75-11:00", (None, None, "unparseable")),
    ("next week", (None, None, "unparseable")),
    ("December", (None, None, "unparseable")),
    ("tomorrow 9am to 11am PST", (None, None, "unparseable")),  # zone abbreviations are not guessed
    # clock times and am/pm
    ("tomorrow 9 a.m. to 11 a.m.", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 9-11am", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 11-1pm", sh("2026-11-26", "11:00", "13:00")),
    ("tomorrow at 9 to 11", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 12pm to 1pm", sh("2026-11-26", "12:00", "13:00")),
    ("tomorrow 8 to 5", sh("2026-11-26", "08:00", "17:00")),
    ("明天上午9点半到11点", sh("2026-11-26", "09:30", "11:00")),
    ("明天下午三点一刻到五点", sh("2026-11-26", "15:15", "17:00")),
    ("明天下午3点20分到5点", sh("2026-11-26", "15:20", "17:00")),
    ("明天晚上8点到10点", sh("2026-11-26", "20:00", "22:00")),
    ("明天中午12点到下午2点", sh("2026-11-26", "12:00", "14:00")),
    ("明天早上八点到十点", sh("2026-11-26", "08:00", "10:00")),
    ("明天十点到十二点", sh("2026-11-26", "10:00", "12:00")),
    ("明天上午10点至12点", sh("2026-11-26", "10:00", "12:00")),
    # trailing dates and separators
    ("from 2pm to 4pm tomorrow", sh("2026-11-26", "14:00", "16:00")),
    ("2pm thru 4pm on Friday", sh("2026-11-27", "14:00", "16:00")),
    ("tomorrow 9am until 11am", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 14:00 ~ 16:00", sh("2026-11-26", "14:00", "16:00")),
    ("明天 14:00－16:00", sh("2026-11-26", "14:00", "16:00")),  # full-width hyphen-minus
    # past midnight
    ("tomorrow 11pm to midnight", sh("2026-11-26", "23:00", "00:00", "2026-11-27")),
    ("tomorrow 10pm to 12am", sh("2026-11-26", "22:00", "00:00", "2026-11-27")),
    ("tomorrow 20:00-02:00", sh("2026-11-26", "20:00", "02:00", "2026-11-27")),
    ("明天晚上10点到1点", sh("2026-11-26", "22:00", "01:00", "2026-11-27")),
    ("tomorrow 5pm to 1am", (None, None, "end before start")),  # starts before 18:00: not an overnight window
    # durations and relative starts
    ("tomorrow 9am for 45 minutes", sh("2026-11-26", "09:00", "09:45")),
    ("tomorrow 9am for 1.5 hours", sh("2026-11-26", "09:00", "10:30")),
    ("tomorrow 9am for an hour", sh("2026-11-26", "09:00", "10:00")),
    ("tomorrow 9am for 2 hours 30 minutes", sh("2026-11-26", "09:00", "11:30")),
    ("明天下午2点开始，持续半小时", sh("2026-11-26", "14:00", "14:30")),
    ("明天下午2点开始，持续两个小时", sh("2026-11-26", "14:00", "16:00")),
    ("明天下午2点开始，持续90分钟", sh("2026-11-26", "14:00", "15:30")),
    ("3小时后，持续1小时", sh("2026-11-25", "13:00", "14:00")),
    ("2 hours from now for 30 minutes", sh("2026-11-25", "12:00", "12:30")),
    ("for 2 hours", sh("2026-11-25", "10:00", "12:00")),
    ("until 6pm", sh("2026-11-25", "10:00", "18:00")),
    ("现在到下午5点", sh("2026-11-25", "10:00", "17:00")),
    ("now until 9am", sh("2026-11-25", "10:00", "09:00", "2026-11-26")),  # the next 9am
    ("in 2 hours", (None, None, "no end")),
    ("now", (None, None, "no end")),
    ("Friday at 2pm", (None, None, "no end")),
    ("明天上午9点", (None, None, "no end")),
    # date-only and part-of-day windows
    ("Friday", sh("2026-11-27", "09:00", "18:00")),
    ("today", sh("2026-11-25", "10:00", "18:00")),  # clipped to now
    ("tonight", sh("2026-11-25", "18:00", "21:00")),
    ("tomorrow morning", sh("2026-11-26", "09:00", "12:00")),
    ("tomorrow evening", sh("2026-11-26", "18:00", "21:00")),
    ("明天下午", sh("2026-11-26", "13:00", "18:00")),
    ("明晚", sh("2026-11-26", "18:00", "21:00")),
    ("this afternoon", sh("2026-11-25", "13:00", "18:00")),
    ("morning", sh("2026-11-25", "10:00", "12:00")),
    ("tomorrow afternoon 2 to 4", sh("2026-11-26", "14:00", "16:00")),  # unmarked hours inside a part of day
    ("yesterday", (None, None, "in the past")),
    # more ways people write the same things
    ("Friday, Dec 4 9am-11am", sh("2026-12-04", "09:00", "11:00")),  # a weekday beside its date
    ("周五 12月4日 9点到11点", sh("2026-12-04", "09:00", "11:00")),
    ("Saturday, Dec 4 9am-11am", (None, None, "unparseable")),  # Dec 4 2026 is a Friday: ask, don't pick one
    ("tomorrow 9.30am-11am", sh("2026-11-26", "09:30", "11:00")),
    ("tomorrow 9 o'clock to 11 o'clock", sh("2026-11-26", "09:00", "11:00")),
    ("Tomorrow 9AM to 11AM!", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 9am → 11am", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow all day", sh("2026-11-26", "09:00", "18:00")),
    ("下周一全天", sh("2026-11-30", "09:00", "18:00")),
    ("next 2 hours", sh("2026-11-25", "10:00", "12:00")),
    ("12月24日晚上6点到12点", sh("2026-12-24", "18:00", "00:00", "2026-12-25")),
    ("tomorrow 6pm to 12", sh("2026-11-26", "18:00", "00:00", "2026-11-27")),
    ("tomorrow 10pm-12:30", sh("2026-11-26", "22:00", "00:30", "2026-11-27")),
    ("下个星期一 9点到11点", sh("2026-11-30", "09:00", "11:00")),
    ("明天上午9点开始，持续2个半小时", sh("2026-11-26", "09:00", "11:30")),
    ("明天上午9点开始，持续1小时半", sh("2026-11-26", "09:00", "10:30")),
    ("半小时后开始，持续1小时", sh("2026-11-25", "10:30", "11:30")),
    ("明天中午到下午3点", sh("2026-11-26", "12:00", "15:00")),
    ("明天早上九点到十一点半", sh("2026-11-26", "09:00", "11:30")),
    ("今天下午3点到晚上8点", sh("2026-11-25", "15:00", "20:00")),
    ("tomorrow 9.30-11.30", sh("2026-11-26", "09:30", "11:30")),
    ("21.02.2027 10:00-16:00", sh("2027-02-21", "10:00", "16:00")),
    ("for the next hour", sh("2026-11-25", "10:00", "11:00")),
    ("in 90 minutes for 2 hours", sh("2026-11-25", "11:30", "13:30")),
    ("in half an hour for an hour", sh("2026-11-25", "10:30", "11:30")),
    ("Dec 3, 2pm – 4pm", sh("2026-12-03", "14:00", "16:00")),
    ("February 21, 2027 10am to February 21, 2027 4pm", sh("2027-02-21", "10:00", "16:00")),
    ("2027/01/05 9:00～12:00", sh("2027-01-05", "09:00", "12:00")),
    ("2027-01-05T09:00:00 to 2027-01-05T17:30:00", sh("2027-01-05", "09:00", "17:30")),
    # explicit zones in the text win (their calendar and their clock); abbreviations are not guessed
    ("tomorrow 9am to 11am UTC", sh("2026-11-26", "17:00", "19:00")),
    ("tomorrow 9am to 11am gmt-5", sh("2026-11-25", "22:00", "00:00", "2026-11-26")),
    ("tomorrow 09:00-11:00 +08:00", sh("2026-11-26", "09:00", "11:00")),
    ("tomorrow 9am to 11am Europe/London", sh("2026-11-26", "17:00", "19:00")),
    ("tomorrow 9am to 11am CST", (None, None, "unparseable")),
    ("tomorrow 9am to 11am Mars/Olympus", (None, None, "unparseable")),
    # the past
    ("   ", (None, None, "empty")),
    ("tomorrow 9am to", (None, None, "no end")),
]


def test_grace_is_sixty_seconds() -> None:
    now = NOW_SH + timedelta(seconds=50)
    assert parse_window("today 10:00 to 11:00", tz=SH, now=now).start.isoformat() == "2026-11-25T10:00:00+08:00"
    with pytest.raises(WindowError) as exc:
        parse_window("today 10:00 to 11:00", tz=SH, now=NOW_SH + timedelta(seconds=61))
    assert exc.value.reason == "in the past"


@pytest.mark.parametrize(("phrase", "expected"), OWN_SHANGHAI, ids=[c[0] for c in OWN_SHANGHAI])
def test_rules_in_shanghai(phrase: str, expected: tuple[str | None, str | None, str | None]) -> None:
    assert outcome(phrase, SH, NOW_SH) == expected


def test_numeric_dates_follow_the_zone() -> None:
    assert outcome("12/3/2027 9am-11am", LA, NOW_LA)[0] == "2027-12-03T09:00:00-08:00"  # month first in America/*
    assert outcome("12/3/2027 9am-11am", LON, NOW_LA)[0] == "2027-03-12T09:00:00+00:00"  # day first elsewhere
    assert outcome("13/12/2026 9am-11am", LA, NOW_LA)[0] == "2026-12-13T09:00:00-08:00"  # 13 cannot be a month


def test_los_angeles_days_are_local_days() -> None:
    # At Tue 18:00 in LA it is already Wednesday in Shanghai; "today" and "Wednesday" are LA's.
    assert outcome("Wednesday 9am-11am", LA, NOW_LA)[0] == "2026-11-25T09:00:00-08:00"
    assert outcome("today 7pm-9pm", LA, NOW_LA)[0] == "2026-11-24T19:00:00-08:00"
    assert outcome("2pm-5pm", LA, NOW_LA)[0] == "2026-11-25T14:00:00-08:00"  # no date, passed: tomorrow


def test_explicit_utc_offsets_win_over_the_requester_zone() -> None:
    start, end, _ = outcome("2027-01-05T09:00:00Z to 2027-01-05T12:00:00Z", SH, NOW_SH)
    assert (start, end) == ("2027-01-05T17:00:00+08:00", "2027-01-05T20:00:00+08:00")
    start, end, _ = outcome("2027-01-05T09:00-05:00 to 2027-01-05T12:00-05:00", LA, NOW_LA)
    assert (start, end) == ("2027-01-05T06:00:00-08:00", "2027-01-05T09:00:00-08:00")


# DST on the real 2026 US changes: 2026-03-08 (02:00 -> 03:00) and 2026-11-01 (02:00 -> 01:00).
BEFORE_SPRING = datetime(2026, 2, 20, 12, tzinfo=ZoneInfo(LA))
BEFORE_FALL = datetime(2026, 10, 20, 12, tzinfo=ZoneInfo(LA))


def test_spring_forward_window_is_shorter_in_real_time() -> None:
    window = parse_window("2026-03-08 1am to 4am", tz=LA, now=BEFORE_SPRING)
    assert window.start.isoformat() == "2026-03-08T01:00:00-08:00"
    assert window.end.isoformat() == "2026-03-08T04:00:00-07:00"
    assert window.duration == timedelta(hours=2)


def test_nonexistent_time_moves_forward_by_the_gap() -> None:
    window = parse_window("March 8 2026 2:30am to 5am", tz=LA, now=BEFORE_SPRING)
    assert window.start.isoformat() == "2026-03-08T03:30:00-07:00"


def test_ambiguous_time_takes_its_first_occurrence() -> None:
    window = parse_window("Nov 1 2026 1:30am to 3am", tz=LA, now=BEFORE_FALL)
    assert window.start.isoformat() == "2026-11-01T01:30:00-07:00"  # PDT, the first 01:30
    assert window.end.isoformat() == "2026-11-01T03:00:00-08:00"
    assert window.duration == timedelta(hours=2, minutes=30)


def test_durations_are_elapsed_time_across_the_change() -> None:
    window = parse_window("2026-11-01 00:30 for 3 hours", tz=LA, now=BEFORE_FALL)
    assert window.end.isoformat() == "2026-11-01T02:30:00-08:00"  # 3 real hours, wall clock shows 2
    window = parse_window("2026-03-08 00:30 for 3 hours", tz=LA, now=BEFORE_SPRING)
    assert window.end.isoformat() == "2026-03-08T04:30:00-07:00"


def test_never_reads_the_clock() -> None:
    far_future = datetime(2031, 6, 2, 3, tzinfo=ZoneInfo("UTC"))  # a Monday
    window = parse_window("tomorrow 9am to 11am", tz=LON, now=far_future)
    assert window.start.isoformat() == "2031-06-03T09:00:00+01:00"
