"""Who may act, and from where: DIALCAMPAIGN_LAUNCHERS (users and user groups), DIALCAMPAIGN_CHANNELS — one rule,
asked at every step (command and its status/stop/list, Preview, Back, option loads, Launch), each time within a
hard time budget."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import TtlCache

log = logging.getLogger(__name__)

SLOW = ("Slack is slow to tell me whether you may launch campaigns right now, so nothing was done. "
        "Please try again in a moment.")


class TooSlow(Exception):
    """The answer did not come within the budget: say so rather than answer Slack late (or guess)."""


class Access:
    def __init__(self, client: AsyncWebClient, *, launchers: list[str], channels: list[str],
                 ttl: float = 60.0) -> None:
        self._client = client
        self._users = {i for i in launchers if not i.startswith("S")}
        self._groups = [i for i in launchers if i.startswith("S")]
        self._channels = set(channels)
        self._members: TtlCache[str, frozenset[str]] = TtlCache(self._fetch_members, ttl=ttl)

    async def refusal(self, user_id: str, channel_id: str, *, budget: float | None = None) -> str | None:
        """None when the user may launch here; otherwise the answer to give them. TooSlow after `budget` seconds
        (a user-group lookup can sleep through Slack's Retry-After; it goes on and fills the cache meanwhile)."""
        if budget is None:
            return await self._refusal(user_id, channel_id)
        try:
            return await asyncio.wait_for(self._refusal(user_id, channel_id), budget)
        except TimeoutError:
            log.warning("access check for %s took over %.1f s: answered 'slow'", user_id, budget)
            raise TooSlow from None

    async def _refusal(self, user_id: str, channel_id: str) -> str | None:
        if self._channels and channel_id not in self._channels:
            where = ", ".join(f"<#{c}>" for c in sorted(self._channels))
            return f"Campaigns can only be launched from {where}."
        if await self.member(user_id):
            return None
        return (f"You are not allowed to launch dialing campaigns. Ask one of the launchers ({self.who()}) or the "
                "bot's admin to add you to DIALCAMPAIGN_LAUNCHERS.")

    async def member(self, user_id: str) -> bool:
        """Listed, directly or through a user group; everyone when the list is empty."""
        if (not self._users and not self._groups) or user_id in self._users:
            return True
        for group in self._groups:
            if user_id in await self._group_members(group):
                return True
        return False

    def who(self) -> str:
        return ", ".join([f"<@{u}>" for u in sorted(self._users)] + [f"<!subteam^{g}>" for g in self._groups])

    async def _fetch_members(self, group: str) -> frozenset[str]:
        answer = await self._client.usergroups_users_list(usergroup=group)
        return frozenset(answer.get("users") or [])

    async def _group_members(self, group: str) -> frozenset[str]:
        try:
            return await self._members.get(group)
        except SlackApiError as exc:  # not cached: a passing failure should not lock people out for long
            log.warning("cannot read user group %s (%s): its members are refused for now", group,
                        exc.response.get("error"))
            return frozenset()
