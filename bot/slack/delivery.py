"""Getting a message to the requester: the channel and its thread when the bot may post there, else an ephemeral
message, else a DM — never silence. A message Slack could not take just now (5xx, rate limited, unreachable, after
the client's own retries) goes to a durable outbox and is delivered later by `drain`, not dropped."""

from __future__ import annotations

import logging
import time
from typing import Any, Literal, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

Sent = Literal["sent", "later", "refused"]
_PASSING = {"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"}
HOLD = 60  # seconds an outbox item is held by the replica delivering it


class Outbox(Protocol):
    """Where undelivered messages wait (the database); structural, implemented by the store."""

    async def put(self, payload: dict[str, Any], at: int, next_at: int, error: str,
                  key: str | None = None) -> None: ...

    async def due(self, at: int, limit: int = 20) -> list[tuple[int, int, dict[str, Any]]]: ...

    async def take(self, item: int, at: int, until: int) -> bool: ...

    async def done(self, item: int) -> None: ...

    async def later(self, item: int, next_at: int, error: str) -> None: ...


def passing(exc: Exception) -> str | None:
    """Why a failure will likely pass (worth trying again later), or None when Slack said no for good."""
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error") or "")
        status = getattr(exc.response, "status_code", 200)
        return f"{status} {error}" if status >= 500 or status == 429 or error in _PASSING else None
    if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        return type(exc).__name__
    return None


RETRY = 2.0  # seconds before a message Slack did not take is tried again, unless configured; doubled each time
MAX_WAIT = 300  # ... up to this


def backoff(attempts: int, first: float = RETRY) -> float:
    """Seconds to wait after `attempts` failed tries: `first`, then twice as long each time, up to MAX_WAIT."""
    return min(MAX_WAIT, first * 2.0 ** min(attempts - 1, 16))


class Delivery:
    def __init__(self, client: AsyncWebClient, outbox: Outbox | None = None, *, retry: float = RETRY) -> None:
        """`retry`: seconds before the first new attempt (DIALCAMPAIGN_OUTBOX_RETRY); `drain` runs as often."""
        self._client = client
        self._outbox = outbox
        self.retry = retry
        self._memory: list[tuple[float, int, dict[str, Any]]] = []  # when even the outbox (database) is down

    async def post_parent(self, channel: str, message: dict[str, Any]) -> str | None:
        """The thread's parent message; None when the bot cannot post in that channel (now)."""
        try:
            answer = await self._client.chat_postMessage(channel=channel, unfurl_links=False, **message)
        except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.warning("cannot post in %s: %s", channel, _why(exc))
            return None
        return str(answer["ts"])

    async def update(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        """Replace a message the bot posted (a campaign's card). When Slack cannot take it now, the newest version
        waits in the outbox (an older waiting one is dropped); SlackApiError when Slack refuses it for good."""
        item = {"kind": "update", "channel": channel, "ts": ts, "user": "", "message": message}
        try:
            await self._send("update", item, message)
        except Exception as exc:
            why = passing(exc)
            if why is None:
                raise
            log.warning("Slack did not take a card update (%s): delivered later", why)
            await self._queue(item, why, key=f"update:{channel}:{ts}")

    async def reply(self, channel: str, thread_ts: str | None, user: str, message: dict[str, Any]) -> None:
        await self._deliver({"kind": "reply", "channel": channel, "thread_ts": thread_ts, "user": user,
                             "message": message}, queue=True)

    async def private(self, channel: str, user: str, message: dict[str, Any]) -> None:
        await self._deliver({"kind": "private", "channel": channel, "user": user, "message": message}, queue=True)

    async def _deliver(self, item: dict[str, Any], *, queue: bool) -> Sent:
        """Thread, else ephemeral, else DM; a passing failure at any step queues that step (when `queue`)."""
        kind, message = item["kind"], item["message"]
        steps = {"reply": ["reply", "private", "dm"], "private": ["private", "dm"], "dm": ["dm"],
                 "update": ["update"]}[kind]
        for step in steps:
            if step == "reply" and not item.get("thread_ts"):
                continue  # no thread to reply in (the parent could not be posted)
            try:
                await self._send(step, item, message)
                return "sent"
            except Exception as exc:
                why = passing(exc)
                if why is None and not isinstance(exc, SlackApiError):
                    raise
                if why is not None:
                    log.warning("Slack did not take a %s (%s): delivered later", step, why)
                    if queue:
                        await self._queue({**item, "kind": step}, why)
                    return "later"
                log.warning("cannot deliver as %s: %s", step, _why(exc))
        log.error("could not reach user %s at all", item["user"])
        return "refused"

    async def _send(self, step: str, item: dict[str, Any], message: dict[str, Any]) -> None:
        if step == "reply":
            await self._client.chat_postMessage(channel=item["channel"], thread_ts=item["thread_ts"], **message)
        elif step == "update":
            await self._client.chat_update(channel=item["channel"], ts=item["ts"], **message)
        elif step == "private":
            await self._client.chat_postEphemeral(channel=item["channel"], user=item["user"], **message)
        else:
            await self._client.chat_postMessage(channel=item["user"], **message)

    async def _queue(self, item: dict[str, Any], why: str, key: str | None = None) -> None:
        now = time.time()  # the outbox keeps whole seconds: the retry is due in the second `now + wait` falls in
        if self._outbox is not None:
            try:
                await self._outbox.put(item, int(now), int(now + backoff(1, self.retry)), why, key)
                return
            except Exception as exc:  # the database is down too: keep it in memory, retried all the same
                log.warning("outbox unavailable (%s): message kept in memory", type(exc).__name__)
        self._memory.append((time.monotonic() + backoff(1, self.retry), 1, item))

    async def drain(self) -> int:
        """One round of delivering what is due; returns how many left the outbox (delivered, or refused for good)."""
        finished = 0
        now = int(time.time())
        outbox = self._outbox
        for item_id, attempts, item in await outbox.due(now) if outbox else []:
            assert outbox is not None
            if not await outbox.take(item_id, now, now + HOLD):
                continue  # another replica is delivering it
            if await self._deliver(item, queue=False) == "later":
                await outbox.later(item_id, int(time.time() + backoff(attempts + 1, self.retry)), "still passing")
            else:
                await outbox.done(item_id)
                finished += 1
        waiting, self._memory = self._memory, []
        for due_at, attempts, item in waiting:
            if due_at > time.monotonic():
                self._memory.append((due_at, attempts, item))
            elif await self._deliver(item, queue=False) == "later":
                self._memory.append((time.monotonic() + backoff(attempts + 1, self.retry), attempts + 1, item))
            else:
                finished += 1
        return finished


def _why(exc: BaseException) -> str:
    return str(exc.response.get("error")) if isinstance(exc, SlackApiError) else type(exc).__name__
