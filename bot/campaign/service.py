"""CampaignService: drafts kept between preview and Launch, the campaigns on record, and refusals on the audit trail."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.campaign.draft import CampaignDraft, FormInput
from bot.campaign.numbers import mask
from bot.campaign.ports import AuditEvent, Campaign, CampaignStore, Requester


def fingerprint(team_id: str, draft: CampaignDraft) -> str:
    """Who would be called, by whom and when: two launches with the same fingerprint call the same people twice."""
    content = json.dumps([team_id, draft.agent.lower(), int(draft.start.timestamp()), int(draft.end.timestamp()),
                          sorted(draft.callees)])
    return hashlib.sha256(content.encode()).hexdigest()


def parameters(draft: CampaignDraft) -> dict[str, Any]:
    """What the audit trail shows of a draft: everything, with the numbers masked."""
    return {
        "name": draft.name, "agent": draft.agent, "start": draft.start.isoformat(), "end": draft.end.isoformat(),
        "tz": draft.tz, "concurrency": draft.concurrency, "call_order": draft.call_order, "uui": draft.uui,
        "callers": draft.callers, "callee_count": len(draft.callees),
        "callees_masked": [mask(n) for n in draft.callees[:20]],
        # the compliance scrub: how many were removed for each reason, and which (masked)
        "removed": {reason: {"count": len(numbers), "numbers": numbers} for reason, numbers in draft.removed.items()},
    }


EXPIRED = "This preview has expired. Run /dialcampaign again."


@dataclass(frozen=True)
class SavedDraft:
    draft: CampaignDraft
    form: FormInput
    owner: Requester | None  # who previewed it, in which team and channel (None: saved before owners were kept)


def not_theirs(saved: SavedDraft, requester: Requester) -> str | None:
    """A draft belongs to its team and user and launches only from its channel; why not, in words, or None."""
    owner = saved.owner
    if owner is None:
        return EXPIRED
    if owner.team_id != requester.team_id:
        return "This preview belongs to another workspace."
    if owner.user_id != requester.user_id:
        return f"This preview belongs to <@{owner.user_id}>: only they can go on with it. Run /dialcampaign yourself."
    if owner.channel_id != requester.channel_id:
        return f"This preview was made in <#{owner.channel_id}> and can only be launched there."
    return None


class CampaignService:
    def __init__(self, *, store: CampaignStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    async def save_draft(self, draft: CampaignDraft, form: FormInput, requester: Requester) -> str:
        draft_id = str(uuid.uuid4())
        owner = {"team": requester.team_id, "user": requester.user_id, "channel": requester.channel_id}
        payload = json.dumps({"draft": draft.model_dump(mode="json"), "form": form.__dict__, "owner": owner},
                             ensure_ascii=False)
        await self._store.save_draft(draft_id, team_id=requester.team_id, user_id=requester.user_id,
                                     payload=payload, at=self._clock())
        return draft_id

    async def saved(self, draft_id: str) -> SavedDraft | None:
        payload = await self._store.load_draft(draft_id)
        if payload is None:
            return None
        data = json.loads(payload)
        form = data["form"]
        form["callers"] = tuple(form["callers"])
        owner = data.get("owner")
        who = Requester(team_id=owner["team"], user_id=owner["user"], channel_id=owner["channel"]) if owner else None
        return SavedDraft(CampaignDraft.model_validate(data["draft"]), FormInput(**form), who)

    async def saved_for(self, draft_id: str, requester: Requester) -> SavedDraft | str:
        """The draft, if this person may go on with it here; otherwise why not, on the audit trail before returning
        (`denied`: another person's, team's or channel's draft; `refused`: gone)."""
        saved = await self.saved(draft_id) if draft_id else None
        reason = EXPIRED if saved is None else not_theirs(saved, requester)
        if saved is not None and reason is None:
            return saved
        assert reason is not None
        await self.refuse(requester, "refused" if reason == EXPIRED else "denied", reason, draft=draft_id)
        return reason

    async def identical(self, draft: CampaignDraft, team_id: str) -> list[Campaign]:
        """Earlier launches that call the same people with the same agent in the same window, and may exist."""
        found = await self._store.with_fingerprint(team_id, fingerprint(team_id, draft))
        return [campaign for campaign in found if campaign.status in ("created", "unknown")]

    async def prune_drafts(self, keep: timedelta = timedelta(days=7)) -> int:
        return await self._store.prune_drafts(self._clock() - keep)

    async def refuse(self, requester: Requester, action: str, reason: str, **detail: Any) -> None:
        """An attempt that was turned away (access, channel, a stale window): on the record too."""
        await self._store.audit(AuditEvent(at=self._clock(), requester=requester, action=action,
                                           detail={"reason": reason, **detail}))
