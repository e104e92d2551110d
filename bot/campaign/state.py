"""A launched campaign as people see it: its phase in words (Scheduled, Calling, Finished, Stopped, Not created,
Outcome unknown), counts and progress, read from what the store remembers. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

Phase = Literal["launching", "scheduled", "calling", "finished", "stopped", "not_created", "unknown"]
TERMINAL: frozenset[Phase] = frozenset({"finished", "stopped", "not_created"})
RUNNING: frozenset[Phase] = frozenset({"scheduled", "calling"})

# CCC's State: 0 not started, 1 running, 2 finished, 3 aborted.
_FROM_CCC: dict[int, Phase] = {0: "scheduled", 1: "calling", 2: "finished", 3: "stopped"}


class CampaignRow(Protocol):
    """What the store keeps of a launch (its record satisfies this structurally)."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def team_id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def agent(self) -> str: ...
    @property
    def tz(self) -> str: ...
    @property
    def start_at(self) -> int: ...
    @property
    def end_at(self) -> int: ...
    @property
    def callee_total(self) -> int: ...
    @property
    def campaign_id(self) -> int | None: ...
    @property
    def request_id(self) -> str | None: ...
    @property
    def error_code(self) -> str | None: ...
    @property
    def error_message(self) -> str | None: ...
    @property
    def thread_ts(self) -> str | None: ...
    @property
    def ccc_state(self) -> int | None: ...
    @property
    def called_count(self) -> int | None: ...
    @property
    def checked_at(self) -> int | None: ...
    @property
    def ended_at(self) -> int | None: ...
    @property
    def stopped_by(self) -> str | None: ...
    @property
    def stopped_at(self) -> int | None: ...


def _at(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class LiveCampaign:
    """One launch and what is known of it now."""

    ref: int  # the store's id: what buttons carry
    team_id: str
    launcher: str
    channel_id: str
    thread_ts: str | None
    name: str
    agent: str
    tz: str
    start: datetime
    end: datetime
    total: int
    phase: Phase
    campaign_id: int | None = None
    called: int = 0
    checked_at: datetime | None = None
    ended_at: datetime | None = None
    stopped_by: str | None = None
    stopped_at: datetime | None = None
    why: str = ""  # Not created: the reason in words
    code: str = ""
    request_id: str = ""

    @classmethod
    def from_row(cls, row: CampaignRow, *, launching: bool = False) -> LiveCampaign:
        phase: Phase
        if row.status == "created":
            phase = _FROM_CCC.get(row.ccc_state if row.ccc_state is not None else 0, "scheduled")
        elif row.status == "failed":
            phase = "not_created"
        else:
            phase = "launching" if launching else "unknown"
        return cls(
            ref=row.id, team_id=row.team_id, launcher=row.user_id, channel_id=row.channel_id, thread_ts=row.thread_ts,
            name=row.name, agent=row.agent, tz=row.tz, start=datetime.fromtimestamp(row.start_at, UTC),
            end=datetime.fromtimestamp(row.end_at, UTC), total=row.callee_total, phase=phase,
            campaign_id=row.campaign_id, called=row.called_count or 0, checked_at=_at(row.checked_at),
            ended_at=_at(row.ended_at), stopped_by=row.stopped_by, stopped_at=_at(row.stopped_at),
            why=row.error_message or "", code=row.error_code or "", request_id=row.request_id or "",
        )

    @property
    def over(self) -> bool:
        return self.phase in TERMINAL

    @property
    def stoppable(self) -> bool:
        return self.phase in RUNNING and self.campaign_id is not None

    @property
    def not_called(self) -> int:
        return max(0, self.total - self.called)

    def shown(self) -> str:
        """What the card shows that can change: the card is updated only when this does."""
        return f"{self.phase}|{self.campaign_id}|{self.called}|{self.total}|{self.stopped_by}"


def phase_of(ccc_state: int) -> Phase:
    return _FROM_CCC.get(ccc_state, "scheduled")


def progress_bar(done: int, total: int, width: int = 10) -> str:
    """A text bar for places where only text fits: ▓▓▓░░░░░░░ 30%."""
    share = 0.0 if total <= 0 else min(1.0, done / total)
    filled = int(share * width + 0.5)  # half up: banker's rounding would show 25% as two blocks
    return f"{'▓' * filled}{'░' * (width - filled)} {int(share * 100)}%"
