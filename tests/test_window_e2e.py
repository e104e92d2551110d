"""End to end: windows in the supervisor's own language through the real app (Procfile web line) and the fakes —
the preview says how the window was read, a Japanese window launches, a mistake is answered in its language."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from tests.harness import FORM, Stack


def preview_text(view: dict[str, object]) -> str:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    return "\n".join(str(b["text"]["text"]) for b in blocks if b.get("type") == "section")


def test_friday_2_4_preview_says_it_was_read_as_business_hours(product: Stack) -> None:
    product.slack.users["U_SH"] = {"tz": "Asia/Shanghai", "locale": "en-US"}
    view = product.preview({**FORM, "window": "friday 2-4"}, user="U_SH")
    text = preview_text(view)
    assert "Read as Fri, " in text and "14:00–16:00" in text, text
    assert "hours without am/pm are taken as business hours" in text


def test_a_japanese_window_is_accepted_and_launched_as_typed(product: Stack) -> None:
    product.slack.users["U_TK"] = {"tz": "Asia/Tokyo", "locale": "ja-JP"}
    preview = product.preview({**FORM, "window": "明日の午前10時から12時まで"}, user="U_TK")
    assert ":mag:" not in preview_text(preview)  # 午前 marks the hours: nothing was guessed
    assert product.driver.submit(preview, user="U_TK").status_code == 200
    product.slack.wait_for("chat.postMessage", 2)
    (create,) = product.ccc.creates()
    tokyo = ZoneInfo("Asia/Tokyo")
    tomorrow = datetime.now(tokyo).date() + timedelta(days=1)
    assert create.params["StartTime"] == int(datetime.combine(tomorrow, clock(10), tokyo).timestamp())
    assert create.params["EndTime"] == int(datetime.combine(tomorrow, clock(12), tokyo).timestamp())


def test_a_window_mistake_is_answered_in_the_language_it_was_typed_in(product: Stack) -> None:
    product.slack.users["U_TK"] = {"tz": "Asia/Tokyo", "locale": "ja-JP"}
    response = product.driver.submit(product.open_form(user="U_TK"), {**FORM, "window": "明日の10時から"}, user="U_TK")
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]["window"].startswith("終了時刻がありません")
    assert not product.ccc.creates()
