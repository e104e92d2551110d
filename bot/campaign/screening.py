"""The scrub at preview and its re-check at Launch: do-not-call entries, launched campaigns and phonenumbers'
regions, applied to a draft. `now` is passed in; nothing here reads the clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.compliance import Reason, Screening, Window, over_cap, screen
from bot.campaign.dnc_ports import ComplianceStore
from bot.campaign.draft import CampaignDraft
from bot.campaign.numbers import mask
from bot.campaign.regions import BlockedRegions


def _nowhere(number: str) -> str | None:
    return None


@dataclass(frozen=True)
class Screener:
    store: ComplianceStore
    regions: BlockedRegions
    cap: int  # DIALCAMPAIGN_MAX_CALLS_PER_DAY

    async def screen(self, team_id: str, callees: list[str], start: datetime, end: datetime,
                     now: datetime) -> Screening:
        window = Window(int(start.timestamp()), int(end.timestamp()))
        # Sorted once, off the event loop: each lookup probes its index in key order, and would sort again.
        ordered = await asyncio.to_thread(sorted, callees)
        # The two lookups wait on the database concurrently (their threads release the GIL). The region lookups are
        # pure Python: run alongside, they would hold the GIL each time a database thread wants it back for a row
        # (up to 5 ms a time), so they run after, inside the split (only for numbers not listed), off the event loop.
        entries, earlier = await asyncio.gather(
            self.store.entries(team_id, ordered, now),
            self.store.windows(team_id, ordered, start, end, at_least=self.cap))
        spans = {n: [Window(s, e) for s, e in found] for n, found in earlier.items()}
        region_of = self.regions.region_of if self.regions.active else _nowhere
        return await asyncio.to_thread(screen, callees, blocked_numbers=set(entries), window=window, cap=self.cap,
                                       earlier=spans, region_of=region_of)

    def in_blocked_regions(self, callees: list[str]) -> set[str]:
        if not self.regions.active:
            return set()
        return {number for number in callees if self.regions.region_of(number) is not None}

    async def apply(self, team_id: str, draft: CampaignDraft, now: datetime) -> tuple[CampaignDraft, Screening]:
        """The draft with only the callees that may be called; what was removed rides along, masked, for the
        preview and the audit trail."""
        result = await self.screen(team_id, draft.callees, draft.start, draft.end, now)
        return draft.model_copy(update={"callees": result.kept, "removed": result.masked()}), result

    async def recheck(self, team_id: str, draft: CampaignDraft, now: datetime, *, ref: int
                      ) -> tuple[CampaignDraft, dict[Reason, list[str]]]:
        """Just before a Launch is sent: numbers put on the do-not-call list since the preview come out, and so do
        numbers that other launches since the preview brought to the frequency cap (`ref`, this launch's own claimed
        record, does not count). What came out, by reason."""
        window = Window(int(draft.start.timestamp()), int(draft.end.timestamp()))
        entries, earlier = await asyncio.gather(
            self.store.entries(team_id, draft.callees, now),
            self.store.windows(team_id, draft.callees, draft.start, draft.end, at_least=self.cap, exclude=ref))
        late: dict[Reason, list[str]] = {"dnc": [n for n in draft.callees if n in entries]}
        late["frequency"] = [n for n in draft.callees if n not in entries and n in earlier
                             and over_cap(window, [Window(s, e) for s, e in earlier[n]], self.cap)]
        gone = {n for numbers in late.values() for n in numbers}
        if not gone:
            return draft, {}
        removed = dict(draft.removed)
        for reason, numbers in late.items():
            if numbers:
                removed[reason] = [*removed.get(reason, []), *(mask(n) for n in numbers)]
        kept = [n for n in draft.callees if n not in gone]
        return draft.model_copy(update={"callees": kept, "removed": removed}), {r: v for r, v in late.items() if v}
