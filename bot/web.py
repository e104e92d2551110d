"""The ASGI app: POST /slack/events for every Slack request, GET /healthz for the platform."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import Services, build_app, start, stop
from bot.slack.budget import RECEIVED_AT
from bot.slack.intake import Refused, is_command, read_body, refusal
from bot.slack.transport import TokenRejected, http_handler

EVENTS_PATH = "/slack/events"
log = logging.getLogger("bot")


def create_web_app(services: Services, on_fatal: Callable[[int], None] | None = None) -> Starlette:
    """The port opens at once; start-up (schema, parser warm-up, Slack's auth.test) runs beside it. /healthz is 503
    until it is done; slash commands wait for the schema only, every other Slack request for all of it (a command's
    pre-fill check may parse its text before warm-up: in a thread, tens of ms cold). A refused token or a failed
    start-up calls `on_fatal(1)` (the composition root stops the server)."""
    state: dict[str, asyncio.Task[str] | bool] = {"ready": False}
    migrated = asyncio.Event()
    secret = services.settings.slack_signing_secret
    assert secret is not None, "config requires SLACK_SIGNING_SECRET without SLACK_APP_TOKEN"
    handle = http_handler(build_app(services), secret.get_secret_value())
    ccc = "sandbox" if services.settings.sandbox else "tencent"  # the sandbox can never pass for CCC

    async def starting() -> str:
        try:
            # Slash commands wait only for the schema: at once after a restart, else after migrating.
            if not await asyncio.to_thread(services.store.schema_current):
                await asyncio.to_thread(services.store.migrate)
            migrated.set()
            who = await start(services, migrated=True)
        except TokenRejected as exc:
            log.error("%s", exc)
            if on_fatal is not None:
                on_fatal(1)
            raise
        except Exception:  # as when start-up ran before the port opened: a process that cannot start stops
            log.exception("start-up failed")
            if on_fatal is not None:
                on_fatal(1)
            raise
        state["ready"] = True
        log.info("ready: %s, CCC %s", who, ccc)
        return who

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        state["task"] = asyncio.create_task(starting())
        try:
            yield
        finally:
            state["ready"] = False
            task = state["task"]
            assert isinstance(task, asyncio.Task)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await stop(services)

    async def events(request: Request) -> Response:
        # Slack's 3 s run from here, start-up wait included (from stage 1's arrival, when it saw the request first)
        request.scope.setdefault(RECEIVED_AT, time.monotonic())
        task = state.get("task")
        # A slash command opens the form (its pre-fill check parses the text in a thread, cold at worst tens of ms;
        # a refusal is audited, hence the schema), so it waits for the migration only; everything else (submissions
        # parse whole forms) waits for the whole start-up.
        if not state["ready"] and isinstance(task, asyncio.Task):
            try:  # bounded as the handler reads it (which then gets the same bytes), even before start-up is done
                body = await read_body(request)
            except Refused as refused:
                return refusal(refused)
        if not state["ready"] and is_command(body) and isinstance(task, asyncio.Task):
            waiting = asyncio.create_task(migrated.wait())
            await asyncio.wait([waiting, task], return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            if not migrated.is_set():
                return Response(status_code=503)
        elif not state["ready"] and isinstance(task, asyncio.Task):
            try:
                await asyncio.shield(task)
            except Exception:
                return Response(status_code=503)
        return await handle(request)

    async def healthz(_request: Request) -> Response:
        if state["ready"]:
            return JSONResponse({"ok": True, "ccc": ccc})
        return JSONResponse({"ok": False, "ccc": ccc}, status_code=503)

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])], lifespan=lifespan)
