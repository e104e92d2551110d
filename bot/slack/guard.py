"""The Slack edge's one guard for work after an ack: whatever fails, the person is still answered (privately)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

log = logging.getLogger(__name__)
SORRY = "Something went wrong on the bot's side. Try again in a minute."


@asynccontextmanager
async def answering(what: str, answer: Callable[[], Awaitable[object]]) -> AsyncIterator[None]:
    """Run a listener's post-ack body; on any exception log it and call `answer` (Slack has been acked, so its own
    error page is no longer shown: without this the person would see nothing, or a "Launching…" forever)."""
    try:
        yield
    except Exception:
        log.exception("%s failed after the ack", what)
        try:
            await answer()
        except Exception:  # Slack itself is failing: the log above is all that can be done
            log.exception("%s: could not tell the person either", what)
