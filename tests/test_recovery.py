"""Nothing unreported after a crash, in-process on the real store (SQLite and PostgreSQL): a launch whose process
stopped is told once by a live one; an outcome the database would not take is journalled, then written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.adapters import StoreAdapter
from bot.campaign.draft import FormInput
from bot.campaign.launch import Launch, Launchable
from bot.campaign.ports import AuditEvent, Campaign, NewCampaign, Outcome, Requester
from bot.campaign.recovery import DEAD_AFTER, Recovery
from bot.campaign.service import CampaignService
from bot.slack.delivery import backoff
from bot.store.durable import Durable, Journal
from bot.store.repository import Store
from tests.test_launch import DRAFT, NOW, WHO, FakeCcc, FakeNotifier


@dataclass
class Reporter:
    told: list[Campaign] = field(default_factory=list)

    async def orphaned(self, campaign: Campaign) -> None:
        self.told.append(campaign)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    store.migrate()
    yield store
    store.close()


def process(store: Store, name: str, journal: Path | None = None) -> StoreAdapter:
    # Pauses between a refused write's tries of 10, 30, 90 ms instead of 0.2, 0.6, 1.8 s: the rule is tested, not them.
    return StoreAdapter(store, Durable(store.engine, Journal(journal) if journal else None, pause=0.01), name)


def rows(store: Store, sql: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql))]


async def test_a_launch_whose_process_stopped_is_told_once_by_another(store: Store) -> None:
    crashed, alive = process(store, "crashed-instance"), process(store, "alive-instance")
    await crashed.beat(NOW)
    ref = await crashed.claim(NewCampaign("draft-1", WHO, DRAFT, "fp", NOW))
    assert ref is not None
    await crashed.record_thread(ref, "1700000000.000100")
    reporter = Reporter()
    recovery = Recovery(store=alive, reporter=reporter, clock=lambda: NOW + timedelta(seconds=1))
    assert await recovery.tick() == 0  # its process beat a second ago: it may still be waiting for CCC
    later = Recovery(store=alive, reporter=reporter, clock=lambda: NOW + DEAD_AFTER + timedelta(seconds=1))
    assert await later.tick() == 1
    assert await later.tick() == 0  # told once
    (told,) = reporter.told
    assert (told.ref, told.thread_ts, told.status) == (ref, "1700000000.000100", "unknown")
    (row,) = rows(store, "SELECT status, reported_at FROM campaigns")
    assert row["status"] == "unknown" and row["reported_at"]
    assert [r["action"] for r in rows(store, f"SELECT action FROM audit_events WHERE campaign_ref = {ref}")] == [
        "unknown"]


async def test_a_process_is_dead_after_four_of_the_configured_beats(store: Store) -> None:
    crashed, alive = process(store, "crashed-instance"), process(store, "alive-instance")
    await crashed.beat(NOW)
    ref = await crashed.claim(NewCampaign("draft-1", WHO, DRAFT, "fp", NOW))
    assert ref is not None
    beat, reporter = timedelta(seconds=1), Reporter()
    assert await Recovery(store=alive, reporter=reporter, clock=lambda: NOW + 3 * beat, beat=beat).tick() == 0
    assert await Recovery(store=alive, reporter=reporter, clock=lambda: NOW + 5 * beat, beat=beat).tick() == 1
    assert [c.ref for c in reporter.told] == [ref]


def test_the_outbox_retries_after_the_configured_wait_then_twice_as_long_each_time() -> None:
    assert [backoff(n) for n in range(1, 11)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert [backoff(n, 0.2) for n in range(1, 5)] == pytest.approx([0.2, 0.4, 0.8, 1.6])
    assert backoff(10_000, 0.2) == 300


async def test_a_launch_that_finished_is_not_reported_again(store: Store) -> None:
    adapter, notifier = process(store, "one"), FakeNotifier()
    service = CampaignService(store=adapter, clock=lambda: NOW)
    draft_id = await service.save_draft(DRAFT, FormInput(), WHO)
    use_case = Launch(ccc=FakeCcc(), store=adapter, notifier=notifier, service=service, clock=lambda: NOW)
    await use_case.run(Launchable(draft_id, DRAFT), WHO)
    reporter = Reporter()
    far = Recovery(store=process(store, "two"), reporter=reporter, clock=lambda: NOW + timedelta(hours=1))
    assert await far.tick() == 0 and not reporter.told


async def test_an_outcome_the_database_would_not_take_is_journalled_then_written(store: Store,
                                                                                   tmp_path: Path) -> None:
    journal = tmp_path / "outcomes.jsonl"
    adapter = process(store, "one", journal)
    ref = await adapter.claim(NewCampaign("draft-2", WHO, DRAFT, "fp", NOW))
    assert ref is not None
    outcome = Outcome(status="created", summary="Campaign created.", campaign_id=4242, request_id="req-42")
    event = AuditEvent(at=NOW, requester=WHO, action="created", detail={"campaign_id": 4242}, campaign_ref=ref,
                       request_id="req-42")
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE campaigns RENAME TO campaigns_away"))  # the database breaks at the write
    try:
        assert await adapter.settle(ref, outcome, event, NOW) is False
        assert journal.exists() and "4242" in journal.read_text()
        assert await adapter.replay() == 0  # still broken: kept
    finally:
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE campaigns_away RENAME TO campaigns"))
    # A new process (the journal survives a restart) writes it once the database takes it again.
    assert await process(store, "two", journal).replay() == 1
    assert not journal.exists()
    (row,) = rows(store, "SELECT status, campaign_id, request_id FROM campaigns")
    assert (row["status"], row["campaign_id"], row["request_id"]) == ("created", 4242, "req-42")
    assert [r["action"] for r in rows(store, "SELECT action FROM audit_events")] == ["created"]


async def test_a_stopped_process_that_said_goodbye_is_not_waited_for(store: Store) -> None:
    leaving = process(store, "leaving")
    await leaving.beat(NOW)
    ref = await leaving.claim(NewCampaign("draft-3", Requester("T0001", "U_SUP", "C_OPS"), DRAFT, "fp", NOW))
    await leaving.forget()  # SIGTERM: in-flight launches drained, one was cut short
    reporter = Reporter()
    assert await Recovery(store=process(store, "next"), reporter=reporter,
                          clock=lambda: NOW + timedelta(seconds=1)).tick() == 1
    assert [c.ref for c in reporter.told] == [ref]


async def test_the_outbox_keeps_the_newest_card_and_hands_each_message_to_one_replica(store: Store) -> None:
    durable = Durable(store.engine, None)
    await durable.put({"kind": "update", "message": {"text": "calling 10%"}}, 100, 102, "503", key="update:C:1.1")
    await durable.put({"kind": "update", "message": {"text": "calling 20%"}}, 101, 103, "503", key="update:C:1.1")
    await durable.put({"kind": "reply", "message": {"text": "created"}}, 101, 103, "503")
    due = await durable.due(200)
    assert [p["message"]["text"] for _id, _n, p in due] == ["calling 20%", "created"]
    (first, _n, _p), (second, _m, _q) = due
    assert await durable.take(first, 200, 260) and not await durable.take(first, 200, 260)  # one replica only
    await durable.later(second, 400, "still 503")
    assert [i for i, _n, _p in await durable.due(250)] == []  # held, or waiting until later
    await durable.done(first)
    assert [(i, n) for i, n, _p in await durable.due(400)] == [(second, 2)]
