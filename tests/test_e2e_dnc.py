"""End to end: the do-not-call list managed from Slack, and the scrub before Launch (do-not-call, frequency cap,
blocked regions) — through the real app, the fake Slack and the fake CCC."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness import FORM, Stack, start_stack
from tests.test_e2e_confirm import rows

ADMIN, SUP, OUTSIDER = "UADMIN1", "USUP01", "UOUT01"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Launchers: the supervisor and the admin; only the admin may change the list; one campaign a day per number
    (so two launches show the cap). Each test uses numbers of its own."""
    product = start_stack(tmp_path_factory.mktemp("dnc"), env={
        "DIALCAMPAIGN_LAUNCHERS": f"{SUP},{ADMIN}", "DIALCAMPAIGN_DNC_ADMINS": ADMIN,
        "DIALCAMPAIGN_MAX_CALLS_PER_DAY": "1"},
        users={u: {"tz": "America/Los_Angeles"} for u in (ADMIN, SUP, OUTSIDER)})
    yield product
    product.close()


def answer(product: Stack, text: str, user: str = ADMIN) -> dict[str, Any]:
    """Run `/dialcampaign <text>` and return the ephemeral answer that arrives at the response_url."""
    before = len(product.slack.responses)
    response = product.driver.command(text, user=user)
    assert response.status_code == 200, response.text
    deadline = time.monotonic() + 10
    while len(product.slack.responses) <= before:
        assert time.monotonic() < deadline, "no answer at the response_url"
        time.sleep(0.02)
    reply = product.slack.responses[before]
    assert reply.get("response_type") == "ephemeral", reply
    return reply


def said(reply: dict[str, Any]) -> str:
    return json.dumps([reply.get("text"), reply.get("blocks")], ensure_ascii=False)


def preview_of(product: Stack, callees: str, name: str = "Renewals") -> dict[str, Any]:
    return product.preview({**FORM, "name": name, "callees": callees}, user=SUP)


def launch(product: Stack, preview: dict[str, Any]) -> list[dict[str, Any]]:
    """Press Launch; the thread's messages once the outcome is in."""
    assert product.driver.submit(preview, user=SUP).json()["view"]["title"]["text"] == "Launching…"
    deadline = time.monotonic() + 10
    while not any("CampaignId" in c.params.get("text", "") or "not created" in c.params.get("text", "")
                  for c in product.slack.of("chat.postMessage")):
        assert time.monotonic() < deadline, product.slack.of("chat.postMessage")
        time.sleep(0.02)
    return [c.params for c in product.slack.of("chat.postMessage")]


def compliance(preview: dict[str, Any]) -> str:
    return str(next(b["text"]["text"] for b in preview["blocks"]
                    if "*Compliance:*" in b.get("text", {}).get("text", "")))


def test_a_listed_number_is_removed_from_the_preview_with_the_reason_and_never_sent(product: Stack) -> None:
    reply = answer(product, "dnc add 13012345610 asked us <never> to call")
    assert "1 number on the do-not-call list (asked us &lt;never&gt; to call): +8613012345610" in reply["text"]
    preview = preview_of(product, "13012345610\n13012345611\n13012345612")
    text = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "*Numbers to call:* 2" in text
    assert "Do-not-call list: 1 number removed, on the do-not-call list (+861*******610)" in compliance(preview)
    assert "Frequency cap: 0 removed" in compliance(preview) and "Blocked regions: 0 removed" in compliance(preview)
    launch(product, preview)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345611", "+8613012345612"]
    (event,) = rows(product.database_url, "SELECT detail FROM audit_events WHERE action = 'launch' ORDER BY id DESC "
                                          "LIMIT 1")
    removed = json.loads(event["detail"])["parameters"]["removed"]
    assert removed == {"dnc": {"count": 1, "numbers": ["+861*******610"]}}


def test_a_number_added_between_preview_and_launch_is_not_sent(product: Stack) -> None:
    preview = preview_of(product, "13012345620\n13012345621\n13012345622")
    assert "*Numbers to call:* 3" in json.dumps(preview["blocks"])
    answer(product, "dnc add 13012345621 called the office")
    messages = launch(product, preview)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345620", "+8613012345622"]
    assert "CampaignId" in messages[-1]["text"]
    (told,) = [c.params for c in product.slack.of("chat.postEphemeral") if "after the preview" in c.params["text"]]
    assert told["user"] == SUP
    assert "1 number put on the do-not-call list after the preview was removed before sending (+861*******621)" \
        in told["text"]
    (record,) = rows(product.database_url, "SELECT id, callees FROM campaigns ORDER BY id DESC LIMIT 1")
    assert json.loads(record["callees"]) == ["+8613012345620", "+8613012345622"]  # the record says what was sent
    (event,) = rows(product.database_url, f"SELECT detail FROM audit_events WHERE campaign_ref = {record['id']} "
                                          "AND action = 'dnc_removed'")
    assert json.loads(event["detail"]) == {"count": 1, "numbers": ["+861*******621"]}


def test_when_every_number_was_listed_after_the_preview_nothing_is_sent(product: Stack) -> None:
    preview = preview_of(product, "13012345625", name="Too late")
    answer(product, "dnc add 13012345625")
    messages = launch(product, preview)
    assert product.ccc.creates() == []
    assert "Nothing was sent to CCC: every number was put on the do-not-call list after the preview" in \
        messages[-1]["text"]


def test_when_every_number_is_removed_nothing_can_be_launched_and_the_field_says_why(product: Stack) -> None:
    answer(product, "dnc add 13012345630")
    response = product.driver.submit(product.open_form(user=SUP), {**FORM, "callees": "13012345630\n13999123456"},
                                     user=SUP)
    errors = response.json()["errors"]
    assert errors["callees"] == ("Nothing can be launched: every number was removed — 1 number on the do-not-call "
                                 "list; 1 number registered in a blocked region.")


def test_a_number_in_xinjiang_is_removed_as_a_blocked_region(product: Stack) -> None:
    preview = preview_of(product, "13999123456\n13012345640")  # 139 9912: Urumqi, by phonenumbers' geocoder
    assert "Blocked regions: 1 number removed, registered in a blocked region (+861*******456)" in compliance(preview)
    launch(product, preview)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345640"]


def test_the_frequency_cap_counts_campaigns_across_launches(product: Stack) -> None:
    launch(product, preview_of(product, "13012345650\n13012345651", name="First"))
    product.reset()
    second = preview_of(product, "13012345651\n13012345652", name="Second")
    assert "Frequency cap: 1 number removed, already in 1 campaigns within 24 hours" in compliance(second)
    launch(product, second)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345652"]


def test_listing_a_number_of_a_running_campaign_names_it_and_offers_its_stop(product: Stack) -> None:
    launch(product, preview_of(product, "13012345660\n13012345661", name="Running one"))
    (campaign,) = rows(product.database_url, "SELECT id FROM campaigns WHERE name = 'Running one'")
    reply = answer(product, "dnc add 13012345661")
    assert "*Running one*" in said(reply) and "+861*******661" in said(reply)
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    (stop,) = buttons
    assert {k: stop[k] for k in ("type", "action_id", "value", "style", "text")} == {
        "type": "button", "action_id": "campaign_stop", "value": str(campaign["id"]), "style": "danger",
        "text": {"type": "plain_text", "text": "Stop Running one", "emoji": True}}
    assert "*Running one*" in stop["confirm"]["text"]["text"]  # Slack asks before anything is stopped
    checked = answer(product, "dnc check +86 130 1234 5661", user=SUP)  # launchers may check
    assert "+8613012345661 is on the do-not-call list" in checked["text"] and "campaign_stop" in said(checked)


def test_only_admins_change_the_list_and_refusals_are_audited(product: Stack) -> None:
    reply = answer(product, "dnc add 13012345670 spam", user=SUP)
    assert "Only the do-not-call admins" in reply["text"] and f"<@{ADMIN}>" in reply["text"]
    assert "is not on the do-not-call list" in answer(product, "dnc check 13012345670", user=SUP)["text"]
    outsider = answer(product, "dnc check 13012345670", user=OUTSIDER)
    assert "Only people allowed to launch campaigns may check" in outsider["text"]
    denied = rows(product.database_url, "SELECT user_id, detail FROM audit_events WHERE action = 'denied' "
                                        f"AND user_id IN ('{SUP}', '{OUTSIDER}') ORDER BY id")
    assert [(d["user_id"], json.loads(d["detail"])["command"]) for d in denied] == [
        (SUP, "dnc add"), (OUTSIDER, "dnc check")]


def test_removing_a_number_lets_campaigns_call_it_again_and_is_audited(product: Stack) -> None:
    answer(product, "dnc add 13012345680 wrong number")
    assert "Taken off the do-not-call list: +8613012345680" in answer(product, "dnc remove 13012345680")["text"]
    preview = preview_of(product, "13012345680")
    assert "*Numbers to call:* 1" in json.dumps(preview["blocks"])
    actions = [r["action"] for r in rows(product.database_url, "SELECT action FROM audit_events WHERE user_id = "
                                         f"'{ADMIN}' AND detail LIKE '%13012345680%' ORDER BY id")]
    assert actions == ["dnc_add", "dnc_remove"]


def test_a_csv_uploaded_through_the_modal_goes_on_the_list(product: Stack) -> None:
    answer_before = len(product.slack.of("views.open"))
    assert product.driver.command("dnc upload", user=ADMIN).status_code == 200
    form = product.slack.wait_for("views.open", answer_before + 1)[-1].params["view"]
    assert form["callback_id"] == "dialcampaign_dnc_upload"
    form["id"] = "V_DNC"
    csv = "手机号码,原因,有效期\n13012345690,投诉,2099-12-31\n13012345691,,\noops,,\n".encode()
    uploaded = product.slack.upload("dnc.csv", csv)
    before = len(product.slack.of("views.update"))
    response = product.driver.submit(form, {"dnc_file": [uploaded], "dnc_reason": "complaint list"}, user=ADMIN)
    assert response.json()["response_action"] == "update"
    outcome = product.slack.wait_for("views.update", before + 1)[-1].params
    assert outcome["view_id"] == "V_DNC"
    text = json.dumps(outcome["view"], ensure_ascii=False)
    assert "2 numbers from the file on the do-not-call list" in text and "1 row skipped: row 4" in text
    first = answer(product, "dnc check 13012345690")["text"]
    assert "投诉" in first and "until" in first
    assert "complaint list" in answer(product, "dnc check 13012345691")["text"]
    preview = preview_of(product, "13012345690\n13012345691\n13012345692")
    assert "Do-not-call list: 2 numbers removed" in compliance(preview)


def test_a_non_admin_upload_is_refused(product: Stack) -> None:
    uploaded = product.slack.upload("dnc.csv", b"phone\n13012345699\n")
    form = {"type": "modal", "callback_id": "dialcampaign_dnc_upload", "id": "V1",
            "private_metadata": json.dumps({"channel": "C_OPS"}), "blocks": []}
    response = product.driver.submit(form, {}, user=SUP)
    assert "Only the do-not-call admins" in json.dumps(response.json())
    assert "is not on the do-not-call list" in answer(product, "dnc check 13012345699")["text"]
    assert uploaded


def test_dnc_without_a_known_word_explains_itself(product: Stack) -> None:
    assert "dnc add <numbers…> [reason]" in answer(product, "dnc")["text"]


def test_two_previews_launched_one_after_the_other_never_pass_the_cap_together(product: Stack) -> None:
    """Both previews were made while the numbers were free; the second Launch's re-check sees the first launch."""
    first = preview_of(product, "13012345710\n13012345711", name="Morning")
    second = preview_of(product, "13012345710\n13012345711\n13012345712", name="Evening")
    assert "Frequency cap: 0 removed" in compliance(first) and "Frequency cap: 0 removed" in compliance(second)
    launch(product, first)
    product.reset()
    messages = launch(product, second)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345712"]  # the only number still under the cap of 1 a day
    assert "CampaignId" in messages[-1]["text"]
    (told,) = [c.params for c in product.slack.of("chat.postEphemeral") if "since the preview" in c.params["text"]]
    assert told["user"] == SUP
    assert ("2 numbers already in 1 campaigns within 24 hours through launches since the preview (at most 1 calls a "
            "day per number) were removed before sending (+861*******710, +861*******711)") in told["text"]
    (record,) = rows(product.database_url, "SELECT id, callees FROM campaigns WHERE name = 'Evening'")
    assert json.loads(record["callees"]) == ["+8613012345712"]
    (event,) = rows(product.database_url, f"SELECT detail FROM audit_events WHERE campaign_ref = {record['id']} "
                                          "AND action = 'frequency_removed'")
    assert json.loads(event["detail"]) == {"count": 2, "numbers": ["+861*******710", "+861*******711"], "cap": 1}
