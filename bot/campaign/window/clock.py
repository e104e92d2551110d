"""Clock-time rules of the lexer table: am/pm, 24-hour forms, and each language's clock words (点/時, 시, h, giờ,
the Thai six-hour clock), in the order they must be tried. A time with no marker stays bare for rule 15."""

from __future__ import annotations

import re

from bot.campaign.window.lexer import Lexer, Rule, hour, minute
from bot.campaign.window.tokens import TimeTok, WindowError
from bot.campaign.window.vocab import alternation, vocabulary
from bot.campaign.window.words import GRAMMARS

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
CN_NUM = "[零〇一二两兩三四五六七八九十]+"


def number(text: str, group: str) -> float:
    """Digits, decimals, Chinese numerals up to 99, and the group's number words (dateparser's, then ours)."""
    words = number_words(group)
    if text in words:
        return words[text]
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    if not re.fullmatch(CN_NUM, text):
        raise WindowError("unparseable")
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def number_words(group: str) -> dict[str, float]:
    return {**vocabulary(group).numbers, **GRAMMARS[group].numbers}


def num_pattern(group: str) -> str:
    words = alternation(w for w in number_words(group) if w not in ("半", "rưỡi", "ครึ่ง", "media", "meia"))
    extra = f"|{CN_NUM}" if group == "cjk" else ""
    return rf"(?:\d{{1,2}}(?:[.,]\d+)?|{words}{extra})" if words else rf"(?:\d{{1,2}}(?:[.,]\d+)?{extra})"


def typed_clock(h: str, mi: str | None) -> TimeTok:
    return _typed(h, mi)


def _typed(h: str, mi: str | None, limit: int = 23) -> TimeTok:
    """14:00, 14h, 14時, 0点, 09:00: 24-hour when the hour is 0, zero-padded or over 12 (rule 15)."""
    value = hour(int(h), limit)
    return TimeTok(value % 24, minute(mi), fixed=value > 12 or value == 0 or h.startswith("0"))


def clock_rules(group: str) -> list[Rule]:
    rules: list[Rule] = []
    n = num_pattern(group)
    if group == "cjk":
        def cjk(lx: Lexer, m: re.Match[str]) -> None:
            typed, unit, fraction, mins, digits = m.groups()
            h = typed if typed.isdigit() else str(int(number(typed, group)))
            quarters = {"半": 30, "一刻": 15, "三刻": 45}
            mi = quarters[fraction] if fraction else int(number(mins, group)) if mins else int(digits or 0)
            if unit == "時" and 24 <= int(h) <= 29:  # Japan's 30-hour clock: 25時 is 01:00 of the next day
                lx.tokens.append(TimeTok(int(h) - 24, minute(str(mi)), fixed=True, next_day=True))
                return
            lx.tokens.append(_typed(h, str(mi), 24))
        rules.append(Rule("N点", re.compile(rf"({n})\s*([点點时時])(?![间間])(?:\s*(半|一刻|三刻)"
                                           rf"|\s*({n})\s*分(?![钟鐘間])"
                                           r"|\s*(\d{1,2})(?![\d分]))?"), cjk))
    elif group == "ko":
        def ko(lx: Lexer, m: re.Match[str]) -> None:
            h = m.group(1)
            tok = _typed(h if h.isdigit() else str(int(number(h, group))), m.group(2) or ("30" if m.group(3) else None))
            lx.tokens.append(tok)
        rules.append(Rule("N시", re.compile(rf"({n})\s*시(?!간)(?:\s*(\d{{1,2}})\s*분|\s*(반))?"), ko))
    elif group == "th":
        rules += _thai_rules(n)
    elif group == "vi":
        rules.append(Rule("N giờ", re.compile(r"(\d{1,2})\s*(?:giờ|gio|h|g)(?:\s*(\d{1,2})(?:\s*phút)?|\s*(rưỡi))?"
                                             r"(?![^\W\d_])"),
                          lambda lx, m: lx.tokens.append(
                              _typed(m.group(1), m.group(2) or ("30" if m.group(3) else None)))))
    if group == "id":  # "setengah 10" is half an hour before ten
        rules.append(Rule("setengah N", re.compile(r"setengah\s*(\d{1,2})(?!\d)"),
                          lambda lx, m: lx.tokens.append(_typed(str(max(int(m.group(1)) - 1, 0)), "30"))))
    if group in ("es", "pt"):  # "9 y media", "9 e meia": half past
        rules.append(Rule("N y media", re.compile(r"(\d{1,2})\s*h?\s+(?:y|e)\s+(?:media|meia)(?![^\W\d_])"),
                          lambda lx, m: lx.tokens.append(_typed(m.group(1), "30"))))
    if group in ("es", "pt", "id"):
        rules.append(Rule("Nh", re.compile(r"(\d{1,2})\s*h(?:rs?|s)?(?:\s*(\d{2}))?(?![^\W\d_])"),
                          lambda lx, m: lx.tokens.append(_typed(m.group(1), m.group(2)))))
    if group == "en":
        rules += [
            Rule("am/pm", re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?:\s*(am|pm)|(a|p))\b"),
                 lambda lx, m: lx.tokens.append(TimeTok(hour(int(m.group(1)), 12), minute(m.group(2)),
                                                        "am" if (m.group(3) or m.group(4)) in ("am", "a") else "pm"))),
            Rule("o'clock", re.compile(r"(\d{1,2})\s*o'?\s?clock\b"),
                 lambda lx, m: lx.tokens.append(TimeTok(hour(int(m.group(1)), 12)))),
            Rule("hh:mm", re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2})?(?![\d.])"),
                 lambda lx, m: lx.tokens.append(_typed(m.group(1), m.group(2)))),
        ]
    return rules


def bare_hour_rule() -> Rule:
    """Last of the clock rules: a number alone ("to 11", "9-5"), bare unless over 12 (rule 15 reads it)."""
    return Rule("bare hour", re.compile(r"(\d{1,2})(?![\d:.])"),
                lambda lx, m: lx.tokens.append(_typed(m.group(1), None, 24)))


def _thai_rules(n: str) -> list[Rule]:
    """The Thai six-hour clock: N โมงเช้า = N, บ่าย N (โมง) = 12+N, N โมงเย็น = 12+N, N ทุ่ม = 18+N, ตี N = N."""
    def value(text: str | None) -> int:
        return int(number(text, "th")) if text else 0

    def fixed(h: int, half: str | None) -> TimeTok:
        return TimeTok(hour(h, 24) % 24, 30 if half else 0, fixed=True)

    def afternoon(lx: Lexer, m: re.Match[str]) -> None:
        lx.tokens.append(fixed(12 + (value(m.group(1)) or 1), m.group(2)))

    def o_clock(lx: Lexer, m: re.Match[str]) -> None:
        h, suffix = value(m.group(1)), m.group(2)
        if suffix == "เย็น":
            lx.tokens.append(fixed(h + 12 if h < 12 else h, m.group(3)))
        elif suffix == "เช้า":  # the traditional count: สองโมงเช้า is 08:00 (02:00 would be ตีสอง)
            lx.tokens.append(fixed(h + 6 if 1 <= h <= 5 else h, m.group(3)))
        else:
            lx.tokens.append(TimeTok(hour(h, 23) % 24, 30 if m.group(3) else 0, fixed=h > 12 or h == 0))

    return [
        Rule("บ่าย N โมง", re.compile(rf"บ่าย\s*(?:({n})\s*(?:โมง)?|โมง)(ครึ่ง)?"), afternoon),
        Rule("N ทุ่ม", re.compile(rf"({n})?\s*ทุ่ม(ครึ่ง)?"),  # ทุ่ม alone is หนึ่งทุ่ม, 19:00
             lambda lx, m: lx.tokens.append(fixed(18 + (value(m.group(1)) or 1), m.group(2)))),
        Rule("ตี N", re.compile(rf"ตี\s*({n})(ครึ่ง)?"), lambda lx, m: lx.tokens.append(fixed(value(m.group(1)),
                                                                                               m.group(2)))),
        Rule("N โมง", re.compile(rf"({n})\s*โมง\s*(เช้า|เย็น)?(ครึ่ง)?"), o_clock),
        # น. (นาฬิกา) marks the 24-hour clock: "10.00 น." is ten in the morning, not a guess
        Rule("hh.mm น.", re.compile(r"(\d{1,2})[:.](\d{2})(?![\d.])(?=\s*น(?:\.|\s|$|ถึง|-|~))"),
             lambda lx, m: lx.tokens.append(TimeTok(hour(int(m.group(1)), 23), minute(m.group(2)), fixed=True))),
        Rule("hh.mm", re.compile(r"(\d{1,2})[:.](\d{2})(?![\d.])"),
             lambda lx, m: lx.tokens.append(_typed(m.group(1), m.group(2)))),
    ]
