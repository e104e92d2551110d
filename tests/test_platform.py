"""The platform contract: configuration errors in one line, the manifest, `python -m bot check`, /healthz."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests import forks
from tests.fakes.ccc import FakeCcc
from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.harness import ROOT, SDK_APP_ID, SECRET_ID, SECRET_KEY, SIGNING_SECRET, clean_env, free_port, python

VALID = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "TENCENTCLOUD_SECRET_ID": SECRET_ID,
         "TENCENTCLOUD_SECRET_KEY": SECRET_KEY, "CCC_SDK_APP_ID": str(SDK_APP_ID)}


def run_bot(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m bot <args>` forked from the zygote (tests/forks.py): what it prints and its exit code are the
    cold process's; start-up from the command line itself is tested cold (below, and tests/test_e2e_startup.py)."""
    return forks.run_bot(list(args), {**clean_env(), **env, "PYTHONPATH": str(ROOT)}, cwd, timeout=60)


@pytest.mark.parametrize(("change", "variable", "words"), [
    ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN", "is required"),
    ({"TENCENTCLOUD_SECRET_KEY": None}, "TENCENTCLOUD_SECRET_KEY", "is required"),
    ({"CCC_SDK_APP_ID": "fourteen"}, "CCC_SDK_APP_ID", "the CCC application id, a whole number"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token-secret"}, "SLACK_BOT_TOKEN", "xoxb-"),
    ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET", "required unless SLACK_APP_TOKEN"),
    ({"CCC_ENDPOINT": "ccc.tencentcloudapi.com"}, "CCC_ENDPOINT", "http"),
    ({"DATABASE_URL": "mysql://db"}, "DATABASE_URL", "postgres"),
    ({"DIALCAMPAIGN_CALLING_HOURS": "9 to 5"}, "DIALCAMPAIGN_CALLING_HOURS", "08:00-21:00"),
    ({"DIALCAMPAIGN_LAUNCHERS": "alice"}, "DIALCAMPAIGN_LAUNCHERS", "not a Slack ID"),
    ({"DIALCAMPAIGN_LANGUAGE": "zh"}, "DIALCAMPAIGN_LANGUAGE", "'zh-Hans', 'zh-Hant' or 'ja'"),
    ({"DIALCAMPAIGN_WATCH_INTERVAL": "0"}, "DIALCAMPAIGN_WATCH_INTERVAL", "from 1 to 3600"),
    ({"DIALCAMPAIGN_WATCH_INTERVAL": "a minute"}, "DIALCAMPAIGN_WATCH_INTERVAL", "from 1 to 3600"),
    ({"SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "shh-secret"}, "SLACK_CLIENT_SECRET", "unset them"),
])
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path: Path, change: dict[str, str | None],
                                                              variable: str, words: str) -> None:
    env = {k: v for k, v in {**VALID, **change}.items() if v is not None}
    result = run_bot(env, cwd=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and variable in lines[0] and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    for secret in ("xoxp-user-token-secret", "shh-secret", SECRET_KEY, SIGNING_SECRET):
        assert secret not in result.stderr + result.stdout


def test_an_unreachable_database_stops_start_up_with_one_line_and_no_password(tmp_path: Path) -> None:
    env = {**VALID, "DATABASE_URL": f"postgres://postgres:s3cret-pw@127.0.0.1:{free_port()}/nowhere"}
    result = run_bot(env, cwd=tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot open the database in DATABASE_URL" in lines[0], result.stderr
    assert "s3cret-pw" not in result.stderr and "Traceback" not in result.stderr


def test_the_manifest_declares_the_command_urls_and_scopes() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/dialcampaign" and command["description"] and command["usage_hint"]
    interactivity = manifest["settings"]["interactivity"]
    urls = {command["url"], interactivity["request_url"], interactivity["message_menu_options_url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert {"commands", "chat:write", "chat:write.public", "users:read", "files:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"])


@pytest.fixture
def fakes() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    slack = LoopbackServer(FakeSlack().app()).start()
    ccc = LoopbackServer(FakeCcc(secrets={SECRET_ID: SECRET_KEY}, sdk_app_id=SDK_APP_ID).app()).start()
    yield slack, ccc
    slack.stop()
    ccc.stop()


def test_check_reports_each_dependency_on_its_own_line(tmp_path: Path,
                                                       fakes: tuple[LoopbackServer, LoopbackServer]) -> None:
    env = {**VALID, "SLACK_API_URL": f"{fakes[0].url}/api/", "CCC_ENDPOINT": fakes[1].url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = run_bot(env, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0].split()[-1] for line in lines] == ["configuration", "slack", "ccc", "database"]
    assert all(line.startswith("ok") for line in lines)


def test_check_fails_when_ccc_refuses_the_key(tmp_path: Path, fakes: tuple[LoopbackServer, LoopbackServer]) -> None:
    env = {**VALID, "TENCENTCLOUD_SECRET_KEY": "wrong-key-value", "SLACK_API_URL": f"{fakes[0].url}/api/",
           "CCC_ENDPOINT": fakes[1].url, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = run_bot(env, "check")
    assert result.returncode == 1
    (ccc_line,) = [line for line in result.stdout.splitlines() if line.split()[1] == "ccc:"]
    assert ccc_line.startswith("FAIL") and "AuthFailure.SignatureFailure" in ccc_line
    assert "wrong-key-value" not in result.stdout + result.stderr


async def test_healthz_is_503_until_start_up_has_finished(tmp_path: Path,
                                                           fakes: tuple[LoopbackServer, LoopbackServer]) -> None:
    """The port opens at once, but until the schema is migrated, the parser warm and Slack has accepted the token,
    the platform must not route Slack's requests here."""
    from bot.app import Services
    from bot.config import Settings
    from bot.web import create_web_app

    settings = Settings.model_validate({**{k.lower(): v for k, v in VALID.items()},
                                        "slack_api_url": f"{fakes[0].url}/api/", "ccc_endpoint": fakes[1].url,
                                        "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    web = create_web_app(Services.from_settings(settings))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://app") as client:
        before = await client.get("/healthz")  # the lifespan has not started
        async with web.router.lifespan_context(web):  # start-up runs beside the open port
            starting = await client.get("/healthz")
            for _ in range(400):
                ready = await client.get("/healthz")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.025)
    assert before.status_code == 503 and before.json() == {"ok": False, "ccc": "tencent"}
    assert starting.status_code == 503  # migrating and warming up in threads takes longer than one request
    assert ready.status_code == 200 and ready.json() == {"ok": True, "ccc": "tencent"}


def test_check_when_nothing_listens(tmp_path: Path) -> None:
    """A closed loopback port refuses at once; each call is still tried again as in production (at 1% of the pauses,
    which would otherwise be ~5 s here)."""
    port = free_port()
    env = {**VALID, "SLACK_API_URL": f"http://127.0.0.1:{port}/api/", "CCC_ENDPOINT": f"http://127.0.0.1:{port}",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "DIALCAMPAIGN_RETRY_PERCENT": "1"}
    result = run_bot(env, "check")
    assert result.returncode == 1
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["ok", "FAIL", "FAIL", "ok"]


def test_log_lines_are_scrubbed_of_tokens_and_configured_secrets() -> None:
    import logging

    from bot.logs import RedactingFormatter

    formatter = RedactingFormatter(["s3cr3t-key-value"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "auth %s with %s; Authorization: TC3-HMAC-SHA256 "
                               "Credential=AKIDabc/2026-11-25/ccc/tc3_request, Signature=0123abcd", (
                                   "xoxb-123-456-abcdef", "s3cr3t-key-value"), None)
    line = formatter.format(record)
    for leaked in ("xoxb-123-456-abcdef", "s3cr3t-key-value", "AKIDabc", "0123abcd"):
        assert leaked not in line
    assert line.count("[redacted]") == 4


def test_socket_mode_serves_the_same_app_without_a_public_url(tmp_path: Path) -> None:
    """Started cold, as a platform would (`python -m bot`, its output through a pipe): this module's one end-to-end
    run of the command itself, from import to SIGTERM."""
    from tests.fakes.slack import APP_TOKEN
    from tests.fakes.socket_mode import FakeSocketMode

    socket = FakeSocketMode().start()
    slack = FakeSlack(users={"U_SUP": {"tz": "Asia/Shanghai"}}, socket_url=socket.url)
    slack_server = LoopbackServer(slack.app()).start()
    env = {k: v for k, v in VALID.items() if k != "SLACK_SIGNING_SECRET"}
    env.update({"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": f"{slack_server.url}/api/",
                "CCC_ENDPOINT": f"http://127.0.0.1:{free_port()}", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}",
                "PYTHONPATH": str(ROOT)})
    app = subprocess.Popen([python(), "-m", "bot"], env={**clean_env(), **env}, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert socket.connected.wait(30), "the app did not open a Socket Mode connection"
        command = {"command": "/dialcampaign", "text": "help", "user_id": "U_SUP", "channel_id": "C_OPS",
                   "team_id": "T0001", "trigger_id": "1.2", "response_url": f"{slack_server.url}/response/x",
                   "api_app_id": "A0001", "token": "legacy"}
        socket.push({"envelope_id": "env-help", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": command})
        ack = socket.wait_ack("env-help")
        assert "/dialcampaign" in ack["payload"]["text"] and ack["payload"]["response_type"] == "ephemeral"
        socket.push({"envelope_id": "env-open", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": {**command, "text": ""}})
        socket.wait_ack("env-open")
        view = slack.wait_for("views.open")[0].params["view"]
        assert view["callback_id"] == "dialcampaign_form"
    finally:
        app.terminate()
        output = app.communicate(timeout=30)[0]
        slack_server.stop()
        socket.stop()
    assert app.returncode == 0 and "stopping" in output  # SIGTERM drains and exits cleanly
    assert APP_TOKEN not in output and BOT_TOKEN not in output
