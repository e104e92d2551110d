"""Benchmark: the compliance scrub at preview — a do-not-call list of 1,000,000 numbers and a callee list of 100,000
(10% of them listed), plus 204,000 rows of earlier campaigns' callees (every callee was called once today already,
1,000 of them five times), on SQLite and on PostgreSQL.

Target: the whole scrub as the preview runs it (do-not-call, frequency cap and blocked regions, concurrently) <= 0.5 s,
with the region tables built as the app's start-up builds them and nothing else warm (a fresh Screener per run). Also
shown: each lookup alone, and the start-up build of phonenumbers' prefix tables.

Run: python -m bench.dnc   (PostgreSQL from DIALCAMPAIGN_TEST_POSTGRES, default postgresql://postgres@127.0.0.1:5432/postgres)
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.campaign.regions import DEFAULT_BLOCKED, BlockedRegions, build_tables, parse_rules
from bot.campaign.screening import Screener
from bot.dnc_adapter import ComplianceAdapter
from bot.store.repository import Store
from bot.store.schema import campaign_callees, campaigns

TEAM = "T1"
LISTED = 1_000_000
CALLEES = 100_000
EARLIER = 200_000
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def numbers(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    while len(found) < count:
        found.add(f"+861{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}")
    return sorted(sorted(found), key=lambda _: rng.random())  # sorted first: the same list whatever the hash seed


def load(store: Store, listed: list[str], earlier: list[list[str]]) -> None:
    """Bulk set-up (not measured): COPY on PostgreSQL, executemany on SQLite. `earlier`: one callee list per
    campaign launched earlier today."""
    start = int(NOW.timestamp())
    with store.engine.begin() as conn:
        refs = [conn.execute(insert(campaigns).values(
            launch_key=f"bench{i}", status="created", team_id=TEAM, user_id="U1", channel_id="C1", name="earlier",
            agent="a@example.com", tz="UTC", start_at=start, end_at=start + 3600, concurrency=1, call_order=1,
            uui="", callers="[]", callees="[]", callee_count=0, created_at=start, updated_at=start,
        ).returning(campaigns.c.id)).scalar_one() for i in range(len(earlier))]
        rows = [(ref, n) for ref, part in zip(refs, earlier, strict=True) for n in part]
        if conn.dialect.name == "postgresql":
            raw: Any = conn.connection.driver_connection
            with raw.cursor() as cursor:
                with cursor.copy("COPY dnc_entries (team_id, e164, reason, added_by, added_at) FROM STDIN") as copy:
                    copy.write("".join(f"{TEAM}\t{n}\tbench\tU1\t1\n" for n in listed))
                with cursor.copy("COPY campaign_callees (team_id, e164, campaign_ref, start_at, end_at) "
                                 "FROM STDIN") as copy:
                    copy.write("".join(f"{TEAM}\t{n}\t{ref}\t{start}\t{start + 3600}\n" for ref, n in rows))
        else:
            conn.exec_driver_sql("INSERT INTO dnc_entries (team_id, e164, reason, added_by, added_at) "
                                 "VALUES (?, ?, 'bench', 'U1', 1)", [(TEAM, n) for n in listed])
            conn.execute(insert(campaign_callees), [{"team_id": TEAM, "e164": n, "campaign_ref": ref,
                                                     "start_at": start, "end_at": start + 3600} for ref, n in rows])
            conn.exec_driver_sql("ANALYZE")
    if store.engine.dialect.name == "postgresql":
        # What autovacuum does after a bulk insert (autovacuum_vacuum_insert_threshold, PostgreSQL 13+): sets the
        # visibility map, so the frequency probe reads the index alone instead of fetching each row from the heap.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def timed(runs: int, fn: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    results = []
    out: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        out = asyncio.run(fn())  # type: ignore[arg-type]
        results.append(time.perf_counter() - started)
    return min(results), statistics.median(results), out


def bench(label: str, url: str) -> None:
    rng = random.Random(14)
    everything = numbers(rng, LISTED + CALLEES)
    listed = everything[:LISTED]
    callees = everything[LISTED:LISTED + CALLEES * 9 // 10] + listed[:CALLEES // 10]
    rng.shuffle(callees)
    # one big campaign earlier today (every one of today's callees, and 100,000 others), and four more with 1,000
    # of today's callees: those are at five already, so today's campaign would be their sixth
    earlier = [listed[LISTED // 2:LISTED // 2 + EARLIER // 2] + callees, *(callees[:1000] for _ in range(4))]
    store = Store(url)
    store.migrate()
    started = time.perf_counter()
    load(store, listed, earlier)
    print(f"{label}: loaded {LISTED:,} do-not-call entries and {sum(map(len, earlier)):,} campaign callees in "
          f"{time.perf_counter() - started:.1f} s")
    del everything, listed, earlier  # the app holds no such lists: left alive, they only slow the collector down
    gc.collect()
    started = time.perf_counter()
    # What the app's start-up does in a child process (the full geocoding data never enters the serving one), once:
    # every Screener below gets these tables, as the app's does (a BlockedRegions without them builds its own).
    rules = parse_rules(DEFAULT_BLOCKED) or ()
    tables = build_tables(rules)
    print(f"{label}: start-up build of the blocked-region prefix tables: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms (once per process, first time only)")
    # The serving process never holds phonenumbers' geocoding data (~100 MB of objects, imported above to build the
    # tables): frozen, the collector skips it, as it never meets it in the app.
    gc.collect()
    gc.freeze()
    screener = Screener(ComplianceAdapter(store.compliance), BlockedRegions(rules, tables), 5)
    start, end = NOW + timedelta(hours=20), NOW + timedelta(hours=22)
    now_ts = int(NOW.timestamp())

    async def dnc() -> Any:
        return await store.compliance.entries(TEAM, callees, now_ts)

    async def caps() -> Any:
        return await store.compliance.windows(TEAM, callees, int(start.timestamp()), int(end.timestamp()),
                                             at_least=5)

    async def regions() -> Any:
        fresh = Screener(ComplianceAdapter(store.compliance),  # a cold per-number cache
                         BlockedRegions(rules, tables), 5)
        return fresh.in_blocked_regions(callees)

    async def whole() -> Any:
        fresh = Screener(ComplianceAdapter(store.compliance), BlockedRegions(rules, tables), 5)
        return await fresh.screen(TEAM, callees, start, end, NOW)

    async def warm() -> Any:  # the app keeps one Screener: a second preview of similar numbers finds them cached
        return await screener.screen(TEAM, callees, start, end, NOW)

    for name, fn in (("do-not-call lookup", dnc), ("frequency-cap lookup", caps),
                     ("blocked-region lookups", regions), ("whole scrub, a first preview", whole),
                     ("whole scrub, the same Screener again", warm)):
        best, median, out = timed(5, fn)
        size = len(out) if hasattr(out, "__len__") else out.removed_count
        print(f"{label}: {name}: min {best * 1000:.0f} ms, median {median * 1000:.0f} ms over 5 runs ({size:,} found)")
    _, _, result = timed(1, whole)
    print(f"{label}: removed {result.removed_count:,} of {CALLEES:,}: "
          + ", ".join(f"{k} {len(v):,}" for k, v in result.removed.items()))
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")
    server = os.environ.get("DIALCAMPAIGN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
    import psycopg

    name = f"dialcampaign_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        bench("PostgreSQL", server.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0] + f"/{name}")
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
