"""The domain's ports, implemented: CCC by the Tencent client, the campaign store by the SQL store. This is where
Tencent's errors become the domain's CccFailure and epoch integers become aware datetimes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import (
    AuditEvent,
    CallerNumber,
    Campaign,
    CccFailure,
    Created,
    FailureKind,
    NewCampaign,
    Outcome,
    Progress,
    StaffMember,
)
from bot.store.durable import Durable
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

_KINDS: list[tuple[type[CccError], FailureKind]] = [
    (RateLimited, "rate_limited"), (AuthFailed, "auth"), (InvalidRequest, "invalid"), (QuotaExceeded, "quota"),
    (OperationDenied, "denied"), (NotFound, "not_found"), (CccUnreachable, "unreachable"),
    (CccOutcomeUnknown, "unknown"),
]


def failure(exc: CccError) -> CccFailure:
    kind: FailureKind = next((k for cls, k in _KINDS if isinstance(exc, cls)), "other")
    return CccFailure(kind, exc.message, code=exc.code, request_id=exc.request_id)


class CccAdapter:
    """CccPort over CccClient: CccError never leaves this class, a CccFailure does."""

    def __init__(self, client: CccClient) -> None:
        self._client = client

    async def create(self, draft: CampaignDraft) -> Created:
        try:
            created = await self._client.create_cruise_campaign(
                name=draft.name, agent=draft.agent, concurrency=draft.concurrency, start=draft.start, end=draft.end,
                callees=draft.callees, callers=draft.callers, call_order=draft.call_order, uui=draft.uui or None)
        except CccError as exc:
            raise failure(exc) from exc
        return Created(campaign_id=created.campaign_id, request_id=created.request_id)

    async def describe(self, campaign_id: int) -> Progress:
        try:
            state = await self._client.describe_cruise_campaign(campaign_id)
        except CccError as exc:
            raise failure(exc) from exc
        return Progress(campaign_id=state.campaign_id, state=state.state, total=state.total, called=state.called,
                        request_id=state.request_id, name=state.name, start=_when(state.start), end=_when(state.end))

    async def abort(self, campaign_id: int) -> str:
        try:
            return await self._client.abort_cruise_campaign(campaign_id)
        except CccError as exc:
            raise failure(exc) from exc

    async def staff(self) -> list[StaffMember]:
        try:
            return [StaffMember(s.mail, s.name) for s in await self._client.describe_staff()]
        except CccError as exc:
            raise failure(exc) from exc

    async def numbers(self) -> list[CallerNumber]:
        try:
            return [CallerNumber(n.number, n.state) for n in await self._client.describe_numbers()]
        except CccError as exc:
            raise failure(exc) from exc


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def _when(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def campaign(record: CampaignRecord) -> Campaign:
    return Campaign(
        ref=record.id, launch_key=record.launch_key, status=record.status, team_id=record.team_id,
        user_id=record.user_id, channel_id=record.channel_id, name=record.name, agent=record.agent, tz=record.tz,
        start=_when(record.start_at), end=_when(record.end_at), concurrency=record.concurrency,
        call_order=record.call_order, uui=record.uui, callers=record.callers, callees=record.callees,
        campaign_id=record.campaign_id, request_id=record.request_id, error_code=record.error_code,
        created_at=_when(record.created_at), thread_ts=record.thread_ts)


def _outcome_values(outcome: Outcome, at: datetime) -> dict[str, Any]:
    return {"status": outcome.status, "campaign_id": outcome.campaign_id, "request_id": outcome.request_id or None,
            "error_code": outcome.code or None,
            "error_message": None if outcome.status == "created" else outcome.summary, "updated_at": _epoch(at)}


def _audit_values(event: AuditEvent) -> dict[str, Any]:
    who = event.requester
    return {"at": _epoch(event.at), "team_id": who.team_id, "user_id": who.user_id, "channel_id": who.channel_id,
            "action": event.action, "campaign_ref": event.campaign_ref, "request_id": event.request_id or None,
            "detail": json.dumps(event.detail, ensure_ascii=False, default=str)}


class StoreAdapter:
    """CampaignStore (and the Recovery's store) over the SQL Store; `instance` names this process's launches."""

    def __init__(self, store: Store, durable: Durable | None = None, instance: str = "") -> None:
        self._store = store
        self._durable = durable or Durable(store.engine, None)
        self._instance = instance or None

    async def save_draft(self, draft_id: str, *, team_id: str, user_id: str, payload: str, at: datetime) -> None:
        await self._store.save_draft(draft_id, team_id=team_id, user_id=user_id, payload=payload, at=_epoch(at))

    async def load_draft(self, draft_id: str) -> str | None:
        return await self._store.load_draft(draft_id)

    async def prune_drafts(self, older_than: datetime) -> int:
        return await self._store.prune_drafts(_epoch(older_than))

    async def claim(self, new: NewCampaign) -> int | None:
        draft, who = new.draft, new.requester
        values: dict[str, Any] = {
            "launch_key": new.launch_key, "status": "unknown", "team_id": who.team_id, "user_id": who.user_id,
            "channel_id": who.channel_id, "name": draft.name, "agent": draft.agent, "tz": draft.tz,
            "start_at": _epoch(draft.start), "end_at": _epoch(draft.end), "concurrency": draft.concurrency,
            "call_order": draft.call_order, "uui": draft.uui, "callers": draft.callers, "callees": draft.callees,
            "created_at": _epoch(new.at), "fingerprint": new.fingerprint, "launch_instance": self._instance,
        }
        return await self._store.claim(values)

    async def record_thread(self, ref: int, thread_ts: str) -> None:
        await self._store.record_thread(ref, thread_ts)

    async def record_outcome(self, ref: int, outcome: Outcome, at: datetime) -> None:
        await self._store.record_outcome(
            ref, status=outcome.status, campaign_id=outcome.campaign_id, request_id=outcome.request_id or None,
            error_code=outcome.code or None, error_message=None if outcome.status == "created" else outcome.summary,
            updated_at=_epoch(at))

    async def settle(self, ref: int, outcome: Outcome, event: AuditEvent, at: datetime) -> bool:
        return await self._durable.settle({"ref": ref, "outcome": _outcome_values(outcome, at),
                                           "audit": _audit_values(event)})

    async def mark_reported(self, ref: int, at: datetime) -> None:
        await self._durable.mark_reported(ref, _epoch(at))

    async def beat(self, at: datetime) -> None:
        if self._instance:
            await self._durable.beat(self._instance, _epoch(at))

    async def forget(self) -> None:
        if self._instance:
            await self._durable.forget(self._instance)

    async def replay(self) -> int:
        return await self._durable.replay()

    async def orphans(self, alive_since: datetime) -> list[Campaign]:
        return [campaign(r) for r in await self._durable.orphans(_epoch(alive_since))]

    async def by_key(self, launch_key: str) -> Campaign | None:
        record = await self._store.by_key(launch_key)
        return campaign(record) if record else None

    async def recent(self, team_id: str, limit: int) -> list[Campaign]:
        return [campaign(r) for r in await self._store.recent(team_id, limit)]

    async def with_fingerprint(self, team_id: str, fingerprint: str) -> list[Campaign]:
        return [campaign(r) for r in await self._store.with_fingerprint(team_id, fingerprint)]

    async def audit(self, event: AuditEvent) -> None:
        who = event.requester
        await self._store.audit(at=_epoch(event.at), team_id=who.team_id, user_id=who.user_id,
                                channel_id=who.channel_id, action=event.action, detail=event.detail,
                                campaign_ref=event.campaign_ref, request_id=event.request_id or None)
