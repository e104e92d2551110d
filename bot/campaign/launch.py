"""Launch: a confirmed preview becomes one CCC campaign, never two, with every step recorded before anyone is told.

The steps, in order: claim the launch key (the draft id) in the store → audit "launch" → post the parent message →
record its thread → create in CCC → record the outcome and audit it, durably → reply in the thread → mark it told.
Only the store's unique launch key decides "never twice": confirmed twice, delivered twice or seen by two replicas,
one claim wins. A launch cut short (a crash) is told by Recovery after the restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.clock import GRACE
from bot.campaign.dnc_ports import LateRemoval
from bot.campaign.draft import CampaignDraft
from bot.campaign.numbers import mask
from bot.campaign.ports import (
    AlreadyLaunched,
    AuditEvent,
    CampaignStore,
    CccFailure,
    CccPort,
    FailureKind,
    NewCampaign,
    Notifier,
    NotRecorded,
    Outcome,
    Requester,
    Status,
)
from bot.campaign.screening import Screener
from bot.campaign.service import CampaignService, fingerprint, parameters
from bot.campaign.text import Text, lazy

log = logging.getLogger(__name__)

# Lazy Texts: English on the record, said in each reader's language by the edge.
_FAILURES: dict[FailureKind, tuple[Status, Text]] = {
    "rate_limited": ("failed", lazy("CCC is busy and refused the request (rate limit). Nothing was created — try "
                                    "again in a minute.")),
    "auth": ("failed", lazy("CCC refused the bot's credentials or permissions. Nothing was created — ask an admin to "
                            "check the bot's Tencent Cloud API key.")),
    "invalid": ("failed", lazy("CCC refused the campaign's details. Nothing was created.")),
    "quota": ("failed", lazy("The CCC account has reached a limit (too many campaigns or numbers). Nothing was "
                             "created.")),
    "denied": ("failed", lazy("CCC did not allow this operation. Nothing was created.")),
    "not_found": ("failed", lazy("CCC could not find what this refers to. Nothing was created.")),
    "unreachable": ("failed", lazy("The bot could not reach CCC. Nothing was created — try again shortly.")),
    "unknown": ("unknown", lazy("CCC did not confirm the campaign — it may or may not have been created. Check the "
                                "CCC console before trying again.")),
    "other": ("failed", lazy("CCC refused the request. Nothing was created.")),
}
_QUOTED: set[FailureKind] = {"invalid", "denied", "not_found"}  # CCC's own message helps the person fix these


def explain(failure: CccFailure) -> Outcome:
    """A CCC failure in a supervisor's words; the code and RequestId travel alongside for support."""
    status, summary = _FAILURES[failure.kind]
    if failure.kind in _QUOTED and failure.message:  # CCC's own words are quoted as CCC wrote them
        summary = lazy("{summary} CCC said: {message}", summary=summary, message=failure.message)
    return Outcome(status=status, summary=summary, request_id=failure.request_id, code=failure.code)


@dataclass(frozen=True)
class Launchable:
    draft_id: str
    draft: CampaignDraft


@dataclass(frozen=True)
class Refused:
    reason: str  # the answer to give the person (a lazy Text, or the edge's own); already on the audit trail


class Launch:
    def __init__(self, *, ccc: CccPort, store: CampaignStore, notifier: Notifier, service: CampaignService,
                 clock: Callable[[], datetime], screener: Screener | None = None) -> None:
        self._screener = screener
        self._ccc = ccc
        self._store = store
        self._notifier = notifier
        self._service = service
        self._clock = clock

    async def check(self, draft_id: str, requester: Requester, *, denied: str | None = None) -> Launchable | Refused:
        """The draft a preview shows, if this person may launch it from here now; otherwise why not, audited before
        returning. `denied`: the edge's access rules refused this person or channel, in these words."""
        if denied:
            await self._service.refuse(requester, "denied", denied)
            return Refused(denied)
        saved = await self._service.saved_for(draft_id, requester)
        if isinstance(saved, str):  # audited already
            return Refused(saved)
        if saved.draft.start < self._clock() - GRACE:
            reason = lazy("The window's start has passed since the preview. Go back and choose a later time.")
            await self._service.refuse(requester, "refused", reason)
            return Refused(reason)
        return Launchable(draft_id, saved.draft)

    async def run(self, launchable: Launchable, requester: Requester) -> Outcome | None:
        """Launch once; None when nothing was sent (launched already, or the launch could not be recorded)."""
        draft, key = launchable.draft, launchable.draft_id
        try:
            ref = await self._store.claim(NewCampaign(launch_key=key, requester=requester, draft=draft,
                                                      fingerprint=fingerprint(requester.team_id, draft),
                                                      at=self._clock()))
            if ref is not None:
                await self._audit(requester, "launch", {"parameters": parameters(draft)}, ref=ref)
        except Exception:  # nothing was sent: say so rather than risk a launch that is on no record
            log.exception("could not record launch %s", key)
            await self._notifier.tell(requester, NotRecorded(draft.name))
            return None
        if ref is None:
            log.info("launch %s already claimed: not sent again", key)
            existing = await self._store.by_key(key)
            if existing:
                await self._notifier.tell(requester, AlreadyLaunched(existing))
            return None
        thread = await self._notifier.post_parent(requester, draft)
        if thread:
            try:
                await self._store.record_thread(ref, thread)
            except Exception:  # only a convenience for later listings: never a reason not to launch
                log.exception("could not record the thread of launch %s", ref)
        draft, outcome = await self._recheck(ref, draft, requester)
        if outcome is None:
            outcome = await self._submit(draft)
        log.info("launch %s by %s in %s: %s, CampaignId=%s, code=%s, RequestId=%s, %d numbers", ref,
                 requester.user_id, requester.channel_id, outcome.status, outcome.campaign_id,
                 outcome.code or "-", outcome.request_id or "-", len(draft.callees))
        event = AuditEvent(at=self._clock(), requester=requester, action=outcome.status, campaign_ref=ref,
                           detail={"summary": outcome.summary, "code": outcome.code,
                                   "campaign_id": outcome.campaign_id}, request_id=outcome.request_id)
        try:  # somewhere durable first (the database, else the journal), then the person is told
            await self._store.settle(ref, outcome, event, self._clock())
        except Exception:  # CCC has answered: the person must hear it even if nothing would take the record
            log.exception("could not record the outcome of launch %s (%s, CampaignId %s, RequestId %s)",
                          ref, outcome.status, outcome.campaign_id, outcome.request_id)
        await self._notifier.reply(requester, thread, draft, outcome)
        try:
            await self._store.mark_reported(ref, self._clock())
        except Exception:  # at worst the restart sweep tells an unknown outcome twice
            log.warning("could not mark launch %s as reported", ref)
        return outcome

    async def _recheck(self, ref: int, draft: CampaignDraft, requester: Requester
                       ) -> tuple[CampaignDraft, Outcome | None]:
        """The do-not-call list and the frequency cap again, just before sending: a number put on the list since the
        preview, or brought to the cap by another launch since, is taken out of the campaign and its record, and the
        launcher is told. An Outcome when nothing may be sent."""
        if self._screener is None:
            return draft, None
        try:
            checked, late = await self._screener.recheck(requester.team_id, draft, self._clock(), ref=ref)
            if not late:
                return draft, None
            await self._screener.store.drop_callees(ref, [n for numbers in late.values() for n in numbers])
            masked = {reason: [mask(n) for n in numbers] for reason, numbers in late.items()}
            for reason, action in (("dnc", "dnc_removed"), ("frequency", "frequency_removed")):
                if reason in masked:
                    detail: dict[str, object] = {"count": len(masked[reason]), "numbers": masked[reason]}
                    if reason == "frequency":
                        detail["cap"] = self._screener.cap
                    await self._audit(requester, action, detail, ref=ref)
        except Exception:  # unchecked numbers are never sent: a listed one might be among them
            log.exception("the compliance re-check of launch %s failed", ref)
            return draft, Outcome(status="failed", summary=lazy(
                "The bot could not re-check the do-not-call list and the frequency cap, so nothing was sent to CCC. "
                "Try again in a minute."))
        await self._notifier.tell(requester, LateRemoval(draft.name, masked.get("dnc", []),
                                                         everything=not checked.callees,
                                                         capped=masked.get("frequency", []), cap=self._screener.cap))
        if not checked.callees:
            listed = lazy("put on the do-not-call list")
            capped = lazy("brought to the cap of {cap} campaigns in 24 hours by other launches", cap=self._screener.cap)
            why = (lazy("{first} and {second}", first=listed, second=capped) if "dnc" in late and "frequency" in late
                   else listed if "dnc" in late else capped)
            return checked, Outcome(status="failed", summary=lazy(
                "Nothing was sent to CCC: every number was {why} after the preview.", why=why))
        return checked, None

    async def _submit(self, draft: CampaignDraft) -> Outcome:
        try:
            created = await self._ccc.create(draft)
        except CccFailure as failure:
            log.warning("create failed: %s (%s)", failure.kind, failure)
            return explain(failure)
        except Exception:  # anything unforeseen while the request may have been in flight is ambiguous too
            log.exception("create failed unexpectedly")
            return Outcome(status="unknown", summary=lazy(
                "The bot hit an unexpected error while sending the campaign — it may or may not have been created. "
                "Check the CCC console before trying again."))
        return Outcome(status="created", summary=lazy("Campaign created."), campaign_id=created.campaign_id,
                       request_id=created.request_id)

    async def _audit(self, requester: Requester, action: str, detail: dict[str, object], *, ref: int) -> None:
        await self._store.audit(AuditEvent(at=self._clock(), requester=requester, action=action, detail=detail,
                                           campaign_ref=ref))
