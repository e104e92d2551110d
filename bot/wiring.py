"""Puts a campaign's after-launch life together: the CCC client adapted to the domain's Describe/Abort port, the
store's tracking, the Slack notifier, and the watcher's own Describe pace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.listing import Campaigns
from bot.campaign.reconcile import Reconcile
from bot.campaign.stop import Stop
from bot.campaign.tracking import CccFailure
from bot.campaign.watch import Watch
from bot.slack.context import Life
from bot.slack.delivery import Delivery
from bot.slack.notifier import SlackNotifier
from bot.store.repository import Store
from bot.store.tracking import Tracking
from bot.tencent.client import CampaignState, CccClient
from bot.tencent.errors import CccError, CccOutcomeUnknown, InvalidRequest, NotFound
from bot.tencent.ratelimit import SlidingWindowLimiter

WATCHER_DESCRIBES_PER_SECOND = 15  # of CCC's 20/s for Describe: the rest stays free for Refresh, Stop and status


class CccLifecycle:
    """CccClient's Describe and Abort with Tencent's errors turned into the domain's CccFailure. With a `pace`,
    Describes also wait for the watcher's own share of the Describe budget (Creates have a budget of their own in
    the client: its limit is per action)."""

    def __init__(self, client: CccClient, pace: SlidingWindowLimiter | None = None) -> None:
        self._client = client
        self._pace = pace

    async def describe(self, campaign_id: int) -> CampaignState:
        if self._pace is not None:
            await self._pace.acquire("watcher")
        try:
            return await self._client.describe_cruise_campaign(campaign_id)
        except CccError as exc:
            raise _failure(exc) from None

    async def abort(self, campaign_id: int) -> str:
        try:
            return await self._client.abort_cruise_campaign(campaign_id)
        except CccError as exc:
            raise _failure(exc) from None


def _failure(exc: CccError) -> CccFailure:
    missing = isinstance(exc, NotFound) or (isinstance(exc, InvalidRequest) and exc.code == "InvalidParameterValue")
    return CccFailure(exc.message, code=exc.code, request_id=exc.request_id,
                      ambiguous=isinstance(exc, CccOutcomeUnknown), not_found=missing)


@dataclass(frozen=True)
class Lifecycle:
    life: Life  # what the Slack listeners use
    watcher_watch: Watch  # the same Watch with the watcher's Describe pace
    tracking: Tracking


def build_lifecycle(*, ccc: CccClient, store: Store, delivery: Delivery, clock: Callable[[], datetime],
                    interval: int) -> Lifecycle:
    tracking = Tracking(store.engine)
    notifier = SlackNotifier(delivery)
    direct = CccLifecycle(ccc)
    paced = CccLifecycle(ccc, SlidingWindowLimiter(rate=WATCHER_DESCRIBES_PER_SECOND))
    life = Life(
        watch=Watch(ccc=direct, store=tracking, notifier=notifier, interval=interval),
        stop=Stop(ccc=direct, store=tracking, audit=store, notifier=notifier),
        reconcile=Reconcile(ccc=direct, store=tracking, audit=store, notifier=notifier),
        campaigns=Campaigns(tracking), clock=clock,
    )
    return Lifecycle(life, Watch(ccc=paced, store=tracking, notifier=notifier, interval=interval), tracking)
