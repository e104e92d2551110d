"""The small interfaces the after-launch use cases (watch, refresh, stop, reconcile) talk to: CCC's Describe and
Abort, the campaign store, the audit trail and a notifier. Structural types: the adapters never import the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.campaign.ports import AuditEvent, CccFailure, Progress, Requester
from bot.campaign.state import CampaignRow, LiveCampaign

NEVER = 2**62  # watch_due of a campaign nobody needs to check again


def ambiguous(failure: CccFailure) -> bool:
    """It may have taken effect (InternalError, 5xx, a timeout after sending)."""
    return failure.kind == "unknown"


def missing(failure: CccFailure) -> bool:
    """CCC does not know that CampaignId (it answers InvalidParameterValue for an id it has never seen)."""
    return failure.kind in ("not_found", "invalid")


class LifecycleCcc(Protocol):
    """Describe and Abort (a part of CccPort); failures raise CccFailure."""

    async def describe(self, campaign_id: int) -> Progress: ...
    async def abort(self, campaign_id: int) -> str: ...


class LifecycleStore(Protocol):
    async def campaign(self, ref: int) -> CampaignRow | None: ...
    async def by_thread(self, channel_id: str, thread_ts: str) -> CampaignRow | None: ...

    async def observe(self, ref: int, *, ccc_state: int, called: int, checked_at: int, watch_due: int,
                      ended_at: int | None, stopped_by: str | None = None) -> bool:
        """Store a Describe's answer; True when this call moved the campaign into a final state (so exactly one
        caller announces it)."""
        ...

    async def reschedule(self, ref: int, *, watch_due: int) -> None: ...
    async def mark_shown(self, ref: int, shown: str) -> None: ...
    async def shown(self, ref: int) -> str | None: ...
    async def reconcile(self, ref: int, *, campaign_id: int) -> bool: ...
    async def by_campaign_id(self, team_id: str, campaign_id: int) -> CampaignRow | None: ...


class Audit(Protocol):
    async def audit(self, event: AuditEvent) -> None: ...


Priority = Literal["person", "change", "progress"]  # a click; a new phase; only the counts moved
EventKind = Literal["stopped", "finished", "stopped_outside", "reconciled"]


@dataclass(frozen=True)
class Event:
    """Something the thread should say, mentioning whoever needs to hear it."""

    kind: EventKind
    at: datetime
    by: str | None = None


class LifecycleNotifier(Protocol):
    async def card(self, campaign: LiveCampaign, priority: Priority) -> bool:
        """Show the campaign's card as it is now; False when it was not updated (e.g. the budget is spent)."""
        ...

    async def note(self, campaign: LiveCampaign, event: Event) -> None: ...


@dataclass(frozen=True)
class Actor:
    """Who pressed or typed, and whether the launch rule lets them launch in the campaign's channel
    (DIALCAMPAIGN_LAUNCHERS, DIALCAMPAIGN_CHANNELS)."""

    team_id: str
    user_id: str
    channel_id: str
    may_launch_there: bool

    def may_act(self, campaign: LiveCampaign) -> bool:
        """The one rule for a campaign's buttons (Refresh, Stop, I found it): its launcher, or anyone the launch
        rule allows in its channel."""
        return self.user_id == campaign.launcher or self.may_launch_there

    @property
    def requester(self) -> Requester:
        return Requester(self.team_id, self.user_id, self.channel_id)


async def show(store: LifecycleStore, notifier: LifecycleNotifier, campaign: LiveCampaign, priority: Priority) -> None:
    """Update the card when what it shows has changed (always for a person's click); remember what it shows. A new
    phase outranks moved counts, judged against what the card shows now, not against the last check."""
    shown = campaign.shown()
    if priority != "person":
        before = await store.shown(campaign.ref)
        if before == shown:
            return
        same_phase = before is not None and before.split("|", 1)[0] == campaign.phase
        priority = "progress" if same_phase else "change"
    if await notifier.card(campaign, priority):
        await store.mark_shown(campaign.ref, shown)
