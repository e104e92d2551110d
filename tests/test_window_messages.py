"""What a person reads about a window: errors in the language of the text (else the Slack locale) with examples that
work, the languages understood, and each guess said in words."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.campaign.draft import DraftInvalid, check_window
from bot.campaign.window import parse_window
from bot.campaign.window.messages import ERRORS, EXAMPLES, UNDERSTOOD, describe

NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")  # Wednesday
REASONS = ("empty", "unparseable", "no end", "end before start", "in the past")


@pytest.mark.parametrize("language", list(EXAMPLES))
def test_every_example_offered_is_a_window_the_parser_accepts(language: str) -> None:
    for example in EXAMPLES[language]:
        window = parse_window(example, tz="Asia/Shanghai", now=NOW)
        assert window.language == language, example
        assert window.end > window.start


@pytest.mark.parametrize("language", list(ERRORS))
def test_every_language_says_every_reason(language: str) -> None:
    assert set(ERRORS[language]) == set(REASONS)


def error_for(text: str, locale: str | None = None) -> str:
    with pytest.raises(DraftInvalid) as exc:
        check_window(text, tz="Asia/Tokyo", now=NOW, locale=locale)
    return exc.value.errors["window"]


def test_a_japanese_mistake_is_answered_in_japanese_with_japanese_examples() -> None:
    message = error_for("明日の9時から")
    assert "終了時刻がありません" in message
    assert "明日の9時から11時まで" in message


def test_an_unreadable_window_names_the_languages_understood_in_the_locale_language() -> None:
    message = error_for("whenever", locale="ko-KR")
    assert message.startswith("시간대로 읽을 수 없습니다")
    assert UNDERSTOOD in message


def test_the_text_wins_over_the_locale_for_the_error_language() -> None:
    assert error_for("mañana a las 9", locale="en-US").startswith("Falta la hora de fin")
    assert error_for("tomorrow 9am", locale="ja-JP").startswith("No end time")


def test_guesses_are_said_in_words_in_the_text_language() -> None:
    window = parse_window("friday 2-4", tz="Asia/Shanghai", now=NOW)
    assert describe(window.guesses, window.start, window.end, window.language) == [
        "Read as Fri, Nov 27 14:00–16:00: hours without am/pm are taken as business hours."]
    window = parse_window("02/03 09:00-12:00", tz="America/Sao_Paulo", now=NOW, locale="pt-BR")
    assert describe(window.guesses, window.start, window.end, window.language) == [
        "'02/03' lido como 2 de mar., não 3 de fev."]
    window = parse_window("明日の2時から4時", tz="Asia/Tokyo", now=NOW)
    assert "14:00–16:00" in describe(window.guesses, window.start, window.end, window.language)[0]
