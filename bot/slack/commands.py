"""The /dialcampaign command: help, a subcommand (`dnc …`), or open the launch form (pre-filled from the text)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.draft import prefill
from bot.campaign.ports import Requester
from bot.slack import dnc, ids, language, messages, views
from bot.slack.context import Context
from bot.slack.metadata import Metadata
from bot.slack.subcommands import Invocation, Subcommand

log = logging.getLogger(__name__)

# `/dialcampaign <word> …`: the first word picks a subcommand; any other text pre-fills the launch form.
SUBCOMMANDS: dict[str, Subcommand] = {
    "dnc": dnc.command,
}


def register(app: AsyncApp, ctx: Context) -> None:
    @app.command(ids.COMMAND)
    async def dialcampaign(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient,
                           respond: AsyncRespond) -> None:
        text = (command.get("text") or "").strip()
        user, channel = command["user_id"], command["channel_id"]
        if text.lower() in ("help", "?", "-h", "--help"):
            # The help is the ack itself: users.info (cached) gets a bounded wait, well inside Slack's 3 s.
            await ack(**messages.help_message(await ctx.languages.person(user, wait=1.0)))
            return
        await ack()
        word, *args = text.split() or [""]
        if word.lower() in SUBCOMMANDS:
            await SUBCOMMANDS[word.lower()](ctx, Invocation(command, args, respond, client))
            return
        refusal = await ctx.access.refusal(user, channel)
        if refusal:
            # On the record before they are answered: whoever reads the answer can find the audit row.
            await ctx.service.refuse(Requester(command.get("team_id", ""), user, channel), "denied", refusal)
            tr = await ctx.languages.person(user)
            await respond(response_type="ephemeral", **messages.refused(refusal, tr))
            return
        try:  # trigger_id lives about 3 s: the profile only styles the form, so it may not hold it up
            profile = await asyncio.wait_for(ctx.profiles.get(user), timeout=1.0)
        except TimeoutError:
            profile = None
        tr = language.of(profile)
        form = views.campaign_form(prefill(text), tz=profile.tz if profile else None, tr=tr, region=ctx.region,
                                   metadata=Metadata(channel=channel))
        try:
            await client.views_open(trigger_id=command["trigger_id"], view=form)
        except SlackApiError as exc:
            log.warning("views.open failed: %s", exc.response.get("error"))
            await respond(response_type="ephemeral", text=tr.gettext(
                "Slack did not let me open the form in time ({error}). Please run /dialcampaign again.",
                error=exc.response.get("error")))
