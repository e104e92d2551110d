"""What a person typed cannot ping the channel or plant a link: escaped wherever it enters mrkdwn."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.fakes.ccc import Fault
from tests.harness import CREATE, FORM, Stack, rows, thread
from tests.test_e2e_numbers import submit_with_file

EVIL = "<!channel> <https://evil.example|Click>"
INERT = "&lt;!channel&gt; &lt;https://evil.example|Click&gt;"


def rendered(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def assert_inert(text: str) -> None:
    assert "<!channel>" not in text and "<https://evil" not in text, text
    assert INERT in text, text


def test_a_campaign_name_with_a_mention_and_a_link_stays_inert_everywhere(product: Stack) -> None:
    preview = product.preview({**FORM, "name": EVIL, "uui": "crm <!here> & co"})
    assert_inert(rendered(preview["blocks"]))
    assert "crm &lt;!here&gt; &amp; co" in rendered(preview["blocks"])

    product.driver.submit(preview)
    parent, reply = thread(product)
    for message in (parent, reply):
        assert_inert(message["text"])
        assert_inert(rendered(message["blocks"]))
    assert "CampaignId" in reply["text"]

    event = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
             "event_id": "Ev0002", "event_time": int(time.time()),
             "event": {"type": "app_home_opened", "user": "U_SUP", "channel": "D0001", "tab": "home"}}
    assert product.driver.post(json.dumps(event).encode(), "application/json").status_code == 200
    home = product.slack.wait_for("views.publish")[0].params["view"]
    assert_inert(rendered(home["blocks"]))


def test_a_failure_reply_escapes_the_name(product: Stack) -> None:
    product.ccc.inject(CREATE, Fault(code="InvalidParameterValue"))
    product.driver.submit(product.preview({**FORM, "name": EVIL}))
    _, reply = thread(product)
    assert_inert(reply["text"])
    assert ":x:" in reply["text"]


def test_rows_of_a_file_quoted_in_the_preview_or_a_field_error_are_escaped(product: Stack) -> None:
    preview = submit_with_file(product, "numbers.csv", b"phone\n13012345671\n<!channel>\n", {"callees": ""})
    assert "&lt;!channel&gt;" in rendered(preview["blocks"]) and "<!channel>" not in rendered(preview["blocks"])
    form = submit_with_file(product, "bad.csv", b"phone\n<https://evil.example|Click>\n", {"callees": ""})
    errors = rendered([b for b in form["blocks"] if b["type"] == "context"])
    assert "&lt;https://evil.example|Click&gt;" in errors and "<https://evil" not in errors


def test_stop_and_status_answers_keep_a_typed_name_inert(product: Stack) -> None:
    product.driver.submit(product.preview({**FORM, "name": EVIL}))
    thread(product)
    (campaign,) = rows(product, "SELECT id, thread_ts FROM campaigns ORDER BY id DESC LIMIT 1")
    product.slack.responses.clear()
    for _ in range(2):  # the second Stop answers that it was already stopped, naming the campaign
        product.driver.press("campaign_stop", str(campaign["id"]), message_ts=campaign["thread_ts"])
        time.sleep(0.5)
    product.driver.command(f"status no such {EVIL}")  # echoed back as typed, inert
    deadline = time.monotonic() + 10
    while len(product.slack.responses) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    texts = [r["text"] for r in product.slack.responses]
    assert len(texts) == 2 and "already stopped" in texts[0], texts
    for text in texts:
        assert_inert(text)
