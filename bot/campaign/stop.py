"""Stop: who may stop a campaign, the Abort, and what to believe when CCC's answer is ambiguous (Describe first)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from bot.campaign.ports import AuditEvent, CccFailure
from bot.campaign.state import LiveCampaign
from bot.campaign.text import inert, lazy
from bot.campaign.tracking import (
    NEVER,
    Actor,
    Audit,
    Event,
    LifecycleCcc,
    LifecycleNotifier,
    LifecycleStore,
    ambiguous,
    show,
)

log = logging.getLogger(__name__)

StopKind = Literal["stopped", "already_over", "refused", "not_stoppable", "failed", "unknown", "not_found"]


@dataclass(frozen=True)
class StopResult:
    kind: StopKind
    message: str  # words for the person who pressed Stop (ephemeral), empty when the thread says it all
    campaign: LiveCampaign | None = None
    code: str = ""
    request_id: str = ""


class Stop:
    def __init__(self, *, ccc: LifecycleCcc, store: LifecycleStore, audit: Audit,
                 notifier: LifecycleNotifier) -> None:
        self._ccc = ccc
        self._store = store
        self._audit = audit
        self._notifier = notifier

    async def preview(self, ref: int) -> LiveCampaign | None:
        row = await self._store.campaign(ref)
        return LiveCampaign.from_row(row) if row else None

    async def __call__(self, ref: int, actor: Actor, now: datetime) -> StopResult:
        row = await self._store.campaign(ref)
        if row is None or row.team_id not in ("", actor.team_id):
            return StopResult("not_found", lazy("I have no record of that campaign."))
        campaign = LiveCampaign.from_row(row)
        name = inert(campaign.name)
        at = int(now.timestamp())
        if not actor.may_act(campaign):
            reason = lazy("Only {user}, who launched it, or a launcher can stop *{name}*.",
                          user=f"<@{campaign.launcher}>", name=name)
            await self._record(actor, campaign, "denied", at, {"reason": "may not stop", "stop": True})
            return StopResult("refused", reason, campaign)
        if campaign.over:
            said = {"finished": lazy("*{name}* has already finished; nothing was sent to CCC.", name=name),
                    "stopped": lazy("*{name}* was already stopped; nothing was sent to CCC.", name=name),
                    "not_created": lazy("*{name}* was never created; nothing was sent to CCC.", name=name),
                    }[campaign.phase]
            return StopResult("already_over", said, campaign)
        if campaign.campaign_id is None:
            return StopResult("not_stoppable", lazy(
                "*{name}* has no CampaignId: its outcome is unknown. Find it in the CCC console (and stop it there), "
                "or use *I found it in the console* on its card first.", name=name), campaign)
        try:
            request_id = await self._ccc.abort(campaign.campaign_id)
        except CccFailure as exc:
            if not ambiguous(exc):
                await self._record(actor, campaign, "stop_failed", at, {"code": exc.code}, exc.request_id)
                return StopResult("failed", lazy("CCC did not stop *{name}*: {message}", name=name,
                                                 message=inert(exc.message)), campaign,
                                  exc.code, exc.request_id)
            return await self._after_ambiguous(campaign, actor, now, exc)
        return await self._stopped(campaign, actor, now, request_id)

    async def _after_ambiguous(self, campaign: LiveCampaign, actor: Actor, now: datetime,
                               failure: CccFailure) -> StopResult:
        """CCC may or may not have aborted it: ask before saying anything."""
        assert campaign.campaign_id is not None
        name = inert(campaign.name)
        at = int(now.timestamp())
        try:
            described = await self._ccc.describe(campaign.campaign_id)
        except CccFailure as exc:
            await self._record(actor, campaign, "stop_unknown", at, {"code": failure.code}, failure.request_id)
            return StopResult("unknown", lazy("CCC did not confirm the stop of *{name}* and could not be asked "
                                              "afterwards: it may still be calling. Check the CCC console.",
                                              name=name), campaign,
                              failure.code or exc.code, failure.request_id)
        if described.state == 3:
            return await self._stopped(campaign, actor, now, failure.request_id, called=described.called)
        if described.state == 2:
            await self._store.observe(campaign.ref, ccc_state=2, called=described.called, checked_at=at,
                                      ended_at=min(at, int(campaign.end.timestamp())), watch_due=NEVER)
            fresh = await self.preview(campaign.ref)
            if fresh:
                await show(self._store, self._notifier, fresh, "person")
            return StopResult("already_over", lazy("*{name}* had already finished.", name=name), fresh)
        await self._record(actor, campaign, "stop_failed", at, {"code": failure.code, "state": described.state},
                           failure.request_id)
        still = (lazy("CCC did not stop *{name}* — it is still calling. Try Stop again.", name=name)
                 if described.state == 1 else
                 lazy("CCC did not stop *{name}* — it is still scheduled. Try Stop again.", name=name))
        return StopResult("failed", still, campaign,
                          failure.code, failure.request_id)

    async def _stopped(self, campaign: LiveCampaign, actor: Actor, now: datetime, request_id: str, *,
                       called: int | None = None) -> StopResult:
        at = int(now.timestamp())
        moved = await self._store.observe(campaign.ref, ccc_state=3, called=campaign.called if called is None else
                                          called, checked_at=at, ended_at=at, watch_due=NEVER,
                                          stopped_by=actor.user_id)
        await self._record(actor, campaign, "stopped", at, {"campaign_id": campaign.campaign_id}, request_id)
        fresh = await self.preview(campaign.ref) or campaign
        await show(self._store, self._notifier, fresh, "person")
        if moved:
            await self._notifier.note(fresh, Event("stopped", at=now, by=actor.user_id))
        return StopResult("stopped", "", fresh, request_id=request_id)

    async def _record(self, actor: Actor, campaign: LiveCampaign, action: str, at: int, detail: dict[str, object],
                      request_id: str = "") -> None:
        await self._audit.audit(AuditEvent(at=datetime.fromtimestamp(at, UTC), requester=actor.requester,
                                           action=action, detail={"name": campaign.name, **detail},
                                           campaign_ref=campaign.ref, request_id=request_id))
