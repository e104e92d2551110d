"""The do-not-call list and the campaigns' callees as the domain needs them: its types and the store port."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class DncEntry:
    e164: str
    reason: str
    added_by: str
    added_at: datetime  # aware
    expires_at: datetime | None  # None: never; an expired entry no longer blocks


@dataclass(frozen=True)
class Running:
    """A created campaign whose window has not ended, and which of the asked numbers it calls."""

    ref: int  # the campaign's store id: what a Stop button carries
    name: str
    campaign_id: int | None
    user_id: str
    numbers: list[str]


class ComplianceStore(Protocol):
    """Lookups are one index probe per number, whatever the size of the list."""

    async def add(self, team_id: str, entries: list[tuple[str, str, datetime | None]], *, by: str,
                  at: datetime) -> int: ...  # (e164, reason, expires) inserted or replaced

    async def remove(self, team_id: str, numbers: list[str]) -> list[str]: ...  # those that were listed

    async def entries(self, team_id: str, numbers: list[str], now: datetime) -> dict[str, DncEntry]: ...  # in force

    async def windows(self, team_id: str, numbers: list[str], start: datetime, end: datetime, *, at_least: int,
                      exclude: int | None = None) -> dict[str, list[tuple[int, int]]]: ...
    # epoch windows, busy numbers only; `exclude`: a campaign not to count (Launch's own claimed record)

    async def running(self, team_id: str, numbers: list[str], now: datetime) -> list[Running]: ...

    async def drop_callees(self, ref: int, numbers: list[str]) -> None: ...  # a launch's record, re-checked


@dataclass(frozen=True)
class LateRemoval:
    """Launch's re-check took these numbers (masked) out: put on the do-not-call list after the preview
    (`masked`), or at the frequency cap since, through other launches (`capped`)."""

    name: str
    masked: list[str]
    everything: bool  # nothing was left to send
    capped: list[str] = field(default_factory=list)
    cap: int = 5
