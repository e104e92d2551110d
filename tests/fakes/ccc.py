"""A loopback fake of Tencent CCC (API 3.0): verifies TC3 signatures like the real server, checks every parameter,
enforces 20 requests/s per action, and injects any failure a test asks for."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

VERSION = "2020-02-10"
E164_OR_NATIONAL = re.compile(r"^\+?\d{5,20}$")


@dataclass
class Fault:
    """What the next matching request gets instead of a normal answer."""

    code: str | None = None  # an error code in Response.Error
    http_status: int = 200
    raw_body: str | None = None  # e.g. an HTML error page
    delay: float = 0.0  # seconds before answering (after the request has been processed when `process` is set)
    process: bool = False  # carry out the action before failing (an ambiguous failure that did create)
    content_type: str = "application/json"  # what the error answer claims to be
    hold: threading.Event | None = None  # answer only once the test sets it (CCC busy exactly as long as needed)

    @property
    def fails(self) -> bool:
        """A fault with only a delay answers normally, late."""
        return self.code is not None or self.raw_body is not None or self.http_status != 200


@dataclass
class Received:
    action: str
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes
    at: float
    outcome: str = ""  # "ok" or the error code answered


@dataclass
class FakeCcc:
    secrets: dict[str, str]
    sdk_app_id: int
    rate_limit: int = 20
    rate_window: str = "sliding"  # or "calendar": count per wall-clock second, as some gateways do
    staff: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[dict[str, Any]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    campaigns: dict[int, dict[str, Any]] = field(default_factory=dict)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    clock_skew: float = 0.0  # how far the server's clock is off for signature checks
    clock_offset: float = 0.0  # seconds added to real time for campaign lifecycles: tests move time forward
    _windows: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 1000

    def inject(self, action: str, *faults: Fault) -> None:
        with self._lock:
            self.faults.setdefault(action, deque()).extend(faults)

    def creates(self) -> list[Received]:
        return [r for r in self.received if r.action == "CreateAgentCruiseDialingCampaign"]

    def of(self, action: str) -> list[Received]:
        return [r for r in self.received if r.action == action]

    def now(self) -> float:
        """The campaigns' clock: real time moved by `clock_offset`."""
        return time.time() + self.clock_offset

    def lifecycle(self, campaign: dict[str, Any]) -> tuple[int, int]:
        """(State, CalledCalleeCount) at `now()`: 0 before StartTime, 1 inside the window with the called count
        growing evenly through it, 2 after EndTime with everyone called; an abort freezes it at 3."""
        total = len(campaign.get("Callees", []))
        if campaign.get("AbortedAt") is not None:
            return 3, int(campaign["CalledAtAbort"])
        now, start, end = self.now(), campaign["StartTime"], campaign["EndTime"]
        if now < start:
            return 0, 0
        if now >= end:
            return 2, total
        return 1, min(total, int(total * (now - start) / (end - start)))

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/", self._handle, methods=["POST"])])

    # -- the wire ---------------------------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        action = headers.get("x-tc-action", "")
        try:
            params = json.loads(body)
        except ValueError:
            params = None
        entry = Received(action, params if isinstance(params, dict) else {}, headers, body, time.time())
        with self._lock:
            self.received.append(entry)
        request_id = str(uuid.uuid4())

        error = self._verify(headers, body, action) or (None if isinstance(params, dict) else
                                                          ("InvalidParameter", "body is not a JSON object"))
        if error is None:
            error = self._throttle(action)
        fault = self._next_fault(action) if error is None else None
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.hold is not None:
            await _released(fault.hold)
        if fault is not None and not fault.fails:
            fault = None
        if error is None and fault is not None and not fault.process:
            return self._fault_response(entry, fault, request_id)
        if error is None:
            assert isinstance(params, dict)
            error = self._check(action, params)
        if error:
            entry.outcome = error[0]
            return JSONResponse({"Response": {"Error": {"Code": error[0], "Message": error[1]},
                                              "RequestId": request_id}})
        assert isinstance(params, dict)
        data = self._perform(action, params)
        if fault is not None:
            return self._fault_response(entry, fault, request_id)
        entry.outcome = "ok"
        return JSONResponse({"Response": {**data, "RequestId": request_id}})

    def _fault_response(self, entry: Received, fault: Fault, request_id: str) -> Response:
        entry.outcome = fault.code or f"http {fault.http_status}"
        if fault.raw_body is not None:
            return PlainTextResponse(fault.raw_body, status_code=fault.http_status, media_type="text/html")
        if fault.code:
            body = {"Response": {"Error": {"Code": fault.code, "Message": f"injected {fault.code}"},
                                 "RequestId": request_id}}
            return Response(json.dumps(body), status_code=fault.http_status, media_type=fault.content_type)
        return PlainTextResponse("", status_code=fault.http_status)

    def _next_fault(self, action: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(action)
            return queue.popleft() if queue else None

    def _verify(self, headers: dict[str, str], body: bytes, action: str) -> tuple[str, str] | None:
        """TC3-HMAC-SHA256 exactly as Tencent checks it: the signed headers as received, the body bytes as received."""
        if headers.get("content-type") != "application/json":
            return "InvalidParameter", f"Content-Type {headers.get('content-type')!r}, not application/json"
        if headers.get("x-tc-version") != VERSION:
            return "InvalidParameterValue", "bad X-TC-Version"
        if action not in ACTIONS:
            return "InvalidAction", f"unknown action {action}"
        auth = headers.get("authorization", "")
        match = re.fullmatch(r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/ccc/tc3_request, "
                             r"SignedHeaders=content-type;host, Signature=([0-9a-f]{64})", auth)
        if not match:
            return "AuthFailure.InvalidAuthorization", "malformed Authorization"
        secret_id, day, signature = match.groups()
        try:
            timestamp = int(headers.get("x-tc-timestamp", ""))
        except ValueError:
            return "MissingParameter", "X-TC-Timestamp"
        if abs(time.time() + self.clock_skew - timestamp) > 300:
            return "AuthFailure.SignatureExpire", "signature expired"
        if day != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d"):
            return "AuthFailure.SignatureFailure", "credential date is not the UTC date of the timestamp"
        key = self.secrets.get(secret_id)
        if key is None:
            return "AuthFailure.SecretIdNotFound", "unknown SecretId"
        canonical = (f"POST\n/\n\ncontent-type:{headers['content-type']}\nhost:{headers.get('host', '')}\n\n"
                     f"content-type;host\n{hashlib.sha256(body).hexdigest()}")
        to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{day}/ccc/tc3_request\n"
                   f"{hashlib.sha256(canonical.encode()).hexdigest()}")

        def sign(k: bytes, m: str) -> bytes:
            return hmac.new(k, m.encode(), hashlib.sha256).digest()

        k = sign(sign(sign(("TC3" + key).encode(), day), "ccc"), "tc3_request")
        if not hmac.compare_digest(hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest(), signature):
            return "AuthFailure.SignatureFailure", "signature mismatch"
        return None

    def _throttle(self, action: str) -> tuple[str, str] | None:
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(action, deque())
            if self.rate_window == "calendar":
                second = int(time.time())
                window = self._windows[action] = deque(t for t in window if t == second)
                now = float(second)
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= self.rate_limit:
                return "RequestLimitExceeded", f"more than {self.rate_limit} requests per second"
            window.append(now)
        return None

    def _check(self, action: str, params: dict[str, Any]) -> tuple[str, str] | None:
        spec = ACTIONS[action]
        for name in params:
            if name not in spec:
                return "UnknownParameter", name
        for name, (kind, required) in spec.items():
            if name not in params:
                if required:
                    return "MissingParameter", name
                continue
            value = params[name]
            ok = {"int": isinstance(value, int) and not isinstance(value, bool), "str": isinstance(value, str),
                  "list": isinstance(value, list) and all(isinstance(v, str) for v in value)}[kind]
            if not ok:
                return "InvalidParameter", f"{name} must be {kind}"
        if params["SdkAppId"] != self.sdk_app_id:
            return "InvalidParameterValue", "SdkAppId does not exist"
        if action == "CreateAgentCruiseDialingCampaign":
            return _check_create(params)
        if action in ("DescribeAgentCruiseDialingCampaign", "AbortAgentCruiseDialingCampaign") and \
                params["CampaignId"] not in self.campaigns:
            return "InvalidParameterValue", "campaign not found"
        return None

    def _perform(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if action == "CreateAgentCruiseDialingCampaign":
                campaign_id = self._next_id
                self._next_id += 1
                self.campaigns[campaign_id] = dict(params)
                return {"CampaignId": campaign_id}
            if action == "DescribeAgentCruiseDialingCampaign":
                c = self.campaigns[params["CampaignId"]]
                state, called = self.lifecycle(c)
                return {k: c.get(k) for k in ("Name", "Agent", "ConcurrencyNumber", "StartTime", "EndTime",
                                               "CallOrder", "UUI")} | {
                    "State": state, "TotalCalleeCount": len(c.get("Callees", [])), "CalledCalleeCount": called}
            if action == "AbortAgentCruiseDialingCampaign":
                c = self.campaigns[params["CampaignId"]]
                state, called = self.lifecycle(c)
                if state in (0, 1):  # a finished campaign stays finished; aborting twice changes nothing
                    c.update(AbortedAt=self.now(), CalledAtAbort=called)
                return {}
            if action == "DescribeStaffInfoList":
                return _page(self.staff, params, "StaffList")
            if action == "DescribeNumbers":
                return _page(self.numbers, params, "Numbers")
        return {}


async def _released(hold: threading.Event, limit: float = 30.0) -> None:
    """Until the test sets `hold` (a test that never does, e.g. it kills the app meanwhile, ends it after `limit`)."""
    deadline = time.monotonic() + limit
    while not hold.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def _page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> dict[str, Any]:
    size, page = params.get("PageSize", 20), params.get("PageNumber", 0)
    return {"TotalCount": len(items), key: items[page * size:(page + 1) * size]}


def _check_create(p: dict[str, Any]) -> tuple[str, str] | None:
    if not p["Name"].strip():
        return "InvalidParameterValue", "Name is empty"
    if not 1 <= p["ConcurrencyNumber"] <= 20:
        return "InvalidParameterValue", "ConcurrencyNumber must be 1-20"
    if p["EndTime"] <= p["StartTime"]:
        return "InvalidParameterValue", "EndTime must be after StartTime"
    if p.get("CallOrder", 0) not in (0, 1):
        return "InvalidParameterValue", "CallOrder must be 0 or 1"
    if len(p.get("UUI", "")) > 1024:
        return "InvalidParameterValue", "UUI longer than 1024"
    for callee in p.get("Callees", []):
        if not E164_OR_NATIONAL.match(callee):
            return "InvalidParameterValue", f"bad callee {callee}"
    return None


ACTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "CreateAgentCruiseDialingCampaign": {
        "SdkAppId": ("int", True), "Name": ("str", True), "Agent": ("str", True),
        "ConcurrencyNumber": ("int", True), "StartTime": ("int", True), "EndTime": ("int", True),
        "Callees": ("list", False), "Callers": ("list", False), "CallOrder": ("int", False), "UUI": ("str", False),
    },
    "DescribeAgentCruiseDialingCampaign": {"SdkAppId": ("int", True), "CampaignId": ("int", True)},
    "AbortAgentCruiseDialingCampaign": {"SdkAppId": ("int", True), "CampaignId": ("int", True)},
    "DescribeStaffInfoList": {"SdkAppId": ("int", True), "PageSize": ("int", True), "PageNumber": ("int", True),
                              "StaffMail": ("str", False), "SkillGroupId": ("int", False),
                              "ModifiedTime": ("int", False)},
    "DescribeNumbers": {"SdkAppId": ("int", True), "PageNumber": ("int", False), "PageSize": ("int", False)},
}
