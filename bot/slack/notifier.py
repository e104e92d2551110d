"""SlackNotifier: the domain's Notifier, in Slack — the launch's thread in its channel, else ephemeral, else a DM."""

from __future__ import annotations

from bot.campaign.dnc_ports import LateRemoval
from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import AlreadyLaunched, Campaign, Notice, NotRecorded, Outcome, Requester
from bot.slack import dnc_views, messages
from bot.slack.delivery import Delivery
from bot.slack.format import escape


class SlackNotifier:
    def __init__(self, delivery: Delivery) -> None:
        self._delivery = delivery

    async def post_parent(self, requester: Requester, draft: CampaignDraft) -> str | None:
        return await self._delivery.post_parent(requester.channel_id, messages.launching(draft, requester.user_id))

    async def reply(self, requester: Requester, thread: str | None, draft: CampaignDraft, outcome: Outcome) -> None:
        await self._delivery.reply(requester.channel_id, thread, requester.user_id, messages.outcome(outcome, draft))

    async def orphaned(self, campaign: Campaign) -> None:
        await self._delivery.reply(campaign.channel_id, campaign.thread_ts, campaign.user_id,
                                   messages.orphaned(campaign))

    async def tell(self, requester: Requester, notice: Notice) -> None:
        match notice:
            case AlreadyLaunched(campaign):
                message = messages.already_launched(campaign)
            case NotRecorded(name):
                message = messages.refused(
                    f"Something went wrong on the bot's side: it could not record the launch of *{escape(name)}*, so "
                    "nothing was sent to CCC. Try again in a minute.")
            case LateRemoval(name, masked, everything, capped, cap):
                message = dnc_views.late_removal(name, masked, everything=everything, capped=capped, cap=cap)
        await self._delivery.private(requester.channel_id, requester.user_id, message)
