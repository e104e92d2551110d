"""Getting a message to the requester: the channel and its thread when the bot may post there, else an
ephemeral message, else a DM — never silence."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class Delivery:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def post_parent(self, channel: str, message: dict[str, Any]) -> str | None:
        """The thread's parent message; None when the bot cannot post in that channel."""
        try:
            answer = await self._client.chat_postMessage(channel=channel, unfurl_links=False, **message)
        except SlackApiError as exc:
            log.warning("cannot post in %s: %s", channel, exc.response.get("error"))
            return None
        return str(answer["ts"])

    async def update(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        """Replace a message the bot posted (a campaign's card); SlackApiError when Slack refuses."""
        await self._client.chat_update(channel=channel, ts=ts, **message)

    async def reply(self, channel: str, thread_ts: str | None, user: str, message: dict[str, Any]) -> None:
        if thread_ts:
            try:
                await self._client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
                return
            except SlackApiError as exc:
                log.warning("cannot reply in thread: %s", exc.response.get("error"))
        await self.private(channel, user, message)

    async def private(self, channel: str, user: str, message: dict[str, Any]) -> None:
        try:
            await self._client.chat_postEphemeral(channel=channel, user=user, **message)
            return
        except SlackApiError as exc:
            log.warning("cannot post ephemeral: %s", exc.response.get("error"))
        try:
            await self._client.chat_postMessage(channel=user, **message)
        except SlackApiError as exc:
            log.error("could not reach user %s at all: %s", user, exc.response.get("error"))
