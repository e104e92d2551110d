"""Work the process does on its own for as long as it runs (the outbox drained, launches recovered), and where the
outcome journal lives. Started by the app's start routine, cancelled by its stop routine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

JOURNAL_NAME = "dialcampaign-outcomes.jsonl"


def journal_path(database_url: str) -> Path:
    """Next to a SQLite database file; in the working directory otherwise."""
    url = make_url(database_url.replace("postgres://", "postgresql://", 1))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(f"{db.name}.outcomes.jsonl")
    return Path.cwd() / JOURNAL_NAME


async def every(seconds: float, name: str, work: Callable[[], Awaitable[object]]) -> None:
    """`work` again and again; a failed round (the database down, Slack away) is logged and tried again."""
    while True:
        try:
            await work()
        except Exception as exc:
            log.warning("%s: round failed (%s); trying again", name, type(exc).__name__)
        await asyncio.sleep(seconds)


@dataclass
class Background:
    loops: list[tuple[float, str, Callable[[], Awaitable[object]]]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def add(self, seconds: float, name: str, work: Callable[[], Awaitable[object]]) -> None:
        self.loops.append((seconds, name, work))

    def start(self) -> None:
        self._tasks = [asyncio.create_task(every(s, n, w), name=n) for s, n, w in self.loops]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
