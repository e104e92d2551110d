"""The Slack side of a campaign's life: its card kept current with chat.update within a per-workspace budget, and
its thread notes. Implements the domain's LifecycleNotifier."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.campaign.state import Campaign
from bot.campaign.tracking import Event, Priority
from bot.slack import cards
from bot.slack.delivery import Delivery

log = logging.getLogger(__name__)


class CardBudget:
    """A token bucket per workspace for the watcher's chat.update calls. Slack allows about 50 a minute (Tier 3);
    the watcher takes at most `per_minute` of them, and progress-only updates leave `reserve` tokens for changes of
    state, so a campaign that finishes is shown even while hundreds are calling. People's clicks are not counted
    against it (they are few and must always answer)."""

    def __init__(self, per_minute: float = 30.0, burst: float = 10.0, reserve: float = 4.0,
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
        self._buckets[team] = (max(0.0, tokens - 1.0), now)
        return True


class SlackNotifier:
    def __init__(self, delivery: Delivery, budget: CardBudget | None = None) -> None:
        self._delivery = delivery
        self._budget = budget or CardBudget()

    async def card(self, campaign: Campaign, priority: Priority) -> bool:
        if not campaign.thread_ts:  # the bot could not post in that channel: there is no card to update
            return False
        if not self._budget.take(campaign.team_id, priority):
            return False
        try:
            await self._delivery.update(campaign.channel_id, campaign.thread_ts, cards.card(campaign))
        except SlackApiError as exc:
            log.warning("could not update the card of campaign %s: %s", campaign.ref, exc.response.get("error"))
            return False
        return True

    async def note(self, campaign: Campaign, event: Event) -> None:
        await self._delivery.reply(campaign.channel_id, campaign.thread_ts, event.by or campaign.launcher,
                                   cards.note(campaign, event))
