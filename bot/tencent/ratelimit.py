"""A per-action request limit shared by every coroutine of the process (CCC allows 20 requests/s/action)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field


@dataclass
class _Action:
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)  # FIFO: waiting callers are served in arrival order
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    busy: int = 0  # requests sent and not yet answered
    held_until: deque[float] = field(default_factory=deque)  # answered requests: when each stops counting


class SlidingWindowLimiter:
    """At most `rate` requests of one action in any `period` seconds *as the server sees them*, whether it counts
    per calendar second or over a sliding second.

    The server counts a request when it arrives, somewhere between our send and its answer, and a busy network or
    event loop can delay one arrival and not the next. Counting from the send (as a plain sliding window does) then
    lets 21 arrivals fall inside one server second. So a request holds its slot from the send until `period` (plus
    `margin`) after its answer: the 21st request is sent only when the 1st was answered over a second ago, hence
    arrived over a second ago. Throughput is `rate` per (period + latency), a little below the server's limit."""

    def __init__(self, rate: int = 20, period: float = 1.0, margin: float = 0.05,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._span = period + margin
        self._clock = clock
        self._actions: dict[str, _Action] = {}

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        """Hold this around one request: entered when the request may be sent, left when its answer (or error) is in."""
        state = self._actions.setdefault(key, _Action())
        async with state.turn:
            while True:
                now = self._clock()
                while state.held_until and state.held_until[0] <= now:
                    state.held_until.popleft()
                if state.busy + len(state.held_until) < self._rate:
                    break
                state.changed.clear()
                timeout = state.held_until[0] - now if state.held_until else None
                with suppress(TimeoutError):
                    await asyncio.wait_for(state.changed.wait(), timeout)
            state.busy += 1
        try:
            yield
        finally:
            state.busy -= 1
            state.held_until.append(self._clock() + self._span)
            state.changed.set()
