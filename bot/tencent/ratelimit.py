"""A per-action sliding-window limit shared by every coroutine of the process (CCC allows 20 requests/s/action)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most `rate` acquisitions in any `period` seconds (plus a small margin for network jitter)."""

    def __init__(self, rate: int = 20, period: float = 1.0, margin: float = 0.05,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._span = period + margin
        self._clock = clock
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def acquire(self, key: str) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        sent = self._sent.setdefault(key, deque(maxlen=self._rate))
        async with lock:  # FIFO: waiting callers are served in arrival order
            if len(sent) == self._rate:
                wait = sent[0] + self._span - self._clock()
                if wait > 0:
                    await asyncio.sleep(wait)
            sent.append(self._clock())
