"""Compliance records: the do-not-call list per team, and which launched campaigns call which numbers, and when."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.schema import campaign_callees, campaigns, dnc_entries

T = TypeVar("T")
CHUNK = 5_000  # numbers per IN (...): inside SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
LAUNCHED = ("created", "unknown", "scheduled", "running")  # may call people; failed ones never will


@dataclass(frozen=True)
class DncEntry:
    e164: str
    reason: str
    added_by: str
    added_at: int
    expires_at: int | None


@dataclass(frozen=True)
class Running:
    """A launched campaign whose window has not ended, and which of the asked numbers it calls."""

    ref: int
    name: str
    campaign_id: int | None
    user_id: str
    numbers: list[str]


def _chunks(numbers: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(numbers), CHUNK):
        yield numbers[i:i + CHUNK]


def _in_force(now: int) -> Any:
    return or_(dnc_entries.c.expires_at.is_(None), dnc_entries.c.expires_at > now)


class ComplianceStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.to_thread(fn)

    async def add(self, team_id: str, entries: list[tuple[str, str, int | None]], *, by: str, at: int) -> int:
        """(e164, reason, expires_at) entries, inserted or replaced (a new reason or expiry wins); how many."""

        def write() -> int:
            with self.engine.begin() as conn:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                for part in range(0, len(entries), CHUNK):
                    rows = [{"team_id": team_id, "e164": n, "reason": r, "added_by": by, "added_at": at,
                             "expires_at": e} for n, r, e in entries[part:part + CHUNK]]
                    statement = dialect.insert(dnc_entries).values(rows)
                    conn.execute(statement.on_conflict_do_update(
                        index_elements=["team_id", "e164"],
                        set_={c: statement.excluded[c] for c in ("reason", "added_by", "added_at", "expires_at")}))
            return len(entries)

        return await self._run(write)

    async def remove(self, team_id: str, numbers: list[str]) -> list[str]:
        """Deletes the entries; the numbers that had one."""

        def write() -> list[str]:
            removed: list[str] = []
            with self.engine.begin() as conn:
                for part in _chunks(numbers):
                    found = delete(dnc_entries).where(dnc_entries.c.team_id == team_id,
                                                      dnc_entries.c.e164.in_(part)).returning(dnc_entries.c.e164)
                    removed += [row[0] for row in conn.execute(found)]
            return removed

        return await self._run(write)

    async def entries(self, team_id: str, numbers: list[str], now: int) -> dict[str, DncEntry]:
        """The entries in force for these numbers: one primary-key probe per number, never a scan of the list."""

        def read() -> dict[str, DncEntry]:
            found: dict[str, DncEntry] = {}
            with self.engine.connect() as conn:
                for part in _chunks(numbers):
                    rows = conn.execute(select(dnc_entries.c.e164, dnc_entries.c.reason, dnc_entries.c.added_by,
                                               dnc_entries.c.added_at, dnc_entries.c.expires_at)
                                        .where(dnc_entries.c.team_id == team_id, dnc_entries.c.e164.in_(part),
                                               _in_force(now)))
                    found.update((row[0], DncEntry(*row)) for row in rows)
            return found

        return await self._run(read)

    async def windows(self, team_id: str, numbers: list[str], start: int, end: int
                      ) -> dict[str, list[tuple[int, int]]]:
        """For each number, the windows of launched campaigns calling it within a day of [start, end)."""
        day = 24 * 3600

        def read() -> dict[str, list[tuple[int, int]]]:
            found: dict[str, list[tuple[int, int]]] = {}
            with self.engine.connect() as conn:
                for part in _chunks(numbers):
                    rows = conn.execute(
                        select(campaign_callees.c.e164, campaign_callees.c.start_at, campaign_callees.c.end_at)
                        .join(campaigns, campaigns.c.id == campaign_callees.c.campaign_ref)
                        .where(campaign_callees.c.team_id == team_id, campaign_callees.c.e164.in_(part),
                               campaign_callees.c.end_at > start - day, campaign_callees.c.start_at < end + day,
                               campaigns.c.status.in_(LAUNCHED)))
                    for number, s, e in rows:
                        found.setdefault(number, []).append((int(s), int(e)))
            return found

        return await self._run(read)

    async def running(self, team_id: str, numbers: list[str], now: int) -> list[Running]:
        """Created campaigns whose window has not ended that call any of these numbers."""

        def read() -> list[Running]:
            by_ref: dict[int, Running] = {}
            with self.engine.connect() as conn:
                for part in _chunks(numbers):
                    rows = conn.execute(
                        select(campaigns.c.id, campaigns.c.name, campaigns.c.campaign_id, campaigns.c.user_id,
                               campaign_callees.c.e164)
                        .join(campaigns, campaigns.c.id == campaign_callees.c.campaign_ref)
                        .where(campaign_callees.c.team_id == team_id, campaign_callees.c.e164.in_(part),
                               campaign_callees.c.end_at > now, campaigns.c.status == "created")
                        .order_by(campaigns.c.id))
                    for ref, name, campaign_id, user_id, number in rows:
                        by_ref.setdefault(ref, Running(ref, name, campaign_id, user_id, [])).numbers.append(number)
            return list(by_ref.values())

        return await self._run(read)


def callee_rows(ref: int, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The campaign_callees rows of a claimed campaign (written in the claim's own transaction)."""
    return [{"team_id": values["team_id"], "e164": number, "campaign_ref": ref, "start_at": values["start_at"],
             "end_at": values["end_at"]} for number in values["callees"]]



