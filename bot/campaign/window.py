"""Natural-language time windows ("tomorrow 9am to 11:30", "明天上午9点到11点") -> aware (start, end), or a reason.

The rules are those of the project's time-window notes: days and weekdays in the requester's calendar, clock times
with am/pm inheritance, the end inheriting the start's date, durations, past-midnight windows, date-only and
part-of-day windows, DST by the zone's own rules. dateparser reads only month-name dates; everything about ranges is
ours, because dateparser parses single points. Pure: the caller passes `now` and `tz`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateDataParser

Reason = Literal["empty", "unparseable", "no end", "end before start", "in the past"]
Meridiem = Literal["am", "pm"]

PAST_GRACE = timedelta(seconds=60)


class WindowError(ValueError):
    """The text is not a usable window; `.reason` is one of the `Reason` literals."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(reason if not detail else f"{reason}: {detail}")
        self.reason: Reason = reason
        self.detail = detail


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

# --- tokens -------------------------------------------------------------------------------------------------------


@dataclass
class _Date:
    day: date
    from_weekday: bool = False  # "Friday" in "Friday, Dec 4": must agree with the date beside it


@dataclass
class _Time:
    hour: int
    minute: int = 0
    meridiem: Meridiem | None = None
    fixed: bool = False  # 24-hour form or noon/midnight: the value is final

    def as24(self) -> int:
        if self.meridiem is None:
            return self.hour % 24
        return _to24(self.hour, self.meridiem)


@dataclass
class _Part:
    name: Literal["workday", "morning", "afternoon", "evening"]


@dataclass
class _Zone:
    zone: tzinfo  # "UTC", "UTC+8", "+08:00", "Asia/Shanghai" typed in the text: wins over the requester's zone


@dataclass
class _Absolute:
    at: datetime  # aware: the text carried its own offset


@dataclass
class _Sep:
    pass


@dataclass
class _Duration:
    length: timedelta
    from_now: bool = False  # "for the next 2 hours"


@dataclass
class _Relative:
    offset: timedelta  # "now" is a zero offset


_Token = _Date | _Time | _Part | _Absolute | _Sep | _Duration | _Relative | _Zone


def _to24(hour: int, meridiem: Meridiem) -> int:
    if meridiem == "am":
        return 0 if hour == 12 else hour
    return 12 if hour == 12 else hour + 12


# --- lexicon ------------------------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_NUM = "[零〇一二两三四五六七八九十]+"


def _number(text: str) -> float:
    """Digits, decimals, Chinese numerals up to 99, and a few English words."""
    words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "half an": 0.5,
             "half a": 0.5, "半": 0.5}
    if text in words:
        return words[text]
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
                "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_DAY_WORDS = {"day after tomorrow": 2, "tomorrow": 1, "tmrw": 1, "tmr": 1, "today": 0, "yesterday": -1,
              "大后天": 3, "后天": 2, "明天": 1, "明日": 1, "今天": 0, "今日": 0, "昨天": -1, "前天": -2}
_CN_PERIODS: dict[str, Meridiem | None] = {
    "凌晨": "am", "早上": "am", "早晨": "am", "清晨": "am", "上午": "am",
    "中午": None, "下午": "pm", "傍晚": "pm", "晚上": "pm", "夜里": "pm",
}
_CN_PART_ALONE = {"上午": "morning", "早上": "morning", "下午": "afternoon", "晚上": "evening", "傍晚": "evening",
                  "一整天": "workday", "全天": "workday", "整天": "workday"}
_UNITS = {"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "小时": 3600, "钟头": 3600,
          "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "分钟": 60}

_EN_NUM = r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|half an?)"
_NEXT_UNIT = re.compile(r"for\s+the\s+next\s+(hour|minute)\b|(?:the\s+)?next\s+(hour)\b")  # "for the next hour"
_EN_UNIT = r"(?:hours?|hrs?|h|minutes?|mins?|m)"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_PERIOD = "|".join(_CN_PERIODS)


def _span(num: str, unit: str) -> timedelta:
    return timedelta(seconds=_number(num) * _UNITS[unit])


# The lexer tries these at the current position in the order of _Lexer._step: longer and more specific forms
# first, so a date's hyphen is never read as a separator.
# An offset needs the ISO "T": after "2027-01-05 09:00", "-11:00" is the end of a range, not a zone.
_OFFSET_DT = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})t(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(z|[+-]\d{2}:?\d{2})(?![\w:])")
_ISO_DT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})t(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CN_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")  # 21.02.2027: day first wherever it is written
_MONTH_DATE = re.compile(
    rf"(?:(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?"
    rf"|({_MONTH})\.?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:]|\s*(?:am|pm)\b))"
    r"(?:,?\s+(\d{4})(?![\d:]))?\b")
_DAY_WORD = re.compile("|".join(sorted(map(re.escape, _DAY_WORDS), key=len, reverse=True)))
_TONIGHT = re.compile(r"tonight|今晚|明晚|明早")
_WEEKDAY = re.compile(
    r"(?:(next|this|coming)\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b")
_CN_WEEKDAY = re.compile(r"(下下|下|这|本|上)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])")
_DURATION = re.compile(
    rf"(?:for\s+(?:the\s+)?(?P<next>next\s+)?|(?:the\s+)?(?P<next2>next\s+))(?P<num>{_EN_NUM})\s*(?P<unit>{_EN_UNIT})\b"
    r"(?:\s*(?:and\s+)?(?P<mins>\d+)\s*(?P<munit>minutes?|mins?|m)\b)?")
_CN_DURATION = re.compile(rf"(?:持续|共|为期)\s*(\d+(?:\.\d+)?|{_CN_NUM}|半)\s*个?\s*(半)?\s*(小时|钟头|分钟)(半)?")
_RELATIVE = re.compile(rf"in\s+({_EN_NUM})\s*({_EN_UNIT})\b|({_EN_NUM})\s*({_EN_UNIT})\s+from\s+now\b")
_CN_RELATIVE = re.compile(rf"(\d+(?:\.\d+)?|{_CN_NUM}|半)\s*个?\s*(半)?\s*(小时|钟头|分钟)(半)?\s*(?:后|以后|之后)")
_NOW = re.compile(r"(?:right\s+)?now\b|from\s+now\b|immediately\b|现在|马上|立即|立刻")
_CN_TIME = re.compile(
    rf"({_PERIOD})?\s*(\d{{1,2}}|{_CN_NUM})\s*[点點时](?:\s*(半|一刻|三刻|(\d{{1,2}}|{_CN_NUM})\s*分?))?")
_CN_COLON_TIME = re.compile(rf"({_PERIOD})\s*(\d{{1,2}}):(\d{{2}})")
_EN_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a|p)\b")
_OCLOCK = re.compile(r"(\d{1,2})\s*o'?\s?clock\b")
_COLON_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2})?(?![\d.])")  # 14:00, and 14.00 as written in the UK
_KEYWORD_TIME = re.compile(rf"noon|midday|midnight|中午12点|午夜|中午(?!\s*(?:\d|{_CN_NUM}))")
_BARE_HOUR = re.compile(r"(\d{1,2})(?![\d:.])")
_PART = re.compile(r"morning|afternoon|evening|night|all\s+day|whole\s+day")
_CN_PART = re.compile("|".join(_CN_PART_ALONE))
_SEP = re.compile(r"(?:to|until|till|til|through|thru|and)\b|->|→|[-–—~到至]")
_ZONE = re.compile(r"(?:utc|gmt)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?\b"  # UTC, GMT-5, UTC+08:00
                   r"|(\+)(\d{2}):(\d{2})\b"  # +08:00 (a "-05:00" after a time would read as a range)
                   r"|([a-z]+/[a-z_]+(?:/[a-z_]+)?)")  # an IANA name
_FILLER = re.compile(r"(?:from|between|on|at|the|this|starting|start|beginning|开始|从|在|起)\b|[,;]|开始|从|起|在")

# dateparser reads month-name dates only; one parser, built once (its settings and locale data are reused).
_MONTH_PARSER = DateDataParser(
    languages=["en"],
    settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "MDY",
              "REQUIRE_PARTS": ["day", "month", "year"]},
)


def warm_up() -> None:
    """Pay dateparser's first-call cost (locale data) at start-up instead of on a user's request."""
    _MONTH_PARSER.get_date_data("December 3 2026")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class _Lexer:
    text: str
    today: date
    zone_name: str
    tokens: list[_Token] = field(default_factory=list)
    between: bool = False

    def run(self) -> list[_Token]:
        pos = 0
        while pos < len(self.text):
            if self.text[pos] in " .!?。！？":
                pos += 1
                continue
            end = self._step(pos)
            if end is None:
                raise WindowError("unparseable", self.text[pos:pos + 20])
            pos = end
        return self.tokens

    def _match(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        return pattern.match(self.text, pos)

    def _step(self, pos: int) -> int | None:
        t = self.tokens
        if m := self._match(_OFFSET_DT, pos):
            y, mo, d, h, mi, s, off = m.groups()
            day = _mkdate(int(y), int(mo), int(d))
            t.append(_Absolute(datetime.combine(day, time(_hour(int(h), 23), _minute(mi), _minute(s)),
                                                tzinfo=_offset(off))))
        elif m := self._match(_ISO_DT, pos):
            y, mo, d, h, mi, _s = m.groups()
            t += [_Date(_mkdate(int(y), int(mo), int(d))), _Time(int(h), int(mi), fixed=True)]
        elif m := self._match(_YMD, pos):
            t.append(_Date(_mkdate(*map(int, m.groups()))))
        elif m := self._match(_CN_DATE, pos):
            y, mo, d = m.groups()
            t.append(_Date(self._next_occurrence(int(mo), int(d)) if y is None else _mkdate(int(y), int(mo), int(d))))
        elif m := self._match(_DOTTED_DATE, pos):
            t.append(_Date(_mkdate(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
        elif m := self._match(_NUMERIC_DATE, pos):
            t.append(_Date(self._numeric_date(*m.groups())))
        elif m := self._match(_MONTH_DATE, pos):
            t.append(_Date(self._month_date(m)))
        elif m := self._match(_DURATION, pos):
            length = _span(m["num"], m["unit"]) + (_span(m["mins"], m["munit"]) if m["mins"] else timedelta())
            t.append(_Duration(length, from_now=bool(m["next"] or m["next2"])))
        elif m := self._match(_NEXT_UNIT, pos):
            t.append(_Duration(_span("1", m.group(1) or m.group(2)), from_now=True))
        elif m := self._match(_CN_DURATION, pos):
            t.append(_Duration(_cn_span(m)))
        elif m := self._match(_RELATIVE, pos):
            num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            t.append(_Relative(_span(num, unit)))
        elif m := self._match(_CN_RELATIVE, pos):
            t.append(_Relative(_cn_span(m)))
        elif m := self._match(_NOW, pos):
            t.append(_Relative(timedelta()))
        elif m := self._match(_TONIGHT, pos):
            word = m.group(0)
            t += [_Date(self.today + timedelta(days=0 if word in ("tonight", "今晚") else 1)),
                  _Part("morning" if word == "明早" else "evening")]
        elif m := self._match(_DAY_WORD, pos):
            t.append(_Date(self.today + timedelta(days=_DAY_WORDS[m.group(0)])))
        elif m := self._match(_WEEKDAY, pos):
            t.append(_Date(self._weekday(_WEEKDAYS[m.group(2)], m.group(1)), from_weekday=True))
        elif m := self._match(_CN_WEEKDAY, pos):
            t.append(_Date(self._cn_weekday(_CN_WEEKDAYS[m.group(2)], m.group(1)), from_weekday=m.group(1) is None))
        elif m := self._match(_KEYWORD_TIME, pos):
            word = m.group(0)
            t.append(_Time(0, fixed=True) if word in ("midnight", "午夜") else _Time(12, fixed=True))
        elif m := self._match(_CN_COLON_TIME, pos):
            t.append(_cn_time(m.group(1), int(m.group(2)), int(m.group(3))))
        elif m := self._match(_CN_TIME, pos):
            t.append(_cn_time(m.group(1), int(_number(m.group(2))), _cn_minutes(m.group(3), m.group(4))))
        elif m := self._match(_EN_TIME, pos):
            h, mi, mer = m.groups()
            t.append(_Time(_hour(int(h), 12), _minute(mi), "am" if mer.startswith("a") else "pm"))
        elif m := self._match(_OCLOCK, pos):
            t.append(_Time(_hour(int(m.group(1)), 12)))
        elif m := self._match(_COLON_TIME, pos):
            h, mi = m.group(1), m.group(2)
            literal = int(h) > 12 or int(h) == 0 or h.startswith("0")
            t.append(_Time(_hour(int(h), 23), _minute(mi), fixed=literal))
        elif m := self._match(_BARE_HOUR, pos):
            t.append(_Time(_hour(int(m.group(1)), 24) % 24, fixed=int(m.group(1)) > 12))
        elif m := self._match(_PART, pos):
            name = m.group(0)
            parts = {"night": "evening", "all day": "workday", "whole day": "workday"}
            t.append(_Part(parts.get(" ".join(name.split()), name)))  # type: ignore[arg-type]
        elif m := self._match(_CN_PART, pos):
            t.append(_Part(_CN_PART_ALONE[m.group(0)]))  # type: ignore[arg-type]
        elif m := self._match(_SEP, pos):
            if m.group(0) == "and" and not self.between:
                return None
            t.append(_Sep())
        elif m := self._match(_ZONE, pos):
            t.append(_Zone(_zone_of(m)))
        elif m := self._match(_FILLER, pos):
            self.between = self.between or m.group(0) == "between"
        else:
            return None
        return m.end()

    def _next_occurrence(self, month: int, day: int) -> date:
        candidate = _mkdate(self.today.year, month, day) if (month, day) != (2, 29) else None
        if candidate is None or candidate < self.today:
            year = self.today.year + 1
            while (month, day) == (2, 29) and not _leap(year):
                year += 1
            candidate = _mkdate(year, month, day)
        return candidate

    def _numeric_date(self, a: str, b: str, year: str | None) -> date:
        first, second = int(a), int(b)
        month_first = first <= 12 and (second > 12 or self.zone_name.startswith("America/"))
        month, day = (first, second) if month_first else (second, first)
        return self._next_occurrence(month, day) if year is None else _mkdate(int(year), month, day)

    def _month_date(self, m: re.Match[str]) -> date:
        day_text, month_text = (m.group(1), m.group(2)) if m.group(2) else (m.group(4), m.group(3))
        year = m.group(5)
        probe_year = year or str(self.today.year)
        parsed = _MONTH_PARSER.get_date_data(f"{month_text} {int(day_text)} {probe_year}").date_obj
        if parsed is None:
            raise WindowError("unparseable", m.group(0))
        if year is None:
            return self._next_occurrence(parsed.month, parsed.day)
        return parsed.date()

    def _weekday(self, weekday: int, prefix: str | None) -> date:
        ahead = (weekday - self.today.weekday()) % 7
        if ahead == 0 and prefix != "this":
            ahead = 7
        return self.today + timedelta(days=ahead)

    def _cn_weekday(self, weekday: int, prefix: str | None) -> date:
        monday = self.today - timedelta(days=self.today.weekday())
        weeks = {"下": 1, "下下": 2, "这": 0, "本": 0, "上": -1}
        if prefix in weeks:
            return monday + timedelta(weeks=weeks[prefix], days=weekday)
        return self._weekday(weekday, None)


def _zone_of(m: re.Match[str]) -> tzinfo:
    sign, hours, minutes, plus, plus_hours, plus_minutes, name = m.groups()
    if name:
        key = _iana_names().get(name)
        if key is None:
            raise WindowError("unparseable", f"unknown time zone {name}")
        return ZoneInfo(key)
    if plus:
        sign, hours, minutes = plus, plus_hours, plus_minutes
    if hours is None:
        return UTC
    if int(hours) > 14 or int(minutes or 0) > 59:
        raise WindowError("unparseable", "offset out of range")
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


_IANA: dict[str, str] = {}


def _iana_names() -> dict[str, str]:
    """Lower-cased IANA names -> their real spelling (the text was lower-cased; zoneinfo keys are not)."""
    if not _IANA:
        from zoneinfo import available_timezones

        _IANA.update({name.lower(): name for name in available_timezones()})
    return _IANA


def _offset(text: str) -> tzinfo:
    if text == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _mkdate(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WindowError("unparseable", f"{year}-{month}-{day} is not a date") from None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _hour(value: int, limit: int) -> int:
    if value > limit:
        raise WindowError("unparseable", f"{value} is not an hour")
    return value


def _minute(text: str | None) -> int:
    value = int(text or 0)
    if value > 59:
        raise WindowError("unparseable", f"{value} is not a minute")
    return value


def _cn_span(m: re.Match[str]) -> timedelta:
    """两个半小时 / 2个半小时 / 1小时半 / 半小时: a number, an optional half before or after the unit."""
    number, half_before, unit, half_after = m.groups()
    half = timedelta(seconds=_UNITS[unit] / 2) if (half_before or half_after) else timedelta()
    return _span(number, unit) + half


def _cn_minutes(fraction: str | None, number: str | None) -> int:
    if fraction is None:
        return 0
    quarters = {"半": 30, "一刻": 15, "三刻": 45}
    return quarters[fraction] if fraction in quarters else _minute(str(int(_number(number or "0"))))


def _cn_time(period: str | None, hour: int, minute: int) -> _Time:
    """Chinese clock times: the period word (上午/下午/…) is the meridiem; 中午 is around noon, 晚上12点 midnight."""
    _hour(hour, 24)
    if period is None:
        return _Time(hour % 24, minute, fixed=hour > 12 or hour == 0)
    if period == "中午":
        return _Time(hour if hour >= 11 else hour + 12, minute, fixed=True)
    if period in ("晚上", "夜里") and hour == 12:
        return _Time(0, minute, fixed=True)
    if hour > 12:
        return _Time(hour, minute, fixed=True)
    return _Time(hour, minute, _CN_PERIODS[period])


# --- assembly -----------------------------------------------------------------------------------------------------


@dataclass
class _Side:
    dates: list[_Date] = field(default_factory=list)
    times: list[_Time] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)
    absolute: _Absolute | None = None
    relative: _Relative | None = None
    trailing_date: bool = False  # a date typed after the clock time ("2-5pm tomorrow")

    @property
    def empty(self) -> bool:
        return not (self.dates or self.times or self.parts or self.absolute or self.relative)


def _side(tokens: list[_Token]) -> _Side:
    side = _Side()
    for tok in tokens:
        if isinstance(tok, _Date):
            side.trailing_date = side.trailing_date or bool(side.times)
            side.dates.append(tok)
        elif isinstance(tok, _Time):
            side.times.append(tok)
        elif isinstance(tok, _Part):
            side.parts.append(tok)
        elif isinstance(tok, _Absolute):
            side.absolute = tok
        elif isinstance(tok, _Relative):
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


def _resolve_clocks(start: _Time, end: _Time) -> tuple[time, time]:
    """am/pm inheritance: the start borrows the end's meridiem when that keeps start < end, else the opposite; an
    unmarked end is the earliest of h or h+12 after the start."""
    if start.fixed or start.meridiem:
        s24 = start.as24()
    elif end.meridiem and not end.fixed:
        s24 = _to24(start.hour, end.meridiem)
        if (s24, start.minute) >= (end.as24(), end.minute):
            s24 = _to24(start.hour, "pm" if end.meridiem == "am" else "am")
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


def _apply_part(clock: _Time, part: _Part | None) -> _Time:
    """An unmarked hour inside a named part of the day takes its meridiem ("this afternoon 2 to 4")."""
    if part is None or clock.fixed or clock.meridiem:
        return clock
    return _Time(clock.hour, clock.minute, "am" if part.name == "morning" else "pm")


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
    normalised = _normalise(text)
    tokens = _Lexer(normalised, _today(now, zone), tz).run()
    zones = [tok.zone for tok in tokens if isinstance(tok, _Zone)]
    if len(zones) > 1:
        raise WindowError("unparseable", "more than one time zone")
    if zones:  # the text names its own zone: its calendar and clock, not the requester's
        zone = zones[0]
        tokens = [tok for tok in _Lexer(normalised, _today(now, zone), tz).run() if not isinstance(tok, _Zone)]
    if not tokens:
        raise WindowError("unparseable")
    window = _assemble(tokens, zone, now, parts)
    return TimeWindow(window.start.astimezone(requester), window.end.astimezone(requester))


def _assemble(tokens: list[_Token], zone: tzinfo, now: datetime, parts: DayParts) -> TimeWindow:
    seps = [i for i, tok in enumerate(tokens) if isinstance(tok, _Sep)]
    durations = [tok for tok in tokens if isinstance(tok, _Duration)]
    if len(seps) > 1 or len(durations) > 1 or (seps and durations):
        raise WindowError("unparseable", "more than one separator or duration")
    if seps:
        left, right = _side(tokens[: seps[0]]), _side(tokens[seps[0] + 1 :])
        if right.empty:
            raise WindowError("no end")
        return _range(left, right, zone, now, parts)
    side = _side([tok for tok in tokens if not isinstance(tok, _Duration)])
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


def _with_duration(side: _Side, duration: _Duration, zone: tzinfo, now: datetime) -> TimeWindow:
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
        left = _Side(dates=[_Date(left.absolute.at.date())], times=[_Time(left.absolute.at.hour,
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
