"""The small interfaces the after-launch use cases (watch, refresh, stop, reconcile) talk to: CCC's Describe and
Abort, the campaign store, the audit trail and a notifier. Structural types: the adapters never import the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.campaign.state import Campaign, CampaignRow

NEVER = 2**62  # watch_due of a campaign nobody needs to check again


class CccFailure(Exception):
    """A failed Describe or Abort, as the domain needs it: `ambiguous` when it may have taken effect."""

    def __init__(self, message: str, *, code: str = "", request_id: str = "", ambiguous: bool = False,
                 not_found: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.ambiguous = ambiguous
        self.not_found = not_found


class Described(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def state(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def called(self) -> int: ...
    @property
    def request_id(self) -> str: ...


class LifecycleCcc(Protocol):
    """Describe and Abort; failures raise CccFailure."""

    async def describe(self, campaign_id: int) -> Described: ...
    async def abort(self, campaign_id: int) -> str: ...


class LifecycleStore(Protocol):
    async def campaign(self, ref: int) -> CampaignRow | None: ...

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
    async def audit(self, *, at: int, team_id: str, user_id: str, channel_id: str, action: str,
                    detail: dict[str, Any], campaign_ref: int | None = None,
                    request_id: str | None = None) -> None: ...


Priority = Literal["person", "change", "progress"]  # a click; a new phase; only the counts moved
EventKind = Literal["stopped", "finished", "stopped_outside", "reconciled"]


@dataclass(frozen=True)
class Event:
    """Something the thread should say, mentioning whoever needs to hear it."""

    kind: EventKind
    at: datetime
    by: str | None = None


class LifecycleNotifier(Protocol):
    async def card(self, campaign: Campaign, priority: Priority) -> bool:
        """Show the campaign's card as it is now; False when it was not updated (e.g. the budget is spent)."""
        ...

    async def note(self, campaign: Campaign, event: Event) -> None: ...


@dataclass(frozen=True)
class Actor:
    """Who pressed or typed, and whether they are a launcher (DIALCAMPAIGN_LAUNCHERS, or allowed in the channel
    when that list is empty)."""

    team_id: str
    user_id: str
    channel_id: str
    is_launcher: bool


async def show(store: LifecycleStore, notifier: LifecycleNotifier, campaign: Campaign, priority: Priority) -> None:
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
