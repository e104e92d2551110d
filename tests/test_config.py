"""Start-up as a new user meets it: every problem in one run, --help, what each mode asks for, the manifest, a
Slack token Slack refuses, and .env.example describing every variable."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.config import Settings, read_settings
from bot.manifest import render
from tests import forks
from tests.fakes.server import LoopbackServer
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.fakes.socket_mode import FakeSocketMode
from tests.harness import ROOT, SIGNING_SECRET, AppProcess, clean_env, free_port


def run_bot(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot <args>` forked from the zygote (tests/forks.py), stdout and stderr apart, as subprocess.run's."""
    return forks.run_bot(list(args), {**clean_env(), **env, "PYTHONPATH": str(ROOT)}, cwd, timeout=60)


@pytest.fixture
def slack() -> Iterator[tuple[FakeSlack, LoopbackServer]]:
    fake = FakeSlack()
    server = LoopbackServer(fake.app()).start()
    fake.base_url = server.url
    yield fake, server
    server.stop()


def test_one_run_names_every_bad_or_missing_variable(tmp_path: Path) -> None:
    env = {"CCC_SDK_APP_ID": "fourteen", "TENCENTCLOUD_SECRET_ID": "AKIDx", "DATABASE_URL": "mysql://db",
           "PORT": "http", "DIALCAMPAIGN_SANDBOX": "maybe"}
    result = run_bot(env, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    named = [re.sub(r"^dialcampaign: configuration error: (\S+).*", r"\1", line) for line in lines]
    assert sorted(named) == sorted(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "CCC_SDK_APP_ID", "DATABASE_URL",
                                    "PORT", "DIALCAMPAIGN_SANDBOX", "TENCENTCLOUD_SECRET_KEY"]), result.stderr
    assert "Input should" not in result.stderr and "AKIDx" not in result.stderr  # our words, no values


def test_help_prints_usage_and_exits_0_without_any_configuration(tmp_path: Path) -> None:
    result = run_bot({}, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for word in ("serve", "check", "manifest", "SLACK_BOT_TOKEN", "sandbox"):
        assert word in result.stdout
    assert result.stderr == ""


def settings_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> tuple[Settings, list[str]]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return read_settings()


def test_socket_mode_with_the_sandbox_needs_only_the_two_slack_tokens(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    assert problems == [] and settings.socket_mode and settings.sandbox


def test_sandbox_false_makes_missing_tencent_credentials_an_error(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    _settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN,
                                        SLACK_SIGNING_SECRET=SIGNING_SECRET, DIALCAMPAIGN_SANDBOX="false")
    assert [p.split()[0] for p in problems] == ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "CCC_SDK_APP_ID"]
    assert all("DIALCAMPAIGN_SANDBOX=false" in p for p in problems)


def test_setting_the_tencent_variables_switches_to_ccc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                       TENCENTCLOUD_SECRET_ID="AKIDx", TENCENTCLOUD_SECRET_KEY="k",
                                       CCC_SDK_APP_ID="1400000001")
    assert problems == [] and not settings.sandbox and settings.ccc_sdk_app_id == 1400000001


def test_the_clocks_default_to_production_values_and_take_decimals(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    tokens = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    settings, problems = settings_from(monkeypatch, tmp_path, **tokens)
    assert problems == []
    assert (settings.dialcampaign_watch_interval, settings.dialcampaign_heartbeat, settings.dialcampaign_outbox_retry,
            settings.dialcampaign_card_updates_per_minute) == (60, 2.0, 2.0, 25)
    settings, problems = settings_from(monkeypatch, tmp_path, **tokens, DIALCAMPAIGN_HEARTBEAT="0.5",
                                       DIALCAMPAIGN_OUTBOX_RETRY=" .2 ", DIALCAMPAIGN_CARD_UPDATES_PER_MINUTE="6,000")
    assert problems == []
    assert (settings.dialcampaign_heartbeat, settings.dialcampaign_outbox_retry,
            settings.dialcampaign_card_updates_per_minute) == (0.5, 0.2, 6000)


@pytest.mark.parametrize(("variable", "value", "words"), [
    ("DIALCAMPAIGN_HEARTBEAT", "0.2", "seconds from 0.5 to 60"),
    ("DIALCAMPAIGN_HEARTBEAT", "2s", "seconds from 0.5 to 60"),
    ("DIALCAMPAIGN_HEARTBEAT", "nan", "seconds from 0.5 to 60"),
    ("DIALCAMPAIGN_OUTBOX_RETRY", "0", "seconds from 0.1 to 300"),
    ("DIALCAMPAIGN_OUTBOX_RETRY", "-1", "seconds from 0.1 to 300"),
    ("DIALCAMPAIGN_CARD_UPDATES_PER_MINUTE", "0", "a minute from 1 to 6000"),
    ("DIALCAMPAIGN_CARD_UPDATES_PER_MINUTE", "2.5", "a minute from 1 to 6000"),
])
def test_a_bad_clock_is_refused_on_its_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str,
                                            value: str, words: str) -> None:
    _settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                        **{variable: value})
    assert len(problems) == 1 and problems[0].startswith(f"{variable} must be") and words in problems[0], problems


def test_check_in_socket_mode_asks_for_no_signing_secret_and_says_sandbox(
        tmp_path: Path, slack: tuple[FakeSlack, LoopbackServer]) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": f"{slack[1].url}/api/",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = run_bot(env, "check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "ok    configuration: Socket Mode, CCC sandbox"
    assert any(line.startswith("ok    ccc: Sandbox — no calls are made") for line in lines), lines


def wait_exit(app: AppProcess, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while app.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return app.stop()


def test_a_bot_token_slack_refuses_stops_serve_with_one_line(tmp_path: Path,
                                                            slack: tuple[FakeSlack, LoopbackServer]) -> None:
    wrong = "xoxb-revoked-0000-wrong-token"
    env = {"SLACK_BOT_TOKEN": wrong, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": f"{slack[1].url}/api/", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    app = AppProcess(env, tmp_path)
    code = wait_exit(app)
    output = app.output()
    assert code != 0, output
    refused = [line for line in output.splitlines() if "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in line]
    assert len(refused) == 1 and "Traceback" not in output and "ready" not in output
    assert wrong not in output


def test_an_app_token_slack_refuses_stops_socket_mode_with_one_line(tmp_path: Path) -> None:
    socket = FakeSocketMode().start()
    fake = FakeSlack(socket_url=socket.url)
    server = LoopbackServer(fake.app()).start()
    wrong = "xapp-1-A0001-revoked-app-token"
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": wrong, "SLACK_API_URL": f"{server.url}/api/",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    try:
        result = run_bot(env, cwd=tmp_path)
    finally:
        server.stop()
        socket.stop()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output and "ready" not in output, output
    assert len([line for line in output.splitlines() if "Slack refused SLACK_APP_TOKEN (invalid_auth)" in line]) == 1
    assert not socket.connected.is_set() and wrong not in output


def test_slack_out_of_reach_is_a_warning_and_the_bot_keeps_trying(tmp_path: Path) -> None:
    """Nothing listens on the port (refused at once); the pauses between tries are 1% of production's (1 s, 2 s, …
    and slack_sdk's own 0.5-2 s within each try), as the warning says."""
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}",
           "DIALCAMPAIGN_RETRY_PERCENT": "1"}
    app = AppProcess(env, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while app.output().count("cannot reach Slack to check the bot token") < 2:
            assert app.proc.poll() is None and time.monotonic() < deadline, app.output()
            time.sleep(0.02)
        health = httpx.get(f"{app.url}/healthz", timeout=5, trust_env=False)
        assert health.status_code == 503  # not ready: Slack has not accepted the token yet
        assert "ready" not in app.output() and "Traceback" not in app.output()
        first = "cannot reach Slack to check the bot token (ClientConnectorError); trying again in 0.01 s"
        assert first in app.output()
    finally:
        app.stop()


@pytest.mark.parametrize("value", ["0", "10001", "fast", "-5"])
def test_a_retry_percent_out_of_range_is_one_problem_naming_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               value: str) -> None:
    _settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                        DIALCAMPAIGN_RETRY_PERCENT=value)
    assert problems == ["DIALCAMPAIGN_RETRY_PERCENT must be a whole number from 1 to 10000 (100: the built-in pauses)"]


def test_the_pace_scales_slack_sdk_s_pauses_before_retrying_a_connection() -> None:
    from bot.slack.client import Backoff

    for attempt in range(2):  # slack_sdk's default: 0.5 s × 2^attempt, plus up to 1 s of jitter
        assert 0.5 * 2**attempt <= Backoff().calculate_sleep_duration(attempt) <= 0.5 * 2**attempt + 1
        assert 0.005 * 2**attempt <= Backoff(0.01).calculate_sleep_duration(attempt) <= 0.005 * 2**attempt + 0.01


def test_the_retry_pauses_are_production_s_unless_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    assert problems == [] and settings.dialcampaign_retry_percent == 100
    settings, problems = settings_from(monkeypatch, tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                       DIALCAMPAIGN_RETRY_PERCENT="1")
    assert problems == [] and settings.dialcampaign_retry_percent == 1


def test_the_checked_in_manifest_is_the_generated_one() -> None:
    assert (ROOT / "manifest.yml").read_text() == render()


def test_the_manifest_for_an_address_points_every_url_at_it() -> None:
    manifest = yaml.safe_load(render(url="https://bot.acme.example/"))
    interactivity = manifest["settings"]["interactivity"]
    urls = {manifest["features"]["slash_commands"][0]["url"], interactivity["request_url"],
            interactivity["message_menu_options_url"], manifest["settings"]["event_subscriptions"]["request_url"]}
    assert urls == {"https://bot.acme.example/slack/events"}
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_the_socket_mode_manifest_has_no_urls(tmp_path: Path) -> None:
    result = run_bot({}, "manifest", "--socket", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load(result.stdout)
    assert manifest["settings"]["socket_mode_enabled"] is True and "url" not in result.stdout.replace("# ", "")
    assert manifest["features"]["slash_commands"][0]["command"] == "/dialcampaign"
    assert {"commands", "chat:write", "users:read"} <= set(manifest["oauth_config"]["scopes"]["bot"])


def test_env_example_describes_every_variable() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert listed == {name.upper() for name in Settings.model_fields}


def test_socket_mode_out_of_reach_is_a_one_line_warning_and_it_keeps_trying(tmp_path: Path) -> None:
    fake = FakeSlack(socket_url=f"ws://127.0.0.1:{free_port()}/link")  # Slack hands out a socket nobody serves
    server = LoopbackServer(fake.app()).start()
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": f"{server.url}/api/",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "PYTHONPATH": str(ROOT)}
    (tmp_path / "out.log").touch()  # the child opens it only once forked
    app = forks.zygote().start([], {**clean_env(), **env}, tmp_path, tmp_path / "out.log")
    try:
        deadline = time.monotonic() + 30
        while "Socket Mode: Failed to connect" not in (tmp_path / "out.log").read_text():
            assert app.poll() is None and time.monotonic() < deadline, (tmp_path / "out.log").read_text()
            time.sleep(0.1)
        assert app.poll() is None  # still trying
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(30)
        server.stop()
    output = (tmp_path / "out.log").read_text()
    assert "Traceback" not in output and "ready" not in output, output
