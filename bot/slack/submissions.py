"""Modal submissions: the form becomes a preview; the preview's Launch sends the campaign, once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.campaign.draft import CampaignDraft, DraftInvalid, FieldName, FormInput, build_draft
from bot.campaign.policy import review
from bot.slack import ids, messages, views
from bot.slack.context import Context, requester


def read_form(values: dict[str, dict[str, dict[str, Any]]]) -> FormInput:
    """view.state.values -> the text of every field."""

    def get(field: FieldName) -> str:
        element = values.get(ids.BLOCKS[field], {}).get(ids.INPUT, {})
        if element.get("type") == "static_select":
            return str((element.get("selected_option") or {}).get("value", ""))
        return str(element.get("value") or "")

    callers = tuple(c.strip() for c in get("callers").replace(",", "\n").splitlines() if c.strip())
    return FormInput(name=get("name"), agent=get("agent"), callees=get("callees"), callers=callers,
                     window=get("window"), concurrency=get("concurrency"), call_order=get("call_order") or "1",
                     uui=get("uui"))


def _errors(errors: dict[FieldName, str]) -> dict[str, str]:
    return {ids.BLOCKS[field]: message for field, message in errors.items()}


def register(app: AsyncApp, ctx: Context) -> None:
    @app.view(ids.FORM)
    async def preview(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = json.loads(view.get("private_metadata") or "{}")
        who = requester(body, metadata.get("channel", ""))
        form = read_form(view["state"]["values"])
        profile = await ctx.profiles.get(who.user_id)
        if profile is None:
            await ack(response_action="errors", errors=_errors(
                {"window": "Slack did not tell me your time zone just now — please press Preview again."}))
            return
        try:
            draft = build_draft(form, tz=profile.tz, now=ctx.clock(), region=ctx.region)
        except DraftInvalid as exc:
            await ack(response_action="errors", errors=_errors(exc.errors))
            return
        error, warnings = review(draft.callees, draft.start, draft.end, draft.tz, draft.concurrency,
                                 ctx.calling_hours)
        if error:
            await ack(response_action="errors", errors=_errors({"window": error}))
            return
        draft_id = await ctx.service.save_draft(draft, form, who)
        await ack(response_action="update", view=views.preview(
            draft, metadata={**metadata, "draft": draft_id}, warnings=warnings))

    @app.view(ids.PREVIEW)
    async def launch(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = json.loads(view.get("private_metadata") or "{}")
        who = requester(body, metadata.get("channel", ""))
        refusal = await ctx.access.refusal(who.user_id, who.channel_id)
        loaded = await ctx.service.load_draft(metadata.get("draft", ""))
        if refusal or loaded is None:
            text = refusal or "This preview has expired. Run /dialcampaign again."
            await ack(response_action="update", view=views.notice("Not launched", text))
            await ctx.service.refuse(who, "denied" if refusal else "refused", text)
            return
        draft, _form = loaded
        if draft.start < ctx.clock() - timedelta(seconds=60):
            text = "The window's start has passed since the preview. Go back and choose a later time."
            await ack(response_action="update", view=views.notice("Not launched", text))
            await ctx.service.refuse(who, "refused", text)
            return
        await ack()
        async with ctx.in_flight.track():
            await _launch(ctx, metadata["draft"], draft, who)


async def _launch(ctx: Context, draft_id: str, draft: CampaignDraft, who: Any) -> None:
    claim = await ctx.service.claim(draft_id, draft, who)
    if claim is None:  # confirmed twice, a repeated delivery, or another replica: it was sent once already
        existing = await ctx.service.existing(draft_id)
        if existing:
            await ctx.delivery.private(who.channel_id, who.user_id, messages.already_launched(
                existing.name, existing.campaign_id, existing.status))
        return
    thread = await ctx.delivery.post_parent(who.channel_id, messages.launching(draft, who.user_id))
    if thread:
        await ctx.service.record_thread(claim, thread)
    outcome = await ctx.service.submit(claim)
    await ctx.delivery.reply(who.channel_id, thread, who.user_id, messages.outcome(outcome, draft))
