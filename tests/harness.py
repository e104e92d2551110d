"""Runs the real product the way the platform does (the Procfile's web line on $PORT, configured by environment)
against the loopback fakes, and talks to it the way Slack does (signed requests)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, text

from tests.fakes.blockkit import view_problems
from tests.fakes.ccc import FakeCcc
from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.forks import FORKABLE, Forked, zygote
from tests.forks import clean_env as clean_env  # the tests import it from here

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SECRET_ID = "AKIDtestsecretid0000000000000000000"
SECRET_KEY = "testsecretkey00000000000000000000"
SDK_APP_ID = 1400000001
TEAM = "T0001"
APP = "A0001"  # the installed app (the fake Slack's auth.test names it)
STAFF = [{"Name": "Ada Agent", "Mail": "agent@example.com", "StaffNumber": "1001"},
         {"Name": "李娜", "Mail": "lina@example.com", "StaffNumber": "1002"},
         *({"Name": f"Agent {i}", "Mail": f"agent{i:03d}@example.com", "StaffNumber": f"2{i:03d}"}
           for i in range(150))]
NUMBERS = [{"Number": "0086075586013388", "State": 1}, {"Number": "008602088881234", "State": 1},
           {"Number": "008602188880000", "State": 2}, {"Number": "008602888880000", "State": 4}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def web_command() -> str:
    procfile = (ROOT / "Procfile").read_text()
    match = re.search(r"^web:\s*(.+)$", procfile, re.MULTILINE)
    assert match, "Procfile has no web: line"
    return match.group(1).strip()


# One client for every readiness poll: a new one per poll would build a TLS context each time (~40 ms of CPU).
_HEALTH = httpx.Client(trust_env=False)


class AppProcess:
    """The app as the Procfile's web: line runs it, on a free port. `cold`: started from that line by a shell, as the
    platform does, for tests of start-up itself; otherwise forked from the zygote (tests/zygote.py), the same
    `python -m bot serve` with its imports already done, which is what makes dozens of starts per run affordable."""

    def __init__(self, env: dict[str, str], cwd: Path, *, cold: bool = False) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = cwd / f"app-{self.port}.log"
        # PYTHONPATH: the app under test is this checkout's code, whatever an editable install points at.
        full_env = {**clean_env(), **env, "PORT": str(self.port), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self._log_file = self.log.open("wb")
        command = web_command()
        self.proc: subprocess.Popen[bytes] | Forked
        if cold or command != FORKABLE:
            self.proc = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=cwd, env=full_env,
                                         stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)
        else:
            self.proc = zygote().start(["serve"], full_env, cwd, self.log)

    def wait_ready(self, timeout: float = 30.0) -> AppProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if _HEALTH.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"app not ready in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        code = self.proc.wait()
        # What it started and left behind when killed (its worker pool, a region-table child): gone with it, so that
        # runs do not pile up orphans. Each app leads a process group of its own.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log_file.close()
        return code


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackDriver:
    """Sends what Slack sends: slash commands and interaction payloads, signed with the signing secret."""

    app_url: str
    response_base: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30, trust_env=False))

    def post(self, body: bytes, content_type: str, *, timestamp: int | None = None,
             signature: str | None = None) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
                   "X-Slack-Signature": signature if signature is not None else sign(body, ts)}
        return self.client.post(f"{self.app_url}/slack/events", content=body, headers=headers)

    def command(self, text: str = "", *, user: str = "U_SUP", channel: str = "C_OPS", team: str = TEAM,
                app: str = APP, **kw: Any) -> httpx.Response:
        form = {"token": "legacy", "team_id": team, "team_domain": "acme", "channel_id": channel,
                "channel_name": "ops", "user_id": user, "user_name": "sup", "command": "/dialcampaign",
                "text": text, "api_app_id": app, "is_enterprise_install": "false",
                "response_url": f"{self.response_base}/response/{uuid.uuid4().hex}",
                "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:8]}"}
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **kw)

    def interaction(self, payload: dict[str, Any], **kw: Any) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kw)

    def submit(self, view: dict[str, Any], values: dict[str, Any] | None = None, *,
               user: str = "U_SUP", team: str = TEAM, app: str = APP) -> httpx.Response:
        payload = {"type": "view_submission", "team": {"id": team, "domain": "acme"},
                   "user": {"id": user, "team_id": team, "name": "sup"}, "api_app_id": app, "token": "legacy",
                   "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
                   "view": {**view, "type": "modal", "team_id": TEAM, "state": {"values": state(view, values or {})}}}
        return self.interaction(payload)

    def click(self, view: dict[str, Any], action_id: str, *, user: str = "U_SUP") -> httpx.Response:
        payload = {"type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
                   "user": {"id": user, "team_id": TEAM}, "api_app_id": "A0001", "token": "legacy",
                   "trigger_id": "1.1", "container": {"type": "view", "view_id": view.get("id", "V1")},
                   "view": {**view, "type": "modal", "state": {"values": {}}},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": "back",
                                "action_ts": str(time.time())}]}
        return self.interaction(payload)


    def press(self, action_id: str, value: str, *, user: str = "U_SUP", channel: str = "C_OPS",
              message_ts: str = "1.000001", ephemeral: bool = False, home: bool = False) -> httpx.Response:
        """A button on a message (the card, an ephemeral answer) or on App Home, as Slack posts it after any confirm
        dialog was accepted."""
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": user, "team_id": TEAM}, "api_app_id": "A0001", "token": "legacy",
            "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                         "action_ts": str(time.time())}]}
        if home:
            payload.update(container={"type": "view", "view_id": "VHOME"},
                           view={"id": "VHOME", "type": "home", "blocks": [], "team_id": TEAM})
        else:
            payload.update(container={"type": "message", "message_ts": message_ts, "channel_id": channel,
                                      "is_ephemeral": ephemeral},
                           channel={"id": channel, "name": "ops"},
                           response_url=f"{self.response_base}/response/{uuid.uuid4().hex}")
            if not ephemeral:
                payload["message"] = {"type": "message", "ts": message_ts, "text": "card"}
        return self.interaction(payload)


def state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """view.state.values as Slack builds it: what the person typed, else what the view pre-filled."""
    result: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id = block["block_id"]
        kind = element["type"]
        if kind in ("static_select", "external_select"):
            chosen = values.get(block_id, (element.get("initial_option") or {}).get("value"))
            options = element.get("options") or [{"text": {"type": "plain_text", "text": str(chosen)},
                                                  "value": chosen}]
            option = next((o for o in options if o["value"] == chosen), None) if chosen else None
            result[block_id] = {element["action_id"]: {"type": kind, "selected_option": option}}
        elif kind == "multi_external_select":
            chosen_list = values.get(block_id, [o["value"] for o in element.get("initial_options") or []])
            result[block_id] = {element["action_id"]: {"type": kind, "selected_options": [
                {"text": {"type": "plain_text", "text": v}, "value": v} for v in chosen_list]}}
        elif kind == "file_input":
            result[block_id] = {element["action_id"]: {"type": kind, "files": values.get(block_id, [])}}
        else:
            value = values.get(block_id, element.get("initial_value"))
            result[block_id] = {element["action_id"]: {"type": element["type"], "value": value}}
    return result


@dataclass
class Stack:
    """Fakes + the app process + a driver: one product under test."""

    slack: FakeSlack
    ccc: FakeCcc
    app: AppProcess
    driver: SlackDriver
    servers: list[LoopbackServer]
    database_url: str
    env: dict[str, str]  # the app's environment: a second replica starts from the same

    def reset(self) -> None:
        self.slack.calls.clear()
        self.slack.responses.clear()
        self.slack.unpostable.clear()
        self.slack.no_ephemeral.clear()
        self.slack.rate_limited.clear()
        self.slack.retry_after.clear()
        self.slack.unavailable.clear()
        self.slack.errors.clear()
        self.ccc.received.clear()
        self.ccc.faults.clear()
        self.ccc.campaigns.clear()
        self.ccc.clock_skew = 0.0
        self.ccc.clock_offset = 0.0

    def restart(self, sig: int = signal.SIGKILL, *, meanwhile: Callable[[], object] | None = None) -> None:
        """The app stopped (killed by default) and started again on the same database and fakes; `meanwhile`: what
        changes while it is down (e.g. Slack comes back)."""
        self.app.stop(sig)
        if meanwhile is not None:
            meanwhile()
        self.app = AppProcess(self.env, self.app.log.parent).wait_ready()
        self.driver.app_url = self.app.url

    def close(self) -> None:
        self.app.stop()
        for server in self.servers:
            server.stop()

    def open_form(self, text: str = "", user: str = "U_SUP", channel: str = "C_OPS") -> dict[str, Any]:
        before = len(self.slack.of("views.open"))
        response = self.driver.command(text, user=user, channel=channel)
        assert response.status_code == 200, response.text
        return dict(self.slack.wait_for("views.open", before + 1)[-1].params["view"])

    def preview(self, values: dict[str, Any], user: str = "U_SUP", channel: str = "C_OPS") -> dict[str, Any]:
        response = self.driver.submit(self.open_form(user=user, channel=channel), values, user=user)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer.get("response_action") == "update", answer
        assert not view_problems(answer["view"]), view_problems(answer["view"])
        return dict(answer["view"])


def start_stack(tmp: Path, *, database_url: str | None = None, env: dict[str, str] | None = None,
                users: dict[str, dict[str, Any]] | None = None, sandbox: bool = False) -> Stack:
    """`sandbox`: no Tencent variables at all, so the app runs against its built-in CCC sandbox (the fake CCC
    still runs, to prove nothing reaches it)."""
    slack = FakeSlack(users=users or {"U_SUP": {"tz": "America/Los_Angeles"}})
    ccc = FakeCcc(secrets={SECRET_ID: SECRET_KEY}, sdk_app_id=SDK_APP_ID, staff=list(STAFF), numbers=list(NUMBERS))
    servers = [LoopbackServer(slack.app()).start(), LoopbackServer(ccc.app()).start()]
    slack.base_url = servers[0].url
    db = database_url or f"sqlite:///{tmp / 'dialcampaign.db'}"
    app_env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"{servers[0].url}/api/", "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY, "CCC_SDK_APP_ID": str(SDK_APP_ID), "CCC_ENDPOINT": servers[1].url,
        # The shared stacks launch the same few numbers over and over: CCC's cap of 5 a day would remove them by the
        # sixth test. Tests of the cap set it themselves.
        "DATABASE_URL": db, "DIALCAMPAIGN_MAX_CALLS_PER_DAY": "1000", **(env or {}),
    }
    if sandbox:
        app_env = {k: v for k, v in app_env.items() if not k.startswith(("TENCENTCLOUD_", "CCC_"))}
    app = AppProcess(app_env, tmp).wait_ready()
    return Stack(slack, ccc, app, SlackDriver(app.url, servers[0].url), servers, db, app_env)


def python() -> str:
    return sys.executable


CREATE = "CreateAgentCruiseDialingCampaign"

# A form a supervisor in Los Angeles fills: Chinese numbers (one typed twice), callers as the console shows them, and
# a window that is morning in Shanghai.
FORM = {
    "name": "Renewals 续约", "agent": "agent@example.com",
    "callees": "13012345670\n+86 130-1234-5670\n0086 130 1234 5671, 13012345672",
    "callers": ["0086075586013388", "008602088881234"], "window": "tomorrow 5pm to 7:30pm", "concurrency": "3",
    "call_order": "0", "uui": "crm:4711",
}


def thread(product: Stack) -> tuple[dict[str, Any], dict[str, Any]]:
    parent, reply = (c.params for c in product.slack.wait_for("chat.postMessage", 2))
    return parent, reply


def rows(product: Stack, sql: str) -> list[dict[str, Any]]:
    """What the app's database holds, read as a person inspecting it would."""
    engine = create_engine(product.database_url)
    with engine.connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(text(sql))]
    engine.dispose()
    return found
