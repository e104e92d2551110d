"""Modal submissions: the form becomes a preview (after reading any uploaded file); the preview's Launch hands the
draft to the domain's Launch use case (which sends it once) after acking."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.checks import Prepared
from bot.campaign.draft import FieldName, FormInput
from bot.campaign.launch import Refused
from bot.campaign.numbers import parse_csv
from bot.slack import dnc_views, ids, messages, views
from bot.slack.context import Context, requester
from bot.slack.files import FileProblem
from bot.slack.metadata import Metadata, read_metadata

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

    picked = element("callers")
    if "selected_options" in picked:
        callers = tuple(str(o.get("value")) for o in picked.get("selected_options") or [])
    else:  # a plain text field: a modal opened before the upgrade that made it a picker
        callers = tuple(c.strip() for c in re.split(r"[\n,;]+", str(picked.get("value") or "")) if c.strip())
    files = [str(f["id"]) for f in element("callees_file").get("files") or [] if f.get("id")]
    form = FormInput(name=text("name"), agent=text("agent"), callees=text("callees"), callers=callers,
                     window=text("window"), concurrency=text("concurrency"), call_order=text("call_order") or "1",
                     uui=text("uui"))
    return form, files


def _preview(ctx: Context, prepared: Prepared, metadata: Metadata) -> View:
    assert prepared.draft is not None
    warnings = [messages.identical_warning(earlier) for earlier in prepared.identical] + prepared.warnings
    screener = ctx.checks.screener
    summary = dnc_views.compliance(prepared.draft.removed, screener.cap,
                                   hours_checked=ctx.checks.calling_hours is not None) if screener else None
    return views.preview(prepared.draft, metadata=Metadata(channel=metadata.channel, draft=prepared.draft_id),
                         warnings=warnings, compliance=summary)


def register(app: AsyncApp, ctx: Context) -> None:
    @app.view(ids.FORM)
    async def preview(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient) -> None:
        metadata = read_metadata(view)
        who = requester(body, metadata.channel)
        form, files = read_form(view["state"]["values"])
        profile = await ctx.profiles.get(who.user_id)
        if profile is None:
            await ack(response_action="errors", errors={
                "window": "Slack did not tell me your time zone just now — please press Preview again."})
            return
        if not files:
            prepared = await ctx.checks.prepare_and_save(form, who, tz=profile.tz, locale=profile.locale or None)
            if prepared.errors:
                await ack(response_action="errors", errors={str(f): text for f, text in prepared.errors.items()})
            else:
                await ack(response_action="update", view=_preview(ctx, prepared, metadata))
            return
        # A file can be large: answer Slack now, read it, then replace the view with the outcome.
        await ack(response_action="update", view=views.checking(metadata))
        async with ctx.in_flight.track():
            try:
                _name, content = await ctx.files.read_text(files[0])
                uploaded = await asyncio.to_thread(parse_csv, content, region=ctx.region, executor=ctx.executor,
                                                   keep=ctx.max_callees)
                prepared = await ctx.checks.prepare_and_save(form, who, tz=profile.tz, locale=profile.locale or None,
                                                             uploaded=uploaded)
            except FileProblem as exc:
                prepared = Prepared(errors={"callees_file": str(exc)})
            except Exception:  # the person is looking at "Checking…": never leave them there
                log.exception("reading an uploaded file failed")
                prepared = Prepared(errors={"callees_file": "Something went wrong reading the file. Try again."})
            outcome = _preview(ctx, prepared, metadata) if not prepared.errors else views.campaign_form(
                form, tz=profile.tz, chinese=profile.chinese, region=ctx.region, metadata=metadata,
                errors=prepared.errors)
            try:
                await client.views_update(view_id=view["id"], view=outcome)
            except SlackApiError as exc:  # most often: they closed the modal while we were reading
                log.info("could not show the checked file: %s", exc.response.get("error"))

    @app.view(ids.PREVIEW)
    async def launch(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = read_metadata(view)
        who = requester(body, metadata.channel)
        refusal = await ctx.access.refusal(who.user_id, who.channel_id)
        checked = await ctx.launch.check(metadata.draft, who, denied=refusal)  # a refusal is audited before the ack
        if isinstance(checked, Refused):
            await ack(response_action="update", view=views.notice("Not launched", checked.reason))
            return
        await ack()
        async with ctx.in_flight.track():
            await ctx.launch.run(checked, who)
