"""The do-not-call list and campaign callees in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from bot.store.dnc import CHUNK
from bot.store.repository import Store
from tests.test_store import _url, campaign

A, B, C = "+8613012345670", "+8613812345678", "+8613999123456"


def store_for(database_url: str) -> Store:
    store = Store(_url(database_url))
    store.migrate()
    return store


def test_entries_are_per_team_replaced_by_a_new_add_and_expired_ones_do_not_block(database_url: str) -> None:
    store = store_for(database_url)
    dnc = store.compliance
    asyncio.run(dnc.add("T1", [(A, "asked", None), (B, "until friday", 1000)], by="U1", at=10))
    asyncio.run(dnc.add("T2", [(C, "other team", None)], by="U9", at=10))
    found = asyncio.run(dnc.entries("T1", [A, B, C], now=999))
    assert set(found) == {A, B} and found[A].reason == "asked" and found[A].added_by == "U1"
    assert set(asyncio.run(dnc.entries("T1", [A, B, C], now=1000))) == {A}  # B's entry expired
    asyncio.run(dnc.add("T1", [(B, "again", None)], by="U2", at=20))  # a new add replaces the old entry
    again = asyncio.run(dnc.entries("T1", [B], now=5000))[B]
    assert (again.reason, again.added_by, again.added_at, again.expires_at) == ("again", "U2", 20, None)
    assert asyncio.run(dnc.remove("T1", [A, C])) == [A]  # C is another team's entry
    assert set(asyncio.run(dnc.entries("T1", [A, B], now=0))) == {B}
    store.close()


def test_a_number_given_twice_in_one_add_keeps_the_last_reason(database_url: str) -> None:
    """An upload that lists a number twice is one entry, as if the rows were added one after the other."""
    store = store_for(database_url)
    asyncio.run(store.compliance.add("T1", [(A, "first", None), (B, "other", None), (A, "second", 500)], by="U1",
                                     at=10))
    found = asyncio.run(store.compliance.entries("T1", [A, B], now=0))
    assert (found[A].reason, found[A].expires_at, found[B].reason) == ("second", 500, "other")
    store.close()


def test_a_lookup_larger_than_one_statement_finds_every_entry(database_url: str) -> None:
    store = store_for(database_url)
    size = 2 * CHUNK + 2  # three statements' worth: two full ones and one more, entries found in each
    listed = [f"+86130{i:08d}" for i in range(0, size, 2)]
    asyncio.run(store.compliance.add("T1", [(n, "", None) for n in listed], by="U1", at=1))
    asked = [f"+86130{i:08d}" for i in range(size)]
    assert set(asyncio.run(store.compliance.entries("T1", asked, now=2))) == set(listed)
    store.close()


def test_a_claimed_campaign_records_its_callees_and_failed_ones_do_not_count(database_url: str) -> None:
    store = store_for(database_url)
    created = asyncio.run(store.claim({**campaign("k1"), "callees": [A, B], "start_at": 100, "end_at": 200}))
    failed = asyncio.run(store.claim({**campaign("k2"), "callees": [A], "start_at": 150, "end_at": 250}))
    unknown = asyncio.run(store.claim({**campaign("k3"), "callees": [A], "start_at": 300_000, "end_at": 300_100}))
    assert created and failed and unknown
    outcome: dict[str, Any] = {"request_id": None, "error_code": None, "error_message": None, "updated_at": 2}
    asyncio.run(store.record_outcome(created, status="created", campaign_id=7, **outcome))
    asyncio.run(store.record_outcome(failed, status="failed", campaign_id=None, **outcome))
    windows = asyncio.run(store.compliance.windows("T1", [A, B, C], start=1000, end=2000))
    assert windows == {A: [(100, 200)], B: [(100, 200)]}  # the unknown one is more than a day away
    assert asyncio.run(store.compliance.windows("T1", [A, B], start=1000, end=2000, at_least=2)) == {}
    near = asyncio.run(store.compliance.windows("T1", [A], start=250_000, end=251_000))
    assert near == {A: [(300_000, 300_100)]}  # unknown: it may exist, so it counts
    (running,) = asyncio.run(store.compliance.running("T1", [A, C], now=150))
    assert (running.ref, running.campaign_id, running.numbers) == (created, 7, [A])
    assert asyncio.run(store.compliance.running("T1", [A], now=200)) == []  # its window has ended
    store.close()


def test_the_upgrade_counts_campaigns_launched_before_it(database_url: str) -> None:
    store = Store(_url(database_url))
    store.migrate("0003")
    with store.engine.begin() as conn:
        for key, status in (("old", "created"), ("bad", "failed")):
            conn.execute(text(
                "INSERT INTO campaigns (launch_key, status, team_id, user_id, channel_id, name, agent, tz, start_at, "
                "end_at, concurrency, call_order, uui, callers, callees, callee_count, created_at, updated_at) "
                f"VALUES ('{key}', '{status}', 'T1', 'U1', 'C1', 'n', 'a@example.com', 'UTC', 100, 200, 1, 1, '', "
                "'[]', '[\"+8613012345670\"]', 1, 1, 1)"))
    store.migrate()
    assert asyncio.run(store.compliance.windows("T1", [A], start=150, end=160)) == {A: [(100, 200)]}
    store.close()
