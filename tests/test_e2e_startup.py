"""The first seconds of a process: the port opens before the full app is built, and a /dialcampaign sent then is
acked at once and still gets its form (labelled in the sandbox), its help, or its refusal — exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.harness import SIGNING_SECRET, AppProcess, SlackDriver


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(users={"U_SUP": {"tz": "Asia/Shanghai"}, "UNOBODY01": {"tz": "Asia/Shanghai"}})
    server = LoopbackServer(fake.app()).start()
    fake.base_url = server.url
    yield fake
    server.stop()


def launch(tmp_path: Path, slack: FakeSlack, **env: str) -> tuple[AppProcess, SlackDriver]:
    """The Procfile's web line in the sandbox, not waited for: the test talks to it as its port opens."""
    app = AppProcess({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                      "SLACK_API_URL": f"{slack.base_url}/api/", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
                      **env}, tmp_path, cold=True)
    return app, SlackDriver(app.url, slack.base_url)


def first_answer(app: AppProcess, driver: SlackDriver, text: str = "", user: str = "U_SUP") -> httpx.Response:
    """The command, sent again until the port takes it (as soon as it opens)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert app.proc.poll() is None, app.output()
        try:
            return driver.command(text, user=user)
        except httpx.TransportError:
            time.sleep(0.005)
    raise AssertionError(f"the port never opened:\n{app.output()}")


def test_a_command_sent_as_the_port_opens_gets_its_labelled_form_once(tmp_path: Path, slack: FakeSlack) -> None:
    app, driver = launch(tmp_path, slack)
    try:
        response = first_answer(app, driver)
        assert response.status_code == 200 and response.content == b""  # an empty ack, as Bolt's
        (opened,) = slack.wait_for("views.open", timeout=15)
        assert opened.params["view"]["title"]["text"].startswith("Sandbox")
        app.wait_ready()
        time.sleep(0.5)
        assert len(slack.of("views.open")) == 1 and slack.responses == []
    finally:
        app.stop()


def test_help_asked_as_the_port_opens_is_answered_once(tmp_path: Path, slack: FakeSlack) -> None:
    app, driver = launch(tmp_path, slack)
    try:
        response = first_answer(app, driver, "help")
        assert response.status_code == 200
        app.wait_ready()
        deadline = time.monotonic() + 10
        while b"/dialcampaign" not in response.content and not slack.responses and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        helps = [r for r in slack.responses if "/dialcampaign" in r.get("text", "")]
        in_ack = b"/dialcampaign" in response.content  # when the full app was ready already
        assert len(helps) + in_ack == 1, (response.content, slack.responses)
        assert not slack.of("views.open")
    finally:
        app.stop()


def test_the_access_rule_holds_for_a_command_acked_before_the_app_was_built(tmp_path: Path,
                                                                           slack: FakeSlack) -> None:
    app, driver = launch(tmp_path, slack, DIALCAMPAIGN_LAUNCHERS="ULAUNCH01")
    try:
        response = first_answer(app, driver, user="UNOBODY01")
        assert response.status_code == 200
        app.wait_ready()
        deadline = time.monotonic() + 10
        while not slack.responses and time.monotonic() < deadline:
            time.sleep(0.05)
        (refusal,) = slack.responses
        assert "You are not allowed to launch" in refusal["text"] and refusal["text"].startswith("_Sandbox")
        assert not slack.of("views.open")
    finally:
        app.stop()


def test_a_badly_signed_command_is_refused_as_the_port_opens(tmp_path: Path, slack: FakeSlack) -> None:
    app, driver = launch(tmp_path, slack)
    body = urlencode({"command": "/dialcampaign", "text": "", "user_id": "U_SUP", "channel_id": "C_OPS",
                      "trigger_id": "1.x", "response_url": f"{slack.base_url}/response/x"}).encode()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = driver.post(body, "application/x-www-form-urlencoded", signature="v0=00")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and app.proc.poll() is None, app.output()
                time.sleep(0.005)
        assert response.status_code == 401
        app.wait_ready()
        time.sleep(0.3)
        assert not slack.of("views.open") and slack.responses == []
    finally:
        app.stop()
