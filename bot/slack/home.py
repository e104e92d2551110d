"""The App Home tab: how to use the bot, and the team's recent campaigns (the store is the only list there is)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import views
from bot.slack.context import Context


def register(app: AsyncApp, ctx: Context) -> None:
    @app.event("app_home_opened")
    async def home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        records = await ctx.service.recent(str(body.get("team_id", "")), limit=15)
        tr = await ctx.languages.person(event["user"])
        await client.views_publish(user_id=event["user"], view=views.home(records, tr))
