"""SlackNotifier: the domain's notifiers in Slack — the launch's card as the thread's parent (kept current with
chat.update within a per-workspace budget), its thread replies, else ephemeral, else a DM. What the channel sees is
in the channel's language (the workspace's, else the launcher's); what one person is told, in theirs."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError

from bot.campaign.dnc_ports import LateRemoval
from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import AlreadyLaunched, Campaign, Notice, NotRecorded, Outcome, Requester
from bot.campaign.state import LiveCampaign
from bot.campaign.text import lazy
from bot.campaign.tracking import Event, Priority
from bot.slack import cards, dnc_views, messages
from bot.slack.delivery import Delivery
from bot.slack.format import escape
from bot.slack.language import Languages

log = logging.getLogger(__name__)


class CardBudget:
    """A token bucket per workspace for the watcher's chat.update calls. Slack allows about 50 a minute (Tier 3);
    the watcher takes at most `per_minute` of them (half), and progress-only updates leave `reserve` tokens for
    changes of state, so a campaign that finishes is shown even while hundreds are calling. People's clicks always
    answer and are paid for from the same bucket, which may go into debt by one burst: after a storm of clicks the
    watcher waits at most (burst + 1) / rate seconds."""

    def __init__(self, per_minute: float = 25.0, burst: float = 5.0, reserve: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = per_minute / 60.0
        self._burst = burst
        self._reserve = reserve
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, team: str, priority: Priority) -> bool:
        now = self._clock()
        tokens, since = self._buckets.get(team, (self._burst, now))
        tokens = min(self._burst, tokens + (now - since) * self._rate)
        need = 1.0 + (self._reserve if priority == "progress" else 0.0)
        if priority != "person" and tokens < need:
            self._buckets[team] = (tokens, now)
            return False
        self._buckets[team] = (max(-self._burst, tokens - 1.0), now)
        return True


class SlackNotifier:
    def __init__(self, delivery: Delivery, languages: Languages, budget: CardBudget | None = None) -> None:
        self._delivery = delivery
        self._languages = languages
        self._budget = budget or CardBudget()
        # Set by the wiring: shows a launch's card once its outcome is on record (found by its thread).
        self.outcome_known: Callable[[str, str], Awaitable[object]] | None = None

    # -- the launch (campaign.ports.Notifier) ---------------------------------------------------------------------

    async def post_parent(self, requester: Requester, draft: CampaignDraft) -> str | None:
        """The campaign's card, "Launching…" until CCC has answered."""
        tr = await self._languages.channel(requester.user_id)
        return await self._delivery.post_parent(requester.channel_id, cards.launching(draft, requester.user_id, tr))

    async def reply(self, requester: Requester, thread: str | None, draft: CampaignDraft, outcome: Outcome) -> None:
        if thread and self.outcome_known is not None:
            try:  # the card must never stay "Launching…"; the reply below says it in any case
                await self.outcome_known(requester.channel_id, thread)
            except Exception:
                log.exception("could not update the card in %s", requester.channel_id)
        tr = await self._languages.channel(requester.user_id)
        message = messages.outcome(outcome, draft, tr)
        await self._delivery.reply(requester.channel_id, thread, requester.user_id, message)

    async def orphaned(self, campaign: Campaign) -> None:
        tr = await self._languages.channel(campaign.user_id)  # the thread's reply: the channel's language
        await self._delivery.reply(campaign.channel_id, campaign.thread_ts, campaign.user_id,
                                   messages.orphaned(campaign, tr))

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

    # -- the campaign's life (campaign.tracking.LifecycleNotifier) ------------------------------------------------

    async def card(self, campaign: LiveCampaign, priority: Priority) -> bool:
        if not campaign.thread_ts:  # the bot could not post in that channel: there is no card to update
            return False
        if not self._budget.take(campaign.team_id, priority):
            return False
        try:
            tr = await self._languages.channel(campaign.launcher)
            await self._delivery.update(campaign.channel_id, campaign.thread_ts, cards.card(campaign, tr))
        except SlackApiError as exc:
            log.warning("could not update the card of campaign %s: %s", campaign.ref, exc.response.get("error"))
            return False
        return True

    async def note(self, campaign: LiveCampaign, event: Event) -> None:
        tr = await self._languages.channel(campaign.launcher)
        await self._delivery.reply(campaign.channel_id, campaign.thread_ts, event.by or campaign.launcher,
                                   cards.note(campaign, event, tr))
