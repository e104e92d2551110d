"""SlackNotifier: the domain's Notifier, in Slack — the launch's thread in its channel, else ephemeral, else a DM;
the channel's messages in the channel's language, private ones in the requester's."""

from __future__ import annotations

from bot.campaign.dnc_ports import LateRemoval
from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import AlreadyLaunched, Notice, NotRecorded, Outcome, Requester
from bot.campaign.text import lazy
from bot.slack import dnc_views, messages
from bot.slack.delivery import Delivery
from bot.slack.format import escape
from bot.slack.language import Languages


class SlackNotifier:
    def __init__(self, delivery: Delivery, languages: Languages) -> None:
        self._delivery = delivery
        self._languages = languages

    async def post_parent(self, requester: Requester, draft: CampaignDraft) -> str | None:
        tr = await self._languages.channel(requester.user_id)
        return await self._delivery.post_parent(requester.channel_id, messages.launching(draft, requester.user_id, tr))

    async def reply(self, requester: Requester, thread: str | None, draft: CampaignDraft, outcome: Outcome) -> None:
        tr = await self._languages.channel(requester.user_id)
        message = messages.outcome(outcome, draft, tr)
        await self._delivery.reply(requester.channel_id, thread, requester.user_id, message)

    async def tell(self, requester: Requester, notice: Notice) -> None:
        tr = await self._languages.person(requester.user_id)
        match notice:
            case AlreadyLaunched(campaign):
                message = messages.already_launched(campaign, tr)
            case NotRecorded(name):
                message = messages.refused(lazy(
                    "Something went wrong on the bot's side: it could not record the launch of *{name}*, so nothing "
                    "was sent to CCC. Try again in a minute.", name=escape(name)), tr)
            case LateRemoval(name, masked, everything, capped, cap):
                message = dnc_views.late_removal(name, masked, tr, everything=everything, capped=capped, cap=cap)
        await self._delivery.private(requester.channel_id, requester.user_id, message)
