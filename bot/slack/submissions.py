"""Modal submissions: the form becomes a preview (after reading any uploaded file) within Slack's ack budget; the
preview's Launch acks at once ("Launching…") and then hands the draft to the domain's Launch use case (which sends
it once), if the person may still launch it from there."""

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
from bot.slack.access import SLOW, TooSlow
from bot.slack.budget import POST_ACK_BUDGET, missed, remaining
from bot.slack.context import Context, requester
from bot.slack.files import FileProblem
from bot.slack.guard import SORRY, answering
from bot.slack.metadata import Metadata, read_metadata
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


SLOW_PREVIEW = ("Slack or the bot's database is slow right now, so nothing was checked or saved. "
                "Please press Preview again in a moment.")


async def _show(client: AsyncWebClient, view: dict[str, Any], shown: View) -> None:
    """Replace the modal the person is looking at; they may have closed it meanwhile, which is fine."""
    if not view.get("id"):
        return
    try:
        await client.views_update(view_id=view["id"], view=shown)
    except SlackApiError as exc:
        log.info("could not update the modal: %s", exc.response.get("error"))


def register(app: AsyncApp, ctx: Context) -> None:
    @app.view(ids.FORM)
    async def preview(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient,
                      context: dict[str, Any]) -> None:
        metadata = read_metadata(view)
        who = requester(body, metadata.channel)
        form, files = read_form(view["state"]["values"])

        async def before_ack() -> tuple[str | None, Profile | None, Prepared | None]:
            refusal, profile = await asyncio.gather(ctx.access.refusal(who.user_id, who.channel_id),
                                                    ctx.profiles.get(who.user_id))
            if refusal or profile is None or files:
                return refusal, profile, None
            return None, profile, await ctx.checks.prepare_and_save(form, who, tz=profile.tz,
                                                                    locale=profile.locale or None)

        try:  # everything before the ack has one hard budget: answer "slow" rather than late
            refusal, profile, prepared = await asyncio.wait_for(before_ack(), remaining(context))
        except TimeoutError:
            log.warning("preview not ready within Slack's ack budget: answered 'slow'")
            await ack(response_action="errors", errors={"name": SLOW_PREVIEW})
            return
        if refusal:
            await ack(response_action="update", view=views.notice("Not allowed", refusal))
            await ctx.service.refuse(who, "denied", refusal)
            return
        if profile is None:
            await ack(response_action="errors", errors={
                "window": "Slack did not tell me your time zone just now — please press Preview again."})
            return
        if prepared is not None:
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
            await _show(client, view, outcome)

    @app.view(ids.PREVIEW)
    async def launch(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient,
                     context: dict[str, Any]) -> None:
        metadata = read_metadata(view)
        who = requester(body, metadata.channel)
        if missed(context):  # Slack has shown the person an error already: launching now would surprise them
            await ack()
            await ctx.service.refuse(who, "refused", "Slack's request waited too long to be answered in time; "
                                                     "nothing was launched", draft=metadata.draft)
            return
        # Acked at once: access, the draft and CCC are read afterwards, whatever Slack or the database are doing.
        await ack(response_action="update", view=views.launching(metadata))
        async with ctx.in_flight.track(), answering("launch", lambda: _show(client, view, views.notice(
                "Launch", f"{SORRY} Look for the campaign's card in the channel before launching again."))):
            try:
                refusal = await ctx.access.refusal(who.user_id, who.channel_id, budget=POST_ACK_BUDGET)
            except TooSlow:
                await _show(client, view, views.again(view, SLOW))
                return
            checked = await ctx.launch.check(metadata.draft, who, denied=refusal)  # a refusal is audited
            if isinstance(checked, Refused):
                await _show(client, view, views.notice("Not launched", checked.reason))
                return
            outcome = await ctx.launch.run(checked, who)
            await _show(client, view, views.launched(outcome, checked.draft.name))
