"""Store: reads and writes of drafts, campaigns and audit events (SQLite or PostgreSQL, via SQLAlchemy 2)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, delete, event, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.store.dnc import ComplianceStore, callee_rows, forget_failed
from bot.store.schema import audit_events, campaign_callees, campaigns, drafts

T = TypeVar("T")
_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_316_001  # any constant: serialises replicas migrating one PostgreSQL database at once


@dataclass(frozen=True)
class CampaignRecord:
    id: int
    launch_key: str
    status: str
    team_id: str
    user_id: str
    channel_id: str
    name: str
    agent: str
    tz: str
    start_at: int
    end_at: int
    concurrency: int
    call_order: int
    uui: str
    callers: list[str]
    callees: list[str]
    campaign_id: int | None
    request_id: str | None
    error_code: str | None
    error_message: str | None
    created_at: int
    thread_ts: str | None
    fingerprint: str | None = None
    callee_total: int = 0
    ccc_state: int | None = None  # CCC's State at the last check: 0 not started, 1 running, 2 finished, 3 aborted
    called_count: int | None = None
    checked_at: int | None = None
    ended_at: int | None = None
    stopped_by: str | None = None
    stopped_at: int | None = None


_INTERNAL = ("updated_at", "watch_due", "lease_owner", "lease_until", "card_shown", "launch_instance", "reported_at")


def _record(row: Any) -> CampaignRecord:
    values = dict(row._mapping)
    values["callers"] = json.loads(values["callers"])
    values["callees"] = json.loads(values["callees"])
    values["callee_total"] = values.pop("callee_count", None) or len(values["callees"])
    for name in _INTERNAL:
        values.pop(name, None)
    return CampaignRecord(**values)


def head_revision() -> str:
    """The newest migration, read from the files in versions/ (the one no other names as its down_revision)."""
    revisions, parents = set(), set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := re.search(r'^revision = "([^"]+)"', source, re.MULTILINE):
            revisions.add(found.group(1))
        parents.update(re.findall(r'^down_revision = "([^"]+)"', source, re.MULTILINE))
    (head,) = revisions - parents
    return head


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class Store:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.compliance = ComplianceStore(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.to_thread(fn)

    # -- schema -------------------------------------------------------------------------------------------------

    def migrate(self, revision: str = "head") -> None:
        """Bring the database to `revision` (an empty one included); safe when replicas start together."""
        from alembic import command  # imported here: Alembic costs start-up time and is needed only now
        from alembic.config import Config

        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config = Config()
            config.set_main_option("script_location", str(_MIGRATIONS))
            config.attributes["connection"] = conn
            command.upgrade(config, revision)

    def schema_current(self) -> bool:
        """True when the database is already at the newest migration (one query, no Alembic import): what a
        restarted process finds, so it need not wait for Alembic before serving."""
        try:
            with self.engine.connect() as conn:
                found = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        except SQLAlchemyError:
            return False
        return found == {head_revision()}

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    # -- drafts -------------------------------------------------------------------------------------------------

    async def save_draft(self, draft_id: str, *, team_id: str, user_id: str, payload: str, at: int) -> None:
        def write() -> None:
            with self.engine.begin() as conn:
                conn.execute(insert(drafts).values(id=draft_id, created_at=at, team_id=team_id, user_id=user_id,
                                                   payload=payload))

        await self._run(write)

    async def load_draft(self, draft_id: str) -> str | None:
        def read() -> str | None:
            with self.engine.connect() as conn:
                return conn.execute(select(drafts.c.payload).where(drafts.c.id == draft_id)).scalar_one_or_none()

        return await self._run(read)

    # -- campaigns ----------------------------------------------------------------------------------------------

    async def claim(self, values: dict[str, Any]) -> int | None:
        """Insert the campaign row before anything is sent; None when its launch_key is already taken."""

        def write() -> int | None:
            row = dict(values, callers=json.dumps(values["callers"]), callees=json.dumps(values["callees"]),
                       callee_count=len(values["callees"]), updated_at=values["created_at"])
            try:
                with self.engine.begin() as conn:
                    ref = int(conn.execute(insert(campaigns).values(**row).returning(campaigns.c.id)).scalar_one())
                    if values["callees"]:  # what frequency caps and "which campaigns call this number" read
                        conn.execute(insert(campaign_callees), callee_rows(ref, values))
                    return ref
            except IntegrityError:
                return None

        return await self._run(write)

    async def record_thread(self, ref: int, thread_ts: str) -> None:
        await self._update(ref, thread_ts=thread_ts)

    async def record_outcome(self, ref: int, *, status: str, campaign_id: int | None, request_id: str | None,
                             error_code: str | None, error_message: str | None, updated_at: int) -> None:
        await self._update(ref, status=status, campaign_id=campaign_id, request_id=request_id, error_code=error_code,
                           error_message=error_message, updated_at=updated_at)

    async def _update(self, ref: int, **values: Any) -> None:
        def write() -> None:
            with self.engine.begin() as conn:
                conn.execute(update(campaigns).where(campaigns.c.id == ref).values(**values))
                if values.get("status") == "failed":
                    forget_failed(conn, ref)

        await self._run(write)

    async def by_key(self, launch_key: str) -> CampaignRecord | None:
        def read() -> CampaignRecord | None:
            with self.engine.connect() as conn:
                row = conn.execute(select(campaigns).where(campaigns.c.launch_key == launch_key)).first()
                return _record(row) if row else None

        return await self._run(read)

    async def recent(self, team_id: str, limit: int = 20) -> list[CampaignRecord]:
        def read() -> list[CampaignRecord]:
            with self.engine.connect() as conn:
                rows = conn.execute(select(campaigns).where(campaigns.c.team_id == team_id)
                                    .order_by(campaigns.c.id.desc()).limit(limit))
                return [_record(row) for row in rows]

        return await self._run(read)

    async def with_fingerprint(self, team_id: str, fingerprint: str) -> list[CampaignRecord]:
        def read() -> list[CampaignRecord]:
            with self.engine.connect() as conn:
                rows = conn.execute(select(campaigns).where(campaigns.c.team_id == team_id,
                                                            campaigns.c.fingerprint == fingerprint)
                                    .order_by(campaigns.c.id))
                return [_record(row) for row in rows]

        return await self._run(read)

    async def prune_drafts(self, older_than: int) -> int:
        """Drafts nobody launched are only needed while their preview is open."""

        def write() -> int:
            with self.engine.begin() as conn:
                return int(conn.execute(delete(drafts).where(drafts.c.created_at < older_than)).rowcount or 0)

        return await self._run(write)

    # -- audit --------------------------------------------------------------------------------------------------

    async def audit(self, *, at: int, team_id: str, user_id: str, channel_id: str, action: str,
                    detail: dict[str, Any], campaign_ref: int | None = None, request_id: str | None = None) -> None:
        def write() -> None:
            with self.engine.begin() as conn:
                conn.execute(insert(audit_events).values(
                    at=at, team_id=team_id, user_id=user_id, channel_id=channel_id, action=action,
                    campaign_ref=campaign_ref, request_id=request_id,
                    detail=json.dumps(detail, ensure_ascii=False, default=str)))

        await self._run(write)
