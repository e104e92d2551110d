"""The agents and caller numbers people pick from, read from CCC and cached briefly (never paged per keystroke)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TypeVar

from bot.cache import TtlCache
from bot.campaign.ports import CccFailure, CccPort

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


class Directory:
    def __init__(self, ccc: CccPort, ttl: float = 300.0) -> None:
        self._ccc = ccc
        # A failure is not asked again for 10 s: typing in a picker must not hammer CCC.
        self._agents: TtlCache[str, list[Agent]] = TtlCache(self._load_agents, ttl=ttl, retry_after=10.0)
        self._callers: TtlCache[str, list[str]] = TtlCache(self._load_callers, ttl=ttl, retry_after=10.0)

    async def _load_agents(self, _key: str) -> list[Agent]:
        try:
            staff = await self._ccc.staff()
        except CccFailure as exc:
            log.warning("directory unavailable: %s", exc)
            raise
        return sorted((Agent(s.mail, s.name) for s in staff), key=lambda a: a.mail.lower())

    async def _load_callers(self, _key: str) -> list[str]:
        try:
            numbers = await self._ccc.numbers()
        except CccFailure as exc:
            log.warning("directory unavailable: %s", exc)
            raise
        return [n.number for n in numbers if n.state == WORKING]

    async def agents(self, wait: float = 2.0) -> list[Agent] | None:
        """None when CCC cannot say within `wait` seconds and never said before (a stale list beats nothing)."""
        return await _fresh_or_stale(self._agents, wait)

    async def callers(self, wait: float = 2.0) -> list[str] | None:
        """Only working numbers: stopped ones (arrears, admin, violation) are never offered."""
        return await _fresh_or_stale(self._callers, wait)


async def _fresh_or_stale(cache: TtlCache[str, T], wait: float) -> T | None:
    try:
        return await cache.get("", wait=wait)
    except (TimeoutError, CccFailure):
        return cache.stale("")
