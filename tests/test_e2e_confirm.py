"""Preview and confirm, never twice, the audit trail, who may launch, and shutdown — through the real app."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import new_postgres_database, postgres_server
from tests.fakes.ccc import Fault
from tests.harness import CREATE, FORM, AppProcess, Stack, start_stack, thread


def rows(database_url: str, sql: str) -> list[dict[str, Any]]:
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.connect() as conn:
        result = [dict(r._mapping) for r in conn.execute(text(sql))]
    engine.dispose()
    return result


def test_the_preview_shows_exactly_what_will_happen_and_sends_nothing(product: Stack) -> None:
    preview = product.preview(FORM)
    text_ = json.dumps(preview["blocks"], ensure_ascii=False)
    for expected in ("Renewals 续约", "agent@example.com", "<!date^", "(America/Los_Angeles)", "runs 2 h 30 min",
                     "*Numbers to call:* 3 (1 duplicate removed)",
                     "0086075586013388, 008602088881234", "Random order", "*Concurrent calls:* 3",
                     "1 concurrent channel by default", "crm:4711"):
        assert expected in text_, expected
    assert preview["submit"]["text"] == "Launch"
    assert len(preview["private_metadata"]) < 3000
    assert not product.ccc.creates() and not product.slack.of("chat.postMessage")


def test_back_returns_to_the_form_exactly_as_it_was_filled(product: Stack) -> None:
    preview = product.preview(FORM)
    preview["id"] = "V_PREVIEW"
    assert product.driver.click(preview, "dialcampaign_back").status_code == 200
    form = product.slack.wait_for("views.update")[0].params["view"]
    def value(element: dict[str, Any]) -> Any:
        if "initial_options" in element:
            return [o["value"] for o in element["initial_options"]]
        return element.get("initial_value") or element.get("initial_option", {}).get("value")

    values = {b["block_id"]: value(b["element"]) for b in form["blocks"] if b["type"] == "input"}
    assert values == {**FORM, "callees_file": None}
    assert form["callback_id"] == "dialcampaign_form"
    assert not product.ccc.creates()


def test_the_same_preview_confirmed_three_times_at_once_creates_one_campaign(product: Stack) -> None:
    preview = product.preview(FORM)
    with ThreadPoolExecutor(3) as pool:
        responses = list(pool.map(lambda _: product.driver.submit(preview), range(3)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    thread(product)
    # The thread's reply comes after the one Create, each note after a lost claim: all three launches are over.
    notes = product.slack.wait_for("chat.postEphemeral", 2)
    assert all("already launched" in n.params["text"] for n in notes)
    assert len(product.ccc.creates()) == 1 and len(product.ccc.campaigns) == 1


def test_every_attempt_is_on_the_audit_trail(product: Stack) -> None:
    product.ccc.inject(CREATE, Fault(code="InvalidParameterValue"))
    launch_preview = product.preview(FORM)
    product.driver.submit(launch_preview)
    thread(product)
    (record,) = rows(product.database_url, "SELECT * FROM campaigns ORDER BY id DESC LIMIT 1")
    assert record["status"] == "failed" and record["error_code"] == "InvalidParameterValue" and record["request_id"]
    assert json.loads(record["callees"]) == ["+8613012345670", "+8613012345671", "+8613012345672"]
    assert record["thread_ts"]
    events = rows(product.database_url, f"SELECT * FROM audit_events WHERE campaign_ref = {record['id']} ORDER BY id")
    assert [e["action"] for e in events] == ["launch", "failed"]
    assert {(e["team_id"], e["user_id"], e["channel_id"]) for e in events} == {("T0001", "U_SUP", "C_OPS")}
    parameters = json.loads(events[0]["detail"])["parameters"]
    assert parameters["agent"] == "agent@example.com" and parameters["callee_count"] == 3
    assert "13012345670" not in events[0]["detail"]  # numbers are masked in the trail's detail
    assert events[1]["request_id"] == record["request_id"]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    product = start_stack(tmp_path_factory.mktemp("guarded"), env={
        "DIALCAMPAIGN_LAUNCHERS": "UBOSS01,SLEADS01", "DIALCAMPAIGN_CHANNELS": "COPS01"},
        users={u: {"tz": "America/Los_Angeles"} for u in ("U_SUP", "UBOSS01", "ULEAD01")})
    product.slack.groups["SLEADS01"] = ["ULEAD01", "UOTHER01"]
    yield product
    product.close()


@pytest.mark.parametrize(("user", "channel", "allowed"), [
    ("UBOSS01", "COPS01", True), ("ULEAD01", "COPS01", True), ("U_SUP", "COPS01", False),
    ("UBOSS01", "CRANDOM01", False),
])
def test_only_launchers_get_the_form(guarded: Stack, user: str, channel: str, allowed: bool) -> None:
    guarded.reset()
    assert guarded.driver.command(user=user, channel=channel).status_code == 200
    if allowed:
        guarded.slack.wait_for("views.open")
        return
    deadline = time.monotonic() + 5
    while not guarded.slack.responses and time.monotonic() < deadline:
        time.sleep(0.02)
    (answer,) = guarded.slack.responses
    assert answer["response_type"] == "ephemeral"
    if channel == "COPS01":
        assert "not allowed" in answer["text"] and "<@UBOSS01>" in answer["text"] and "SLEADS01" in answer["text"]
    else:
        assert "<#COPS01>" in answer["text"]
    assert not guarded.slack.of("views.open")
    denied = rows(guarded.database_url,
                  f"SELECT * FROM audit_events WHERE user_id = '{user}' AND action = 'denied'")
    assert denied and denied[-1]["channel_id"] == channel


def wait_for_create(product: Stack) -> None:
    deadline = time.monotonic() + 10
    while not product.ccc.creates():
        assert time.monotonic() < deadline, "CCC never received the Create"
        time.sleep(0.02)


def test_a_process_killed_mid_submit_leaves_an_unknown_record(fresh: Stack) -> None:
    release = threading.Event()
    fresh.ccc.inject(CREATE, Fault(hold=release))
    fresh.driver.submit(fresh.preview(FORM))
    wait_for_create(fresh)
    fresh.app.stop(signal.SIGKILL)
    release.set()  # CCC answers a process that is gone
    (record,) = rows(fresh.database_url, "SELECT * FROM campaigns")
    assert record["status"] == "unknown" and record["campaign_id"] is None


def test_sigterm_lets_an_in_flight_submission_finish(fresh: Stack) -> None:
    release = threading.Event()
    fresh.ccc.inject(CREATE, Fault(hold=release))  # CCC answers once the process is already stopping
    fresh.driver.submit(fresh.preview(FORM))
    wait_for_create(fresh)
    started = time.monotonic()
    fresh.app.proc.send_signal(signal.SIGTERM)  # uvicorn re-raises the signal after its graceful shutdown
    deadline = time.monotonic() + 10
    while "waiting for 1 in-flight submission" not in fresh.app.output():
        assert time.monotonic() < deadline and fresh.app.proc.poll() is None, fresh.app.output()
        time.sleep(0.02)
    release.set()
    fresh.app.proc.wait(10)
    fresh.app.stop()  # already stopped: no second signal
    assert "waiting for 1 in-flight submission" in fresh.app.output()
    assert time.monotonic() - started < 10
    (record,) = rows(fresh.database_url, "SELECT * FROM campaigns")
    assert record["status"] == "created" and record["campaign_id"] in fresh.ccc.campaigns
    assert any("CampaignId" in c.params.get("text", "") for c in fresh.slack.of("chat.postMessage"))


def test_two_replicas_on_one_postgres_database_create_once(tmp_path: Path) -> None:
    if not postgres_server():
        pytest.skip("DIALCAMPAIGN_TEST_POSTGRES not set (.ci/run sets it and requires the server)")
    product = start_stack(tmp_path, database_url=new_postgres_database())
    second = AppProcess(product.env, tmp_path).wait_ready()
    try:
        preview = product.preview(FORM)  # drafted on the first replica, confirmed on both
        second_driver = type(product.driver)(second.url, product.driver.response_base)
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda d: d.submit(preview), [product.driver, second_driver] * 2))
        assert all(r.status_code == 200 for r in results)
        thread(product)
        # Three lost claims, three notes: every submission has finished, so no Create can still come.
        notes = product.slack.wait_for("chat.postEphemeral", 3)
        assert all("already launched" in n.params["text"] for n in notes)
        assert len(product.ccc.creates()) == 1
        assert len(rows(product.database_url, "SELECT * FROM campaigns")) == 1
    finally:
        second.stop()
        product.close()

def test_the_home_tab_lists_my_campaigns_with_their_state_and_stop(product: Stack) -> None:
    product.driver.submit(product.preview({**FORM, "name": "Home tab check"}))
    thread(product)
    event = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
             "event_id": "Ev0001", "event_time": int(time.time()),
             "event": {"type": "app_home_opened", "user": "U_SUP", "channel": "D0001", "tab": "home"}}
    response = product.driver.post(json.dumps(event).encode(), "application/json")
    assert response.status_code == 200
    published = product.slack.wait_for("views.publish")[0].params
    assert published["user_id"] == "U_SUP"
    text = json.dumps(published["view"]["blocks"], ensure_ascii=False)
    (campaign_id,) = product.ccc.campaigns
    assert f"*Home tab check* · CampaignId {campaign_id} · <@U_SUP> in <#C_OPS>" in text
    assert "*Scheduled* — starts by itself" in text
    blocks = published["view"]["blocks"]
    assert any(e.get("action_id") == "dialcampaign_new" for b in blocks for e in b.get("elements", []))
    (mine,) = [b for b in blocks if "Home tab check" in json.dumps(b, ensure_ascii=False)]
    assert mine["accessory"]["action_id"] == "campaign_stop" and mine["accessory"]["style"] == "danger"


def test_a_store_failure_at_launch_is_told_to_the_requester_and_nothing_is_sent(product: Stack) -> None:
    preview = product.preview(FORM)

    def rename(old: str, new: str) -> None:
        engine = create_engine(product.database_url)
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
        engine.dispose()

    rename("campaigns", "campaigns_gone")  # the database loses the table between preview and Launch
    try:
        assert product.driver.submit(preview).status_code == 200
        (note,) = product.slack.wait_for("chat.postEphemeral")
    finally:
        rename("campaigns_gone", "campaigns")  # the module's other tests share this app and database
    assert "Something went wrong on the bot's side" in note.params["text"]
    assert "nothing was sent to CCC" in note.params["text"]
    assert not product.ccc.creates()


def test_an_identical_second_launch_is_flagged_in_the_preview(product: Stack) -> None:
    product.driver.submit(product.preview(FORM))
    thread(product)
    (campaign_id,) = product.ccc.campaigns
    again = product.preview({**FORM, "name": "Same people, new name"})
    warnings = json.dumps([b for b in again["blocks"] if b["type"] == "context"], ensure_ascii=False)
    assert f"<@U_SUP> already launched an identical campaign (*Renewals 续约*, CampaignId {campaign_id})" in warnings
    assert "calls the same people twice" in warnings
    different = product.preview({**FORM, "window": "tomorrow 5pm to 6pm"})
    assert "identical campaign" not in json.dumps(different["blocks"])
