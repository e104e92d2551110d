"""Date rules of the lexer table: ISO forms with offsets, year-first and numeric dates (rule 16), dates with month
names (dateparser's names, in each language's word order), relative days and weekdays."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from bot.campaign.window.lexer import Lexer, Rule, hour, minute, mkdate, year_of
from bot.campaign.window.tokens import AbsoluteTok, DateTok, PartTok, TimeTok, WindowError
from bot.campaign.window.vocab import alternation, vocabulary
from bot.campaign.window.words import GRAMMARS

_CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1, "3": 2,
                "4": 3, "5": 4, "6": 5, "7": 6}
_CN_WEEK = {"下下": "week after", "下": "next week", "这": "this week", "這": "this week", "本": "this week",
            "上": "last week", "再来週": "week after", "来週": "next week", "今週": "this week", "先週": "last week"}
_JA_DAYS = "月火水木金土日"


def _offset(text: str) -> tzinfo:
    if text == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _offset_dt(lx: Lexer, m: re.Match[str]) -> None:
    y, mo, d, h, mi, s, off = m.groups()
    day = mkdate(int(y), int(mo), int(d))
    lx.tokens.append(AbsoluteTok(datetime.combine(day, time(hour(int(h), 23), minute(mi), minute(s)),
                                                  tzinfo=_offset(off))))


def _iso_dt(lx: Lexer, m: re.Match[str]) -> None:
    y, mo, d, h, mi = m.groups()
    lx.tokens += [DateTok(mkdate(int(y), int(mo), int(d))), TimeTok(hour(int(h), 23), minute(mi), fixed=True)]


def _ymd(lx: Lexer, m: re.Match[str]) -> None:
    y, mo, d = m.group("y"), m.group("mo"), m.group("d")
    lx.tokens.append(DateTok(lx.dated(year_of(y), int(mo), int(d))))


def _numeric(lx: Lexer, m: re.Match[str]) -> None:
    lx.tokens.append(lx.numeric(m.group(0), int(m.group(1)), int(m.group(2)), year_of(m.group(3))))


def _be_numeric(lx: Lexer, m: re.Match[str]) -> None:
    """Thai "3/12/69": a two-digit year is Buddhist-era (2569 = 2026), as Thais usually write it."""
    year = m.group(3)
    full = str(2500 + int(year)) if year and len(year) == 2 else year
    lx.tokens.append(lx.numeric(m.group(0), int(m.group(1)), int(m.group(2)), year_of(full)))


def _loose_dotted(lx: Lexer, m: re.Match[str]) -> bool | None:
    """"12.3" / "12. 3." without a year (Korean and Chinese chat): rule 16's order; not a date if neither order is."""
    try:
        lx.tokens.append(lx.numeric(m.group(0).strip(), int(m.group(1)), int(m.group(2)), None))
    except WindowError:
        return False
    return None


def _day_of_month(lx: Lexer, m: re.Match[str]) -> None:
    """3号: the next day with that number, this month or a later one (rule 3's next occurrence)."""
    day, first = int(m.group(1)), lx.today.replace(day=1)
    for months in range(13):
        year, month = divmod(first.month - 1 + months, 12)
        try:
            found = date(first.year + year, month + 1, day)
        except ValueError:
            continue
        if found >= lx.today:
            lx.tokens.append(DateTok(found))
            return
    raise WindowError("unparseable")


def _dotted(lx: Lexer, m: re.Match[str]) -> None:  # 21.02.2027: day first wherever it is written
    lx.tokens.append(DateTok(mkdate(year_of(m.group(3)) or 0, int(m.group(2)), int(m.group(1)))))


def date_rules(group: str, boundary: str) -> list[Rule]:
    """Numeric forms are the same in every language; they come first so a date's hyphen is never a separator."""
    rules = [
        # An offset needs the ISO "T": after "2027-01-05 09:00", "-11:00" is the end of a range, not a zone.
        Rule("iso with offset", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})t(\d{1,2}):(\d{2})(?::(\d{2}))?\s*"
                                           r"(z|[+-]\d{2}:?\d{2})(?![\w:])"), _offset_dt),
        Rule("iso", re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})t(\d{1,2}):(\d{2})(?::\d{2})?(?![\d:])"), _iso_dt),
        Rule("year first", re.compile(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"), _ymd),
        Rule("年月日", re.compile(r"(?:(?P<y>\d{4})\s*[年년]\s*)?(?P<mo>\d{1,2})\s*[月월]\s*"
                                r"(?P<d>\d{1,2})\s*[日号號일]"),
             _ymd),
        Rule("dotted", re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"), _dotted),
        Rule("numeric", re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/:])"), _numeric),
        Rule("d.m.", re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.(?![\d.])()"), _numeric),
    ]
    if group == "th":
        rules.insert(-2, Rule("d/m/yy", re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})(?![\d/:])"), _be_numeric))
    if group in ("cjk", "ko"):
        units = r"\s*[个個]?\s*(?:小时|小時|时间|時間|시간|分|분|hour|min)"
        rules += [Rule("y. m. d.", re.compile(r"(?P<y>\d{4})\.\s*(?P<mo>\d{1,2})\.\s*(?P<d>\d{1,2})\.?(?!\d)"), _ymd),
                  Rule("m.d", re.compile(rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})(?=\s|\(|（)(?!{units})"
                                         r"(?!\s*[-~到至])"), _loose_dotted)]
    if group == "cjk":
        rules.append(Rule("N号", re.compile(r"(\d{1,2})\s*[号號](?![码碼])"), _day_of_month))
    return rules + _month_rules(group, boundary) + _day_rules(group, boundary)


def _month_rules(group: str, b: str) -> list[Rule]:
    months = vocabulary(group).months
    names = alternation(m for m in months if not m[0].isdigit() and m[-1] not in "月월")
    if not names:
        return []

    def handle(lx: Lexer, m: re.Match[str]) -> None:
        found = m.groupdict()
        name, day = (found["m1"], found["d1"]) if found["m1"] else (found["m2"], found["d2"])
        lx.tokens.append(DateTok(lx.dated(year_of(m.group("y")), months[name.rstrip(".")], int(day))))

    of = r"(?:\s+(?:de|del|of)\s+|\s*)"
    year = r"(?:,?\s*(?:de\s+|năm\s+)?(?P<y>\d{4})(?![\d:]))?"
    day_first = rf"(?:ngày\s+|the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{of}(?P<m1>{names})\.?{b}"
    month_first = rf"(?P<m2>{names})\.?\s+(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:]|\s*(?:am|pm|h)\b)"
    pattern = rf"(?:{day_first}|{month_first}){year}" if group == "en" else rf"{day_first}{year}"
    return [Rule("month name date", re.compile(pattern), handle)]


def _day_rules(group: str, b: str) -> list[Rule]:
    vocab, grammar = vocabulary(group), GRAMMARS[group]
    days = {**vocab.days, **grammar.days}
    weekdays = vocab.weekdays
    rules: list[Rule] = []

    def day_part(lx: Lexer, m: re.Match[str]) -> None:
        offset, part = grammar.day_parts[m.group(0)]
        lx.tokens += [DateTok(lx.today + timedelta(days=offset)), PartTok(part)]

    if grammar.day_parts:
        rules.append(Rule("day and part", re.compile(f"(?:{alternation(grammar.day_parts)}){b}"), day_part))
    rules.append(Rule("relative day", re.compile(f"(?:{alternation(days)}){b}"),
                      lambda lx, m: lx.tokens.append(DateTok(lx.today + timedelta(days=days[m.group(0)])))))
    if group == "cjk":
        rules += [Rule("周X", re.compile(r"(下下|下|这|這|本|上)?个?(?:周|週|星期|礼拜|禮拜)([一二三四五六日天1-7])"),
                       lambda lx, m: lx.tokens.append(lx.weekday(_CN_WEEKDAYS[m.group(2)],
                                                                 _CN_WEEK.get(m.group(1) or "")))),
                  # 12月3日(木), 12月3日(周四): the weekday beside a date, which must agree with it
                  Rule("(X)", re.compile(rf"\(\s*(?:周|週|星期)?([{_JA_DAYS}一二三四五六天])(?:曜日?)?\s*\)"),
                       lambda lx, m: lx.tokens.append(lx.weekday(
                           _JA_DAYS.index(m.group(1)) if m.group(1) in _JA_DAYS[:6] else _CN_WEEKDAYS[m.group(1)],
                           None))),
                  Rule("X曜日", re.compile(rf"(?:(再来週|来週|今週|先週)の?)?([{_JA_DAYS}])曜日?"),
                       lambda lx, m: lx.tokens.append(lx.weekday(_JA_DAYS.index(m.group(2)),
                                                                 _CN_WEEK.get(m.group(1) or ""))))]
        return rules
    weekdays = {**weekdays, **grammar.weekdays}
    if group == "ko":  # 12월 3일(목): the weekday beside a date, which must agree with it
        rules.append(Rule("(X)", re.compile(r"\(\s*([월화수목금토일])(?:요일)?\s*\)"),
                          lambda lx, m: lx.tokens.append(lx.weekday("월화수목금토일".index(m.group(1)), None))))
    before, after = alternation(grammar.week_before), alternation(grammar.week_after)
    pre = rf"(?:(?P<pre>{before})\s*)?" if before else "(?P<pre>)"
    post = rf"(?:\s*(?P<post>{after}){b})?" if after else "(?P<post>)"
    pattern = rf"{pre}(?P<day>{alternation(weekdays)}){b}{post}"

    def weekday(lx: Lexer, m: re.Match[str]) -> None:
        kind = grammar.week_before.get(m.group("pre") or "") or grammar.week_after.get(m.group("post") or "")
        lx.tokens.append(lx.weekday(weekdays[m.group("day")], kind))

    rules.append(Rule("weekday", re.compile(pattern), weekday))
    return rules
