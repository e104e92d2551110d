"""Launch's do-not-call re-check in-process, against fakes of its ports: a number listed after the preview is never
sent, the record and the audit trail say so, and the launcher is told; with nothing left, nothing is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.campaign.dnc_ports import DncEntry, LateRemoval, Running
from bot.campaign.launch import Launch, Launchable
from bot.campaign.regions import BlockedRegions
from bot.campaign.screening import Screener
from bot.campaign.service import CampaignService
from tests.test_launch import DRAFT, NOW, WHO, FakeCcc, FakeNotifier, MemoryStore, saved


@dataclass
class FakeList:
    """The ComplianceStore port in memory: only the do-not-call entries matter to the re-check."""

    listed: set[str] = field(default_factory=set)
    dropped: list[tuple[int, list[str]]] = field(default_factory=list)

    async def add(self, team_id: str, entries: list[tuple[str, str, datetime | None]], *, by: str,
                  at: datetime) -> int:
        self.listed.update(n for n, _, _ in entries)
        return len(entries)

    async def remove(self, team_id: str, numbers: list[str]) -> list[str]:
        raise NotImplementedError

    async def entries(self, team_id: str, numbers: list[str], now: datetime) -> dict[str, DncEntry]:
        return {n: DncEntry(n, "", "U_ADMIN", now, None) for n in numbers if n in self.listed}

    async def windows(self, team_id: str, numbers: list[str], start: datetime, end: datetime, *,
                      at_least: int) -> dict[str, list[tuple[int, int]]]:
        return {}

    async def running(self, team_id: str, numbers: list[str], now: datetime) -> list[Running]:
        return []

    async def drop_callees(self, ref: int, numbers: list[str]) -> None:
        self.dropped.append((ref, numbers))


async def run(listed: set[str]) -> tuple[FakeCcc, FakeNotifier, MemoryStore, FakeList]:
    store, ccc, dnc = MemoryStore(), FakeCcc(), FakeList()
    notifier = FakeNotifier(store)
    use_case = Launch(ccc=ccc, store=store, notifier=notifier, service=CampaignService(store=store, clock=lambda: NOW),
                      clock=lambda: NOW, screener=Screener(dnc, BlockedRegions(()), 5))
    checked = await use_case.check(await saved(store), WHO)
    assert isinstance(checked, Launchable)
    dnc.listed |= listed  # put on the list after the preview
    await use_case.run(checked, WHO)
    return ccc, notifier, store, dnc


async def test_a_number_listed_after_the_preview_is_taken_out_just_before_sending() -> None:
    ccc, notifier, store, dnc = await run({DRAFT.callees[1]})
    (sent,) = ccc.creates
    assert sent.callees == [DRAFT.callees[0]]
    assert dnc.dropped == [(1, [DRAFT.callees[1]])]  # the campaign's record lists what was really sent
    assert notifier.told == [LateRemoval("Renewals", ["+861*******671"], everything=False)]
    assert [e.action for e in store.audits] == ["launch", "dnc_removed", "created"]
    assert store.audits[1].detail == {"count": 1, "numbers": ["+861*******671"]}


async def test_with_every_number_listed_nothing_is_sent_and_the_thread_says_why() -> None:
    ccc, notifier, store, _ = await run(set(DRAFT.callees))
    assert ccc.creates == []
    ((_thread, outcome, _audited),) = notifier.replies
    assert outcome.status == "failed" and "every number was put on the do-not-call list" in outcome.summary
    assert [e.action for e in store.audits] == ["launch", "dnc_removed", "failed"]
