"""CampaignService: keep drafts, launch each confirmed draft exactly once, record the outcome and audit it all."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.campaign.draft import CampaignDraft, FormInput
from bot.campaign.numbers import mask
from bot.store.repository import CampaignRecord, Store
from bot.tencent.client import CccClient
from bot.tencent.errors import (
    AuthFailed,
    CccError,
    CccOutcomeUnknown,
    CccUnreachable,
    InvalidRequest,
    NotFound,
    OperationDenied,
    QuotaExceeded,
    RateLimited,
)

log = logging.getLogger(__name__)

Status = Literal["created", "failed", "unknown"]
LATE_START = timedelta(seconds=60)  # as parse_window's grace: a start this recent is still "now"


@dataclass(frozen=True)
class Requester:
    team_id: str
    user_id: str
    channel_id: str


@dataclass(frozen=True)
class Outcome:
    status: Status
    summary: str  # words a supervisor understands
    campaign_id: int | None = None
    request_id: str = ""
    code: str = ""


@dataclass(frozen=True)
class Claim:
    ref: int
    draft: CampaignDraft
    requester: Requester


def explain(exc: CccError) -> Outcome:
    """A CCC failure in a supervisor's words; the code and RequestId travel alongside for support."""
    base: dict[type[CccError], tuple[Status, str]] = {
        RateLimited: ("failed", "CCC is busy and refused the request (rate limit). Nothing was created — try again "
                                "in a minute."),
        AuthFailed: ("failed", "CCC refused the bot's credentials or permissions. Nothing was created — ask an "
                               "admin to check the bot's Tencent Cloud API key."),
        InvalidRequest: ("failed", "CCC refused the campaign's details. Nothing was created."),
        QuotaExceeded: ("failed", "The CCC account has reached a limit (too many campaigns or numbers). Nothing was "
                                  "created."),
        OperationDenied: ("failed", "CCC did not allow this operation. Nothing was created."),
        NotFound: ("failed", "CCC could not find what this refers to. Nothing was created."),
        CccUnreachable: ("failed", "The bot could not reach CCC. Nothing was created — try again shortly."),
        CccOutcomeUnknown: ("unknown", "CCC did not confirm the campaign — it may or may not have been created. "
                                       "Check the CCC console before trying again."),
    }
    status, summary = next((v for cls, v in base.items() if isinstance(exc, cls)),
                           ("failed", "CCC refused the request. Nothing was created."))
    if isinstance(exc, (InvalidRequest, OperationDenied, NotFound)) and exc.message:
        summary = f"{summary} CCC said: {exc.message}"
    return Outcome(status=status, summary=summary, request_id=exc.request_id, code=exc.code)


def fingerprint(team_id: str, draft: CampaignDraft) -> str:
    """Who would be called, by whom and when: two launches with the same fingerprint call the same people twice."""
    content = json.dumps([team_id, draft.agent.lower(), int(draft.start.timestamp()), int(draft.end.timestamp()),
                          sorted(draft.callees)])
    return hashlib.sha256(content.encode()).hexdigest()


def _parameters(draft: CampaignDraft) -> dict[str, Any]:
    """What the audit trail shows of a draft: everything, with the numbers masked."""
    return {
        "name": draft.name, "agent": draft.agent, "start": draft.start.isoformat(), "end": draft.end.isoformat(),
        "tz": draft.tz, "concurrency": draft.concurrency, "call_order": draft.call_order, "uui": draft.uui,
        "callers": draft.callers, "callee_count": len(draft.callees),
        "callees_masked": [mask(n) for n in draft.callees[:20]],
        # the compliance scrub: how many were removed for each reason, and which (masked)
        "removed": {reason: {"count": len(numbers), "numbers": numbers} for reason, numbers in draft.removed.items()},
    }


class CampaignService:
    def __init__(self, *, ccc: CccClient, store: Store, clock: Callable[[], datetime]) -> None:
        self._ccc = ccc
        self._store = store
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock().timestamp())

    async def save_draft(self, draft: CampaignDraft, form: FormInput, requester: Requester) -> str:
        draft_id = str(uuid.uuid4())
        payload = json.dumps({"draft": draft.model_dump(mode="json"), "form": form.__dict__}, ensure_ascii=False)
        await self._store.save_draft(draft_id, team_id=requester.team_id, user_id=requester.user_id,
                                     payload=payload, at=self._now())
        return draft_id

    async def load_draft(self, draft_id: str) -> tuple[CampaignDraft, FormInput] | None:
        payload = await self._store.load_draft(draft_id)
        if payload is None:
            return None
        data = json.loads(payload)
        form = data["form"]
        form["callers"] = tuple(form["callers"])
        return CampaignDraft.model_validate(data["draft"]), FormInput(**form)

    async def launchable(self, draft_id: str, requester: Requester) -> CampaignDraft | str:
        """The draft a preview shows, if it may still be launched; otherwise why not (and that is audited)."""
        loaded = await self.load_draft(draft_id)
        if loaded is None:
            reason = "This preview has expired. Run /dialcampaign again."
        elif loaded[0].start < self._clock() - LATE_START:
            reason = "The window's start has passed since the preview. Go back and choose a later time."
        else:
            return loaded[0]
        await self.refuse(requester, "refused", reason)
        return reason

    async def claim(self, launch_key: str, draft: CampaignDraft, requester: Requester) -> Claim | None:
        """Record the launch before anything is sent. The row starts as "unknown": if this process dies before the
        outcome is written, that is exactly what we know. None: this draft was launched already."""
        now = self._now()
        ref = await self._store.claim({
            "launch_key": launch_key, "status": "unknown", "team_id": requester.team_id,
            "user_id": requester.user_id, "channel_id": requester.channel_id, "name": draft.name,
            "agent": draft.agent, "tz": draft.tz, "start_at": int(draft.start.timestamp()),
            "end_at": int(draft.end.timestamp()), "concurrency": draft.concurrency, "call_order": draft.call_order,
            "uui": draft.uui, "callers": draft.callers, "callees": draft.callees, "created_at": now,
            "fingerprint": fingerprint(requester.team_id, draft),
        })
        if ref is None:
            log.info("launch %s already claimed: not sent again", launch_key)
            return None
        await self._audit(requester, "launch", {"parameters": _parameters(draft)}, ref=ref)
        return Claim(ref=ref, draft=draft, requester=requester)

    async def submit(self, claim: Claim) -> Outcome:
        draft = claim.draft
        try:
            created = await self._ccc.create_cruise_campaign(
                name=draft.name, agent=draft.agent, concurrency=draft.concurrency, start=draft.start,
                end=draft.end, callees=draft.callees, callers=draft.callers, call_order=draft.call_order,
                uui=draft.uui or None,
            )
            outcome = Outcome(status="created", summary="Campaign created.", campaign_id=created.campaign_id,
                              request_id=created.request_id)
        except CccError as exc:
            outcome = explain(exc)
            log.warning("create failed: %s (%s)", type(exc).__name__, exc)
        except Exception:  # anything unforeseen while the request may have been in flight is ambiguous too
            log.exception("create failed unexpectedly")
            outcome = Outcome(status="unknown", summary="The bot hit an unexpected error while sending the campaign "
                              "— it may or may not have been created. Check the CCC console before trying again.")
        log.info("launch %s by %s in %s: %s, CampaignId=%s, code=%s, RequestId=%s, %d numbers", claim.ref,
                 claim.requester.user_id, claim.requester.channel_id, outcome.status, outcome.campaign_id,
                 outcome.code or "-", outcome.request_id or "-", len(draft.callees))
        try:
            await self._store.finish(
                claim.ref, status=outcome.status, campaign_id=outcome.campaign_id,
                request_id=outcome.request_id or None, error_code=outcome.code or None,
                error_message=None if outcome.status == "created" else outcome.summary, updated_at=self._now(),
            )
            await self._audit(claim.requester, outcome.status, {"summary": outcome.summary, "code": outcome.code,
                                                                "campaign_id": outcome.campaign_id},
                              ref=claim.ref, request_id=outcome.request_id)
        except Exception:  # CCC has answered: the person must hear it even if the record could not be written
            log.exception("could not record the outcome of launch %s (%s, CampaignId %s, RequestId %s)",
                          claim.ref, outcome.status, outcome.campaign_id, outcome.request_id)
        return outcome

    async def record_thread(self, claim: Claim, thread_ts: str) -> None:
        try:
            await self._store.finish(claim.ref, thread_ts=thread_ts)
        except Exception:  # only a convenience for later listings: never a reason not to launch
            log.exception("could not record the thread of launch %s", claim.ref)

    async def existing(self, launch_key: str) -> CampaignRecord | None:
        return await self._store.by_key(launch_key)

    async def identical(self, draft: CampaignDraft, team_id: str) -> list[CampaignRecord]:
        """Earlier launches that call the same people with the same agent in the same window, and may exist."""
        found = await self._store.with_fingerprint(team_id, fingerprint(team_id, draft))
        return [record for record in found if record.status in ("created", "unknown")]

    async def prune_drafts(self, keep: timedelta = timedelta(days=7)) -> int:
        return await self._store.prune_drafts(int((self._clock() - keep).timestamp()))

    async def recent(self, team_id: str, limit: int = 20) -> list[CampaignRecord]:
        return await self._store.recent(team_id, limit)

    async def refuse(self, requester: Requester, action: str, reason: str, **detail: Any) -> None:
        """An attempt that was turned away (access, channel, a stale window): on the record too."""
        await self._audit(requester, action, {"reason": reason, **detail})

    async def _audit(self, requester: Requester, action: str, detail: dict[str, Any], *, ref: int | None = None,
                     request_id: str = "") -> None:
        await self._store.audit(at=self._now(), team_id=requester.team_id, user_id=requester.user_id,
                                channel_id=requester.channel_id, action=action, detail=detail, campaign_ref=ref,
                                request_id=request_id or None)
