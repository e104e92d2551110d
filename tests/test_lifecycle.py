"""The after-launch use cases in process, with a fixed `now`: the watcher's schedule, what the thread hears when a
campaign ends, Stop's rules and its ambiguous Abort, and reconciling an unknown outcome."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.adapters import StoreAdapter
from bot.campaign.ports import CccFailure, Progress
from bot.campaign.reconcile import Reconcile
from bot.campaign.state import LiveCampaign, progress_bar
from bot.campaign.stop import Stop
from bot.campaign.tracking import NEVER, Actor, Event, Priority
from bot.campaign.watch import Watch, Watcher, next_check
from bot.store.repository import Store
from bot.store.tracking import Tracking

START = 1_800_000_000
END = START + 7200
LAUNCHER = Actor("T1", "U_SUP", "C1", may_launch_there=False)


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass
class Answer:
    name: str
    state: int
    start: int
    end: int
    total: int
    called: int

    def progress(self, campaign_id: int) -> Progress:
        return Progress(campaign_id, self.state, self.total, self.called, "req-d", self.name, at(self.start),
                        at(self.end))


@dataclass
class Ccc:
    """CCC's Describe and Abort as the domain sees them; failures queued per action."""

    campaigns: dict[int, Answer] = field(default_factory=dict)
    failures: dict[str, list[CccFailure]] = field(default_factory=dict)
    calls: list[tuple[str, int]] = field(default_factory=list)
    abort_takes_effect: bool = True
    describe_takes: float = 0.0  # seconds CCC needs to answer a Describe

    async def describe(self, campaign_id: int) -> Progress:
        self.calls.append(("describe", campaign_id))
        await asyncio.sleep(self.describe_takes)
        if self.failures.get("describe"):
            raise self.failures["describe"].pop(0)
        if campaign_id not in self.campaigns:
            raise CccFailure("invalid", "not found", code="InvalidParameterValue")
        return self.campaigns[campaign_id].progress(campaign_id)

    async def abort(self, campaign_id: int) -> str:
        self.calls.append(("abort", campaign_id))
        if self.abort_takes_effect:
            self.campaigns[campaign_id].state = 3
        if self.failures.get("abort"):
            raise self.failures["abort"].pop(0)
        return "req-a"


@dataclass
class Notifier:
    cards: list[tuple[LiveCampaign, Priority]] = field(default_factory=list)
    notes: list[tuple[LiveCampaign, Event]] = field(default_factory=list)
    budget: int = 1000

    async def card(self, campaign: LiveCampaign, priority: Priority) -> bool:
        if priority != "person" and self.budget <= 0:
            return False
        self.budget -= 1
        self.cards.append((campaign, priority))
        return True

    async def note(self, campaign: LiveCampaign, event: Event) -> None:
        self.notes.append((campaign, event))


@dataclass
class World:
    store: Store
    tracking: Tracking
    ccc: Ccc
    notifier: Notifier
    watch: Watch
    stop: Stop
    reconcile: Reconcile

    def launch(self, *, status: str = "created", campaign_id: int | None = 1001, total: int = 200,
               user: str = "U_SUP", name: str = "Renewals") -> int:
        async def go() -> int:
            ref = await self.store.claim({
                "launch_key": f"k{campaign_id}{name}{status}", "status": status, "team_id": "T1", "user_id": user,
                "channel_id": "C1", "name": name, "agent": "a@example.com", "tz": "Asia/Shanghai",
                "start_at": START, "end_at": END, "concurrency": 1, "call_order": 1, "uui": "", "callers": [],
                "callees": [f"+86130{i:08d}" for i in range(total)], "created_at": START - 3600})
            assert ref is not None
            if campaign_id is not None and status == "created":
                await self.store.record_outcome(ref, status="created", campaign_id=campaign_id, request_id=None,
                                                error_code=None, error_message=None, updated_at=START)
                self.ccc.campaigns[campaign_id] = Answer(name, 0, START, END, total, 0)
            return ref

        return asyncio.run(go())

    def row(self, ref: int) -> Any:
        return asyncio.run(self.tracking.campaign(ref))


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = Store(f"sqlite:///{tmp_path / 'w.db'}")
    store.migrate()
    tracking, ccc, notifier = Tracking(store.engine), Ccc(), Notifier()
    return World(store, tracking, ccc, notifier, Watch(ccc=ccc, store=tracking, notifier=notifier, interval=60),
                 Stop(ccc=ccc, store=tracking, audit=StoreAdapter(store), notifier=notifier),
                 Reconcile(ccc=ccc, store=tracking, audit=StoreAdapter(store), notifier=notifier))


def test_describes_at_the_start_every_interval_while_running_and_once_after_the_end() -> None:
    assert next_check(0, start=START, end=END, now=START - 500, interval=60) == START
    assert next_check(1, start=START, end=END, now=START + 10, interval=60) == START + 70
    assert next_check(1, start=START, end=END, now=END - 20, interval=60) == END + 5
    assert next_check(2, start=START, end=END, now=END + 5, interval=60) == NEVER
    assert next_check(3, start=START, end=END, now=START + 5, interval=60) == NEVER
    assert next_check(1, start=START, end=END, now=END + 5, interval=60) == END + 65  # CCC still says running


def test_the_watcher_follows_a_campaign_to_its_end_and_tells_the_requester(world: World) -> None:
    ref = world.launch()
    watcher = Watcher(world.watch, world.tracking, owner="me")
    assert asyncio.run(watcher.tick(at(START - 30))) == 0  # nothing to ask before the start
    world.ccc.campaigns[1001].state, world.ccc.campaigns[1001].called = 1, 50
    assert asyncio.run(watcher.tick(at(START))) == 1
    assert world.notifier.cards[-1][0].phase == "calling" and world.notifier.cards[-1][0].called == 50
    assert asyncio.run(watcher.tick(at(START + 30))) == 0  # next one a minute after the last
    assert asyncio.run(watcher.tick(at(START + 60))) == 1  # nothing changed: the card is left alone
    assert len(world.notifier.cards) == 1
    world.ccc.campaigns[1001].state, world.ccc.campaigns[1001].called = 2, 200
    asyncio.run(watcher.tick(at(START + 120)))
    row = world.row(ref)
    assert (row.ccc_state, row.called_count, row.checked_at, row.ended_at) == (2, 200, START + 120, START + 120)
    (campaign, event), = world.notifier.notes
    assert event.kind == "finished" and campaign.called == 200 and campaign.total == 200
    assert asyncio.run(watcher.tick(at(END + 600))) == 0  # finished: never asked again
    assert len(world.ccc.calls) == 3


def test_a_claim_late_in_a_second_holds_the_campaign_for_a_whole_interval(world: World) -> None:
    """Leases are whole seconds: a claim at START + 0.999 s holds the campaign a full interval (60 s), not to
    START + 60, when the other replica's tick at START + 60.5 s would check it again while the first replica's
    Describe is still on its way."""
    world.launch()
    world.ccc.campaigns[1001].state = 1
    world.ccc.describe_takes = 0.2
    first, second = (Watcher(world.watch, world.tracking, owner=name) for name in ("r1", "r2"))

    async def both() -> list[int]:
        async def while_the_first_waits_for_ccc() -> int:
            await asyncio.sleep(0.05)
            return await second.tick(at(START + 60.5))

        return list(await asyncio.gather(first.tick(at(START + 0.999)), while_the_first_waits_for_ccc()))

    assert asyncio.run(both()) == [1, 0]
    assert world.ccc.calls == [("describe", 1001)]


def test_a_late_describe_counts_the_next_check_from_its_answer_whether_it_failed_or_not(world: World) -> None:
    """The watcher claims at START but the Describe answers 40 s later (its pace, a slow CCC): the next check is an
    interval after the answer, never 20 s after it, on success and on failure alike."""
    clock = {"now": START + 40}
    late = Watch(ccc=world.ccc, store=world.tracking, notifier=world.notifier, interval=60,
                 clock=lambda: at(clock["now"]))
    ref = world.launch()
    world.ccc.campaigns[1001].state = 1
    watcher = Watcher(late, world.tracking, owner="me")
    assert asyncio.run(watcher.tick(at(START))) == 1
    assert world.row(ref).checked_at == START + 40
    assert asyncio.run(watcher.tick(at(START + 60))) == 0  # an interval after the claim: too soon after the answer
    assert asyncio.run(watcher.tick(at(START + 99))) == 0
    world.ccc.failures["describe"] = [CccFailure("unknown", "timed out", code="InternalError")]
    clock["now"] = START + 130
    assert asyncio.run(watcher.tick(at(START + 100))) == 1  # fails, answered at +130
    assert asyncio.run(watcher.tick(at(START + 189))) == 0
    clock["now"] = START + 190
    assert asyncio.run(watcher.tick(at(START + 190))) == 1
    assert world.ccc.calls == [("describe", 1001)] * 3


def test_progress_waits_when_the_card_budget_is_spent_but_is_shown_later(world: World) -> None:
    world.launch()
    world.notifier.budget = 0
    world.ccc.campaigns[1001].state, world.ccc.campaigns[1001].called = 1, 10
    asyncio.run(world.watch.refresh(1, at(START + 5)))  # a person's Refresh is always shown
    world.ccc.campaigns[1001].called = 20
    watcher = Watcher(world.watch, world.tracking, owner="me")
    asyncio.run(watcher.tick(at(START + 70)))
    assert [c.called for c, _ in world.notifier.cards] == [10]
    world.notifier.budget = 5
    asyncio.run(watcher.tick(at(START + 130)))
    assert [c.called for c, _ in world.notifier.cards] == [10, 20]


def test_a_campaign_stopped_in_the_console_is_announced_once(world: World) -> None:
    world.launch()
    world.ccc.campaigns[1001].state, world.ccc.campaigns[1001].called = 3, 70
    watcher = Watcher(world.watch, world.tracking, owner="me")
    asyncio.run(watcher.tick(at(START + 1)))
    asyncio.run(watcher.tick(at(START + 100)))
    assert [e.kind for _, e in world.notifier.notes] == ["stopped_outside"]
    assert world.notifier.cards[-1][0].phase == "stopped" and world.notifier.cards[-1][0].stopped_by is None


def test_the_launcher_stops_a_running_campaign(world: World) -> None:
    ref = world.launch()
    result = asyncio.run(world.stop(ref, LAUNCHER, at(START + 60)))
    assert result.kind == "stopped" and world.ccc.calls == [("abort", 1001)]
    row = world.row(ref)
    assert (row.ccc_state, row.stopped_by, row.stopped_at) == (3, "U_SUP", START + 60)
    card, priority = world.notifier.cards[-1]
    assert card.phase == "stopped" and card.stopped_by == "U_SUP" and priority == "person"
    assert [(e.kind, e.by) for _, e in world.notifier.notes] == [("stopped", "U_SUP")]
    # the watcher's next look does not announce it a second time
    asyncio.run(Watcher(world.watch, world.tracking, owner="me").tick(at(START + 120)))
    assert len(world.notifier.notes) == 1


def test_someone_else_may_stop_only_as_a_launcher_and_a_refusal_is_audited(world: World) -> None:
    ref = world.launch()
    stranger = Actor("T1", "U_OTHER", "C1", may_launch_there=False)
    result = asyncio.run(world.stop(ref, stranger, at(START)))
    assert result.kind == "refused" and "<@U_SUP>" in result.message and world.ccc.calls == []
    with world.store.engine.connect() as conn:
        audited = [tuple(row) for row in conn.execute(text("SELECT action, user_id FROM audit_events"))]
    assert audited == [("denied", "U_OTHER")]
    boss = Actor("T1", "U_BOSS", "C1", may_launch_there=True)
    assert asyncio.run(world.stop(ref, boss, at(START))).kind == "stopped"


def test_stop_on_a_finished_campaign_says_so_without_calling_ccc(world: World) -> None:
    ref = world.launch()
    asyncio.run(world.tracking.observe(ref, ccc_state=2, called=200, checked_at=END, watch_due=NEVER, ended_at=END))
    result = asyncio.run(world.stop(ref, LAUNCHER, at(END + 10)))
    assert result.kind == "already_over" and "already finished" in result.message and world.ccc.calls == []


def test_an_ambiguous_abort_is_followed_by_a_describe_before_anything_is_said(world: World) -> None:
    ref = world.launch()
    world.ccc.failures["abort"] = [CccFailure("unknown", "no answer", code="InternalError")]
    result = asyncio.run(world.stop(ref, LAUNCHER, at(START + 60)))
    assert world.ccc.calls == [("abort", 1001), ("describe", 1001)]
    assert result.kind == "stopped" and world.row(ref).stopped_by == "U_SUP"

    other = world.launch(campaign_id=1002, name="Second")
    world.ccc.abort_takes_effect = False
    world.ccc.failures["abort"] = [CccFailure("unknown", "no answer", code="InternalError")]
    result = asyncio.run(world.stop(other, LAUNCHER, at(START + 60)))
    assert result.kind == "failed" and "still scheduled" in result.message and world.row(other).ccc_state is None

    world.ccc.failures["abort"] = [CccFailure("unknown", "no answer", code="InternalError")]
    world.ccc.failures["describe"] = [CccFailure("unknown", "no answer", code="InternalError")]
    result = asyncio.run(world.stop(other, LAUNCHER, at(START + 90)))
    assert result.kind == "unknown" and "console" in result.message


def test_a_found_campaign_id_is_checked_against_what_was_sent_then_watched(world: World) -> None:
    ref = world.launch(status="unknown", campaign_id=None)
    world.ccc.campaigns[7777] = Answer("Someone else's", 0, START, END, 200, 0)
    world.ccc.campaigns[7778] = Answer("Renewals", 1, START, END, 200, 12)
    boss = Actor("T1", "U_BOSS", "C1", may_launch_there=True)
    assert "number" in asyncio.run(world.reconcile(ref, "abc", boss, at(START))).problem
    assert "no campaign 9999" in asyncio.run(world.reconcile(ref, "9999", boss, at(START))).problem
    assert "not this one" in asyncio.run(world.reconcile(ref, "7777", boss, at(START))).problem
    assert world.row(ref).status == "unknown"
    done = asyncio.run(world.reconcile(ref, " 7778 ", boss, at(START + 5)))
    assert done.problem == "" and done.campaign is not None and done.campaign.phase == "calling"
    row = world.row(ref)
    assert (row.status, row.campaign_id, row.called_count) == ("created", 7778, 12)
    assert [(e.kind, e.by) for _, e in world.notifier.notes] == [("reconciled", "U_BOSS")]
    assert asyncio.run(Watcher(world.watch, world.tracking, owner="me").tick(at(START + 5))) == 1


def test_a_reconcile_ccc_is_slow_to_confirm_records_nothing_and_a_retry_completes_it(world: World) -> None:
    ref = world.launch(status="unknown", campaign_id=None)
    world.ccc.campaigns[7778] = Answer("Renewals", 1, START, END, 200, 12)
    boss = Actor("T1", "U_BOSS", "C1", may_launch_there=True)
    world.ccc.describe_takes = 0.5
    slow = asyncio.run(world.reconcile(ref, "7778", boss, at(START), describe_within=0.1))
    assert "slow" in slow.problem and world.row(ref).status == "unknown" and not world.notifier.notes
    world.ccc.describe_takes = 0.0
    done = asyncio.run(world.reconcile(ref, "7778", boss, at(START + 5), describe_within=0.1))
    assert done.problem == "" and world.row(ref).status == "created"
    assert [(e.kind, e.by) for _, e in world.notifier.notes] == [("reconciled", "U_BOSS")]  # who did it is told


def test_a_reconcile_problem_reads_as_plain_text_on_the_modal(world: World) -> None:
    world.launch(campaign_id=7779, name="Taken")
    ref = world.launch(status="unknown", campaign_id=None)
    world.ccc.campaigns[7777] = Answer("Someone else's", 0, START, END, 200, 0)
    boss = Actor("T1", "U_BOSS", "C1", may_launch_there=True)
    assert asyncio.run(world.reconcile(ref, "7779", boss, at(START))).problem == (
        "CampaignId 7779 is already recorded for “Taken”.")
    assert asyncio.run(world.reconcile(ref, "7777", boss, at(START))).problem.startswith(
        "Campaign 7777 in CCC is “Someone else's”, with another window")


def test_the_state_in_words_for_every_kind_of_launch(world: World) -> None:
    created = LiveCampaign.from_row(world.row(world.launch()))
    failed = world.launch(status="failed", campaign_id=None, name="F")
    asyncio.run(world.store.record_outcome(failed, status="failed", campaign_id=None, request_id=None,
                                           error_code="InvalidParameterValue",
                                           error_message="CCC refused the campaign's details.", updated_at=START))
    unknown = LiveCampaign.from_row(world.row(world.launch(status="unknown", campaign_id=None, name="U")))
    assert created.phase == "scheduled" and created.stoppable and created.not_called == 200
    assert LiveCampaign.from_row(world.row(failed)).phase == "not_created"
    assert LiveCampaign.from_row(world.row(failed)).why.startswith("CCC refused")
    assert unknown.phase == "unknown" and not unknown.stoppable
    assert progress_bar(50, 200) == "▓▓▓░░░░░░░ 25%" and progress_bar(0, 0) == "░░░░░░░░░░ 0%"


def test_a_card_left_launching_is_shown_as_the_store_knows_it(world: World) -> None:
    ref = world.launch(status="unknown", campaign_id=None, name="Cut short")  # the process stopped mid-launch
    asyncio.run(world.store.record_thread(ref, "1.000001"))
    watcher = Watcher(world.watch, world.tracking, owner="me")
    asyncio.run(watcher.tick(at(START - 3600 + 60)))  # a minute after the launch: it may still be waiting for CCC
    assert world.notifier.cards == []
    asyncio.run(watcher.tick(at(START)))
    (card, _), = world.notifier.cards
    assert card.ref == ref and card.phase == "unknown"
    asyncio.run(watcher.tick(at(START + 60)))
    assert len(world.notifier.cards) == 1  # shown once
