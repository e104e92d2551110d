"""The domain's own types and the small interfaces (ports) its use cases talk to: CCC, the campaign store and the
notifier. Adapters outside campaign/ implement them; nothing here knows Slack, SQL or Tencent's wire format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.campaign.dnc_ports import LateRemoval
from bot.campaign.draft import CampaignDraft

Status = Literal["created", "failed", "unknown"]

# What kind of CCC failure happened: the CCC adapter maps Tencent's error codes onto these, the domain words them.
FailureKind = Literal["rate_limited", "auth", "invalid", "quota", "denied", "not_found", "unreachable", "unknown",
                      "other"]


@dataclass(frozen=True)
class Requester:
    team_id: str
    user_id: str
    channel_id: str


@dataclass(frozen=True)
class Outcome:
    status: Status
    summary: str  # words a supervisor understands: a lazy Text (English, and said in each reader's language)
    campaign_id: int | None = None
    request_id: str = ""
    code: str = ""


@dataclass(frozen=True)
class Campaign:
    """A launch as the store remembers it (the store is the only list of campaigns there is)."""

    ref: int
    launch_key: str
    status: str
    team_id: str
    user_id: str
    channel_id: str
    name: str
    agent: str
    tz: str
    start: datetime  # aware
    end: datetime  # aware
    concurrency: int
    call_order: int
    uui: str
    callers: list[str]
    callees: list[str]
    campaign_id: int | None
    request_id: str | None
    error_code: str | None
    created_at: datetime  # aware
    thread_ts: str | None


@dataclass(frozen=True)
class NewCampaign:
    """The row written before anything is sent: the unique launch_key is what makes a launch happen once."""

    launch_key: str
    requester: Requester
    draft: CampaignDraft
    fingerprint: str
    at: datetime


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    requester: Requester
    action: str  # launch | created | failed | unknown | refused | denied
    detail: dict[str, Any] = field(default_factory=dict)
    campaign_ref: int | None = None
    request_id: str = ""


@dataclass(frozen=True)
class Created:
    campaign_id: int
    request_id: str


@dataclass(frozen=True)
class Progress:
    """What DescribeAgentCruiseDialingCampaign says of a running campaign (for a watcher)."""

    campaign_id: int
    state: int  # 0 not started, 1 running, 2 finished, 3 aborted
    total: int
    called: int
    request_id: str
    name: str = ""  # what CCC has on record: a found CampaignId is checked against what was sent
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class StaffMember:
    mail: str
    name: str


@dataclass(frozen=True)
class CallerNumber:
    number: str
    state: int


class CccFailure(Exception):
    """A CCC call failed; `kind` says how, `code` and `request_id` travel along for support."""

    def __init__(self, kind: FailureKind, message: str = "", *, code: str = "", request_id: str = "") -> None:
        super().__init__(message or kind)
        self.kind: FailureKind = kind
        self.message = message
        self.code = code
        self.request_id = request_id


class CccPort(Protocol):
    """Tencent CCC as the domain needs it. Every method raises CccFailure, nothing else from CCC."""

    async def create(self, draft: CampaignDraft) -> Created: ...

    async def describe(self, campaign_id: int) -> Progress: ...

    async def abort(self, campaign_id: int) -> str: ...  # the RequestId

    async def staff(self) -> list[StaffMember]: ...

    async def numbers(self) -> list[CallerNumber]: ...


class CampaignStore(Protocol):
    """Drafts, campaigns and the audit trail. `claim` is the only place "never twice" is decided."""

    async def save_draft(self, draft_id: str, *, team_id: str, user_id: str, payload: str, at: datetime) -> None: ...

    async def load_draft(self, draft_id: str) -> str | None: ...

    async def prune_drafts(self, older_than: datetime) -> int: ...

    async def claim(self, new: NewCampaign) -> int | None: ...  # None: that launch_key is taken already

    async def record_thread(self, ref: int, thread_ts: str) -> None: ...

    async def record_outcome(self, ref: int, outcome: Outcome, at: datetime) -> None: ...

    # The outcome CCC gave and its audit event, durably: in the database, else (it is down) in a local journal that
    # is replayed into it later. False: only the journal has it so far. Raises only when neither would take it.
    async def settle(self, ref: int, outcome: Outcome, event: AuditEvent, at: datetime) -> bool: ...

    async def mark_reported(self, ref: int, at: datetime) -> None: ...  # its outcome was told (or queued)

    async def by_key(self, launch_key: str) -> Campaign | None: ...

    async def recent(self, team_id: str, limit: int) -> list[Campaign]: ...

    async def with_fingerprint(self, team_id: str, fingerprint: str) -> list[Campaign]: ...

    async def audit(self, event: AuditEvent) -> None: ...


@dataclass(frozen=True)
class AlreadyLaunched:
    """This preview was launched before (confirmed twice, delivered twice, or by another replica)."""

    campaign: Campaign


@dataclass(frozen=True)
class NotRecorded:
    """The launch could not be written down, so nothing was sent."""

    name: str


Notice = AlreadyLaunched | NotRecorded | LateRemoval  # told to one person privately; the edge words each kind


class Notifier(Protocol):
    """Where people hear about a launch. The Slack edge implements it (thread, else ephemeral, else DM)."""

    async def post_parent(self, requester: Requester, draft: CampaignDraft) -> str | None: ...  # the thread, if any

    async def reply(self, requester: Requester, thread: str | None, draft: CampaignDraft,
                    outcome: Outcome) -> None: ...

    async def tell(self, requester: Requester, notice: Notice) -> None: ...
