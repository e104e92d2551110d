"""End to end: whatever fails after Slack was answered, the person still hears — never a silent button, never a
"Launching…" that stays."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from tests.fakes.ccc import Fault
from tests.harness import FORM, Stack, rows, start_stack, thread


def drop(product: Stack, table: str) -> None:
    """The database loses a table: every later read of it fails, as it would with the database gone."""
    with sqlite3.connect(product.database_url.removeprefix("sqlite:///")) as db:
        db.execute(f"DROP TABLE {table}")


def wait_response(product: Stack, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while len(product.slack.responses) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(product.slack.responses)


def test_a_launch_that_fails_after_launching_is_shown_does_not_stay_launching(fresh: Stack) -> None:
    preview = {**fresh.preview(FORM), "id": "V_LAUNCH"}
    drop(fresh, "drafts")
    answer = fresh.driver.submit(preview).json()
    assert answer["view"]["title"]["text"] == "Launching…"
    shown = fresh.slack.wait_for("views.update", view_id="V_LAUNCH")[-1].params["view"]
    assert "Something went wrong" in str(shown["blocks"])
    assert not fresh.ccc.creates()


def test_a_do_not_call_command_that_fails_is_answered(fresh: Stack) -> None:
    drop(fresh, "dnc_entries")
    assert fresh.driver.command("dnc check +8613012345670").status_code == 200
    answers = wait_response(fresh)
    assert answers and "Something went wrong" in answers[-1]["text"]


def launched(product: Stack, name: str) -> dict[str, Any]:
    product.driver.submit(product.preview({**FORM, "name": name}))
    thread(product)
    (campaign,) = rows(product, f"SELECT id, thread_ts FROM campaigns WHERE name = '{name}'")
    return campaign


def test_i_found_it_explains_a_form_slack_would_not_open(product: Stack) -> None:
    campaign = launched(product, "Found late")
    product.slack.errors["views.open"] = "expired_trigger_id"
    product.driver.press("campaign_found", str(campaign["id"]), message_ts=campaign["thread_ts"])
    answers = wait_response(product)
    assert answers and "did not let me open the form" in answers[-1]["text"]


def test_refresh_says_so_when_ccc_cannot_be_asked(product: Stack) -> None:
    campaign = launched(product, "Refresh in vain")
    product.slack.responses.clear()
    product.ccc.inject("DescribeAgentCruiseDialingCampaign", Fault(code="InternalError"))
    product.driver.press("campaign_refresh", str(campaign["id"]), message_ts=campaign["thread_ts"])
    answers = wait_response(product)
    assert answers and "CCC could not be asked" in answers[-1]["text"]


def test_a_do_not_call_upload_is_answered_in_time_while_slack_is_slow_to_name_the_admins(tmp_path: Path) -> None:
    product = start_stack(tmp_path, env={"DIALCAMPAIGN_DNC_ADMINS": "SDNC01"})
    try:
        product.slack.groups["SDNC01"] = ["U_SUP"]
        product.slack.rate_limited["usergroups.users.list"] = 1
        product.slack.retry_after["usergroups.users.list"] = 5
        form = {"type": "modal", "callback_id": "dialcampaign_dnc_upload", "id": "V_DNC",
                "private_metadata": json.dumps({"channel": "C_OPS"}), "blocks": []}
        started = time.monotonic()
        answer = product.driver.submit(form, {}).json()
        assert time.monotonic() - started < 3, "Slack gave up on the upload before it was answered"
        assert "slow" in json.dumps(answer)
    finally:
        product.close()
