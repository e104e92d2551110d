"""The workspace and app this bot is installed as (from auth.test), and the gate refusing any request that names
another team_id or api_app_id: a signed request for someone else's install is still not ours to act on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import TtlCache

log = logging.getLogger(__name__)

LEARN_BUDGET = 1.0  # a request waits at most this for auth.test when start-up could not learn the install


@dataclass(frozen=True)
class Installed:
    team_id: str
    app_id: str


def claimed(body: dict[str, Any]) -> tuple[str, str]:
    """The team and app a request says it is for: slash commands and events carry team_id, interactions team.id
    (or the user's team_id); all carry api_app_id."""
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    team_id = body.get("team_id") or (team or {}).get("id") or (user or {}).get("team_id") or ""
    return str(team_id), str(body.get("api_app_id") or "")


class Installation:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._learned: TtlCache[str, Installed] = TtlCache(self._fetch, ttl=float("inf"), retry_after=5.0)

    async def _fetch(self, _key: str) -> Installed:
        answer = await self._client.auth_test()
        app_id = answer.get("app_id")
        if not app_id and answer.get("bot_id"):  # older auth.test answers name the bot only; bots.info has its app
            bot = await self._client.bots_info(bot=str(answer["bot_id"]))
            app_id = (bot.get("bot") or {}).get("app_id")
        return Installed(team_id=str(answer.get("team_id") or ""), app_id=str(app_id or ""))

    async def learn(self, wait: float | None = None) -> Installed | None:
        try:
            return await self._learned.get("", wait=wait)
        except Exception as exc:  # Slack slow, down or refusing: unknown, and asked again after a pause
            log.warning("cannot learn the installed team and app from auth.test: %s", type(exc).__name__)
            return None

    async def foreign(self, body: dict[str, Any]) -> str | None:
        """Why this request is not for this install, or None when it is."""
        installed = await self.learn(wait=LEARN_BUDGET)
        if installed is None:
            return "the installed team is not known yet (auth.test failed)"
        team_id, app_id = claimed(body)
        if team_id != installed.team_id:
            return f"team {team_id or '(none)'} is not the installed team"
        if app_id != installed.app_id:
            return f"app {app_id or '(none)'} is not this app"
        return None


Refused = Callable[[dict[str, Any], str], Coroutine[Any, Any, None]]


def gate(installation: Installation, on_refusal: Refused) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A Bolt middleware: a foreign request gets an empty 200 (Slack shows nothing) and is logged and audited."""
    pending: set[asyncio.Task[None]] = set()

    async def middleware(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        reason = await installation.foreign(body)
        if reason is None:
            await next()
            return None
        log.warning("request refused: %s", reason)
        task = asyncio.create_task(on_refusal(body, reason))  # the audit write must not hold up the answer
        pending.add(task)
        task.add_done_callback(pending.discard)
        return BoltResponse(status=200, body="")

    return middleware
