"""Recovery: nothing stays unreported after a crash. Each process beats; outcomes kept in the journal while the
database was down are written; a launch whose outcome is unknown, never told, and whose process stopped beating
gets its reply (outcome unknown, what to check) in its thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot.campaign.ports import AuditEvent, Campaign, Requester

log = logging.getLogger(__name__)

BEAT = timedelta(seconds=2)  # how often a process says it is alive (and looks for orphans), unless configured
MISSED_BEATS = 4  # a process silent this many beats is dead: its launches in flight are over
DEAD_AFTER = BEAT * MISSED_BEATS


class RecoveryStore(Protocol):
    async def beat(self, at: datetime) -> None: ...  # this process is alive

    async def forget(self) -> None: ...  # this process is stopping (its launches have drained)

    async def replay(self) -> int: ...  # journal -> database; how many were written

    async def orphans(self, alive_since: datetime) -> list[Campaign]: ...

    async def mark_reported(self, ref: int, at: datetime) -> None: ...

    async def audit(self, event: AuditEvent) -> None: ...


class Reporter(Protocol):
    async def orphaned(self, campaign: Campaign) -> None: ...  # "outcome unknown" in its thread (else privately)


class Recovery:
    def __init__(self, *, store: RecoveryStore, reporter: Reporter, clock: Callable[[], datetime],
                 beat: timedelta = BEAT) -> None:
        """`beat`: how often every process runs `tick` (DIALCAMPAIGN_HEARTBEAT)."""
        self._store = store
        self._reporter = reporter
        self._clock = clock
        self.beat = beat
        self.dead_after = beat * MISSED_BEATS

    async def tick(self) -> int:
        """One round: beat, replay the journal, report orphans. Returns how many orphans were reported."""
        now = self._clock()
        await self._store.beat(now)
        await self._store.replay()
        reported = 0
        for campaign in await self._store.orphans(now - self.dead_after):
            log.warning("launch %s was cut short (its process stopped): outcome unknown, telling the thread",
                        campaign.ref)
            await self._reporter.orphaned(campaign)
            await self._store.mark_reported(campaign.ref, self._clock())
            who = Requester(campaign.team_id, campaign.user_id, campaign.channel_id)
            await self._store.audit(AuditEvent(at=self._clock(), requester=who, action="unknown",
                                               detail={"summary": "the launch was cut short; reported as unknown"},
                                               campaign_ref=campaign.ref, request_id=campaign.request_id or ""))
            reported += 1
        return reported
