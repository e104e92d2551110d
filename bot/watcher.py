"""The watcher's loop in the running process: started by the app's start routine, stopped cleanly on shutdown
(leases released so another replica takes over at once)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime

from bot.campaign.watch import Watch, Watcher
from bot.store.tracking import Tracking

log = logging.getLogger(__name__)
MAX_TICK = 5.0  # seconds between looks for due campaigns: how late a check may be, at most


def replica_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class WatcherLoop:
    def __init__(self, watch: Watch, tracking: Tracking, clock: Callable[[], datetime]) -> None:
        self._watcher = Watcher(watch, tracking, owner=replica_name())
        self._tracking = tracking
        self._clock = clock
        # A dead replica's campaign is free one lease grace (interval/2) after its next check was due and is
        # picked up at the next tick: interval + grace + tick stays within two intervals (and a second: leases are
        # whole seconds, rounded up).
        self._period = min(MAX_TICK, watch.interval / 2)
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="watcher")
        log.info("watcher %s started", self._watcher.owner)

    async def _run(self) -> None:
        # One tick at a time: a replica never re-claims a campaign it is still checking.
        while not self._stopping.is_set():
            try:
                if await self._watcher.tick(self._clock()) >= self._watcher.batch:
                    continue  # a backlog (start-up, a replica's campaigns taken over): the next batch at once
            except Exception:  # a database hiccup must not end the watching for good
                log.exception("watcher tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._period)

    async def stop(self, timeout: float = 5.0) -> None:
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:  # a check still waiting on CCC: its campaign's lease lapses and another replica takes it
            log.warning("watcher did not stop within %.0f s", timeout)
        try:
            await self._tracking.release(self._watcher.owner)
        except Exception:
            log.exception("could not release the watcher's leases")
        log.info("watcher stopped")
