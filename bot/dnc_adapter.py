"""The domain's ComplianceStore port over the SQL store: epoch integers become aware datetimes here."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.campaign.dnc_ports import DncEntry, Running
from bot.store.dnc import ComplianceStore as SqlCompliance


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def _when(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class ComplianceAdapter:
    def __init__(self, store: SqlCompliance) -> None:
        self._store = store

    async def add(self, team_id: str, entries: list[tuple[str, str, datetime | None]], *, by: str,
                  at: datetime) -> int:
        rows = [(n, r, _epoch(e) if e else None) for n, r, e in entries]
        return await self._store.add(team_id, rows, by=by, at=_epoch(at))

    async def remove(self, team_id: str, numbers: list[str]) -> list[str]:
        return await self._store.remove(team_id, numbers)

    async def entries(self, team_id: str, numbers: list[str], now: datetime) -> dict[str, DncEntry]:
        found = await self._store.entries(team_id, numbers, _epoch(now))
        return {n: DncEntry(e.e164, e.reason, e.added_by, _when(e.added_at),
                            _when(e.expires_at) if e.expires_at is not None else None) for n, e in found.items()}

    async def windows(self, team_id: str, numbers: list[str], start: datetime, end: datetime, *,
                      at_least: int, exclude: int | None = None) -> dict[str, list[tuple[int, int]]]:
        return await self._store.windows(team_id, numbers, _epoch(start), _epoch(end), at_least=at_least,
                                         exclude=exclude)

    async def running(self, team_id: str, numbers: list[str], now: datetime) -> list[Running]:
        return [Running(r.ref, r.name, r.campaign_id, r.user_id, r.numbers)
                for r in await self._store.running(team_id, numbers, _epoch(now))]

    async def drop_callees(self, ref: int, numbers: list[str]) -> None:
        await self._store.drop_callees(ref, numbers)
