"""What the watcher stores after a launch, on SQLite and PostgreSQL: one announcement per ending, listings, and the
lease that gives each campaign to exactly one replica and hands a dead replica's campaigns over."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.store.repository import Store
from bot.store.tracking import Tracking
from tests.test_store import _url, campaign

NOW = 1_800_000_000


def created(key: str, **over: Any) -> dict[str, Any]:
    return {**campaign(key), "status": "created", "start_at": NOW - 60, "end_at": NOW + 3600, **over}


def setup(database_url: str, n: int = 1) -> tuple[Store, Tracking, list[int]]:
    store = Store(_url(database_url))
    store.migrate()

    async def claims() -> list[int]:
        refs = []
        for i in range(n):
            ref = await store.claim(created(f"k{i}"))
            assert ref is not None
            await store.record_outcome(ref, status="created", campaign_id=1000 + i, request_id=None, error_code=None,
                                       error_message=None, updated_at=NOW)
            refs.append(ref)
        return refs

    return store, Tracking(store.engine), asyncio.run(claims())


def test_an_ending_is_announced_by_exactly_one_writer(database_url: str) -> None:
    store, tracking, (ref,) = setup(database_url)

    async def scenario() -> tuple[list[bool], Any]:
        await tracking.observe(ref, ccc_state=1, called=3, checked_at=NOW, watch_due=NOW + 60, ended_at=None)
        firsts = await asyncio.gather(
            tracking.observe(ref, ccc_state=3, called=4, checked_at=NOW + 1, watch_due=2**62, ended_at=NOW + 1,
                             stopped_by="U_BOSS"),
            tracking.observe(ref, ccc_state=3, called=4, checked_at=NOW + 1, watch_due=2**62, ended_at=NOW + 1))
        return list(firsts), await tracking.campaign(ref)

    moved, row = asyncio.run(scenario())
    assert sorted(moved) == [False, True]
    assert row.ccc_state == 3 and row.called_count == 4 and row.checked_at == NOW + 1
    store.close()


def test_a_created_campaign_is_due_at_its_start_and_leased_to_one_replica(database_url: str) -> None:
    store, tracking, refs = setup(database_url, 3)

    async def scenario() -> tuple[list[int], list[int], list[int], list[int]]:
        early = [r.id for r in await tracking.claim_due("a", now=NOW - 61, lease_until=NOW, limit=10)]
        first = [r.id for r in await tracking.claim_due("a", now=NOW, lease_until=NOW + 60, limit=10)]
        other = [r.id for r in await tracking.claim_due("b", now=NOW + 30, lease_until=NOW + 90, limit=10)]
        watcher_a = Tracking(store.engine, lease_grace=31)  # a's checks keep the lease to 31 s after the next one
        await watcher_a.observe(first[0], ccc_state=1, called=1, checked_at=NOW, watch_due=NOW + 60, ended_at=None)
        await watcher_a.observe(first[1], ccc_state=2, called=1, checked_at=NOW, watch_due=2**62, ended_at=NOW)
        # a's lease on the first one runs to NOW + 91; b takes the rest when a's claim lapses
        later = [r.id for r in await tracking.claim_due("b", now=NOW + 70, lease_until=NOW + 130, limit=10)]
        return early, first, other, later

    early, first, other, later = asyncio.run(scenario())
    assert early == [] and sorted(first) == sorted(refs) and other == []
    assert later == [first[2]]  # finished: never again; held by a: not yet
    taken = asyncio.run(tracking.claim_due("b", now=NOW + 92, lease_until=NOW + 150, limit=10))
    # a stopped renewing (died): b has its campaign within two intervals (and still its own unchecked one)
    assert sorted(r.id for r in taken) == sorted([first[0], first[2]])
    store.close()


def test_replicas_claiming_at_once_never_share_a_campaign(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serves one process: replicas share PostgreSQL")
    store, _tracking, refs = setup(database_url, 40)
    replicas = [Tracking(Store(_url(database_url)).engine) for _ in range(8)]

    def claim(i: int) -> list[int]:
        rows = asyncio.run(replicas[i].claim_due(f"r{i}", now=NOW, lease_until=NOW + 60, limit=7))
        return [r.id for r in rows]

    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(claim, range(8)))
    claimed = [ref for batch in batches for ref in batch]
    assert len(claimed) == len(set(claimed))  # nobody got a campaign another replica holds
    assert sorted(claimed) == sorted(refs)  # and nothing was left behind
    for replica in replicas:
        replica.engine.dispose()
    store.close()


def test_listings_by_channel_user_name_and_campaign_id(database_url: str) -> None:
    store = Store(_url(database_url))
    store.migrate()
    tracking = Tracking(store.engine)

    async def scenario() -> tuple[Any, ...]:
        a = await store.claim(created("a", name="Renewals", channel_id="C1", user_id="U1"))
        b = await store.claim(created("b", name="Winback", channel_id="C2", user_id="U1"))
        c = await store.claim(created("c", name="renewals ", channel_id="C1", user_id="U2"))
        assert a and b and c
        await store.record_outcome(b, status="created", campaign_id=4242, request_id=None, error_code=None,
                                   error_message=None, updated_at=NOW)
        return (await tracking.in_channel("T1", "C1"), await tracking.of_user("T1", "U1"),
                await tracking.by_name("T1", "RENEWALS"), await tracking.by_campaign_id("T1", 4242),
                await tracking.by_campaign_id("T2", 4242), c)

    channel, mine, named, by_id, other_team, newest = asyncio.run(scenario())
    assert [r.name for r in channel] == ["renewals ", "Renewals"]
    assert {r.name for r in mine} == {"Renewals", "Winback"}
    assert named.id == newest and by_id.name == "Winback" and other_team is None
    store.close()
