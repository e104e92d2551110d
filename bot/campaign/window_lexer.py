"""Window text -> tokens: dates resolved in the requester's calendar, clock times, separators, durations, zones.

The lexer reads the text left to right, trying each form of the lexicon in a fixed order; anything it does not know
makes the whole window unparseable (never a guess). dateparser reads month-name dates only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

Reason = Literal["empty", "unparseable", "no end", "end before start", "in the past"]
Meridiem = Literal["am", "pm"]


class WindowError(ValueError):
    """The text is not a usable window; `.reason` is one of the `Reason` literals."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(reason if not detail else f"{reason}: {detail}")
        self.reason: Reason = reason
        self.detail = detail


# --- tokens -------------------------------------------------------------------------------------------------------


@dataclass
class DateTok:
    day: date
    from_weekday: bool = False  # "Friday" in "Friday, Dec 4": must agree with the date beside it


@dataclass
class TimeTok:
    hour: int
    minute: int = 0
    meridiem: Meridiem | None = None
    fixed: bool = False  # 24-hour form or noon/midnight: the value is final

    def as24(self) -> int:
        if self.meridiem is None:
            return self.hour % 24
        return to24(self.hour, self.meridiem)


@dataclass
class PartTok:
    name: Literal["workday", "morning", "afternoon", "evening"]


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


# The lexer tries these at the current position in the order of Lexer._step: longer and more specific forms
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


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Lexer:
    text: str
    today: date
    zone_name: str
    tokens: list[Token] = field(default_factory=list)
    between: bool = False

    def run(self) -> list[Token]:
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
            t.append(AbsoluteTok(datetime.combine(day, time(_hour(int(h), 23), _minute(mi), _minute(s)),
                                                tzinfo=_offset(off))))
        elif m := self._match(_ISO_DT, pos):
            y, mo, d, h, mi, _s = m.groups()
            t += [DateTok(_mkdate(int(y), int(mo), int(d))), TimeTok(int(h), int(mi), fixed=True)]
        elif m := self._match(_YMD, pos):
            t.append(DateTok(_mkdate(*map(int, m.groups()))))
        elif m := self._match(_CN_DATE, pos):
            y, mo, d = m.groups()
            t.append(DateTok(self._next_occurrence(int(mo), int(d)) if y is None else _mkdate(int(y), int(mo), int(d))))
        elif m := self._match(_DOTTED_DATE, pos):
            t.append(DateTok(_mkdate(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
        elif m := self._match(_NUMERIC_DATE, pos):
            t.append(DateTok(self._numeric_date(*m.groups())))
        elif m := self._match(_MONTH_DATE, pos):
            t.append(DateTok(self._month_date(m)))
        elif m := self._match(_DURATION, pos):
            length = _span(m["num"], m["unit"]) + (_span(m["mins"], m["munit"]) if m["mins"] else timedelta())
            t.append(DurationTok(length, from_now=bool(m["next"] or m["next2"])))
        elif m := self._match(_NEXT_UNIT, pos):
            t.append(DurationTok(_span("1", m.group(1) or m.group(2)), from_now=True))
        elif m := self._match(_CN_DURATION, pos):
            t.append(DurationTok(_cn_span(m)))
        elif m := self._match(_RELATIVE, pos):
            num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            t.append(RelativeTok(_span(num, unit)))
        elif m := self._match(_CN_RELATIVE, pos):
            t.append(RelativeTok(_cn_span(m)))
        elif m := self._match(_NOW, pos):
            t.append(RelativeTok(timedelta()))
        elif m := self._match(_TONIGHT, pos):
            word = m.group(0)
            t += [DateTok(self.today + timedelta(days=0 if word in ("tonight", "今晚") else 1)),
                  PartTok("morning" if word == "明早" else "evening")]
        elif m := self._match(_DAY_WORD, pos):
            t.append(DateTok(self.today + timedelta(days=_DAY_WORDS[m.group(0)])))
        elif m := self._match(_WEEKDAY, pos):
            t.append(DateTok(self._weekday(_WEEKDAYS[m.group(2)], m.group(1)), from_weekday=True))
        elif m := self._match(_CN_WEEKDAY, pos):
            t.append(DateTok(self._cn_weekday(_CN_WEEKDAYS[m.group(2)], m.group(1)), from_weekday=m.group(1) is None))
        elif m := self._match(_KEYWORD_TIME, pos):
            word = m.group(0)
            t.append(TimeTok(0, fixed=True) if word in ("midnight", "午夜") else TimeTok(12, fixed=True))
        elif m := self._match(_CN_COLON_TIME, pos):
            t.append(_cn_time(m.group(1), int(m.group(2)), int(m.group(3))))
        elif m := self._match(_CN_TIME, pos):
            t.append(_cn_time(m.group(1), int(_number(m.group(2))), _cn_minutes(m.group(3), m.group(4))))
        elif m := self._match(_EN_TIME, pos):
            h, mi, mer = m.groups()
            t.append(TimeTok(_hour(int(h), 12), _minute(mi), "am" if mer.startswith("a") else "pm"))
        elif m := self._match(_OCLOCK, pos):
            t.append(TimeTok(_hour(int(m.group(1)), 12)))
        elif m := self._match(_COLON_TIME, pos):
            h, mi = m.group(1), m.group(2)
            literal = int(h) > 12 or int(h) == 0 or h.startswith("0")
            t.append(TimeTok(_hour(int(h), 23), _minute(mi), fixed=literal))
        elif m := self._match(_BARE_HOUR, pos):
            t.append(TimeTok(_hour(int(m.group(1)), 24) % 24, fixed=int(m.group(1)) > 12))
        elif m := self._match(_PART, pos):
            name = m.group(0)
            parts = {"night": "evening", "all day": "workday", "whole day": "workday"}
            t.append(PartTok(parts.get(" ".join(name.split()), name)))  # type: ignore[arg-type]
        elif m := self._match(_CN_PART, pos):
            t.append(PartTok(_CN_PART_ALONE[m.group(0)]))  # type: ignore[arg-type]
        elif m := self._match(_SEP, pos):
            if m.group(0) == "and" and not self.between:
                return None
            t.append(SepTok())
        elif m := self._match(_ZONE, pos):
            t.append(ZoneTok(_zone_of(m)))
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


def _cn_time(period: str | None, hour: int, minute: int) -> TimeTok:
    """Chinese clock times: the period word (上午/下午/…) is the meridiem; 中午 is around noon, 晚上12点 midnight."""
    _hour(hour, 24)
    if period is None:
        return TimeTok(hour % 24, minute, fixed=hour > 12 or hour == 0)
    if period == "中午":
        return TimeTok(hour if hour >= 11 else hour + 12, minute, fixed=True)
    if period in ("晚上", "夜里") and hour == 12:
        return TimeTok(0, minute, fixed=True)
    if hour > 12:
        return TimeTok(hour, minute, fixed=True)
    return TimeTok(hour, minute, _CN_PERIODS[period])
