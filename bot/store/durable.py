"""What must survive a crash: outcomes (in the database, else an append-only local journal replayed later), which
launches were told, which processes are alive (heartbeats), and the outbox of Slack messages not yet delivered."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.engine import Engine

from bot.store.repository import CampaignRecord, _record
from bot.store.schema import audit_events, campaigns, instances, outbox

log = logging.getLogger(__name__)


class Journal:
    """One JSON line per outcome the database would not take; fsynced before anyone is told, replayed in order."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def keep(self, remaining: list[dict[str, Any]]) -> None:
        """Replace the journal by what is still to replay (atomically: a crash leaves the old or the new one)."""
        if not remaining:
            self.path.unlink(missing_ok=True)
            return
        temp = self.path.with_suffix(".tmp")
        temp.write_text("".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in remaining))
        os.replace(temp, self.path)


class Durable:
    def __init__(self, engine: Engine, journal: Journal | None, *, pause: float = 0.2) -> None:
        """`pause`: the wait after a write the database refused, three times longer after each further refusal."""
        self.engine = engine
        self.journal = journal
        self._pause = pause
        self._replaying = asyncio.Lock()

    # -- outcomes -----------------------------------------------------------------------------------------------

    def _settle(self, entry: dict[str, Any]) -> None:
        with self.engine.begin() as conn:  # the outcome and its audit event together, or neither
            conn.execute(update(campaigns).where(campaigns.c.id == entry["ref"]).values(**entry["outcome"]))
            conn.execute(insert(audit_events).values(**entry["audit"]))

    async def settle(self, entry: dict[str, Any], *, tries: int = 3) -> bool:
        """Write an outcome and its audit event; True when the database has it, False when only the journal has
        (raises only when neither would take it). Replayed journal entries go first: order is kept."""
        await self.replay()
        for attempt in range(tries):
            try:
                await asyncio.to_thread(self._settle, entry)
                return True
            except Exception as exc:  # the database is down or broken: wait a little, then keep it on disk
                log.warning("outcome of launch %s not written (%s), attempt %d", entry["ref"], type(exc).__name__,
                            attempt + 1)
                await asyncio.sleep(self._pause * 3**attempt)
        if self.journal is None:
            raise RuntimeError(f"the outcome of launch {entry['ref']} could not be written anywhere")
        await asyncio.to_thread(self.journal.append, entry)
        log.warning("outcome of launch %s kept in the journal %s until the database takes it", entry["ref"],
                    self.journal.path)
        return False

    async def replay(self) -> int:
        """Journal entries into the database, oldest first; what fails stays for the next round."""
        journal = self.journal
        if journal is None:
            return 0
        async with self._replaying:
            entries = await asyncio.to_thread(journal.entries)
            if not entries:
                return 0
            done = 0
            for entry in entries:
                try:
                    await asyncio.to_thread(self._settle, entry)
                except Exception as exc:
                    log.warning("journal replay stopped: %s", type(exc).__name__)
                    break
                done += 1
            await asyncio.to_thread(journal.keep, entries[done:])
            if done:
                log.info("%d outcome(s) from the journal written to the database", done)
            return done

    # -- who was told, who is alive -----------------------------------------------------------------------------

    def _write(self, statement: Any) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(statement).rowcount or 0)

    async def mark_reported(self, ref: int, at: int) -> None:
        await asyncio.to_thread(self._write, update(campaigns).where(campaigns.c.id == ref).values(reported_at=at))

    async def beat(self, instance: str, at: int) -> None:
        def write() -> None:
            with self.engine.begin() as conn:
                if not conn.execute(update(instances).where(instances.c.id == instance).values(seen_at=at)).rowcount:
                    conn.execute(insert(instances).values(id=instance, seen_at=at))
                conn.execute(delete(instances).where(instances.c.seen_at < at - 86_400))  # long gone

        await asyncio.to_thread(write)

    async def forget(self, instance: str) -> None:
        await asyncio.to_thread(self._write, delete(instances).where(instances.c.id == instance))

    async def orphans(self, alive_since: int) -> list[CampaignRecord]:
        """Launches never told, whose outcome is unknown and whose process is gone (or predates instances)."""

        def read() -> list[CampaignRecord]:
            alive = select(instances.c.id).where(instances.c.seen_at >= alive_since)
            with self.engine.connect() as conn:
                rows = conn.execute(select(campaigns).where(and_(
                    campaigns.c.status == "unknown", campaigns.c.reported_at.is_(None),
                    or_(campaigns.c.launch_instance.is_(None), campaigns.c.launch_instance.not_in(alive)),
                )).order_by(campaigns.c.id).limit(50))
                return [_record(row) for row in rows]

        return await asyncio.to_thread(read)

    # -- the outbox ---------------------------------------------------------------------------------------------

    async def put(self, payload: dict[str, Any], at: int, next_at: int, error: str, key: str | None = None) -> None:
        """Queue a message; with a `key` (e.g. a card's channel and ts) it replaces any waiting one of that key."""

        def write() -> None:
            with self.engine.begin() as conn:
                if key:
                    conn.execute(delete(outbox).where(outbox.c.supersedes == key))
                conn.execute(insert(outbox).values(
                    created_at=at, next_at=next_at, attempts=1, payload=json.dumps(payload, ensure_ascii=False),
                    last_error=error[:128], supersedes=key))

        await asyncio.to_thread(write)

    async def due(self, at: int, limit: int = 20) -> list[tuple[int, int, dict[str, Any]]]:
        def read() -> list[tuple[int, int, dict[str, Any]]]:
            with self.engine.connect() as conn:
                rows = conn.execute(select(outbox.c.id, outbox.c.attempts, outbox.c.payload)
                                    .where(outbox.c.next_at <= at).order_by(outbox.c.id).limit(limit))
                return [(int(r.id), int(r.attempts), json.loads(r.payload)) for r in rows]

        return await asyncio.to_thread(read)

    async def take(self, item: int, at: int, until: int) -> bool:
        """Hold a due item for one delivery attempt (so two replicas do not both send it); False if taken already."""
        return bool(await asyncio.to_thread(self._write, update(outbox).where(
            and_(outbox.c.id == item, outbox.c.next_at <= at)).values(next_at=until)))

    async def done(self, item: int) -> None:
        await asyncio.to_thread(self._write, delete(outbox).where(outbox.c.id == item))

    async def later(self, item: int, next_at: int, error: str) -> None:
        await asyncio.to_thread(self._write, update(outbox).where(outbox.c.id == item).values(
            next_at=next_at, attempts=outbox.c.attempts + 1, last_error=error[:128]))
