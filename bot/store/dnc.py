"""Compliance records: the do-not-call list per team, and which launched campaigns call which numbers, and when."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.schema import campaign_callees, campaigns, dnc_entries

T = TypeVar("T")
CHUNK = 5_000  # numbers per IN (...): inside SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
DAY = 24 * 3600


@dataclass(frozen=True)
class DncRow:
    e164: str
    reason: str
    added_by: str
    added_at: int
    expires_at: int | None


@dataclass(frozen=True)
class RunningRow:
    """A created campaign whose window has not ended, and which of the asked numbers it calls."""

    ref: int
    name: str
    campaign_id: int | None
    user_id: str
    numbers: list[str]


def _chunks(numbers: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(numbers), CHUNK):
        yield numbers[i:i + CHUNK]


class ComplianceStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.to_thread(fn)

    async def add(self, team_id: str, entries: list[tuple[str, str, int | None]], *, by: str, at: int) -> int:
        """(e164, reason, expires_at) entries, inserted or replaced (a new reason or expiry wins); how many."""

        def write() -> int:
            # One single-row statement, compiled once, executed for every row (psycopg pipelines them; sqlite3
            # loops in C): a 5,000-row multi-VALUES statement cost more to compile in SQLAlchemy than to run.
            rows = [{"team_id": team_id, "e164": n, "reason": r, "added_by": by, "added_at": at, "expires_at": e}
                    for n, r, e in entries]
            with self.engine.begin() as conn:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                statement = dialect.insert(dnc_entries)
                if rows:
                    conn.execute(statement.on_conflict_do_update(
                        index_elements=["team_id", "e164"],
                        set_={c: statement.excluded[c] for c in ("reason", "added_by", "added_at", "expires_at")}),
                        rows)
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

    async def entries(self, team_id: str, numbers: list[str], now: int) -> dict[str, DncRow]:
        """The entries in force for these numbers: one primary-key probe per number, never a scan of the list."""
        sql = ("SELECT d.e164, d.reason, d.added_by, d.added_at, d.expires_at FROM {numbers} "
               + self._join("dnc_entries AS d", "d.team_id = :team AND d.e164 = q.value "
                                                "AND (d.expires_at IS NULL OR d.expires_at > :now)"))
        rows = await self._run(lambda: self._probe(sql, numbers, team=team_id, now=now))
        return {row[0]: DncRow(*row) for row in rows}

    async def windows(self, team_id: str, numbers: list[str], start: int, end: int, *, at_least: int = 1,
                      exclude: int | None = None) -> dict[str, list[tuple[int, int]]]:
        """For each number in at least `at_least` launched campaigns within a day of [start, end), their windows;
        `exclude`: a campaign not to count (Launch's own, already claimed). (Failed campaigns' rows are deleted when
        they fail.) A probe per number that stops at the `at_least`-th row (no grouping of 100,000 numbers' rows),
        then the windows of the busy ones only: a list whose numbers were all called yesterday stays cheap."""
        near = "c.team_id = :team AND c.e164 = q.value AND c.end_at > :low AND c.start_at < :high"
        if exclude is not None:
            near += " AND c.campaign_ref <> :exclude"
        busy_sql = (f"SELECT q.value FROM {{numbers}} JOIN (SELECT 1) AS one ON EXISTS (SELECT 1 FROM campaign_callees "
                    f"AS c WHERE {near} LIMIT 1 OFFSET :skip)")
        bounds = {"team": team_id, "low": start - DAY, "high": end + DAY, "exclude": exclude}
        busy = [row[0] for row in await self._run(lambda: self._probe(busy_sql, numbers, skip=at_least - 1,
                                                                       **bounds))]
        spans = "SELECT c.e164, c.start_at, c.end_at FROM {numbers} " + self._join("campaign_callees AS c", near)
        found: dict[str, list[tuple[int, int]]] = {}
        for number, s, e in await self._run(lambda: self._probe(spans, busy, **bounds)):
            found.setdefault(number, []).append((int(s), int(e)))
        return found

    async def running(self, team_id: str, numbers: list[str], now: int) -> list[RunningRow]:
        """Created campaigns whose window has not ended that call any of these numbers."""
        # The campaigns in a statement of their own: joined to the probes, a campaigns table not analysed yet
        # (its first few dozen launches) made the planner run every probe once per campaign (40 campaigns: 3.5 s).
        sql = ("SELECT c.campaign_ref, c.e164 FROM {numbers} "
               + self._join("campaign_callees AS c", "c.team_id = :team AND c.e164 = q.value AND c.end_at > :now"))
        called: dict[int, list[str]] = {}
        for ref, number in await self._run(lambda: self._probe(sql, numbers, team=team_id, now=now)):
            called.setdefault(ref, []).append(number)

        def read() -> list[Any]:
            with self.engine.connect() as conn:
                return list(conn.execute(select(campaigns.c.id, campaigns.c.name, campaigns.c.campaign_id,
                                                campaigns.c.user_id).where(campaigns.c.id.in_(called),
                                                                           campaigns.c.status == "created")
                                         .order_by(campaigns.c.id)))

        rows = await self._run(read) if called else []
        return [RunningRow(ref, name, campaign_id, user_id, called[ref]) for ref, name, campaign_id, user_id in rows]

    def _join(self, table: str, on: str) -> str:
        """`JOIN table ON on`, the numbers' `q` first: on PostgreSQL a LATERAL probe per number, whatever the
        statistics say. As a plain join, a table not analysed since a bulk write (an upload, a large launch; before
        autovacuum gets to it) is estimated at a few rows for the team, and the planner scans them all for every
        number: 10,000 numbers against 5,000 entries just added took 5 s instead of 50 ms, against a launch of
        10,000 callees 15-30 s. (OFFSET 0 keeps the planner from flattening the subquery back into that join.)"""
        if self.engine.dialect.name == "postgresql":
            alias = table.rsplit(" ", 1)[-1]
            return f"CROSS JOIN LATERAL (SELECT * FROM {table} WHERE {on} OFFSET 0) AS {alias}"
        return f"JOIN {table} ON {on}"

    def _probe(self, sql: str, numbers: list[str], **params: Any) -> list[Any]:
        """Runs `sql` with {numbers} as a one-column table `q(value)` of the numbers, passed as ONE parameter (a
        JSON array on SQLite, an array on PostgreSQL): each drives a probe of the index, whatever the list's size."""
        if not numbers:
            return []
        numbers = sorted(numbers)  # probes in key order touch each index page once: about twice as fast
        with self.engine.connect() as conn:
            value: str
            if conn.dialect.name == "postgresql":
                # For 100,000 numbers against a large list the planner prefers hashing the whole table; a probe per
                # number keeps the cost proportional to the callees, however long the list grows.
                # (JIT too: its cost estimate of 100,000 probes turns it on, +25 ms.) One round trip for the three.
                conn.execute(text("SELECT set_config('enable_hashjoin', 'off', true), "
                                  "set_config('enable_mergejoin', 'off', true), set_config('jit', 'off', true)"))
                # One comma-joined string (numbers are E.164: no commas), split by the server: adapting a list of
                # 100,000 strings costs the client ~50 ms, holding the GIL the concurrent lookups need.
                source, value = "unnest(string_to_array(:numbers, ',') COLLATE \"C\") AS q(value)", ",".join(numbers)
            else:  # CROSS JOIN: SQLite takes the numbers as the outer loop, as written
                source, value = "json_each(:numbers) AS q CROSS", json.dumps(numbers)
            return list(conn.execute(text(sql.format(numbers=source)), {"numbers": value, **params}))


    async def drop_callees(self, ref: int, numbers: list[str]) -> None:
        """Numbers taken out of a claimed launch before it was sent: its record says what was really sent."""
        gone = set(numbers)

        def write() -> None:
            with self.engine.begin() as conn:
                stored = conn.execute(select(campaigns.c.callees).where(campaigns.c.id == ref)).scalar_one()
                kept = [n for n in json.loads(stored) if n not in gone]
                conn.execute(update(campaigns).where(campaigns.c.id == ref).values(
                    callees=json.dumps(kept), callee_count=len(kept)))
                for part in _chunks(numbers):
                    conn.execute(delete(campaign_callees).where(campaign_callees.c.campaign_ref == ref,
                                                                campaign_callees.c.e164.in_(part)))

        await self._run(write)


def forget_failed(conn: Connection, ref: int) -> None:
    """A failed campaign calls nobody: its callees no longer count towards anyone's cap."""
    conn.execute(delete(campaign_callees).where(campaign_callees.c.campaign_ref == ref))


def callee_rows(ref: int, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The campaign_callees rows of a claimed campaign (written in the claim's own transaction)."""
    return [{"team_id": values["team_id"], "e164": number, "campaign_ref": ref, "start_at": values["start_at"],
             "end_at": values["end_at"]} for number in values["callees"]]



