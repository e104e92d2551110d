"""End to end with no Tencent variables: the real app runs against its built-in CCC sandbox, says so everywhere a
person looks, and keeps what it "created" across a restart. Nothing reaches the fake CCC."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.sandbox import sandbox_client
from bot.slack.label import LABEL
from bot.store.repository import Store
from tests import forks
from tests.fakes.server import LoopbackServer
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.fakes.socket_mode import FakeSocketMode
from tests.harness import FORM, ROOT, AppProcess, Stack, clean_env, start_stack, thread

SANDBOX_FORM = {**FORM, "agent": "ada@sandbox.example", "callers": ["0086075586013388", "008602088881234"]}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = start_stack(tmp_path_factory.mktemp("sandbox"), sandbox=True)
    yield stack
    stack.close()


def labelled(message: dict[str, Any]) -> bool:
    blocks = message.get("blocks") or []
    return LABEL in str(message.get("text", "")) and any(LABEL in str(b) for b in blocks[:1])


def test_health_and_start_up_say_sandbox(sandbox: Stack) -> None:
    answer = httpx.get(f"{sandbox.app.url}/healthz", timeout=5, trust_env=False)
    assert answer.status_code == 200 and answer.json() == {"ok": True, "ccc": "sandbox"}
    assert f"CCC sandbox: {LABEL}" in sandbox.app.output()


def test_every_modal_title_and_body_carry_the_label(sandbox: Stack) -> None:
    form = sandbox.open_form()
    assert form["title"]["text"].startswith("Sandbox") and len(form["title"]["text"]) <= 24
    assert LABEL in str(form["blocks"][0])
    preview = sandbox.preview(SANDBOX_FORM)
    assert preview["title"]["text"].startswith("Sandbox") and len(preview["title"]["text"]) <= 24
    assert LABEL in str(preview["blocks"][0])
    assert not sandbox.slack.violations


def test_a_launch_shows_a_campaign_id_and_the_label_and_survives_a_restart(sandbox: Stack, tmp_path: Path) -> None:
    sandbox.reset()
    preview = sandbox.preview(SANDBOX_FORM)
    response = sandbox.driver.submit(preview)
    assert response.status_code == 200 and response.json()["view"]["title"]["text"] == "Sandbox · Launching…"
    parent, reply = thread(sandbox)
    assert labelled(parent) and labelled(reply)
    match = re.search(r"CampaignId\D{0,20}(\d+)", str(reply))
    assert match, reply
    assert sandbox.ccc.received == []  # the real (fake) CCC never heard of it

    sandbox.app.stop()
    sandbox.app = AppProcess(sandbox.env, tmp_path).wait_ready()  # same database, new process
    sandbox.driver.app_url = sandbox.app.url

    async def describe() -> tuple[str, int]:
        store = Store(sandbox.database_url)
        client = sandbox_client(store.engine, lambda: datetime.now(UTC))
        try:
            state = await client.describe_cruise_campaign(int(match.group(1)))
        finally:
            await client.aclose()
            store.close()
        return state.name, state.total

    assert asyncio.run(describe()) == ("Renewals 续约", 3)
    sandbox.reset()
    sandbox.open_form()  # the restarted app still labels what it shows
    assert sandbox.slack.of("views.open")[-1].params["view"]["title"]["text"].startswith("Sandbox")


def test_answers_through_ack_and_response_url_carry_the_label_too(sandbox: Stack) -> None:
    help_answer = sandbox.driver.command("help")
    assert help_answer.status_code == 200 and help_answer.json()["text"].startswith(f"_{LABEL}_")
    sandbox.reset()
    sandbox.slack.errors["views.open"] = "expired_trigger_id"  # the form cannot open: the answer goes to response_url
    assert sandbox.driver.command("").status_code == 200
    deadline = time.monotonic() + 10
    while not sandbox.slack.responses and time.monotonic() < deadline:
        time.sleep(0.02)
    answers = list(sandbox.slack.responses)
    sandbox.reset()
    (answer,) = answers
    assert "run /dialcampaign again" in answer["text"] and answer["text"].startswith(f"_{LABEL}_"), answer


def test_the_home_tab_carries_the_label(sandbox: Stack) -> None:
    sandbox.reset()
    event = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
             "event_id": "Ev0002", "event_time": int(time.time()),
             "event": {"type": "app_home_opened", "user": "U_SUP", "channel": "D0001", "tab": "home"}}
    assert sandbox.driver.post(json.dumps(event).encode(), "application/json").status_code == 200
    home = sandbox.slack.wait_for("views.publish")[0].params["view"]
    assert LABEL in str(home["blocks"][0]) and not sandbox.slack.violations

def test_the_five_minute_try_runs_on_nothing_but_the_two_slack_tokens(tmp_path: Path) -> None:
    """README's third command: Socket Mode, the sandbox and SQLite in the working directory, no other variable."""
    socket = FakeSocketMode().start()
    slack = FakeSlack(users={"U_SUP": {"tz": "Asia/Shanghai"}}, socket_url=socket.url)
    server = LoopbackServer(slack.app()).start()
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
           "SLACK_API_URL": f"{server.url}/api/",  # the one stand-in: Slack itself is out of reach here
           "PYTHONPATH": str(ROOT)}
    log = tmp_path / "bot.log"  # stdout and stderr, as the platform's log would show them
    app = forks.zygote().start([], {**clean_env(), **env}, tmp_path, log)
    try:
        assert socket.connected.wait(30), "no Socket Mode connection"
        socket.push({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": {"command": "/dialcampaign", "text": "help", "user_id": "U_SUP",
                                 "channel_id": "C_OPS", "team_id": "T0001", "trigger_id": "1.2",
                                 "response_url": f"{server.url}/response/x", "api_app_id": "A0001"}})
        assert socket.wait_ack("env-1")["payload"]["text"].startswith(f"_{LABEL}_")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(30)
        output = log.read_text()
        server.stop()
        socket.stop()
    assert "Socket Mode connected, CCC sandbox" in output and (tmp_path / "dialcampaign.db").exists()
