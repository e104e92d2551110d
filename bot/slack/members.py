"""Who is in a channel (conversations.members), cached briefly: what App Home may show a person."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import TtlCache

log = logging.getLogger(__name__)
MAX_PAGES = 20  # 20,000 members: beyond that a channel is the whole company anyway


class Members:
    def __init__(self, client: AsyncWebClient, ttl: float = 120.0) -> None:
        self._client = client
        self._cache: TtlCache[str, frozenset[str]] = TtlCache(self._fetch, ttl=ttl, retry_after=30.0)

    async def _fetch(self, channel: str) -> frozenset[str]:
        found: set[str] = set()
        cursor = None
        for _ in range(MAX_PAGES):
            answer = await self._client.conversations_members(channel=channel, limit=1000, cursor=cursor)
            found.update(answer.get("members") or [])
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return frozenset(found)

    async def channels_of(self, user: str, channels: set[str], wait: float = 2.0) -> set[str]:
        """Those of `channels` the user is in. A channel Slack will not list (private, the bot not in it) or that
        does not answer in time counts as not theirs: App Home shows too little rather than too much."""
        ordered = sorted(channels)
        answers = await asyncio.gather(*(self._cache.get(c, wait=wait) for c in ordered), return_exceptions=True)
        mine = set()
        for channel, members in zip(ordered, answers, strict=True):
            if isinstance(members, frozenset):
                if user in members:
                    mine.add(channel)
            elif isinstance(members, SlackApiError):
                log.info("members of %s unknown (%s): not shown", channel, members.response.get("error"))
        return mine
