"""Block buttons: Back from the preview to the form, exactly as it was filled. (The preview's Launch is the modal's
submit button, handled in submissions.py.)"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import ids, views
from bot.slack.context import Context
from bot.slack.metadata import read_metadata


def register(app: AsyncApp, ctx: Context) -> None:
    @app.action(ids.BACK)
    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = body["view"]
        metadata = read_metadata(view)
        loaded = await ctx.service.load_draft(metadata.draft) if metadata.draft else None
        if loaded is None:
            await client.views_update(view_id=view["id"], view=views.notice(
                "Expired", "This preview has expired. Run /dialcampaign again."))
            return
        draft, form = loaded
        profile = await ctx.profiles.get(body["user"]["id"])
        await client.views_update(view_id=view["id"], hash=view.get("hash"), view=views.campaign_form(
            form, tz=draft.tz, chinese=bool(profile and profile.chinese), region=ctx.region,
            metadata=replace(metadata, draft="")))
