"""Puts a campaign's after-launch life together: CCC's Describe/Abort (the CccAdapter) with the watcher's own
Describe pace, the store's tracking, the Slack notifier, and the use cases the listeners call."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot.adapters import CccAdapter, StoreAdapter
from bot.campaign.listing import Campaigns
from bot.campaign.ports import Progress
from bot.campaign.reconcile import Reconcile
from bot.campaign.stop import Stop
from bot.campaign.watch import Watch
from bot.slack.context import Life
from bot.slack.delivery import Delivery
from bot.slack.notifier import SlackNotifier
from bot.store.tracking import Tracking
from bot.tencent.ratelimit import SlidingWindowLimiter

# Of CCC's 20/s for Describe: 1,000 campaigns at a 60 s interval need 16.7/s (a slot is held until a second after
# the answer, so 18 slots give a little under 18/s); the rest stays free for Refresh, Stop and status. Per process:
# several replicas sweeping a backlog at once may meet CCC's limit, which the client retries.
WATCHER_DESCRIBES_PER_SECOND = 18


class PacedDescribe:
    """The watcher's Describes wait for its own share of the Describe budget. Creates never wait behind them: the
    client's limit is per action, so Create has its own 20/s."""

    def __init__(self, ccc: CccAdapter, per_second: int = WATCHER_DESCRIBES_PER_SECOND) -> None:
        self._ccc = ccc
        self._pace = SlidingWindowLimiter(rate=per_second)

    async def describe(self, campaign_id: int) -> Progress:
        async with self._pace.slot("watcher"):
            return await self._ccc.describe(campaign_id)

    async def abort(self, campaign_id: int) -> str:
        return await self._ccc.abort(campaign_id)


@dataclass(frozen=True)
class Lifecycle:
    life: Life  # what the Slack listeners use
    watcher_watch: Watch  # the same Watch with the watcher's Describe pace
    tracking: Tracking  # the watcher's: its leases
    notifier: SlackNotifier  # also the launch's Notifier: one card from "Launching…" on


def build_lifecycle(*, ccc: CccAdapter, store: StoreAdapter, engine: Engine, notifier: SlackNotifier,
                    delivery: Delivery, clock: Callable[[], datetime], interval: int) -> Lifecycle:
    tracking = Tracking(engine)
    # The watcher's own: its checks keep their leases as they are stored, on threads launches never wait for.
    watching = Tracking(engine, lease_grace=interval // 2,
                        executor=ThreadPoolExecutor(max_workers=2, thread_name_prefix="watcher"))
    watch = Watch(ccc=ccc, store=tracking, notifier=notifier, interval=interval)
    life = Life(
        watch=watch,
        stop=Stop(ccc=ccc, store=tracking, audit=store, notifier=notifier),
        reconcile=Reconcile(ccc=ccc, store=tracking, audit=store, notifier=notifier),
        campaigns=Campaigns(tracking), clock=clock, delivery=delivery,
    )
    notifier.outcome_known = watch.show_thread_card  # the launch's card shows its outcome as soon as it is known
    return Lifecycle(life, Watch(ccc=PacedDescribe(ccc), store=watching, notifier=notifier, interval=interval,
                                 clock=clock), watching, notifier)
