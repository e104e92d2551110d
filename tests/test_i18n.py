"""The bot's languages: every message translated in every shipped catalog, compiled catalogs current, locales mapped,
the domain's lazy Texts said in each language (English exactly as before), and no English left in what a reader of
another language sees."""

from __future__ import annotations

import io
import pickle
import re
import string
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.campaign.launch import explain
from bot.campaign.policy import check_calling_hours, hours_message
from bot.campaign.ports import CccFailure
from bot.campaign.text import Moment, lazy, lazy_plural
from bot.campaign.window import parse_window, warm_up
from bot.i18n import LOCALES, TRANSLATED, from_slack_locale, parse_language, translator
from tests.english import english_runs

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy": None, "lazy_plural": (1, 2)}  # as README's `pybabel extract -k …`


def source_messages() -> set[str | tuple[str, str]]:
    """What pybabel extract finds in bot/ right now (not the committed .pot: a new string fails before extraction)."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=[("bot/**.py", "python")], keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalog(language: str):  # type: ignore[no-untyped-def]
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_in_the_code_has_a_translation_in_each_shipped_language(language: str) -> None:
    po = catalog(language)
    missing = []
    for message in sorted(source_messages(), key=str):
        entry = po.get(message if isinstance(message, str) else message[0])
        strings = [] if entry is None else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        if entry is None or entry.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(message)
    assert not missing, f"{language}: untranslated, fuzzy or empty (run pybabel extract/update, translate): {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder_and_no_other(language: str) -> None:
    wrong = []
    for entry in catalog(language):
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = set().union(*(fields(i) for i in ids))
        wrong += [(entry.id, s) for s in strings if s and fields(s) != wanted]
    assert not wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_mo_file_is_compiled_from_the_po_file(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language), use_fuzzy=False)
    shipped = (LOCALES / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == shipped, f"run: pybabel compile -d bot/i18n/locales -D messages ({language})"


def test_the_committed_template_lists_what_the_code_says() -> None:
    with (ROOT / "bot/i18n/messages.pot").open("rb") as pot:
        template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(pot) if m.id}
    assert template == source_messages(), "run pybabel extract (README, Develop → Translations)"


@pytest.mark.parametrize(("locale", "language"), [
    ("zh-CN", "zh_Hans"), ("zh-SG", "zh_Hans"), ("zh-TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("ja-JP", "ja"),
    ("en-US", "en"), ("en-GB", "en"), ("ko-KR", "en"), ("es-ES", "en"), ("", "en"), (None, "en")])
def test_slack_locales_map_to_a_shipped_language_or_english(locale: str | None, language: str) -> None:
    assert from_slack_locale(locale) == language


@pytest.mark.parametrize(("setting", "language"), [
    ("en", "en"), ("zh-Hans", "zh_Hans"), ("zh-hant", "zh_Hant"), ("ZH_HANS", "zh_Hans"), ("ja", "ja"),
    ("fr", None), ("zh", None)])
def test_the_workspace_language_setting(setting: str, language: str | None) -> None:
    assert parse_language(setting) == language


def test_a_domain_sentence_is_its_english_and_is_said_again_in_each_language() -> None:
    text = lazy_plural("{n} entry is not a phone number: {shown}.", "{n} entries are not a phone number: {shown}.",
                       2, shown=[lazy("'{text}' ({where})", text="12345", where=lazy("line {n}", n=2)), "x"])
    assert text == "2 entries are not a phone number: '12345' (line 2), x."
    assert pickle.loads(pickle.dumps(text)).msgid == text.msgid  # a process pool keeps the message
    assert translator("zh_Hans").render(text) == "有 2 项不是电话号码：“12345”（第 2 行），x。"
    assert translator("ja").render(text) == "電話番号ではない項目が 2 件あります：「12345」（2 行目）、x。"
    assert translator("en").render(text) == text


def test_ccc_errors_are_explained_in_each_language_with_cccs_own_words_quoted() -> None:
    outcome = explain(CccFailure("invalid", "Callees is invalid", code="InvalidParameterValue", request_id="r-1"))
    assert outcome.summary == "CCC refused the campaign's details. Nothing was created. CCC said: Callees is invalid"
    said = translator("zh_Hans").render(outcome.summary)
    assert said == "CCC 拒绝了任务参数。任务未创建。CCC 返回：Callees is invalid"
    assert translator("zh_Hant").render(outcome.summary).startswith("CCC 拒絕了任務參數。任務未建立。")
    assert "キャンペーンは作成されていません" in translator("ja").render(outcome.summary)


def test_calling_hours_say_weekdays_and_counts_the_readers_way() -> None:
    start = datetime(2026, 11, 26, 17, 0, tzinfo=ZoneInfo("America/Los_Angeles"))  # 09:00 in Shanghai
    hours = (time(8), time(21))
    check = check_calling_hours(["+8613012345670", "+8613012345671", "+12125550100"], start,
                                start + timedelta(hours=2), hours)
    message = hours_message(check, hours, "America/Los_Angeles")
    assert "1 number in America/New_York would ring at Thu 20:00–22:00 local time" in message
    assert "1 个号码将在当地时间 周四 20:00–22:00 响铃" in translator("zh_Hans").render(message)
    assert "1 件の番号は現地時間 木曜日 20:00–22:00 に着信します" in translator("ja").render(message)


def test_counts_and_durations_use_babels_locale_data_and_english_stays_as_it_was() -> None:
    assert translator("en").duration(timedelta(hours=2, minutes=30)) == "2 h 30 min"
    assert translator("zh_Hans").duration(timedelta(hours=2, minutes=30)) == "2小时30分钟"
    assert translator("zh_Hant").duration(timedelta(hours=2, minutes=30)) == "2 小時 30 分鐘"
    assert translator("ja").duration(timedelta(minutes=45)) == "45 分"
    assert translator("en").number(12345) == "12345" and translator("ja").number(12345) == "12,345"
    removed = translator("zh_Hant").ngettext("{n} duplicate removed", "{n} duplicates removed", 1200)
    assert removed == "已移除 1,200 個重複號碼"
    moment = Moment(datetime(2026, 11, 26, 9, 5, tzinfo=UTC), dated=True)
    assert moment == "Thu 2026-11-26 09:05"
    assert translator("ja").moment(moment.at, dated=True) == "2026-11-26（木）09:05"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_window_example_in_each_language_is_one_the_parser_reads(language: str) -> None:
    warm_up()
    tr = translator(language)
    example = tr.gettext("e.g. tomorrow 9am to 11:30am").split("：", 1)[-1]
    window = parse_window(example, tz="Asia/Shanghai", now=datetime(2026, 11, 25, 8, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert window.start.hour == 9 and window.start.day == 26


def test_the_english_checker_finds_sentences_and_spares_ids_names_and_codes() -> None:
    assert english_runs("This preview has expired. Run /dialcampaign again.") == ["This preview has"]
    assert english_runs("*续约* 已在 CCC 中创建——CampaignId *1001*。RequestId `abc-def`, agent@example.com") == []
    assert english_runs("<!date^1^{date_short_pretty} {time}|2026-11-26 09:00 UTC> :white_check_mark:") == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_bold_in_translations_is_set_off_as_slack_needs_to_see_it(language: str) -> None:
    """Slack's mrkdwn reads *bold* only when a space (or ASCII punctuation, or the text's edge) is outside each
    asterisk; CJK text runs straight into it otherwise."""
    touching = []
    for entry in catalog(language):
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        for text in strings:
            for bold in re.finditer(r"\*[^*\n]+\*", text or ""):
                before = text[bold.start() - 1] if bold.start() else " "
                after = text[bold.end()] if bold.end() < len(text) else " "
                if any(not c.isspace() and (c.isalnum() or ord(c) > 127) for c in (before, after)):
                    touching.append(text)
    assert not touching
