"""The shape of a /dialcampaign subcommand (`dnc …`, and whatever else is added): what a handler is given."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.ports import Requester
from bot.slack.context import Context


@dataclass(frozen=True)
class Invocation:
    """One `/dialcampaign <word> <args…>`, already acknowledged: answer through `respond` (ephemeral)."""

    command: dict[str, Any]
    args: list[str]  # the words after the subcommand's own
    respond: AsyncRespond
    client: AsyncWebClient

    @property
    def who(self) -> Requester:
        return Requester(self.command.get("team_id", ""), self.command["user_id"], self.command["channel_id"])


Subcommand = Callable[[Context, Invocation], Awaitable[None]]
