"""Buttons inside modals: Back from the preview to the form, exactly as it was filled."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import ids, views
from bot.slack.context import Context


def register(app: AsyncApp, ctx: Context) -> None:
    @app.action(ids.BACK)
    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        loaded = await ctx.service.load_draft(metadata.pop("draft", ""))
        if loaded is None:
            await client.views_update(view_id=view["id"], view=views.notice(
                "Expired", "This preview has expired. Run /dialcampaign again."))
            return
        draft, form = loaded
        profile = await ctx.profiles.get(body["user"]["id"])
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=views.campaign_form(
            form, tz=draft.tz, chinese=bool(profile and profile.chinese), region=ctx.region, metadata=metadata))
