"""TtlCache: values fetched once at a time per key and kept `ttl` seconds — the one in-memory cache the bot has."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """A failed fetch is not cached; for `retry_after` seconds it is raised again instead of asking once more (so
    typing in a picker cannot hammer a service that is down). `stale()` is the last value, however old."""

    def __init__(self, fetch: Callable[[K], Awaitable[V]], *, ttl: float, retry_after: float = 0.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._retry_after = retry_after
        self._clock = clock
        self._values: dict[K, tuple[float, V]] = {}
        self._failures: dict[K, tuple[float, BaseException]] = {}
        self._tasks: dict[K, asyncio.Task[V]] = {}

    async def get(self, key: K, *, wait: float | None = None) -> V:
        """The value, fetched if stale; TimeoutError after `wait` seconds (the fetch goes on and fills the cache)."""
        now = self._clock()
        hit = self._values.get(key)
        if hit and now < hit[0]:
            return hit[1]
        failed = self._failures.get(key)
        if failed and now < failed[0]:
            raise failed[1]
        task = self._tasks.get(key)
        if task is None or task.done():
            task = self._tasks[key] = asyncio.ensure_future(self._refresh(key))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved even if nobody waits
        # Shielded: one caller giving up must not cancel the fetch the others (and the cache) are waiting for.
        if wait is None:
            return await asyncio.shield(task)
        return await asyncio.wait_for(asyncio.shield(task), wait)

    def stale(self, key: K) -> V | None:
        hit = self._values.get(key)
        return hit[1] if hit else None

    async def _refresh(self, key: K) -> V:
        try:
            value = await self._fetch(key)
        except Exception as exc:
            if self._retry_after:
                self._failures[key] = (self._clock() + self._retry_after, exc)
            raise
        self._failures.pop(key, None)
        self._values[key] = (self._clock() + self._ttl, value)
        return value
