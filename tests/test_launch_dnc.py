"""Launch's compliance re-check in-process, against fakes of its ports: a number listed after the preview, or brought
to the frequency cap by another launch since, is never sent; the record and the audit trail say so, and the launcher
is told; with nothing left, nothing is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.campaign.dnc_ports import DncEntry, LateRemoval, Running
from bot.campaign.launch import Launch, Launchable
from bot.campaign.regions import BlockedRegions
from bot.campaign.screening import Screener
from bot.campaign.service import CampaignService
from tests.test_launch import DRAFT, NOW, WHO, FakeCcc, FakeNotifier, MemoryStore, saved

DAY = timedelta(days=1)


@dataclass
class FakeList:
    """The ComplianceStore port in memory: the do-not-call entries and launched campaigns' (ref, number, window)."""

    listed: set[str] = field(default_factory=set)
    launched: list[tuple[int, str, datetime, datetime]] = field(default_factory=list)
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
                      at_least: int, exclude: int | None = None) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = {}
        for ref, number, s, e in self.launched:
            if ref != exclude and number in numbers and e > start - DAY and s < end + DAY:
                found.setdefault(number, []).append((int(s.timestamp()), int(e.timestamp())))
        return {n: w for n, w in found.items() if len(w) >= at_least}

    async def running(self, team_id: str, numbers: list[str], now: datetime) -> list[Running]:
        return []

    async def drop_callees(self, ref: int, numbers: list[str]) -> None:
        self.dropped.append((ref, numbers))


async def run(listed: set[str], launched: list[tuple[int, str, datetime, datetime]] | None = None
              ) -> tuple[FakeCcc, FakeNotifier, MemoryStore, FakeList]:
    """Preview, then (before Launch) `listed` go on the list and other launches record `launched`; then Launch."""
    store, ccc, dnc = MemoryStore(), FakeCcc(), FakeList()
    notifier = FakeNotifier(store)
    use_case = Launch(ccc=ccc, store=store, notifier=notifier, service=CampaignService(store=store, clock=lambda: NOW),
                      clock=lambda: NOW, screener=Screener(dnc, BlockedRegions(()), 5))
    checked = await use_case.check(await saved(store), WHO)
    assert isinstance(checked, Launchable)
    dnc.listed |= listed  # put on the list after the preview
    dnc.launched += launched or []
    # the claim records this launch's own callees too: they never count against it
    dnc.launched += [(1, n, DRAFT.start, DRAFT.end) for n in DRAFT.callees]
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


def others(count: int, number: str) -> list[tuple[int, str, datetime, datetime]]:
    """`count` other campaigns calling `number` in the same window, launched after the preview."""
    return [(10 + i, number, DRAFT.start, DRAFT.end) for i in range(count)]


async def test_a_number_brought_to_the_cap_by_launches_since_the_preview_is_taken_out() -> None:
    # the cap is 5: four others keep the number under it (this launch is the fifth), five bring it to the cap
    ccc, notifier, store, dnc = await run(set(), others(4, DRAFT.callees[0]) + others(5, DRAFT.callees[1]))
    (sent,) = ccc.creates
    assert sent.callees == [DRAFT.callees[0]]
    assert dnc.dropped == [(1, [DRAFT.callees[1]])]
    assert notifier.told == [LateRemoval("Renewals", [], everything=False, capped=["+861*******671"], cap=5)]
    assert [e.action for e in store.audits] == ["launch", "frequency_removed", "created"]
    assert store.audits[1].detail == {"count": 1, "numbers": ["+861*******671"], "cap": 5}


async def test_listed_and_capped_numbers_both_come_out_and_nothing_is_sent_when_none_is_left() -> None:
    ccc, notifier, store, _ = await run({DRAFT.callees[0]}, others(5, DRAFT.callees[1]))
    assert ccc.creates == []
    assert notifier.told == [LateRemoval("Renewals", ["+861*******670"], everything=True, capped=["+861*******671"],
                                         cap=5)]
    assert [e.action for e in store.audits] == ["launch", "dnc_removed", "frequency_removed", "failed"]
    ((_thread, outcome, _audited),) = notifier.replies
    assert outcome.summary == ("Nothing was sent to CCC: every number was put on the do-not-call list and brought "
                               "to the cap of 5 campaigns in 24 hours by other launches after the preview.")
