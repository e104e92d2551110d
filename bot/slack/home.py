"""The App Home tab: how to use the bot, and the recent campaigns this person may see — their own and those of
channels they are in (the store is the only list there is)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.ports import Campaign
from bot.slack import views
from bot.slack.context import Context
from bot.slack.members import Members

SHOWN = 15


async def visible(members: Members, user: str, campaigns: list[Campaign]) -> list[Campaign]:
    """A person's own campaigns and those launched in channels they are in, newest first."""
    others = {c.channel_id for c in campaigns if c.user_id != user}
    theirs = await members.channels_of(user, others) if others else set()
    return [c for c in campaigns if c.user_id == user or c.channel_id in theirs][:SHOWN]


def register(app: AsyncApp, ctx: Context) -> None:
    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user = str(event["user"])
        records = await ctx.service.recent(str(body.get("team_id", "")), limit=SHOWN * 4)
        await client.views_publish(user_id=user, view=views.home(await visible(ctx.members, user, records)))
