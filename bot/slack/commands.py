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
from bot.slack import dnc, ids, messages, views
from bot.slack.access import SLOW, TooSlow
from bot.slack.context import Context
from bot.slack.metadata import Metadata
from bot.slack.subcommands import Invocation, Subcommand

log = logging.getLogger(__name__)
ACCESS_BUDGET = 1.5  # leaves views.open its time inside the trigger's 3 s

# `/dialcampaign <word> …`: the first word picks a subcommand; any other text pre-fills the launch form.
SUBCOMMANDS: dict[str, Subcommand] = {
    "dnc": dnc.command,
}


def register(app: AsyncApp, ctx: Context) -> None:
    @app.command(ids.COMMAND)
    async def dialcampaign(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient,
                           respond: AsyncRespond) -> None:
        text = (command.get("text") or "").strip()
        if text.lower() in ("help", "?", "-h", "--help"):
            await ack(**messages.help_message())
            return
        await ack()
        word, *args = text.split() or [""]
        if word.lower() in SUBCOMMANDS:
            await SUBCOMMANDS[word.lower()](ctx, Invocation(command, args, respond, client))
            return
        user, channel = command["user_id"], command["channel_id"]
        # trigger_id lives about 3 s: the access check has a hard budget, the profile (it only styles the form) less.
        access = asyncio.ensure_future(ctx.access.refusal(user, channel, budget=ACCESS_BUDGET))
        try:
            profile = await asyncio.wait_for(ctx.profiles.get(user), timeout=1.0)
        except TimeoutError:
            profile = None
        try:
            refusal = await access
        except TooSlow:
            await respond(response_type="ephemeral", **messages.refused(SLOW))
            return
        if refusal:
            # On the record before they are answered: whoever reads the answer can find the audit row.
            await ctx.service.refuse(Requester(command.get("team_id", ""), user, channel), "denied", refusal)
            await respond(response_type="ephemeral", **messages.refused(refusal))
            return
        form = views.campaign_form(prefill(text), tz=profile.tz if profile else None,
                                   chinese=bool(profile and profile.chinese), region=ctx.region,
                                   metadata=Metadata(channel=channel))
        try:
            await client.views_open(trigger_id=command["trigger_id"], view=form)
        except SlackApiError as exc:
            log.warning("views.open failed: %s", exc.response.get("error"))
            await respond(response_type="ephemeral", text=f"Slack did not let me open the form in time "
                          f"({exc.response.get('error')}). Please run /dialcampaign again.")
