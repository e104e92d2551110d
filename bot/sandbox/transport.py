"""The sandbox CCC as an httpx transport: CccClient signs and sends as it would to Tencent, and this answers in
Tencent's envelope after checking the TC3 signature, the 20 requests/s per action and every parameter rule."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.sandbox import rules
from bot.sandbox.progress import progress
from bot.sandbox.roster import DEMO, SDK_APP_ID, SECRET_ID, SECRET_KEY, Roster
from bot.store.sandbox import SandboxCampaigns
from bot.tencent.signing import signature

RATE_LIMIT = 20  # requests per second per action, as CCC enforces
_AUTH = re.compile(r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/ccc/tc3_request, "
                   r"SignedHeaders=content-type;host, Signature=([0-9a-f]{64})")


class SandboxTransport(httpx.AsyncBaseTransport):
    """Reads time only from `clock`, so tests move campaigns through their windows without waiting."""

    def __init__(self, campaigns: SandboxCampaigns, clock: Callable[[], datetime], *, roster: Roster = DEMO,
                 sdk_app_id: int = SDK_APP_ID) -> None:
        self._campaigns = campaigns
        self._clock = clock
        self._roster = roster
        self._sdk_app_id = sdk_app_id
        self._sent: dict[str, deque[float]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        action = request.headers.get("X-TC-Action", "")
        now = self._clock().timestamp()
        problem = self._verify(request, body, now) or self._throttle(action, now)
        params: Any = None
        if problem is None:
            try:
                params = json.loads(body)
            except ValueError:
                params = None
            if not isinstance(params, dict):
                problem = "InvalidParameter", "The request body is not a JSON object."
        if problem is None:
            problem = rules.check(action, params, sdk_app_id=self._sdk_app_id, roster=self._roster, now=int(now))
        answer: dict[str, Any]
        if problem is None:
            answer = await asyncio.to_thread(self._perform, action, params, int(now))
        else:
            answer = {"Error": {"Code": problem[0], "Message": f"{problem[1]} (sandbox)"}}
        payload = {"Response": {**answer, "RequestId": f"sandbox-{uuid.uuid4()}"}}
        return httpx.Response(200, headers={"Content-Type": "application/json"},
                              content=json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _verify(self, request: httpx.Request, body: bytes, now: float) -> rules.Problem | None:
        """TC3's headers, clock and credential checked as Tencent checks them. The signature itself is recomputed with
        the client's own signing code, so a signing bug does NOT show up here: tests/fakes/ccc.py checks it
        independently."""
        if request.headers.get("Content-Type") != "application/json":
            return "InvalidParameter", "Content-Type must be application/json."
        if request.headers.get("X-TC-Version") != "2020-02-10":
            return "InvalidParameterValue", "X-TC-Version must be 2020-02-10."
        match = _AUTH.fullmatch(request.headers.get("Authorization", ""))
        if not match:
            return "AuthFailure.InvalidAuthorization", "The Authorization header is malformed."
        secret_id, day, signed = match.groups()
        try:
            timestamp = int(request.headers.get("X-TC-Timestamp", ""))
        except ValueError:
            return "MissingParameter", "The request is missing X-TC-Timestamp."
        if abs(now - timestamp) > 300:
            return "AuthFailure.SignatureExpire", "The signature expired: is this machine's clock right?"
        if day != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d"):
            return "AuthFailure.SignatureFailure", "The credential date is not the UTC date of the timestamp."
        if secret_id != SECRET_ID:
            return "AuthFailure.SecretIdNotFound", "The SecretId is not the sandbox's."
        expected = signature(secret_key=SECRET_KEY, service="ccc", host=request.headers.get("Host", ""),
                             content_type="application/json", body=body, timestamp=timestamp)
        if expected != signed:
            return "AuthFailure.SignatureFailure", "The signature does not match."
        return None

    def _throttle(self, action: str, now: float) -> rules.Problem | None:
        sent = self._sent.setdefault(action, deque())
        while sent and now - sent[0] >= 1.0:
            sent.popleft()
        if len(sent) >= RATE_LIMIT:
            return "RequestLimitExceeded", f"More than {RATE_LIMIT} requests per second for {action}."
        sent.append(now)
        return None

    def _perform(self, action: str, p: dict[str, Any], now: int) -> dict[str, Any]:
        if action == "CreateAgentCruiseDialingCampaign":
            if self._campaigns.open_count(self._sdk_app_id, now) >= rules.MAX_OPEN_CAMPAIGNS:
                return {"Error": {"Code": "LimitExceeded.OutOfCountLimit", "Message": (
                    f"The sandbox holds at most {rules.MAX_OPEN_CAMPAIGNS} campaigns that have not ended.")}}
            campaign_id = self._campaigns.create(
                sdk_app_id=p["SdkAppId"], name=p["Name"], agent=p["Agent"], concurrency=p["ConcurrencyNumber"],
                start_at=p["StartTime"], end_at=p["EndTime"], call_order=p.get("CallOrder", 0),
                uui=p.get("UUI", ""), callee_count=len(p["Callees"]), callers=p.get("Callers", []), created_at=now)
            return {"CampaignId": campaign_id}
        if action in ("DescribeAgentCruiseDialingCampaign", "AbortAgentCruiseDialingCampaign"):
            campaign = self._campaigns.get(p["SdkAppId"], p["CampaignId"])
            if campaign is None:
                return {"Error": {"Code": "InvalidParameterValue",
                                  "Message": f"CampaignId {p['CampaignId']} does not exist."}}
            if action == "AbortAgentCruiseDialingCampaign":
                self._campaigns.abort(campaign.campaign_id, now)  # aborting an ended campaign changes nothing
                return {}
            state, called = progress(campaign, now)
            return {"Name": campaign.name, "Agent": campaign.agent, "ConcurrencyNumber": campaign.concurrency,
                    "StartTime": campaign.start_at, "EndTime": campaign.end_at, "CallOrder": campaign.call_order,
                    "UUI": campaign.uui, "State": state, "TotalCalleeCount": campaign.callee_count,
                    "CalledCalleeCount": called}
        if action == "DescribeStaffInfoList":
            staff = [s for s in self._roster.staff if p.get("StaffMail") in (None, s["Mail"])]
            return _page(staff, p, "StaffList")
        return _page(list(self._roster.numbers), p, "Numbers")


def _page(rows: list[dict[str, Any]], p: dict[str, Any], key: str) -> dict[str, Any]:
    size, page = p.get("PageSize", 20), p.get("PageNumber", 0)
    return {"TotalCount": len(rows), key: rows[page * size:(page + 1) * size]}
