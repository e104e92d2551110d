"""parse_window in ten languages: each language's corpus (tests/data/window-corpus.<lang>.json, reviewed by native
speakers), the language decided by the text, and the guesses a window reports (rules 15-18)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.campaign.window import BareHours, ImpliedHours, NumericDate, WindowError, parse_window

DATA = Path(__file__).parent / "data"
LANGUAGES = ("en", "zh-Hans", "zh-Hant", "ja", "ko", "es", "pt", "id", "th", "vi")
CASES = [(lang, case) for lang in LANGUAGES
         for case in json.loads((DATA / f"window-corpus.{lang}.json").read_text(encoding="utf-8"))]


def outcome(case: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    try:
        window = parse_window(case["phrase"], tz=case["tz"], now=datetime.fromisoformat(case["now"]),
                              locale=case.get("locale"))
    except WindowError as exc:
        return None, None, exc.reason
    return window.start.isoformat(), window.end.isoformat(), None


@pytest.mark.parametrize(("lang", "case"), CASES, ids=[f"{lang}:{case['phrase']}" for lang, case in CASES])
def test_language_corpus(lang: str, case: dict[str, str]) -> None:
    assert outcome(case) == (case["start"], case["end"], case["error"])


def test_every_language_has_at_least_twenty_cases_with_refusals() -> None:
    for lang in LANGUAGES:
        cases = [case for code, case in CASES if code == lang]
        assert len(cases) >= 20, lang
        assert {"unparseable", "no end", "in the past"} <= {case["error"] for case in cases}, lang


SH = "Asia/Shanghai"
NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")  # Wednesday


def test_friday_2_4_is_read_as_business_hours_and_says_so() -> None:
    window = parse_window("friday 2-4", tz=SH, now=NOW)
    assert (window.start.isoformat(), window.end.isoformat()) == ("2026-11-27T14:00:00+08:00",
                                                                  "2026-11-27T16:00:00+08:00")
    assert window.guesses == (BareHours(time(14), time(16)),)


def test_marked_hours_are_not_guesses() -> None:
    assert parse_window("friday 2pm-4pm", tz=SH, now=NOW).guesses == ()
    assert parse_window("friday 14:00-16:00", tz=SH, now=NOW).guesses == ()
    assert parse_window("明天下午2点到4点", tz=SH, now=NOW).guesses == ()


def test_an_ambiguous_numeric_date_is_a_guess_naming_both_readings() -> None:
    window = parse_window("02/03 09:00-12:00", tz="America/Sao_Paulo", now=NOW, locale="pt-BR")
    assert window.guesses == (NumericDate("02/03", date(2027, 3, 2), date(2027, 2, 3)),)
    us = parse_window("02/03 09:00-12:00", tz="America/New_York", now=NOW, locale="en-US")
    assert us.start.date() == date(2027, 2, 3)
    assert parse_window("30/11 14:00-16:00", tz="America/Sao_Paulo", now=NOW).guesses == ()


def test_numeric_order_falls_back_to_the_zone_country_without_a_locale() -> None:
    assert parse_window("02/03 09:00-12:00", tz="America/Sao_Paulo", now=NOW).start.month == 3
    assert parse_window("02/03 09:00-12:00", tz="America/New_York", now=NOW).start.month == 2
    assert parse_window("02/03 09:00-12:00", tz="Europe/London", now=NOW).start.month == 3


def test_a_date_alone_reports_its_implied_hours() -> None:
    window = parse_window("tomorrow", tz=SH, now=NOW)
    assert window.guesses == (ImpliedHours("workday", time(9), time(18)),)


@pytest.mark.parametrize(("text", "locale", "language"), [
    ("明日の9時から11時まで", None, "ja"), ("明天上午9点到11点", "ja-JP", "zh-Hans"),
    ("明天上午9點到11點", None, "zh-Hant"),
    ("내일 오전 9시~11시", "en-US", "ko"), ("mañana de 9 a 11", "pt-BR", "es"), ("amanhã das 9 às 11", None, "pt"),
    ("besok jam 9 sampai 11", None, "id"), ("พรุ่งนี้ 9 โมงถึง 11 โมง", None, "th"),
    ("ngày mai từ 9h đến 11h", None, "vi"), ("tomorrow 9am to 11am", "ja-JP", "en"),
    ("10:00-12:00", "ja-JP", "ja"), ("10:00-12:00", None, "en"),
])
def test_the_text_decides_the_language_and_the_locale_only_hints(text: str, locale: str | None,
                                                                 language: str) -> None:
    window = parse_window(text, tz=SH, now=NOW, locale=locale)
    assert window.language == language


def test_english_mixed_into_another_language_still_reads() -> None:
    window = parse_window("明天 2pm to 4pm", tz=SH, now=NOW)
    assert window.start.isoformat() == "2026-11-26T14:00:00+08:00"
    window = parse_window("mañana 2pm-4pm", tz="America/Mexico_City", now=NOW)
    assert window.start.hour == 14


def test_an_error_carries_the_language_of_the_text() -> None:
    with pytest.raises(WindowError) as exc:
        parse_window("明日の9時から", tz="Asia/Tokyo", now=NOW)
    assert (exc.value.reason, exc.value.language) == ("no end", "ja")
    with pytest.raises(WindowError) as exc:
        parse_window("   ", tz="Asia/Tokyo", now=NOW, locale="ko-KR")
    assert (exc.value.reason, exc.value.language) == ("empty", "ko")


def test_thai_times_marked_with_na_are_24_hour_not_a_guess() -> None:
    window = parse_window("พรุ่งนี้ 10.00-12.00 น.", tz="Asia/Bangkok", now=NOW, locale="th-TH")
    assert (window.start.hour, window.end.hour, window.guesses) == (10, 12, ())


def test_hong_kong_chinese_keeps_month_day_but_the_preview_is_told_it_is_a_guess() -> None:
    window = parse_window("3/12 下午2時至4時", tz="Asia/Hong_Kong", now=NOW, locale="zh-TW")
    assert window.start.date() == date(2027, 3, 12)
    assert window.guesses == (NumericDate("3/12", date(2027, 3, 12), date(2026, 12, 3)),)


def test_indonesian_zone_names_are_fixed_offsets() -> None:
    jakarta = "Asia/Jakarta"
    assert parse_window("besok 09.00-11.00 WIB", tz=jakarta, now=NOW).start.hour == 9
    assert parse_window("besok 09.00-11.00 WITA", tz=jakarta, now=NOW).start.hour == 8  # UTC+8, seen from UTC+7
    assert parse_window("besok 09.00-11.00 WIT", tz=jakarta, now=NOW).start.hour == 7


def test_vietnamese_ngay_without_diacritics_is_never_read_as_now() -> None:
    for text in ("ngay", "ngay den 11h", "ngay 9h-11h"):
        with pytest.raises(WindowError):
            parse_window(text, tz="Asia/Ho_Chi_Minh", now=NOW, locale="vi-VN")
    assert parse_window("ngay mai 9h-11h", tz="Asia/Ho_Chi_Minh", now=NOW).start.day == 26
