"""Reconcile an "outcome unknown" launch: a person found the CampaignId in the console; Describe proves it is the
one that was sent (same name, same window) before it is recorded and watched."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.ports import AuditEvent, CccFailure
from bot.campaign.state import LiveCampaign
from bot.campaign.tracking import (
    Actor,
    Audit,
    Event,
    LifecycleCcc,
    LifecycleNotifier,
    LifecycleStore,
    missing,
    show,
)


@dataclass(frozen=True)
class Reconciled:
    campaign: LiveCampaign | None
    problem: str = ""  # shown on the modal's field when the id is not accepted: plain text, no markup


class Reconcile:
    def __init__(self, *, ccc: LifecycleCcc, store: LifecycleStore, audit: Audit,
                 notifier: LifecycleNotifier) -> None:
        self._ccc = ccc
        self._store = store
        self._audit = audit
        self._notifier = notifier

    async def __call__(self, ref: int, typed: str, actor: Actor, now: datetime, *,
                       describe_within: float | None = None) -> Reconciled:
        """`describe_within` (seconds) bounds only CCC's Describe: once it has answered, the record, its audit row,
        the card and the thread note are all written — never the record alone."""
        row = await self._store.campaign(ref)
        if row is None:
            return Reconciled(None, "I have no record of that launch.")
        campaign = LiveCampaign.from_row(row)
        if row.status != "unknown":
            return Reconciled(campaign, "This launch's outcome is already known.")
        text = typed.strip()
        if not text.isdigit():
            return Reconciled(campaign, "A CampaignId is a number, as the CCC console shows it.")
        campaign_id = int(text)
        taken = await self._store.by_campaign_id(campaign.team_id, campaign_id)
        if taken is not None:
            return Reconciled(campaign, f"CampaignId {campaign_id} is already recorded for “{taken.name}”.")
        try:
            found = await asyncio.wait_for(self._ccc.describe(campaign_id), describe_within)
        except TimeoutError:
            return Reconciled(campaign, "CCC is slow to answer just now. Try again.")
        except CccFailure as exc:
            if missing(exc):
                return Reconciled(campaign, f"CCC has no campaign {campaign_id}.")
            return Reconciled(campaign, f"CCC could not be asked just now ({exc.code or exc.message}). Try again.")
        window = (int(found.start.timestamp()) if found.start else 0, int(found.end.timestamp()) if found.end else 0)
        if found.name != row.name or window != (row.start_at, row.end_at):
            return Reconciled(campaign, f"Campaign {campaign_id} in CCC is “{found.name}”, with another window "
                              "or name than this launch sent — not this one.")
        if not await self._store.reconcile(ref, campaign_id=campaign_id):
            return Reconciled(campaign, "This launch's outcome was settled meanwhile.")
        at = int(now.timestamp())
        await self._audit.audit(AuditEvent(at=now, requester=actor.requester, action="reconciled",
                                           detail={"name": row.name, "campaign_id": campaign_id}, campaign_ref=ref,
                                           request_id=found.request_id))
        over = found.state in (2, 3)
        await self._store.observe(ref, ccc_state=found.state, called=found.called, checked_at=at,
                                  ended_at=at if over else None, watch_due=at)  # the watcher takes it from here
        fresh = await self._store.campaign(ref)
        done = LiveCampaign.from_row(fresh) if fresh else campaign
        await show(self._store, self._notifier, done, "person")
        await self._notifier.note(done, Event("reconciled", at=now, by=actor.user_id))
        return Reconciled(done)
