"""The lexer's table per language group: (pattern, handler) rules in the order they are tried. Order is meaning —
dates before separators (a date's hyphen), quantities before clock times (10分後 before 10分), clock words before
bare numbers, day parts before the opening words they start with ("de manhã" before "de") — so it is written once,
here, as a list of stages; each stage holds the group's rules and then English's (English mixed in stays fine)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.campaign.window.clock import bare_hour_rule, clock_rules, num_pattern, number, typed_clock
from bot.campaign.window.dates import date_rules
from bot.campaign.window.lexer import Lexer, Rule
from bot.campaign.window.tokens import (
    DurationTok,
    PartName,
    PartTok,
    RelativeTok,
    SepTok,
    TimeTok,
    WindowError,
    ZoneTok,
)
from bot.campaign.window.vocab import alternation, vocabulary
from bot.campaign.window.words import GRAMMARS

_LATIN_END = r"(?![^\W_])"  # a word ends here; scripts written without spaces (CJK, Thai, Korean particles) skip it
_HALF = r"(?:\s*(?P<h2>半|반|rưỡi|y media|e meia|and a half|ครึ่ง))?"


def boundary(group: str) -> str:
    return "" if group in ("cjk", "th", "ko") else _LATIN_END


def _units(group: str) -> dict[str, int]:
    vocab, grammar = vocabulary(group), GRAMMARS[group]
    units = {w: 3600 for w in (*vocab.hours, *grammar.hours)}
    units.update({w: 60 for w in (*vocab.minutes, *grammar.minutes)})
    return units


def _quantity_rules(group: str) -> list[Rule]:
    grammar, b, n = GRAMMARS[group], boundary(group), num_pattern(group)
    units = _units(group)
    every = alternation(units)
    bare = alternation(u for u in units if u not in grammar.clock_units and len(u) > 1)
    pre_half = r"(?:\s*[个個]?\s*(?P<h1>半))?" if group == "cjk" else "(?P<h1>)"
    amount = rf"(?P<n>{n}|半|half an?|media|meia)\s*{pre_half}\s*(?P<u>UNITS){b}{_HALF}"
    minutes = alternation(u for u, s in units.items() if s == 60)
    extra = rf"(?:\s*(?:and\s+|y\s+|e\s+)?(?P<n2>\d{{1,2}})\s*(?P<u2>{minutes}){b})?"

    def length(m: re.Match[str]) -> timedelta:
        seconds = units[m.group("u")]
        value = number(m.group("n"), group) if m.group("n") not in ("半", "half a", "half an", "media", "meia") else 0.5
        # 两个半小时, 1時間半, 1시간 반, 1 tiếng rưỡi
        halves = sum(1 for g in (m.group("h1"), m.group("h2")) if g) * 0.5
        span = timedelta(seconds=(value + halves) * seconds)
        if m.groupdict().get("n2"):
            span += timedelta(seconds=int(m.group("n2")) * units[m.group("u2")])
        return span

    def rule(name: str, before: str, after: str, units_re: str, make: Callable[[re.Match[str]], object]) -> Rule:
        pattern = rf"{before}{amount.replace('UNITS', units_re)}{extra}{after}"
        return Rule(name, re.compile(pattern), lambda lx, m: lx.tokens.append(make(m)))  # type: ignore[arg-type]

    rules = []
    if group in ("es", "pt"):
        # "de 9 a 11 horas", "das 14 às 16 hrs": inside a range, horas names the clock; only por/durante make a
        # duration ("durante 2 horas" is read by the rule below, which starts at the word).
        def clock_hours(lx: Lexer, m: re.Match[str]) -> bool | None:
            if not (lx.opened or (lx.tokens and isinstance(lx.tokens[-1], SepTok))):
                return False
            lx.tokens.append(typed_clock(m.group(1), m.group(2) or m.group(3)))
            return None
        rules.append(Rule("N horas (clock)", re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(?:horas|hrs|hs|hr|h)"
                                                        r"(?:\s*(\d{2}))?(?![^\W\d_])"), clock_hours))
    if grammar.next_before:
        rules.append(rule("next N", rf"(?:{alternation(grammar.next_before)})\s*", "", every,
                          lambda m: DurationTok(length(m), from_now=True)))
    if grammar.rel_before:
        rules.append(rule("in N", rf"(?:{alternation(grammar.rel_before)})\s*", "", every,
                          lambda m: RelativeTok(length(m))))
    if grammar.rel_after:
        rules.append(rule("N later", "", rf"\s*(?:{alternation(grammar.rel_after)}){b}", every,
                          lambda m: RelativeTok(length(m))))
    if group == "en":
        rules.append(Rule("the next hour", re.compile(r"(?:for\s+)?(?:the\s+)?next\s+(hour|minute)\b"),
                          lambda lx, m: lx.tokens.append(DurationTok(timedelta(seconds=units[m.group(1)]), True))))
        rules.append(rule("for the next N", r"(?:for\s+)?(?:the\s+)?next\s+", "", every,
                          lambda m: DurationTok(length(m), from_now=True)))
    if grammar.dur_before:
        rules.append(rule("for N", rf"(?:{alternation(grammar.dur_before)})\s*", "", every,
                          lambda m: DurationTok(length(m))))
    if grammar.dur_after:
        rules.append(rule("N long", "", rf"\s*(?:{alternation(grammar.dur_after)}){b}", every,
                          lambda m: DurationTok(length(m))))
    rules.append(rule("N hours", "", "", bare, lambda m: DurationTok(length(m))))
    return rules


def _words(name: str, words: object, b: str, handle: Callable[[Lexer, str], bool | None]) -> list[Rule]:
    pattern = alternation(words)
    if not pattern:
        return []
    return [Rule(name, re.compile(f"(?:{pattern}){b}"), lambda lx, m: handle(lx, m.group(0)))]


def _now_rules(group: str) -> list[Rule]:
    words = (*vocabulary(group).now, *GRAMMARS[group].now)
    return _words("now", words, boundary(group), lambda lx, _: lx.tokens.append(RelativeTok(timedelta())))


def _keyword_rules(group: str) -> list[Rule]:
    # 中午 alone is noon; 中午1点 is a day part and a clock time.
    grammar, b = GRAMMARS[group], boundary(group) + r"(?!\s*[\d零〇一二两兩三四五六七八九十])"
    return (_words("midnight", grammar.midnight, b, lambda lx, _: lx.tokens.append(TimeTok(0, fixed=True)))
            + _words("noon", grammar.noon, b, lambda lx, _: lx.tokens.append(TimeTok(12, fixed=True))))


def _part_rules(group: str) -> list[Rule]:
    """Day parts: dateparser's am/pm words (午前, 오후, ก่อนเที่ยง) as morning/afternoon, then ours."""
    vocab, b = vocabulary(group), boundary(group)
    parts: dict[str, PartName] = {w: "morning" for w in vocab.am if w != "am"}
    parts.update({w: "afternoon" for w in vocab.pm if w != "pm"})
    parts.update(GRAMMARS[group].parts)

    def part(lx: Lexer, word: str) -> None:
        name = parts[" ".join(word.split())]
        last = lx.tokens[-1] if lx.tokens else None
        if group == "es" and name == "morning" and isinstance(last, TimeTok) and last.bare and last.hour == 12:
            lx.tokens[-1] = TimeTok(12, last.minute, fixed=True)  # las 12 de la mañana is noon (12 de la noche: 0)
            return
        lx.tokens.append(PartTok(name))

    return _words("day part", parts, b, part)


def _sep_rules(group: str) -> list[Rule]:
    grammar, b = GRAMMARS[group], boundary(group)

    def after_open(lx: Lexer, _: str) -> bool | None:
        if not lx.opened:
            return False  # "a las 9", "às 9h", a lone "and": not a separator here
        lx.tokens.append(SepTok())
        return None

    def opens(lx: Lexer, _: str) -> None:
        lx.opened = True

    symbols = tuple(s for s in grammar.seps if not s[0].isalnum())
    words = tuple(s for s in grammar.seps if s[0].isalnum())
    return (_words("separator", words, b, lambda lx, _: lx.tokens.append(SepTok()))
            + _words("separator", symbols, "", lambda lx, _: lx.tokens.append(SepTok()))
            + _words("after opening", grammar.after_open, b, after_open)
            + _words("opening", grammar.opens, b, opens))


def _until_rules(group: str) -> list[Rule]:
    """まで / 까지 close a range; with no separator before them ("15時まで", "오후 5시까지") the start is now (rule 9),
    as with "until 6pm" and 到下午6点."""
    def until(lx: Lexer, _: str) -> None:
        if not any(isinstance(tok, SepTok) for tok in lx.tokens):
            lx.tokens.insert(0, SepTok())

    return _words("until", GRAMMARS[group].until, boundary(group), until)


def _filler_rules(group: str) -> list[Rule]:
    """Rule 18: words that cannot change the time; anything else unknown refuses the text."""
    filler, b = GRAMMARS[group].filler, boundary(group)
    words = tuple(w for w in filler if w[0].isalnum())
    marks = tuple(w for w in filler if not w[0].isalnum())
    rules = _words("filler", words, b, lambda lx, _: None) + _words("punctuation", marks, "", lambda lx, _: None)
    if group == "vi":  # "ngay 3/12" typed without diacritics is ngày (day); "ngay" anywhere else refuses the text
        rules.append(Rule("ngay before a date", re.compile(r"ngay(?=\s*\d{1,2}\s*[/.-]\s*\d)"), lambda lx, m: None))
    return rules


# Indonesia's zones are written after times and, unlike CST, name one offset each (a product decision).
_ID_ZONES = {"wib": 7, "wita": 8, "wit": 9}


def _id_zone_rules(group: str) -> list[Rule]:
    if group != "id":
        return []
    return [Rule("WIB", re.compile(r"(?:wib|wita|wit)(?![^\W_])"),
                 lambda lx, m: lx.tokens.append(ZoneTok(timezone(timedelta(hours=_ID_ZONES[m.group(0)])))))]


_ZONE = re.compile(r"(?:utc|gmt)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?\b"  # UTC, GMT-5, UTC+08:00
                   r"|(\+)(\d{2}):(\d{2})\b"  # +08:00 (a "-05:00" after a time would read as a range)
                   r"|([a-z]+/[a-z_]+(?:/[a-z_]+)?)")  # an IANA name


def _zone(lx: Lexer, m: re.Match[str]) -> None:
    sign, hours, minutes, plus, plus_hours, plus_minutes, name = m.groups()
    zone: tzinfo
    if name:
        key = _iana().get(name)
        if key is None:
            raise WindowError("unparseable")
        zone = ZoneInfo(key)
    elif (plus_hours or hours) is None:
        zone = UTC
    else:
        sign, hours, minutes = (plus, plus_hours, plus_minutes) if plus else (sign, hours, minutes)
        if int(hours) > 14 or int(minutes or 0) > 59:
            raise WindowError("unparseable")
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        zone = timezone(-delta if sign == "-" else delta)
    lx.tokens.append(ZoneTok(zone))


@cache
def _iana() -> dict[str, str]:
    """Lower-cased IANA names -> their real spelling (the text was lower-cased; zoneinfo keys are not)."""
    return {name.lower(): name for name in available_timezones()}


_STAGES: tuple[Callable[[str], list[Rule]], ...] = (
    lambda g: date_rules(g, boundary(g)), _quantity_rules, _now_rules, _keyword_rules, clock_rules,
    lambda g: [bare_hour_rule()], _part_rules, _sep_rules, _until_rules,
    lambda g: [Rule("zone", _ZONE, _zone)] if g == "en" else [], _id_zone_rules, _filler_rules,
)


@cache
def table(group: str) -> tuple[Rule, ...]:
    """Built once per group (at warm-up): the group's rules, then English's, stage by stage."""
    rules: list[Rule] = []
    seen: set[tuple[str, str]] = set()
    for stage in _STAGES:
        for g in dict.fromkeys((group, "en")):
            for rule in stage(g):
                if (rule.name, rule.pattern.pattern) not in seen:
                    seen.add((rule.name, rule.pattern.pattern))
                    rules.append(rule)
    return tuple(rules)


def warm_tables() -> None:
    for group in ("en", "cjk", "ko", "es", "pt", "id", "th", "vi"):
        table(group)
        _iana()
