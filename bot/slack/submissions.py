"""Modal submissions: the form becomes a preview (after reading any uploaded file); the preview's Launch sends the
campaign, once."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.draft import CampaignDraft, DraftInvalid, FieldName, FormInput, build_draft
from bot.campaign.numbers import ParsedNumbers, parse_csv
from bot.campaign.policy import review
from bot.campaign.service import Requester
from bot.slack import ids, messages, views
from bot.slack.context import Context, requester
from bot.slack.files import FileProblem
from bot.slack.profiles import Profile

View = dict[str, Any]
log = logging.getLogger(__name__)


def read_form(values: dict[str, dict[str, dict[str, Any]]]) -> tuple[FormInput, list[str]]:
    """view.state.values -> the text of every field, and the ids of any uploaded files."""

    def element(field: FieldName) -> dict[str, Any]:
        return values.get(field, {}).get(field, {})

    def text(field: FieldName) -> str:
        chosen = element(field)
        if "selected_option" in chosen:
            return str((chosen.get("selected_option") or {}).get("value", ""))
        return str(chosen.get("value") or "")

    callers = tuple(str(o.get("value")) for o in element("callers").get("selected_options") or [])
    files = [str(f["id"]) for f in element("callees_file").get("files") or [] if f.get("id")]
    form = FormInput(name=text("name"), agent=text("agent"), callees=text("callees"), callers=callers,
                     window=text("window"), concurrency=text("concurrency"), call_order=text("call_order") or "1",
                     uui=text("uui"))
    return form, files


async def prepare(ctx: Context, form: FormInput, who: Requester, profile: Profile,
                  uploaded: ParsedNumbers | None, metadata: dict[str, str]) -> tuple[dict[FieldName, str], View]:
    """Check the form against every rule and CCC's own lists: (errors, None-ish form) or ({}, the preview)."""
    agents, callers = await asyncio.gather(ctx.directory.agents(wait=1.0), ctx.directory.callers(wait=1.0))
    try:
        draft = build_draft(form, tz=profile.tz, now=ctx.clock(), region=ctx.region, uploaded=uploaded,
                            agents=[a.mail for a in agents] if agents is not None else None, callers=callers)
    except DraftInvalid as exc:
        return exc.errors, {}
    error, warnings = await asyncio.to_thread(review, draft.callees, draft.start, draft.end, draft.tz,
                                              draft.concurrency, ctx.calling_hours)
    if error:
        return {"window": error}, {}
    for earlier in await ctx.service.identical(draft, who.team_id):
        warnings.insert(0, messages.identical_warning(earlier))
    draft_id = await ctx.service.save_draft(draft, form, who)
    return {}, views.preview(draft, metadata={**metadata, "draft": draft_id}, warnings=warnings)


def register(app: AsyncApp, ctx: Context) -> None:
    @app.view(ids.FORM)
    async def preview(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        metadata = json.loads(view.get("private_metadata") or "{}")
        who = requester(body, metadata.get("channel", ""))
        form, files = read_form(view["state"]["values"])
        profile = await ctx.profiles.get(who.user_id)
        if profile is None:
            await ack(response_action="errors", errors={
                "window": "Slack did not tell me your time zone just now — please press Preview again."})
            return
        if not files:
            errors, preview_view = await prepare(ctx, form, who, profile, None, metadata)
            if errors:
                await ack(response_action="errors", errors={str(field): text for field, text in errors.items()})
            else:
                await ack(response_action="update", view=preview_view)
            return
        # A file can be large: answer Slack now, read it, then replace the view with the outcome.
        await ack(response_action="update", view=views.checking(metadata))
        async with ctx.in_flight.track():
            try:
                _name, content = await ctx.files.read_text(files[0])
                uploaded = await asyncio.to_thread(parse_csv, content, region=ctx.region, executor=ctx.executor)
                errors, preview_view = await prepare(ctx, form, who, profile, uploaded, metadata)
            except FileProblem as exc:
                errors, preview_view = {"callees_file": str(exc)}, {}
            except Exception:  # the person is looking at "Checking…": never leave them there
                log.exception("reading an uploaded file failed")
                errors, preview_view = {"callees_file": "Something went wrong reading the file. Try again."}, {}
            if errors:
                preview_view = views.campaign_form(form, tz=profile.tz, chinese=profile.chinese, metadata=metadata,
                                                   errors=errors)
            await client.views_update(view_id=view["id"], view=preview_view)

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


async def _launch(ctx: Context, draft_id: str, draft: CampaignDraft, who: Requester) -> None:
    try:
        claim = await ctx.service.claim(draft_id, draft, who)
    except Exception:  # the modal has closed: a message is the only way to tell them
        log.exception("could not record launch %s", draft_id)
        await ctx.delivery.private(who.channel_id, who.user_id, messages.refused(
            f"Something went wrong on the bot's side: it could not record the launch of *{draft.name}*, so nothing "
            "was sent to CCC. Try again in a minute."))
        return
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
