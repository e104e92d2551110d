"""The scrub at preview and its re-check at Launch: do-not-call entries, launched campaigns and phonenumbers'
regions, applied to a draft. `now` is passed in; nothing here reads the clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.compliance import Screening, Window, screen
from bot.campaign.dnc_ports import ComplianceStore
from bot.campaign.draft import CampaignDraft
from bot.campaign.numbers import mask
from bot.campaign.regions import BlockedRegions


@dataclass(frozen=True)
class Screener:
    store: ComplianceStore
    regions: BlockedRegions
    cap: int  # DIALCAMPAIGN_MAX_CALLS_PER_DAY

    async def screen(self, team_id: str, callees: list[str], start: datetime, end: datetime,
                     now: datetime) -> Screening:
        window = Window(int(start.timestamp()), int(end.timestamp()))
        # Region lookups for a large list are CPU work: off the event loop, while the database answers the rest.
        entries, earlier, regions = await asyncio.gather(
            self.store.entries(team_id, callees, now),
            self.store.windows(team_id, callees, start, end, at_least=self.cap),
            asyncio.to_thread(self.in_blocked_regions, callees))
        return await asyncio.to_thread(
            screen, callees, blocked_numbers=set(entries), window=window, cap=self.cap,
            earlier={n: [Window(s, e) for s, e in spans] for n, spans in earlier.items()},
            region_of=lambda number: "blocked" if number in regions else None)

    def in_blocked_regions(self, callees: list[str]) -> set[str]:
        if not self.regions.active:
            return set()
        return {number for number in callees if self.regions.region_of(number) is not None}

    async def apply(self, team_id: str, draft: CampaignDraft, now: datetime) -> tuple[CampaignDraft, Screening]:
        """The draft with only the callees that may be called; what was removed rides along, masked, for the
        preview and the audit trail."""
        result = await self.screen(team_id, draft.callees, draft.start, draft.end, now)
        return draft.model_copy(update={"callees": result.kept, "removed": result.masked()}), result

    async def recheck(self, team_id: str, draft: CampaignDraft, now: datetime) -> tuple[CampaignDraft, list[str]]:
        """Just before a Launch is sent: numbers put on the do-not-call list since the preview come out too."""
        entries = await self.store.entries(team_id, draft.callees, now)
        if not entries:
            return draft, []
        late = [n for n in draft.callees if n in entries]
        removed = {**draft.removed, "dnc": [*draft.removed.get("dnc", []), *(mask(n) for n in late)]}
        kept = [n for n in draft.callees if n not in entries]
        return draft.model_copy(update={"callees": kept, "removed": removed}), late
