"""`/dialcampaign dnc …` and the do-not-call upload modal: who may do what, then the domain, then an answer."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.dnc import COLUMNS, read_typed, read_upload
from bot.campaign.numbers import parse_csv
from bot.campaign.ports import Requester
from bot.slack import dnc_views, ids
from bot.slack.access import SLOW
from bot.slack.budget import remaining
from bot.slack.context import Context, requester
from bot.slack.files import FileProblem
from bot.slack.format import escape
from bot.slack.metadata import read_metadata
from bot.slack.subcommands import Invocation

log = logging.getLogger(__name__)
CHANGES = ("add", "remove", "upload")


async def _refusal(ctx: Context, who: Requester, action: str) -> str | None:
    """Changing the list takes a do-not-call admin; checking it, anyone who may launch. Refusals are audited."""
    if action in CHANGES:
        if await ctx.dnc_admins.member(who.user_id):
            return None
        text = (f"Only the do-not-call admins ({ctx.dnc_admins.who()}) may change the do-not-call list; ask one of "
                "them, or the bot's admin to add you to DIALCAMPAIGN_DNC_ADMINS.")
    else:
        if await ctx.access.member(who.user_id):
            return None
        text = "Only people allowed to launch campaigns may check the do-not-call list."
    await ctx.dnc.audit(who, "denied", ctx.clock(), command=f"dnc {action}", reason=text)
    return text


async def command(ctx: Context, call: Invocation) -> None:
    action = call.args[0].lower() if call.args else ""
    words = call.args[1:]
    who = call.who
    if action not in ("add", "remove", "check", "upload"):
        await call.respond(**dnc_views.help_message())
        return
    refusal = await _refusal(ctx, who, action)
    if refusal:
        await call.respond(**dnc_views.refused(refusal))
        return
    if action == "upload":
        await _open_upload(ctx, call)
        return
    typed = read_typed(words, ctx.region)
    if not typed.numbers:
        bad = f" Not a phone number: {escape(', '.join(typed.invalid[:5]))}." if typed.invalid else ""
        await call.respond(**dnc_views.problem(
            f"Give the numbers after `dnc {action}`, e.g. `/dialcampaign dnc {action} +8613012345670`.{bad}"))
        return
    now = ctx.clock()
    if action == "add":
        running = await ctx.dnc.add(who, [(n, typed.reason, None) for n in typed.numbers], now, source="command")
        await call.respond(**dnc_views.added(typed.numbers, typed.reason, typed.invalid, running))
    elif action == "remove":
        gone = await ctx.dnc.remove(who, typed.numbers, now)
        await call.respond(**dnc_views.removed(gone, [n for n in typed.numbers if n not in gone]))
    else:
        entry, running = await ctx.dnc.check(who, typed.numbers[0], now)
        await call.respond(**dnc_views.checked(typed.numbers[0], entry, running))


async def _open_upload(ctx: Context, call: Invocation) -> None:
    try:
        await call.client.views_open(trigger_id=call.command["trigger_id"],
                                     view=dnc_views.upload_form({"channel": call.who.channel_id}))
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        await call.respond(**dnc_views.problem("Slack did not let me open the form in time. Run "
                                               "`/dialcampaign dnc upload` again."))


def register(app: AsyncApp, ctx: Context) -> None:
    @app.view(ids.DNC_UPLOAD)
    async def upload(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient,
                     context: dict[str, Any]) -> None:
        metadata = read_metadata(view)
        who = requester(body, metadata.channel)
        values = view["state"]["values"]
        files = [str(f["id"]) for f in values.get(ids.DNC_FILE, {}).get(ids.DNC_FILE, {}).get("files") or []
                 if f.get("id")]
        reason = str(values.get(ids.DNC_REASON, {}).get(ids.DNC_REASON, {}).get("value") or "").strip()
        try:  # before the ack, as every other check there: answer "slow" rather than late
            refusal = await asyncio.wait_for(_refusal(ctx, who, "upload"), remaining(context))
        except TimeoutError:
            await ack(response_action="errors", errors={ids.DNC_FILE: SLOW})
            return
        if refusal:
            await ack(response_action="update", view=dnc_views.uploaded_refused(refusal))
            return
        if not files:
            await ack(response_action="errors", errors={ids.DNC_FILE: "Attach a CSV of numbers."})
            return
        # A file can be large: answer Slack now, read it, then replace the view with the outcome.
        await ack(response_action="update", view=dnc_views.checking({"channel": metadata.channel}))
        async with ctx.in_flight.track():
            outcome = await _read_and_add(ctx, who, files[0], reason)
            try:
                await client.views_update(view_id=view["id"], view=outcome)
            except SlackApiError as exc:  # most often: they closed the modal while we were reading
                log.info("could not show the upload's outcome: %s", exc.response.get("error"))


async def _read_and_add(ctx: Context, who: Requester, file_id: str, reason: str) -> dict[str, Any]:
    try:
        _name, content = await ctx.files.read_text(file_id)
        parsed = await asyncio.to_thread(parse_csv, content, region=ctx.region, executor=ctx.executor,
                                         columns=COLUMNS)
        profile = await ctx.profiles.get(who.user_id)
        now = ctx.clock()
        read = read_upload(parsed, default_reason=reason, tz=profile.tz if profile else "UTC", now=now)
        if read.error or not read.entries:
            return dnc_views.upload_form({"channel": who.channel_id}, error=read.error or (
                "The file has no phone number to add. " + "; ".join(read.problems[:3])))
        running = await ctx.dnc.add(who, read.entries, now, source="upload", skipped=read.problems[:100])
    except FileProblem as exc:
        return dnc_views.upload_form({"channel": who.channel_id}, error=str(exc))
    except Exception:  # the person is looking at "Checking…": never leave them there
        log.exception("reading a do-not-call file failed")
        return dnc_views.upload_form({"channel": who.channel_id}, error="Something went wrong reading the file. "
                                                                         "Nothing was added; try again.")
    return dnc_views.uploaded(len(read.entries), read.problems, read.skipped, running)


