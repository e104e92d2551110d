"""The App Home tab: New campaign, my campaigns and the recent ones of channels I am in, with live state (the store
is the only list there is; the watcher keeps it current). Nobody sees the campaigns of a channel they are not in."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.state import LiveCampaign
from bot.slack import replies
from bot.slack.context import Context
from bot.slack.members import Members

SHOWN = 15


async def visible(members: Members, user: str, campaigns: list[LiveCampaign]) -> list[LiveCampaign]:
    """A person's own campaigns and those launched in channels they are in, newest first."""
    others = {c.channel_id for c in campaigns if c.launcher != user}
    theirs = await members.channels_of(user, others) if others else set()
    return [c for c in campaigns if c.launcher == user or c.channel_id in theirs][:SHOWN]


async def publish(ctx: Context, client: AsyncWebClient, team_id: str, user_id: str) -> None:
    mine = await ctx.life.campaigns.mine(team_id, user_id, limit=10)
    team = await visible(ctx.members, user_id, await ctx.life.campaigns.team(team_id, limit=SHOWN * 4))
    tr = await ctx.languages.person(user_id)
    await client.views_publish(user_id=user_id, view=replies.home_view(mine, team, tr))


def register(app: AsyncApp, ctx: Context) -> None:
    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        await publish(ctx, client, str(body.get("team_id", "")), event["user"])
