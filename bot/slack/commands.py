"""The /dialcampaign command: a subcommand by its first word (status, stop, list, help and their Chinese words),
else the launch form pre-filled from the text, else the help — never a form with a stray word as the window."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.command_text import is_prefill
from bot.campaign.draft import prefill
from bot.campaign.ports import Requester
from bot.campaign.state import LiveCampaign
from bot.slack import ids, messages, replies, views
from bot.slack.context import Context
from bot.slack.metadata import Metadata

log = logging.getLogger(__name__)
Message = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One /dialcampaign typed: who, where, and the words after the subcommand."""

    team_id: str
    user_id: str
    channel_id: str
    rest: str
    client: AsyncWebClient


Subcommand = Callable[[Context, Call], Awaitable[Message]]


async def _help(_ctx: Context, _call: Call) -> Message:
    return messages.help_message()


async def _status(ctx: Context, call: Call) -> Message:
    if not call.rest:
        return replies.ephemeral("Which campaign? `/dialcampaign status <CampaignId or name>`")
    found = await ctx.life.campaigns.find(call.team_id, call.rest)
    if found is None:
        return replies.ephemeral(f"I know no campaign with CampaignId or name “{call.rest}” — only campaigns "
                                 "launched from Slack are listed (`/dialcampaign list`).")
    if found.stoppable:  # a status is worth a fresh look at CCC
        found = await ctx.life.watch.refresh(found.ref, ctx.life.clock()) or found
    return replies.status(found)


async def _stop(ctx: Context, call: Call) -> Message:
    if not call.rest:
        return replies.ephemeral("Which campaign? `/dialcampaign stop <CampaignId>`")
    found = await ctx.life.campaigns.find(call.team_id, call.rest)
    if found is None:
        return replies.ephemeral(f"I know no campaign “{call.rest}” launched from Slack.")
    return replies.stop_offer(found)


async def _list(ctx: Context, call: Call) -> Message:
    mine = call.rest.lower() in ("mine", "me", "我的")
    if mine:
        found = await ctx.life.campaigns.mine(call.team_id, call.user_id)
        title, empty = "Your recent campaigns", "You have not launched any campaign yet."
    else:
        found = await ctx.life.campaigns.in_channel(call.team_id, call.channel_id)
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


# The first word decides. Other features add their words here (e.g. "dnc").
SUBCOMMANDS: dict[str, Subcommand] = {
    "help": _help, "帮助": _help, "?": _help, "-h": _help, "--help": _help,
    "status": _status, "状态": _status,
    "stop": _stop, "停止": _stop, "abort": _stop,
    "list": _list, "列表": _list,
}


def register(app: AsyncApp, ctx: Context) -> None:
    @app.command(ids.COMMAND)
    async def dialcampaign(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient,
                           respond: AsyncRespond) -> None:
        text = (command.get("text") or "").strip()
        word, _, rest = text.partition(" ")
        call = Call(str(command.get("team_id", "")), command["user_id"], command["channel_id"], rest.strip(), client)
        handler = SUBCOMMANDS.get(word.lower())
        if handler is _help or (handler is None and text and not is_prefill(text, now=ctx.life.clock())):
            await ack(**messages.help_message())
            return
        if handler is not None:
            await ack()  # answers may need CCC or Slack: after the ack, through response_url
            try:
                await respond(**await handler(ctx, call))
            except Exception:
                log.exception("/dialcampaign %s failed", word)
                await respond(**replies.ephemeral("Something went wrong on the bot's side. Try again in a minute."))
            return
        await ack()
        await open_form(ctx, client, command["trigger_id"], command["user_id"], command["channel_id"], text,
                        team_id=call.team_id, respond=respond)


async def open_form(ctx: Context, client: AsyncWebClient, trigger_id: str, user: str, channel: str, text: str, *,
                    team_id: str, respond: AsyncRespond | None = None) -> None:
    """The launch form (from the command, or App Home's New campaign button)."""
    refusal = await ctx.access.refusal(user, channel)
    if refusal:
        # On the record before they are answered: whoever reads the answer can find the audit row.
        await ctx.service.refuse(Requester(team_id, user, channel), "denied", refusal)
        if respond is not None:
            await respond(response_type="ephemeral", **messages.refused(refusal))
        else:
            await ctx.life.delivery.private(channel, user, messages.refused(refusal))
        return
    try:  # trigger_id lives about 3 s: the profile only styles the form, so it may not hold it up
        profile = await asyncio.wait_for(ctx.profiles.get(user), timeout=1.0)
    except TimeoutError:
        profile = None
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
