"""A loopback fake of the Slack Web API (reached through SLACK_API_URL): records every call, answers like Slack,
and can answer 429 or refuse to post in a channel. Also serves response_url posts."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.blockkit import message_problems, view_problems

BOT_TOKEN = "xoxb-test-0000-fake-token"
APP_TOKEN = "xapp-1-A0001-test-fake-app-token"


@dataclass
class Call:
    method: str
    http: str
    params: dict[str, Any]
    at: float
    status: int = 200  # what the fake answered: 429 and 503 mean Slack did not take it


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> {"tz": ..., "locale": ...}
    groups: dict[str, list[str]] = field(default_factory=dict)
    channels: dict[str, list[str]] = field(default_factory=dict)  # channel id -> its members (conversations.members)
    auth_app_id: bool = True  # auth.test names the app; without it the app is found through bots.info
    unpostable: set[str] = field(default_factory=set)  # channels where chat.postMessage fails (not_in_channel)
    no_ephemeral: set[str] = field(default_factory=set)
    rate_limited: dict[str, int] = field(default_factory=dict)  # method -> how many 429s to answer first
    retry_after: dict[str, int] = field(default_factory=dict)  # method -> the Retry-After of its 429s (default 1)
    unavailable: dict[str, int] = field(default_factory=dict)  # method -> how many 503s to answer first
    errors: dict[str, str] = field(default_factory=dict)  # method -> the Slack error it answers with
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # what arrived at response_url
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file id -> (name, content)
    file_info: dict[str, dict[str, Any]] = field(default_factory=dict)  # file id -> what files.info says instead
    files_need_scope: bool = False  # downloads redirect to a login page, as Slack does without files:read
    base_url: str = ""
    socket_url: str = ""  # what apps.connections.open hands out
    violations: list[tuple[str, list[str]]] = field(default_factory=list)  # Block Kit limits broken
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/api/{method}", self._api, methods=["GET", "POST"]),
                                 Route("/response/{key}", self._response_url, methods=["POST"]),
                                 Route("/files-pri/{file_id}", self._download, methods=["GET"]),
                                 Route("/login", self._login, methods=["GET"])])

    def upload(self, name: str, content: bytes, **info: Any) -> dict[str, Any]:
        """Host a file as Slack would; returns the file object a file_input puts in view.state. `info` overrides
        fields of its files.info answer (e.g. a remote file's `is_external` and URL on another host)."""
        file_id = f"F{next(self._ts):08d}"
        self.files[file_id] = (name, content)
        self.file_info[file_id] = info
        return {"id": file_id, "name": name, "filetype": name.rsplit(".", 1)[-1]}

    async def _download(self, request: Request) -> Response:
        file_id = request.path_params["file_id"]
        if self.files_need_scope or request.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
            return Response(status_code=302, headers={"Location": f"{self.base_url}/login?redir=/files-pri"})
        if file_id not in self.files:
            return Response(status_code=404)
        return Response(self.files[file_id][1], media_type="application/octet-stream")

    async def _login(self, _request: Request) -> Response:
        return Response("<html><body>Sign in to Slack</body></html>", media_type="text/html")

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, **match: Any) -> list[Call]:
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.of(method) if all(c.params.get(k) == v for k, v in match.items())]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s) matching {match}; got {len(found)}: "
                                     f"{[c.params for c in self.of(method)]}")
            time.sleep(0.02)

    async def _response_url(self, request: Request) -> Response:
        self.responses.append(json.loads(await request.body()))
        return JSONResponse({"ok": True})

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        params: dict[str, Any] = dict(request.query_params)
        raw = await request.body()
        if raw:
            if request.headers.get("content-type", "").startswith("application/json"):
                params.update(json.loads(raw))
            else:
                params.update(dict(parse_qsl(raw.decode())))
        for key in ("view", "blocks"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        with self._lock:
            call = Call(method, request.method, params, time.time())
            self.calls.append(call)
            if self.rate_limited.get(method, 0) > 0:
                call.status = 429
                self.rate_limited[method] -= 1
                return JSONResponse({"ok": False, "error": "ratelimited"}, status_code=429,
                                    headers={"Retry-After": str(self.retry_after.get(method, 1))})
            if self.unavailable.get(method, 0) > 0:  # Slack having a bad minute
                call.status = 503
                self.unavailable[method] -= 1
                return JSONResponse({"ok": False, "error": "service_unavailable"}, status_code=503)
        if method == "apps.connections.open":
            if request.headers.get("authorization") != f"Bearer {APP_TOKEN}":
                return JSONResponse({"ok": False, "error": "invalid_auth"})
            return JSONResponse({"ok": True, "url": self.socket_url})
        if request.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
            return JSONResponse({"ok": False, "error": "invalid_auth"})
        if method in self.errors:
            return JSONResponse({"ok": False, "error": self.errors[method]})
        return JSONResponse(self._answer(method, params))

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        problems = view_problems(p["view"]) if isinstance(p.get("view"), dict) else (
            message_problems(p) if method.startswith("chat.") else [])
        if problems:
            self.violations.append((method, problems))
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        if method == "auth.test":
            return {"ok": True, "user": "dialcampaign", "user_id": "UBOT", "bot_id": "BBOT", "team": "Acme",
                    "team_id": "T0001", "url": "https://acme.slack.com/", **({"app_id": "A0001"} if self.auth_app_id
                                                                              else {})}
        if method == "bots.info":
            return {"ok": True, "bot": {"id": p.get("bot"), "app_id": "A0001", "name": "dialcampaign"}}
        if method == "conversations.members":
            if p.get("channel") not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "members": self.channels[p["channel"]], "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            user = self.users.get(p.get("user", ""))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            answer = {"id": p["user"], "tz": user.get("tz", "UTC")}
            if str(p.get("include_locale", "")).lower() in ("1", "true"):  # as Slack: the locale only when asked
                answer["locale"] = user.get("locale", "en-US")
            return {"ok": True, "user": answer}
        if method == "views.publish":
            return {"ok": True, "view": {**(p.get("view") or {}), "id": "VHOME"}}
        if method in ("views.open", "views.update", "views.push"):
            view = dict(p.get("view") or {})
            view_id = p.get("view_id") or f"V{next(self._ts):06d}"
            return {"ok": True, "view": {**view, "id": view_id, "hash": f"h{view_id}"}}
        if method == "chat.postMessage":
            if p.get("channel") in self.unpostable:
                return {"ok": False, "error": "not_in_channel"}
            return {"ok": True, "channel": p.get("channel"), "ts": f"{int(time.time())}.{next(self._ts):06d}"}
        if method == "chat.update":
            if not p.get("ts") or not p.get("channel"):
                return {"ok": False, "error": "message_not_found"}
            return {"ok": True, "channel": p["channel"], "ts": p["ts"], "text": p.get("text", "")}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(p.get("users", "")).lstrip("U")}}
        if method == "chat.getPermalink":
            ts = str(p.get("message_ts", ""))
            if not ts or not p.get("channel"):
                return {"ok": False, "error": "message_not_found"}
            return {"ok": True, "channel": p["channel"],
                    "permalink": f"https://acme.slack.com/archives/{p['channel']}/p{ts.replace('.', '')}"}
        if method == "chat.postEphemeral":
            if p.get("channel") in self.no_ephemeral:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}
        if method == "files.info":
            if p.get("file") not in self.files:
                return {"ok": False, "error": "file_not_found"}
            name, content = self.files[p["file"]]
            url = f"{self.base_url}/files-pri/{p['file']}"
            return {"ok": True, "file": {"id": p["file"], "name": name, "size": len(content),
                                         "url_private": url, "url_private_download": url,
                                         **self.file_info.get(p["file"], {})}}
        if method == "usergroups.users.list":
            if p.get("usergroup") not in self.groups:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": self.groups[p["usergroup"]]}
        return {"ok": False, "error": "unknown_method"}
