"""TtlCache: one fetch at a time per key, values kept for their ttl, failures not cached but not hammered either."""

from __future__ import annotations

import asyncio

import pytest

from bot.cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_concurrent_callers_share_one_fetch_and_the_value_lives_its_ttl() -> None:
    clock, fetched = Clock(), []

    async def fetch(key: str) -> str:
        fetched.append(key)
        await asyncio.sleep(0.01)
        return f"{key}-{len(fetched)}"

    cache: TtlCache[str, str] = TtlCache(fetch, ttl=60, clock=clock)
    assert await asyncio.gather(*(cache.get("a") for _ in range(5))) == ["a-1"] * 5
    assert await cache.get("b") == "b-2"
    clock.now = 59
    assert await cache.get("a") == "a-1"
    clock.now = 61
    assert await cache.get("a") == "a-3" and fetched == ["a", "b", "a"]


async def test_a_failure_is_raised_again_until_retry_after_and_the_stale_value_stays() -> None:
    clock, calls = Clock(), []

    async def fetch(key: str) -> int:
        calls.append(clock.now)
        if len(calls) > 1 and clock.now < 200:
            raise OSError("down")
        return len(calls)

    cache: TtlCache[str, int] = TtlCache(fetch, ttl=100, retry_after=10, clock=clock)
    assert await cache.get("k") == 1
    clock.now = 101
    with pytest.raises(OSError):
        await cache.get("k")
    clock.now = 105  # within retry_after: not asked again
    with pytest.raises(OSError):
        await cache.get("k")
    assert cache.stale("k") == 1 and calls == [0, 101]
    clock.now = 200
    assert await cache.get("k") == 3


async def test_a_caller_that_stops_waiting_leaves_the_fetch_to_fill_the_cache() -> None:
    release = asyncio.Event()

    async def fetch(key: str) -> str:
        await release.wait()
        return "late"

    cache: TtlCache[str, str] = TtlCache(fetch, ttl=60)
    with pytest.raises(TimeoutError):
        await cache.get("k", wait=0.01)
    release.set()
    assert await cache.get("k", wait=1) == "late"
    assert cache.stale("k") == "late"
