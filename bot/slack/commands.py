"""The /dialcampaign command: a subcommand by its first word (status, stop, list, help and their Chinese words,
dnc), else the launch form pre-filled from the text, else the help — never a form with a stray word as the window."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.command_text import is_prefill
from bot.campaign.draft import prefill
from bot.campaign.ports import Requester
from bot.campaign.state import LiveCampaign
from bot.slack import dnc, home, ids, messages, replies, views
from bot.slack.access import SLOW, TooSlow
from bot.slack.budget import ACKED
from bot.slack.context import Context
from bot.slack.format import escape
from bot.slack.guard import SORRY, answering
from bot.slack.metadata import Metadata
from bot.slack.subcommands import Invocation, Subcommand

log = logging.getLogger(__name__)
Message = dict[str, Any]
HELP_WORDS = ("help", "帮助", "?", "-h", "--help")
ACCESS_BUDGET = 1.5  # leaves views.open its time inside the trigger's 3 s


def answered(handler: Callable[[Context, Invocation], Awaitable[Message]]) -> Subcommand:
    """A subcommand whose answer is one ephemeral message (after the ack, through response_url), given only to
    someone the launch rule lets act here — the same rule and budget as the form's."""

    async def run(ctx: Context, call: Invocation) -> None:
        await call.respond(**(await _refused(ctx, call) or await handler(ctx, call)))

    return run


async def _refused(ctx: Context, call: Invocation) -> Message | None:
    """None when the launch rule allows the person here; else their answer (a refusal is audited first)."""
    who = call.who
    try:
        refusal = await ctx.access.refusal(who.user_id, who.channel_id, budget=ACCESS_BUDGET)
    except TooSlow:
        return {"response_type": "ephemeral", **messages.refused(SLOW)}
    if refusal is None:
        return None
    await ctx.service.refuse(who, "denied", refusal)
    return {"response_type": "ephemeral", **messages.refused(refusal)}


async def _find_typed(ctx: Context, call: Invocation, usage: str) -> LiveCampaign | Message:
    """The campaign typed after status/stop, only if the person may see it (theirs, or of a channel they are in, as
    in App Home); else their answer — any other campaign is answered like one that does not exist."""
    typed = " ".join(call.args)
    if not typed:
        return replies.ephemeral(f"Which campaign? `/dialcampaign {usage}`")
    found = await ctx.life.campaigns.find(call.who.team_id, typed)
    seen = await home.visible(ctx.members, call.who.user_id, [found]) if found else []
    if not seen:
        return replies.ephemeral(f"I know no campaign with CampaignId or name “{escape(typed)}” — only campaigns "
                                 "launched from Slack are listed (`/dialcampaign list`).")
    return seen[0]


async def _status(ctx: Context, call: Invocation) -> Message:
    found = await _find_typed(ctx, call, "status <CampaignId or name>")
    if not isinstance(found, LiveCampaign):
        return found
    if found.stoppable:  # a status is worth a fresh look at CCC
        refreshed = await ctx.life.watch.refresh(found.ref, ctx.life.clock())
        found = refreshed.campaign if refreshed else found
    return replies.status(found)


async def _stop(ctx: Context, call: Invocation) -> Message:
    found = await _find_typed(ctx, call, "stop <CampaignId>")
    return replies.stop_offer(found) if isinstance(found, LiveCampaign) else found


async def _list(ctx: Context, call: Invocation) -> Message:
    who = call.who
    if " ".join(call.args).lower() in ("mine", "me", "我的"):
        found = await ctx.life.campaigns.mine(who.team_id, who.user_id)
        title, empty = "Your recent campaigns", "You have not launched any campaign yet."
    else:
        # Others' campaigns here only for a member of this channel (as App Home shows them).
        found = await home.visible(ctx.members, who.user_id,
                                   await ctx.life.campaigns.in_channel(who.team_id, who.channel_id))
        title, empty = "Recent campaigns in this channel", "No campaign was launched from this channel yet."
    links = await asyncio.gather(*(_permalink(call.client, c) for c in found))
    return replies.listing(title, list(zip(found, links, strict=True)), empty)


async def _permalink(client: AsyncWebClient, c: LiveCampaign) -> str | None:
    if not c.thread_ts:
        return None
    try:
        answer = await client.chat_getPermalink(channel=c.channel_id, message_ts=c.thread_ts)
    except SlackApiError as exc:
        log.info("no permalink for campaign %s: %s", c.ref, exc.response.get("error"))
        return None
    link = answer.get("permalink")
    return str(link) if link else None


# `/dialcampaign <word> …`: the first word picks a subcommand; other text the form understands pre-fills it.
SUBCOMMANDS: dict[str, Subcommand] = {
    "dnc": dnc.command,
    "status": answered(_status), "状态": answered(_status),
    "stop": answered(_stop), "停止": answered(_stop), "abort": answered(_stop),
    "list": answered(_list), "列表": answered(_list),
}


def register(app: AsyncApp, ctx: Context) -> None:
    @app.command(ids.COMMAND)
    async def dialcampaign(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient,
                           respond: AsyncRespond, context: AsyncBoltContext) -> None:
        text = (command.get("text") or "").strip()
        word, *args = text.split() or [""]
        # Whether the text pre-fills the form parses it as a window: in a thread, off the event loop that acks others.
        if word.lower() in HELP_WORDS or (word.lower() not in SUBCOMMANDS and text and not await asyncio.to_thread(
                is_prefill, text, now=ctx.life.clock())):
            if context.get(ACKED):  # start-up's first stage acked it empty: the help comes through response_url
                await ack()
                await respond(**messages.help_message())
                return
            await ack(**messages.help_message())
            return
        await ack()  # after start-up's first stage acked already, this answer goes nowhere: no second ack
        if word.lower() in SUBCOMMANDS:  # every subcommand answers, even when it fails after the ack
            async with answering(f"/dialcampaign {word.lower()}",
                                 lambda: respond(**replies.ephemeral(SORRY))):
                await SUBCOMMANDS[word.lower()](ctx, Invocation(command, args, respond, client))
            return
        await open_form(ctx, client, command["trigger_id"], command["user_id"], command["channel_id"], text,
                        team_id=str(command.get("team_id", "")), respond=respond)


async def open_form(ctx: Context, client: AsyncWebClient, trigger_id: str, user: str, channel: str, text: str, *,
                    team_id: str, respond: AsyncRespond | None = None) -> None:
    """The launch form (from the command, or App Home's New campaign button)."""
    # trigger_id lives about 3 s: the access check has a hard budget, the profile (it only styles the form) less.
    access = asyncio.ensure_future(ctx.access.refusal(user, channel, budget=ACCESS_BUDGET))
    try:
        profile = await asyncio.wait_for(ctx.profiles.get(user), timeout=1.0)
    except TimeoutError:
        profile = None
    try:
        refusal = await access
    except TooSlow:
        if respond is not None:
            await respond(response_type="ephemeral", **messages.refused(SLOW))
        else:
            await ctx.life.delivery.private(channel, user, messages.refused(SLOW))
        return
    if refusal:
        # On the record before they are answered here (the Preview answers first, then audits: its ack is due).
        await ctx.service.refuse(Requester(team_id, user, channel), "denied", refusal)
        if respond is not None:
            await respond(response_type="ephemeral", **messages.refused(refusal))
        else:
            await ctx.life.delivery.private(channel, user, messages.refused(refusal))
        return
    form = views.campaign_form(prefill(text), tz=profile.tz if profile else None,
                               chinese=bool(profile and profile.chinese), region=ctx.region,
                               metadata=Metadata(channel=channel))
    try:
        await client.views_open(trigger_id=trigger_id, view=form)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        text = (f"Slack did not let me open the form in time ({exc.response.get('error')}). Please run "
                "/dialcampaign again.")
        if respond is not None:
            await respond(response_type="ephemeral", text=text)
        else:
            await ctx.life.delivery.private(channel, user, {"text": text})
