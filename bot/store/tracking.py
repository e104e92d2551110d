"""Tracking: what is known of each launched campaign after its launch (state, counts, who stopped it), the
listings commands and App Home show, and the per-campaign lease that lets exactly one replica watch it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, func, or_, select, update

from bot.store.schema import campaigns

T = TypeVar("T")
NEVER = 2**62  # the domain's "no check due" (campaign.tracking.NEVER: store/ imports nothing of the domain)
_FINAL = (2, 3)  # CCC states after which nothing changes


@dataclass(frozen=True)
class TrackedRecord:
    """A launch without its numbers: what following it needs (reading 1,000 number lists a minute would not do)."""

    id: int
    status: str
    team_id: str
    user_id: str
    channel_id: str
    name: str
    agent: str
    tz: str
    start_at: int
    end_at: int
    callee_total: int
    campaign_id: int | None
    request_id: str | None
    error_code: str | None
    error_message: str | None
    thread_ts: str | None
    ccc_state: int | None
    called_count: int | None
    checked_at: int | None
    ended_at: int | None
    stopped_by: str | None
    stopped_at: int | None


_FIELDS = [name for name in TrackedRecord.__dataclass_fields__ if name != "callee_total"]
_SELECT = [campaigns.c[name] for name in _FIELDS] + [campaigns.c.callee_count]


def _tracked(row: Any) -> TrackedRecord:
    values = dict(row._mapping)
    values["callee_total"] = values.pop("callee_count") or 0
    return TrackedRecord(**values)


class Tracking:
    """`lease_grace`: this instance is a watcher's — each check it stores also keeps its lease until that many seconds
    after the next check (one write, not two). `executor`: the watcher's own threads, so launches never queue for a
    thread behind its checks."""

    def __init__(self, engine: Engine, *, lease_grace: int | None = None, executor: Executor | None = None) -> None:
        self.engine = engine
        self._grace = lease_grace
        self._executor = executor

    async def _run(self, fn: Callable[[], T]) -> T:
        if self._executor is None:
            return await asyncio.to_thread(fn)
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def _lease(self, watch_due: int) -> dict[str, Any]:
        if self._grace is None:
            return {}
        if watch_due >= NEVER:  # nothing more to check: nobody needs to hold it
            return {"lease_owner": None, "lease_until": None}
        return {"lease_until": watch_due + self._grace}

    def _one(self, *where: Any) -> TrackedRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_SELECT).where(*where).order_by(campaigns.c.id.desc()).limit(1)).first()
            return _tracked(row) if row else None

    def _many(self, *where: Any, limit: int) -> list[TrackedRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(*_SELECT).where(*where).order_by(campaigns.c.id.desc()).limit(limit))
            return [_tracked(row) for row in rows]

    # -- reading ------------------------------------------------------------------------------------------------

    async def campaign(self, ref: int) -> TrackedRecord | None:
        return await self._run(lambda: self._one(campaigns.c.id == ref))

    async def by_campaign_id(self, team_id: str, campaign_id: int) -> TrackedRecord | None:
        return await self._run(lambda: self._one(campaigns.c.team_id == team_id,
                                                 campaigns.c.campaign_id == campaign_id))

    async def by_thread(self, channel_id: str, thread_ts: str) -> TrackedRecord | None:
        return await self._run(lambda: self._one(campaigns.c.channel_id == channel_id,
                                                 campaigns.c.thread_ts == thread_ts))

    async def by_name(self, team_id: str, name: str) -> TrackedRecord | None:
        """The newest launch of that name (case and surrounding spaces ignored)."""
        return await self._run(lambda: self._one(campaigns.c.team_id == team_id,
                                                 func.lower(func.trim(campaigns.c.name)) == name.strip().lower()))

    async def in_channel(self, team_id: str, channel_id: str, limit: int = 10) -> list[TrackedRecord]:
        return await self._run(lambda: self._many(campaigns.c.team_id == team_id,
                                                  campaigns.c.channel_id == channel_id, limit=limit))

    async def of_user(self, team_id: str, user_id: str, limit: int = 10) -> list[TrackedRecord]:
        return await self._run(lambda: self._many(campaigns.c.team_id == team_id, campaigns.c.user_id == user_id,
                                                  limit=limit))

    async def of_team(self, team_id: str, limit: int = 10) -> list[TrackedRecord]:
        return await self._run(lambda: self._many(campaigns.c.team_id == team_id, limit=limit))

    async def shown(self, ref: int) -> str | None:
        def read() -> str | None:
            with self.engine.connect() as conn:
                return conn.execute(select(campaigns.c.card_shown).where(campaigns.c.id == ref)).scalar_one_or_none()

        return await self._run(read)

    # -- writing ------------------------------------------------------------------------------------------------

    def _update(self, *where: Any, **values: Any) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(update(campaigns).where(*where).values(**values)).rowcount or 0)

    async def observe(self, ref: int, *, ccc_state: int, called: int, checked_at: int, watch_due: int,
                      ended_at: int | None, stopped_by: str | None = None) -> bool:
        """Record a check. A final state is written only over a non-final one, so of two writers (the watcher, a
        Stop) exactly one gets True and announces it; the other's counts still land."""

        def write() -> bool:
            common: dict[str, Any] = {"called_count": called, "checked_at": checked_at, "watch_due": watch_due,
                                      **self._lease(watch_due)}
            if ccc_state not in _FINAL:
                self._update(campaigns.c.id == ref, or_(campaigns.c.ccc_state.is_(None),
                                                        campaigns.c.ccc_state.notin_(_FINAL)),
                             ccc_state=ccc_state, **common)
                return False
            final: dict[str, Any] = {"ccc_state": ccc_state, "ended_at": ended_at, **common}
            if stopped_by is not None:
                final.update(stopped_by=stopped_by, stopped_at=checked_at)
            return self._update(campaigns.c.id == ref, or_(campaigns.c.ccc_state.is_(None),
                                                           campaigns.c.ccc_state.notin_(_FINAL)), **final) == 1

        return await self._run(write)

    async def reschedule(self, ref: int, *, watch_due: int) -> None:
        await self._run(lambda: self._update(campaigns.c.id == ref, watch_due=watch_due, **self._lease(watch_due)))

    async def mark_shown(self, ref: int, shown: str) -> None:
        await self._run(lambda: self._update(campaigns.c.id == ref, card_shown=shown[:200]))

    async def reconcile(self, ref: int, *, campaign_id: int) -> bool:
        """An unknown outcome becomes created with the CampaignId a person found; False if it was settled already."""
        return await self._run(lambda: self._update(campaigns.c.id == ref, campaigns.c.status == "unknown",
                                                    status="created", campaign_id=campaign_id) == 1)

    # -- the watcher's lease ------------------------------------------------------------------------------------

    async def claim_due(self, owner: str, *, now: int, lease_until: int, limit: int) -> list[TrackedRecord]:
        """Created, not final, due, and not leased by another live replica; leased to `owner` in one transaction.
        On PostgreSQL rows another replica is claiming are skipped (FOR UPDATE SKIP LOCKED), so two replicas never
        take the same campaign; SQLite serialises writers and has no such race."""

        def write() -> list[TrackedRecord]:
            due = and_(
                campaigns.c.status == "created", campaigns.c.campaign_id.is_not(None),
                or_(campaigns.c.ccc_state.is_(None), campaigns.c.ccc_state.notin_(_FINAL)),
                func.coalesce(campaigns.c.watch_due, campaigns.c.start_at) <= now,
                or_(campaigns.c.lease_owner.is_(None), campaigns.c.lease_owner == owner,
                    campaigns.c.lease_until <= now),
            )
            with self.engine.begin() as conn:
                ids = list(conn.execute(
                    select(campaigns.c.id).where(due)
                    .order_by(func.coalesce(campaigns.c.watch_due, campaigns.c.start_at)).limit(limit)
                    .with_for_update(skip_locked=True)).scalars())
                if not ids:
                    return []
                conn.execute(update(campaigns).where(campaigns.c.id.in_(ids))
                             .values(lease_owner=owner, lease_until=lease_until))
                rows = conn.execute(select(*_SELECT).where(campaigns.c.id.in_(ids)))
                return [_tracked(row) for row in rows]

        return await self._run(write)

    async def unshown(self, *, older_than: int, newer_than: int, limit: int) -> list[TrackedRecord]:
        return await self._run(lambda: self._many(
            campaigns.c.card_shown.is_(None), campaigns.c.thread_ts.is_not(None),
            campaigns.c.created_at < older_than, campaigns.c.created_at > newer_than, limit=limit))

    async def release(self, owner: str) -> None:
        """On a clean shutdown: another replica may take these at once instead of waiting for the leases to end."""
        await self._run(lambda: self._update(campaigns.c.lease_owner == owner, lease_owner=None, lease_until=None))
