"""The agents and caller numbers people pick from, read from CCC and cached briefly (never paged per keystroke)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.tencent.client import CccClient, Staff
from bot.tencent.errors import CccError

log = logging.getLogger(__name__)
T = TypeVar("T")

WORKING = 1  # DescribeNumbers State: only these numbers can call


@dataclass(frozen=True)
class Agent:
    mail: str
    name: str

    def matches(self, query: str) -> bool:
        q = query.strip().lower()
        return not q or q in self.mail.lower() or q in self.name.lower()


class _Cached(Generic[T]):
    """One shared fetch at a time; a value lives `ttl` seconds, a failure `retry_after` (typing must not hammer CCC)."""

    def __init__(self, fetch: Callable[[], Awaitable[T]], ttl: float, retry_after: float = 10.0) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._retry_after = retry_after
        self._value: T | None = None
        self._expires = 0.0
        self._failed_until = 0.0
        self._task: asyncio.Task[T] | None = None

    async def get(self, wait: float) -> T | None:
        """The value, fetched if stale; None when CCC cannot say within `wait` seconds (the fetch goes on)."""
        now = time.monotonic()
        if self._value is not None and now < self._expires:
            return self._value
        if now < self._failed_until:
            return self._value
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._refresh())
        try:
            return await asyncio.wait_for(asyncio.shield(self._task), wait)
        except (TimeoutError, CccError):
            return self._value  # stale beats nothing; None when there never was one

    async def _refresh(self) -> T:
        try:
            value = await self._fetch()
        except CccError as exc:
            self._failed_until = time.monotonic() + self._retry_after
            log.warning("directory unavailable: %s", exc)
            raise
        self._value, self._expires = value, time.monotonic() + self._ttl
        return value


class Directory:
    def __init__(self, ccc: CccClient, ttl: float = 300.0) -> None:
        self._agents = _Cached(self._load_agents, ttl)
        self._callers = _Cached(self._load_callers, ttl)
        self._ccc = ccc

    async def _load_agents(self) -> list[Agent]:
        staff: list[Staff] = await self._ccc.describe_staff()
        return sorted((Agent(s.mail, s.name) for s in staff), key=lambda a: a.mail.lower())

    async def _load_callers(self) -> list[str]:
        return [n.number for n in await self._ccc.describe_numbers() if n.state == WORKING]

    async def agents(self, wait: float = 2.0) -> list[Agent] | None:
        return await self._agents.get(wait)

    async def callers(self, wait: float = 2.0) -> list[str] | None:
        """Only working numbers: stopped ones (arrears, admin, violation) are never offered."""
        return await self._callers.get(wait)
