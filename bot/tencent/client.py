"""CccClient: typed async calls to Tencent Cloud Contact Center, with the retry rules of the CCC notes.

Retried: RequestLimitExceeded* (capped, jittered backoff), AuthFailure.SignatureExpire (re-signed once), a connection
that failed before anything was sent. Never retried: anything ambiguous (InternalError*, HTTP 5xx, a body that is not
JSON, a timeout after sending) - Create is not idempotent and nothing can list campaigns, so a blind retry could call
the same people twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import httpx

from bot.tencent.errors import (
    CccError,
    CccOutcomeUnknown,
    CccUnreachable,
    RateLimited,
    SignatureExpired,
    from_response,
)
from bot.tencent.ratelimit import SlidingWindowLimiter
from bot.tencent.signing import Tc3Auth

log = logging.getLogger(__name__)

API_VERSION = "2020-02-10"
DEFAULT_TIMEOUT = httpx.Timeout(connect=3.0, read=10.0, write=10.0, pool=5.0)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before retrying a call that certainly did not take effect."""

    attempts: int = 5
    base: float = 0.2
    cap: float = 2.0

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * 2**attempt)
        return float(ceiling * (0.5 + random.random() / 2))

    def paced(self, pace: float) -> RetryPolicy:
        """The same tries with every pause times `pace` (DIALCAMPAIGN_RETRY_PERCENT / 100)."""
        return replace(self, base=self.base * pace, cap=self.cap * pace)


@dataclass(frozen=True)
class Created:
    campaign_id: int
    request_id: str


@dataclass(frozen=True)
class CampaignState:
    campaign_id: int
    name: str
    agent: str
    state: int
    start: int
    end: int
    total: int
    called: int
    request_id: str


@dataclass(frozen=True)
class Staff:
    mail: str
    name: str


@dataclass(frozen=True)
class CallerNumber:
    number: str
    state: int


class CccClient:
    def __init__(
        self,
        *,
        endpoint: str,
        secret_id: str,
        secret_key: str,
        sdk_app_id: int,
        session_token: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        limiter: SlidingWindowLimiter | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.sdk_app_id = sdk_app_id
        self._auth = Tc3Auth(secret_id, secret_key, session_token=session_token, clock=clock)
        self._retry = retry or RetryPolicy()
        self._limiter = limiter or SlidingWindowLimiter()
        self._http = httpx.AsyncClient(
            base_url=endpoint.rstrip("/"), timeout=timeout, transport=transport, trust_env=False,
            limits=httpx.Limits(max_connections=40, max_keepalive_connections=20),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def create_cruise_campaign(
        self, *, name: str, agent: str, concurrency: int, start: datetime, end: datetime,
        callees: list[str], callers: list[str], call_order: int, uui: str | None,
    ) -> Created:
        params: dict[str, Any] = {
            "SdkAppId": self.sdk_app_id, "Name": name, "Agent": agent, "ConcurrencyNumber": concurrency,
            "StartTime": int(start.timestamp()), "EndTime": int(end.timestamp()), "Callees": callees,
        }
        if callers:  # optional: without them CCC picks from the application's numbers
            params["Callers"] = callers
        params["CallOrder"] = call_order
        if uui:
            params["UUI"] = uui
        data = await self.call("CreateAgentCruiseDialingCampaign", params)
        return Created(campaign_id=int(data["CampaignId"]), request_id=str(data.get("RequestId", "")))

    async def describe_cruise_campaign(self, campaign_id: int) -> CampaignState:
        data = await self.call("DescribeAgentCruiseDialingCampaign",
                               {"SdkAppId": self.sdk_app_id, "CampaignId": campaign_id})
        return CampaignState(
            campaign_id=campaign_id, name=data.get("Name", ""), agent=data.get("Agent", ""),
            state=int(data.get("State", 0)), start=int(data.get("StartTime", 0)), end=int(data.get("EndTime", 0)),
            total=int(data.get("TotalCalleeCount", 0)), called=int(data.get("CalledCalleeCount", 0)),
            request_id=str(data.get("RequestId", "")),
        )

    async def abort_cruise_campaign(self, campaign_id: int) -> str:
        data = await self.call("AbortAgentCruiseDialingCampaign",
                               {"SdkAppId": self.sdk_app_id, "CampaignId": campaign_id})
        return str(data.get("RequestId", ""))

    async def describe_staff(self, *, page_size: int = 9999) -> list[Staff]:
        rows = await self._all_pages("DescribeStaffInfoList", "StaffList", page_size)
        return [Staff(mail=s.get("Mail", ""), name=s.get("Name", "")) for s in rows if s.get("Mail")]

    async def describe_numbers(self, *, page_size: int = 100) -> list[CallerNumber]:
        rows = await self._all_pages("DescribeNumbers", "Numbers", page_size)
        return [CallerNumber(number=n.get("Number", ""), state=int(n.get("State", 0))) for n in rows]

    async def count_staff(self) -> int:
        """A harmless call that proves the key, the endpoint and the SdkAppId (for `python -m bot check`)."""
        data = await self.call("DescribeStaffInfoList", {"SdkAppId": self.sdk_app_id, "PageSize": 1, "PageNumber": 0})
        return int(data.get("TotalCount", 0))

    async def _all_pages(self, action: str, key: str, page_size: int) -> list[dict[str, Any]]:
        """Every row of a paged Describe action (pages are 0-based in CCC)."""
        rows: list[dict[str, Any]] = []
        page = 0
        while True:
            data = await self.call(action, {"SdkAppId": self.sdk_app_id, "PageSize": page_size, "PageNumber": page})
            batch = data.get(key) or []
            rows += batch
            if not batch or len(rows) >= int(data.get("TotalCount", 0)):
                return rows
            page += 1

    async def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """One action, serialised once and sent as those exact bytes; returns `Response` or raises a CccError."""
        body = json.dumps(params).encode("utf-8")
        headers = {"Content-Type": "application/json", "X-TC-Action": action, "X-TC-Version": API_VERSION,
                   "X-TC-Language": "en-US"}
        attempt, resigned = 0, False
        while True:
            started = time.monotonic()
            try:
                async with self._limiter.slot(action):
                    return await self._send(action, body, headers)
            except (RateLimited, CccUnreachable) as exc:
                attempt += 1
                if attempt >= self._retry.attempts:
                    raise
                log.info("ccc %s: %s; retry %d", action, type(exc).__name__, attempt)
                await asyncio.sleep(self._retry.delay(attempt))
            except SignatureExpired:
                if resigned:
                    raise
                resigned = True
                log.warning("ccc %s: signature expired; re-signing once. Is this machine's clock right?", action)
            finally:
                log.debug("ccc %s took %.0f ms", action, (time.monotonic() - started) * 1000)

    async def _send(self, action: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        try:
            response = await self._http.post("/", content=body, headers=headers, auth=self._auth)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise CccUnreachable(f"could not reach CCC ({type(exc).__name__})", action=action) from None
        except httpx.TransportError as exc:
            raise CccOutcomeUnknown(f"no answer from CCC after sending ({type(exc).__name__})",
                                    action=action) from None
        return _read(action, response)


def _read(action: str, response: httpx.Response) -> dict[str, Any]:
    """`Response.Error` is looked for whatever the status and Content-Type say."""
    try:
        payload = response.json()
        data = payload["Response"]
        if not isinstance(data, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise CccOutcomeUnknown(f"CCC answered HTTP {response.status_code} with a body that is not an API response",
                                action=action) from None
    request_id = str(data.get("RequestId", ""))
    raw_error = data.get("Error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    code = str(error.get("Code", ""))
    if response.status_code >= 500:  # whatever the body claims, a server error leaves the outcome open
        raise CccOutcomeUnknown(f"CCC answered HTTP {response.status_code}", code=code, action=action,
                                request_id=request_id)
    if error:
        raise from_response(code, str(error.get("Message", "")), request_id, action)
    log.info("ccc %s ok RequestId=%s", action, request_id)
    return data


__all__ = ["CallerNumber", "CampaignState", "CccClient", "CccError", "Created", "RetryPolicy", "Staff"]
