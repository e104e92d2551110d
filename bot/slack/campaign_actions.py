"""Buttons on a campaign's card, status answer and App Home: Refresh, Stop (after Slack's confirm), "I found it in
the console" and its modal, and App Home's New campaign."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.ports import Requester
from bot.campaign.state import LiveCampaign
from bot.campaign.tracking import Actor
from bot.slack import cards, home, ids, replies
from bot.slack.access import SLOW, TooSlow
from bot.slack.budget import POST_ACK_BUDGET, remaining
from bot.slack.commands import ACCESS_BUDGET, open_form
from bot.slack.context import Context
from bot.slack.guard import SORRY, answering

log = logging.getLogger(__name__)
RECONCILE_BUDGET = 2.5  # seconds: the modal must be answered within Slack's 3
_finishing: set[asyncio.Task[Any]] = set()  # reconciles that outlived their answer: kept until they are done


def _ref(body: dict[str, Any]) -> int | None:
    try:
        return int(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError):
        return None


def _where(body: dict[str, Any]) -> tuple[str, str, str]:
    user = body.get("user") or {}
    team = str((body.get("team") or {}).get("id") or user.get("team_id") or "")
    return team, str(user.get("id", "")), str((body.get("channel") or {}).get("id", ""))


def _in_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


async def _actor(ctx: Context, body: dict[str, Any], campaign: LiveCampaign,
                 budget: float = POST_ACK_BUDGET) -> Actor:
    """Who pressed, and whether the launch rule (the same as every other step's) lets them act on this campaign's
    channel; TooSlow when Slack cannot say within `budget`."""
    team, user, channel = _where(body)
    refusal = await ctx.access.refusal(user, campaign.channel_id, budget=budget)
    return Actor(team or campaign.team_id, user, channel or campaign.channel_id, may_launch_there=refusal is None)


async def _may_act(ctx: Context, body: dict[str, Any], campaign: LiveCampaign, what: str,
                   budget: float = POST_ACK_BUDGET) -> str | None:
    """The campaign's launcher, or anyone the launch rule allows in its channel, may press its buttons; otherwise
    why not (audited)."""
    try:
        actor = await _actor(ctx, body, campaign, budget)
    except TooSlow:
        return SLOW
    if actor.may_act(campaign):
        return None
    await ctx.service.refuse(Requester(actor.team_id, actor.user_id, actor.channel_id), "denied",
                             f"may not {what}", campaign_ref=campaign.ref)
    return f"Only <@{campaign.launcher}> or someone allowed to launch campaigns here can {what} it."


def register(app: AsyncApp, ctx: Context) -> None:
    life = ctx.life

    async def tell(body: dict[str, Any], respond: AsyncRespond, campaign: LiveCampaign | None, text: str) -> None:
        """An answer only the presser sees: beside the message they pressed, or (from App Home) privately."""
        _team, user, channel = _where(body)
        if body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, text=text)
        else:
            await ctx.life.delivery.private(campaign.channel_id if campaign else channel, user, {"text": text})

    @app.action(ids.CAMPAIGN_REFRESH)
    async def refresh(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        async with answering("refresh", lambda: tell(body, respond, None, SORRY)):
            ref = _ref(body)
            known = await life.campaigns.get(ref) if ref is not None else None
            if known is not None and (refusal := await _may_act(ctx, body, known, "refresh")):
                await tell(body, respond, known, refusal)
                return
            refreshed = await life.watch.refresh(ref, life.clock()) if ref is not None and known else None
            if refreshed is None:
                await tell(body, respond, None, "I have no record of that campaign.")
                return
            if (body.get("container") or {}).get("is_ephemeral"):  # a status answer: show it current too
                await respond(replace_original=True, **replies.status(refreshed.campaign))
            if not refreshed.ccc_answered:  # else the button would seem to do nothing
                await tell(body, respond, refreshed.campaign, "CCC could not be asked just now, so the card shows "
                                                              "what was last known. Try again in a minute.")

    @app.action(ids.CAMPAIGN_STOP)
    async def stop(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        await ack()
        async with answering("stop", lambda: tell(body, respond, None, SORRY)):
            ref = _ref(body)
            campaign = await life.campaigns.get(ref) if ref is not None else None
            if campaign is None or ref is None:
                await tell(body, respond, None, "I have no record of that campaign.")
                return
            try:
                actor = await _actor(ctx, body, campaign)
            except TooSlow:
                await tell(body, respond, campaign, SLOW)
                return
            result = await life.stop(ref, actor, life.clock())
            if result.message:
                await tell(body, respond, campaign, result.message)
            elif (body.get("container") or {}).get("is_ephemeral") and result.campaign:
                await respond(replace_original=True, **replies.status(result.campaign))
            if _in_home(body):
                await home.publish(ctx, client, _where(body)[0], _where(body)[1])

    @app.action(ids.CAMPAIGN_FOUND)
    async def found(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        await ack()
        async with answering("the found button", lambda: tell(body, respond, None, SORRY)):
            ref = _ref(body)
            campaign = await life.campaigns.get(ref) if ref is not None else None
            if campaign is None:
                await tell(body, respond, None, "I have no record of that launch.")
                return
            # The trigger lives about 3 s: the access check has the form's short budget, and a late open is explained.
            if refusal := await _may_act(ctx, body, campaign, "record the CampaignId of", budget=ACCESS_BUDGET):
                await tell(body, respond, campaign, refusal)
                return
            try:
                await client.views_open(trigger_id=body["trigger_id"], view=cards.found_modal(campaign))
            except SlackApiError as exc:
                log.warning("views.open failed: %s", exc.response.get("error"))
                await tell(body, respond, campaign, "Slack did not let me open the form in time. Please press "
                                                    "“I found it in the console” again.")

    @app.view(ids.FOUND)
    async def found_submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any],
                              context: dict[str, Any]) -> None:
        typed = str(((view.get("state") or {}).get("values") or {}).get(ids.FOUND_ID, {}).get(ids.FOUND_ID, {})
                    .get("value") or "")
        try:
            ref = int(view.get("private_metadata") or "")
        except ValueError:
            await ack(response_action="errors", errors={ids.FOUND_ID: "This form has expired."})
            return
        try:  # everything before the ack shares Slack's budget: the record, the access rule, then CCC
            campaign = await asyncio.wait_for(life.campaigns.get(ref), remaining(context))
            actor = await _actor(ctx, body, campaign, budget=remaining(context)) if campaign else None
        except (TimeoutError, TooSlow):
            await ack(response_action="errors", errors={ids.FOUND_ID: "Slack or the database is slow just now. "
                                                                      "Try again."})
            return
        if campaign is None or actor is None:
            await ack(response_action="errors", errors={ids.FOUND_ID: "I have no record of that launch."})
            return
        if not actor.may_act(campaign):
            await ack(response_action="errors", errors={
                ids.FOUND_ID: "Only the person who launched it, or someone allowed to launch campaigns in its "
                              "channel, can record it."})  # a field error is plain text: no <@…> mention
            await ctx.service.refuse(Requester(actor.team_id, actor.user_id, actor.channel_id), "denied",
                                     "may not reconcile", campaign_ref=ref)
            return
        # Only CCC's Describe is time-boxed: cancelling the use case midway would leave a record without its audit
        # row, card or note. If the rest overruns Slack's budget it still finishes (shielded) behind the answer.
        within = min(RECONCILE_BUDGET, remaining(context))
        work = asyncio.ensure_future(life.reconcile(ref, typed, actor, life.clock(), describe_within=within))
        _finishing.add(work)
        work.add_done_callback(_finishing.discard)
        try:
            result = await asyncio.wait_for(asyncio.shield(work), remaining(context))
        except TimeoutError:
            await ack(response_action="errors", errors={ids.FOUND_ID: "The bot is slow just now. Look at the "
                                                                      "launch's thread in a moment before trying "
                                                                      "again."})
            return
        if result.problem:
            await ack(response_action="errors", errors={ids.FOUND_ID: result.problem})
            return
        await ack()

    @app.action(ids.HOME_NEW)
    async def new_campaign(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        team, user, _channel = _where(body)
        # From App Home there is no channel: the card and its thread go to the person's DM with the bot (its D…
        # id: chat.update needs the channel's own id, not the user's).
        try:
            answer = await client.conversations_open(users=user)
            channel = str((answer.get("channel") or {}).get("id") or user)
        except SlackApiError as exc:
            log.warning("cannot open a DM with %s (%s): posting to the user id", user, exc.response.get("error"))
            channel = user
        await open_form(ctx, client, body["trigger_id"], user, channel, "", team_id=team)

