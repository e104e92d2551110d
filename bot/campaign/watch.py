"""Watch and Refresh: Describe created campaigns at their start, every interval while they run and once after their
end; store state, counts and check time; update the card when it changes and say in the thread when one ends."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.campaign.ports import CccFailure
from bot.campaign.state import CampaignRow, LiveCampaign, phase_of
from bot.campaign.tracking import (
    NEVER,
    Event,
    EventKind,
    LifecycleCcc,
    LifecycleNotifier,
    LifecycleStore,
    Priority,
    missing,
    show,
)

log = logging.getLogger(__name__)

AFTER_END = 5  # seconds after EndTime for the last check: CCC has ended it by then
GIVE_UP = timedelta(hours=6)  # a campaign CCC still calls running this long after its end is left alone
STUCK = timedelta(minutes=2)  # a launch waits for CCC far less than this (10 s read timeout)
STUCK_SINCE = timedelta(days=7)  # older threads are history: left as they are


class Leases(Protocol):
    async def unshown(self, *, older_than: int, newer_than: int, limit: int) -> Sequence[CampaignRow]:
        """Launches with a thread whose card was never shown, created between the two times."""
        ...

    async def claim_due(self, owner: str, *, now: int, lease_until: int, limit: int) -> Sequence[CampaignRow]:
        """Created campaigns due for a check that no other live replica holds, now leased to `owner`."""
        ...


def next_check(ccc_state: int, *, start: int, end: int, now: int, interval: int) -> int:
    """When to Describe again: at the start, every interval while running, once just after the end."""
    if ccc_state in (2, 3):
        return NEVER
    if now > end + GIVE_UP.total_seconds():
        return NEVER
    if ccc_state == 0 and now < start:
        return start
    if now < end + AFTER_END:
        return min(now + interval, end + AFTER_END)
    return now + interval  # past the end and CCC still says it runs: keep asking until it says otherwise


@dataclass(frozen=True)
class Refreshed:
    """A Refresh's outcome: the campaign as now known, and whether CCC could be asked (else it is as last seen)."""

    campaign: LiveCampaign
    ccc_answered: bool = True


class Watch:
    def __init__(self, *, ccc: LifecycleCcc, store: LifecycleStore, notifier: LifecycleNotifier,
                 interval: int = 60, clock: Callable[[], datetime] | None = None) -> None:
        self._ccc = ccc
        self._store = store
        self._notifier = notifier
        self.interval = interval
        self._clock = clock

    @property
    def store(self) -> LifecycleStore:
        return self._store

    @property
    def notifier(self) -> LifecycleNotifier:
        return self._notifier

    async def check(self, row: CampaignRow, now: datetime, *, priority: Priority | None = None) -> LiveCampaign:
        """One Describe of a created campaign, stored; the card follows if what it shows changed."""
        return (await self._check(row, now, priority=priority)).campaign

    def _answered(self, asked: datetime) -> datetime:
        """When the Describe asked at `asked` was answered (or failed): it may wait for its pace or for CCC, and what
        it says and the next check count from then, so two checks are never less than an interval apart."""
        return asked if self._clock is None else max(asked, self._clock())

    async def _check(self, row: CampaignRow, now: datetime, *, priority: Priority | None) -> Refreshed:
        before = LiveCampaign.from_row(row)
        now_s = int(now.timestamp())
        if row.campaign_id is None or before.over:
            return Refreshed(before)
        try:
            described = await self._ccc.describe(row.campaign_id)
        except CccFailure as exc:
            if missing(exc):  # CCC no longer knows the id: asking again every interval would change nothing
                log.warning("CCC does not know campaign %s (%s): no longer watched", row.campaign_id, exc.code)
                await self._store.reschedule(row.id, watch_due=NEVER)
                return Refreshed(before, ccc_answered=False)
            log.info("describe %s failed (%s); next check in %ss", row.campaign_id, exc.code or exc, self.interval)
            await self._store.reschedule(row.id, watch_due=math.ceil(self._answered(now).timestamp()) + self.interval)
            if priority == "person":
                await show(self._store, self._notifier, before, "person")
            return Refreshed(before, ccc_answered=False)
        now = self._answered(now)
        now_s = int(now.timestamp())
        phase = phase_of(described.state)
        ended = None
        if phase in ("finished", "stopped"):
            ended = min(now_s, row.end_at) if phase == "finished" else now_s
        moved = await self._store.observe(
            row.id, ccc_state=described.state, called=described.called, checked_at=now_s, ended_at=ended,
            # from the next whole second: the store keeps seconds, and a check must not come due again early
            watch_due=next_check(described.state, start=row.start_at, end=row.end_at, now=math.ceil(now.timestamp()),
                                 interval=self.interval))
        fresh = await self._store.campaign(row.id)
        after = LiveCampaign.from_row(fresh) if fresh is not None else before
        await show(self._store, self._notifier, after, priority or "progress")
        if moved:  # nobody in Slack stopped it: the requester hears how it ended
            kind: EventKind = "finished" if after.phase == "finished" else "stopped_outside"
            await self._notifier.note(after, Event(kind, at=datetime.fromtimestamp(ended or now_s, UTC)))
        return Refreshed(after)

    async def show_thread_card(self, channel_id: str, thread_ts: str) -> LiveCampaign | None:
        """The card of the launch in that thread as the store knows it now (once its outcome is written)."""
        row = await self._store.by_thread(channel_id, thread_ts)
        if row is None:
            return None
        campaign = LiveCampaign.from_row(row)
        await show(self._store, self._notifier, campaign, "person")
        return campaign

    async def refresh(self, ref: int, now: datetime) -> Refreshed | None:
        """Refresh pressed: Describe now (when there is anything to ask) and show the card."""
        row = await self._store.campaign(ref)
        if row is None:
            return None
        campaign = LiveCampaign.from_row(row)
        if campaign.over or campaign.campaign_id is None:
            await show(self._store, self._notifier, campaign, "person")
            return Refreshed(campaign)
        return await self._check(row, now, priority="person")


class Watcher:
    """The loop's body: claim what is due (a lease per campaign), check each, keep the lease near the next check."""

    def __init__(self, watch: Watch, leases: Leases, *, owner: str, batch: int = 200, parallel: int = 4) -> None:
        self._watch = watch
        self._watch_store = watch.store
        self._watch_notifier = watch.notifier
        self._leases = leases
        self.owner = owner
        self.batch = batch
        self._parallel = asyncio.Semaphore(parallel)

    async def tick(self, now: datetime) -> int:
        """Check every campaign due at `now`; returns how many were checked."""
        interval = self._watch.interval
        now_s = int(now.timestamp())
        # Leases are whole seconds, rounded up: a claim holds at least a whole interval from `now`. (With a 1 s
        # interval, a claim at 12:00:00.99 would otherwise end at 12:00:01, ten milliseconds later, and another replica
        # could take the campaign while this one's check of it is still in flight.)
        lease_until = math.ceil(now.timestamp()) + interval
        due = await self._leases.claim_due(self.owner, now=now_s, lease_until=lease_until, limit=self.batch)

        async def one(row: CampaignRow) -> None:
            async with self._parallel:
                try:  # the store keeps the lease until half an interval after the next check
                    await self._watch.check(row, now)
                except Exception:  # one campaign's trouble must not stop the others being watched
                    log.exception("watching campaign %s failed", row.id)

        await asyncio.gather(*(one(row) for row in due))
        await self._unstick(now_s)
        return len(due)

    async def _unstick(self, now_s: int) -> None:
        """A card never stays "Launching…": one whose launch ended without showing it (the process stopped while
        waiting for CCC, a failed update, a launch from before cards) is shown as the store knows it."""
        for row in await self._leases.unshown(older_than=now_s - int(STUCK.total_seconds()),
                                              newer_than=now_s - int(STUCK_SINCE.total_seconds()), limit=20):
            try:
                await show(self._watch_store, self._watch_notifier, LiveCampaign.from_row(row), "change")
            except Exception:
                log.exception("could not show the card of launch %s", row.id)
