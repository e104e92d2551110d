"""Block buttons: Back from the preview to the form, exactly as it was filled — for the person whose preview it is,
where they may still launch. (The preview's Launch is the modal's submit button, handled in submissions.py.)"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import ids, views
from bot.slack.access import SLOW, TooSlow
from bot.slack.budget import POST_ACK_BUDGET
from bot.slack.context import Context, requester
from bot.slack.guard import SORRY, answering
from bot.slack.metadata import read_metadata


def register(app: AsyncApp, ctx: Context) -> None:
    @app.action(ids.BACK)
    async def back(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = body["view"]
        async with answering("back", lambda: client.views_update(view_id=view["id"],
                                                                 view=views.notice("Back", SORRY))):
            await _back(ctx, client, body, view)


async def _back(ctx: Context, client: AsyncWebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    metadata = read_metadata(view)
    who = requester(body, metadata.channel)
    try:
        refusal = await ctx.access.refusal(who.user_id, who.channel_id, budget=POST_ACK_BUDGET)
    except TooSlow:
        await client.views_update(view_id=view["id"], view=views.again(view, SLOW))
        return
    if refusal:
        await ctx.service.refuse(who, "denied", refusal)
        await client.views_update(view_id=view["id"], view=views.notice("Not allowed", refusal))
        return
    saved = await ctx.service.saved_for(metadata.draft, who)  # another person's draft is refused and audited
    if isinstance(saved, str):
        await client.views_update(view_id=view["id"], view=views.notice("Not available", saved))
        return
    profile = await ctx.profiles.get(who.user_id)
    await client.views_update(view_id=view["id"], hash=view.get("hash"), view=views.campaign_form(
        saved.form, tz=saved.draft.tz, chinese=bool(profile and profile.chinese), region=ctx.region,
        metadata=replace(metadata, draft="")))
