"""Everything checked before a preview is shown — the form's rules, CCC's own lists, calling hours in every callee's
zone, launches that would call the same people again — and the draft saved for the preview's Launch. Nothing here
creates a campaign."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time

from bot.campaign.compliance import nothing_left
from bot.campaign.directory import Directory
from bot.campaign.draft import MAX_CALLEES, CampaignDraft, DraftInvalid, FieldName, FormInput, build_draft
from bot.campaign.numbers import ParsedNumbers
from bot.campaign.policy import review
from bot.campaign.ports import Campaign, Requester
from bot.campaign.screening import Screener
from bot.campaign.service import CampaignService


@dataclass(frozen=True)
class Prepared:
    """Either errors per field, or a saved draft with what the person should know before launching it."""

    errors: dict[FieldName, str] = field(default_factory=dict)
    draft: CampaignDraft | None = None
    draft_id: str = ""
    warnings: list[str] = field(default_factory=list)
    identical: list[Campaign] = field(default_factory=list)


@dataclass(frozen=True)
class Checks:
    service: CampaignService
    directory: Directory
    clock: Callable[[], datetime]
    region: str
    calling_hours: tuple[time, time] | None
    max_callees: int = MAX_CALLEES
    screener: Screener | None = None  # do-not-call, frequency caps, blocked regions

    async def prepare_and_save(self, form: FormInput, requester: Requester, *, tz: str, locale: str | None = None,
                               uploaded: ParsedNumbers | None = None) -> Prepared:
        """Check the form; when it passes, save the draft (its id is the preview's launch key)."""
        # CCC's lists are cached; when CCC cannot say within a second, typed values are taken as they are.
        agents, callers = await asyncio.gather(self.directory.agents(wait=1.0), self.directory.callers(wait=1.0))
        try:
            # Parsing the window and the typed numbers is CPU work: off the event loop, where acks are waiting.
            draft = await asyncio.to_thread(
                build_draft, form, tz=tz, now=self.clock(), region=self.region, uploaded=uploaded,
                agents=[a.mail for a in agents] if agents is not None else None, callers=callers, locale=locale,
                max_callees=self.max_callees)
        except DraftInvalid as exc:
            return Prepared(errors=exc.errors)
        # Do-not-call, blocked regions and frequency caps remove numbers; calling hours (below) refuse the window.
        if self.screener is not None:
            draft, _ = await self.screener.apply(requester.team_id, draft, self.clock())
        if self.screener is not None and not draft.callees:
            where: FieldName = "callees" if form.callees.strip() else "callees_file"
            return Prepared(errors={where: nothing_left(draft.removed, self.screener.cap)})
        # Zone lookups for a large list are CPU work: off the event loop.
        error, warnings = await asyncio.to_thread(review, draft.callees, draft.start, draft.end, draft.tz,
                                                  draft.concurrency, self.calling_hours)
        if error:
            return Prepared(errors={"window": error})
        identical = await self.service.identical(draft, requester.team_id)
        draft_id = await self.service.save_draft(draft, form, requester)
        return Prepared(draft=draft, draft_id=draft_id, warnings=warnings, identical=identical)
