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
from bot.i18n import Translator
from bot.slack import dnc, home, ids, language, messages, replies, views
from bot.slack.access import SLOW, TooSlow
from bot.slack.budget import ACKED
from bot.slack.context import Context
from bot.slack.format import escape
from bot.slack.guard import SORRY, answering
from bot.slack.metadata import Metadata
from bot.slack.subcommands import Invocation, Subcommand

log = logging.getLogger(__name__)
Message = dict[str, Any]
HELP_WORDS = ("help", "帮助", "幫助", "說明", "ヘルプ", "?", "-h", "--help")
ACCESS_BUDGET = 1.5  # leaves views.open its time inside the trigger's 3 s


def answered(handler: Callable[[Context, Invocation, Translator], Awaitable[Message]]) -> Subcommand:
    """A subcommand whose answer is one ephemeral message (after the ack, through response_url), in the person's
    language, given only to someone the launch rule lets act here — the same rule and budget as the form's."""

    async def run(ctx: Context, call: Invocation) -> None:
        tr = await ctx.languages.person(call.who.user_id)
        await call.respond(**(await _refused(ctx, call, tr) or await handler(ctx, call, tr)))

    return run


async def _refused(ctx: Context, call: Invocation, tr: Translator) -> Message | None:
    """None when the launch rule allows the person here; else their answer (a refusal is audited first)."""
    who = call.who
    try:
        refusal = await ctx.access.refusal(who.user_id, who.channel_id, budget=ACCESS_BUDGET)
    except TooSlow:
        return {"response_type": "ephemeral", **messages.refused(SLOW, tr)}
    if refusal is None:
        return None
    await ctx.service.refuse(who, "denied", refusal)
    return {"response_type": "ephemeral", **messages.refused(refusal, tr)}


async def _find_typed(ctx: Context, call: Invocation, which: str, tr: Translator) -> LiveCampaign | Message:
    """The campaign typed after status/stop, only if the person may see it (theirs, or of a channel they are in, as
    in App Home); else their answer — any other campaign is answered like one that does not exist. `which`: how
    to ask for it."""
    typed = " ".join(call.args)
    if not typed:
        return replies.ephemeral(which, tr)
    found = await ctx.life.campaigns.find(call.who.team_id, typed)
    seen = await home.visible(ctx.members, call.who.user_id, [found]) if found else []
    if not seen:
        return replies.ephemeral(tr.gettext(
            "I know no campaign with CampaignId or name “{name}” — only campaigns launched from Slack are listed "
            "(`/dialcampaign list`).", name=escape(typed)), tr)
    return seen[0]


async def _status(ctx: Context, call: Invocation, tr: Translator) -> Message:
    found = await _find_typed(ctx, call, tr.gettext("Which campaign? `/dialcampaign status <CampaignId or name>`"), tr)
    if not isinstance(found, LiveCampaign):
        return found
    if found.stoppable:  # a status is worth a fresh look at CCC
        refreshed = await ctx.life.watch.refresh(found.ref, ctx.life.clock())
        found = refreshed.campaign if refreshed else found
    return replies.status(found, tr)


async def _stop(ctx: Context, call: Invocation, tr: Translator) -> Message:
    found = await _find_typed(ctx, call, tr.gettext("Which campaign? `/dialcampaign stop <CampaignId>`"), tr)
    return replies.stop_offer(found, tr) if isinstance(found, LiveCampaign) else found


async def _list(ctx: Context, call: Invocation, tr: Translator) -> Message:
    who = call.who
    if " ".join(call.args).lower() in ("mine", "me", "我的", "自分"):
        found = await ctx.life.campaigns.mine(who.team_id, who.user_id)
        title = tr.gettext("Your recent campaigns")
        empty = tr.gettext("You have not launched any campaign yet.")
    else:
        # Others' campaigns here only for a member of this channel (as App Home shows them).
        found = await home.visible(ctx.members, who.user_id,
                                   await ctx.life.campaigns.in_channel(who.team_id, who.channel_id))
        title = tr.gettext("Recent campaigns in this channel")
        empty = tr.gettext("No campaign was launched from this channel yet.")
    links = await asyncio.gather(*(_permalink(call.client, c) for c in found))
    return replies.listing(title, list(zip(found, links, strict=True)), empty, tr)


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
    "status": answered(_status), "状态": answered(_status), "狀態": answered(_status), "状態": answered(_status),
    "stop": answered(_stop), "停止": answered(_stop), "abort": answered(_stop),
    "list": answered(_list), "列表": answered(_list), "一覧": answered(_list),
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
            # The help is the ack itself: users.info (cached) gets a bounded wait, well inside Slack's 3 s.
            tr = await ctx.languages.person(command["user_id"], wait=1.0)
            if context.get(ACKED):  # start-up's first stage acked it empty: the help comes through response_url
                await ack()
                await respond(**messages.help_message(tr))
                return
            await ack(**messages.help_message(tr))
            return
        await ack()  # after start-up's first stage acked already, this answer goes nowhere: no second ack
        if word.lower() in SUBCOMMANDS:  # every subcommand answers, even when it fails after the ack
            async with answering(f"/dialcampaign {word.lower()}",
                                 lambda: respond(**replies.ephemeral(SORRY, ctx.languages.known(command["user_id"])))):
                await SUBCOMMANDS[word.lower()](ctx, Invocation(command, args, respond, client))
            return
        await open_form(ctx, client, command["trigger_id"], command["user_id"], command["channel_id"], text,
                        team_id=str(command.get("team_id", "")), respond=respond)


async def open_form(ctx: Context, client: AsyncWebClient, trigger_id: str, user: str, channel: str, text: str, *,
                    team_id: str, respond: AsyncRespond | None = None) -> None:
    """The launch form (from the command, or App Home's New campaign button), in the person's language."""
    # trigger_id lives about 3 s: the access check has a hard budget, the profile (it only styles the form) less.
    access = asyncio.ensure_future(ctx.access.refusal(user, channel, budget=ACCESS_BUDGET))
    try:
        profile = await asyncio.wait_for(ctx.profiles.get(user), timeout=1.0)
    except TimeoutError:
        profile = None
    tr = language.of(profile)
    try:
        refusal = await access
    except TooSlow:
        if respond is not None:
            await respond(response_type="ephemeral", **messages.refused(SLOW, tr))
        else:
            await ctx.life.delivery.private(channel, user, messages.refused(SLOW, tr))
        return
    if refusal:
        # On the record before they are answered here (the Preview answers first, then audits: its ack is due).
        await ctx.service.refuse(Requester(team_id, user, channel), "denied", refusal)
        if respond is not None:
            await respond(response_type="ephemeral", **messages.refused(refusal, tr))
        else:
            await ctx.life.delivery.private(channel, user, messages.refused(refusal, tr))
        return
    form = views.campaign_form(prefill(text), tz=profile.tz if profile else None, tr=tr, region=ctx.region,
                               metadata=Metadata(channel=channel))
    try:
        await client.views_open(trigger_id=trigger_id, view=form)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        text = tr.gettext("Slack did not let me open the form in time ({error}). Please run /dialcampaign again.",
                          error=exc.response.get("error"))
        if respond is not None:
            await respond(response_type="ephemeral", text=text)
        else:
            await ctx.life.delivery.private(channel, user, {"text": text})
