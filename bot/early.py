"""Stage 1 of `python -m bot serve`: the port opens with Slack's signature check and an empty ack for slash commands,
while stage 2 (bot.web: Services, Bolt, every listener, the store) is imported and built in the background."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.slack.budget import ACKED, RECEIVED_AT
from bot.slack.intake import Refused, decode, is_command, read_body, refusal, verify

if TYPE_CHECKING:
    from bot.app import Services
    from bot.config import Settings

EVENTS_PATH = "/slack/events"
log = logging.getLogger("bot")


class DatabaseUnreachable(Exception):
    """str() is the one line to print (password hidden)."""


def open_services(settings: Settings) -> Services:
    """Services, with the database pinged: DatabaseUnreachable carries the one line to print."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.app import Services

    services = Services.from_settings(settings)
    try:
        services.store.ping()
    except SQLAlchemyError as exc:
        where = services.store.engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise DatabaseUnreachable(f"dialcampaign: cannot open the database in DATABASE_URL ({where}): {reason}") \
            from None
    return services


def _full_app(settings: Settings, on_fatal: Callable[[int], None] | None) -> Starlette:
    """Stage 2, in a thread: the heavy imports, Services, the database ping, the Bolt app and its listeners."""
    from bot.web import create_web_app

    return create_web_app(open_services(settings), on_fatal=on_fatal)


def create_early_app(settings: Settings, on_fatal: Callable[[int], None] | None = None,
                     listening: Callable[[], bool] | None = None) -> ASGIApp:
    """Until stage 2 is built, a signed slash command is acked at once (empty 200, as Bolt's ack) and handed to the
    full app when it is: its listener then runs with the ack already sent (no second ack; its access check and form
    come after). Every other request waits for stage 2, which waits for its own start-up as before (only a command's
    pre-fill check may parse text before warm-up, in a thread). An unreachable database prints one line and stops
    the server with code 2. `listening`: stage 2 starts once it says the socket is bound (its imports would
    otherwise compete with the bind for the GIL)."""
    secret = settings.slack_signing_secret
    assert secret is not None, "config requires SLACK_SIGNING_SECRET without SLACK_APP_TOKEN"
    signing = secret.get_secret_value()
    ccc = "sandbox" if settings.sandbox else "tencent"
    handed: set[asyncio.Task[None]] = set()
    state: dict[str, Any] = {"full": None, "built": None}

    async def stage2(stop: asyncio.Event, built: asyncio.Future[Starlette]) -> None:
        while listening is not None and not listening():
            await asyncio.sleep(0.002)
        interval = sys.getswitchinterval()
        # The event loop (acks) takes the GIL back from the import thread within 0.5 ms rather than 5 ms.
        sys.setswitchinterval(0.0005)
        try:
            full = await asyncio.to_thread(_full_app, settings, on_fatal)
        except DatabaseUnreachable as exc:
            built.cancel()
            print(exc, file=sys.stderr)
            if on_fatal is not None:
                on_fatal(2)
            return
        except Exception:
            built.cancel()
            log.exception("start-up failed")
            if on_fatal is not None:
                on_fatal(1)
            return
        finally:
            sys.setswitchinterval(interval)
        async with full.router.lifespan_context(full):
            state["full"] = full
            built.set_result(full)
            await stop.wait()
        state["full"] = None

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        built: asyncio.Future[Starlette] = asyncio.get_running_loop().create_future()
        state["built"] = built
        task = asyncio.create_task(stage2(stop, built))
        try:
            yield
        finally:
            if not built.done():  # stopped before stage 2 was built: commands acked meanwhile are dropped
                built.cancel()
                task.cancel()
            await asyncio.gather(*handed, return_exceptions=True)
            stop.set()
            await asyncio.gather(task, return_exceptions=True)

    async def full_app() -> Starlette | None:
        built: asyncio.Future[Starlette] | None = state["built"]
        if built is None:
            return None
        try:
            return await asyncio.shield(built)
        except asyncio.CancelledError:
            if built.cancelled():
                return None
            raise

    async def hand_over(scope: Scope, body: bytes) -> None:
        """The command, acked already, to the full app; its answer (Bolt's empty ack) goes nowhere."""
        full = await full_app()
        if full is None:
            return

        async def discard(_message: Message) -> None:
            return None

        await full({**scope, ACKED: True}, _replay(body), discard)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": False, "ccc": ccc}, status_code=503)

    early = Starlette(routes=[Route("/healthz", healthz, methods=["GET"])], lifespan=lifespan)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        full: Starlette | None = state["full"]
        if full is not None and scope["type"] != "lifespan":
            await full(scope, receive, send)
            return
        if scope["type"] != "http" or scope.get("path") != EVENTS_PATH or scope.get("method") != "POST":
            await early(scope, receive, send)
            return
        scope[RECEIVED_AT] = time.monotonic()  # Slack's 3 s run from here, the wait for stage 2 included
        request = Request(scope, receive)
        try:
            body = await read_body(request)
            command = is_command(body)
            if command:  # acked here, so checked here as Bolt would: signature and age, then the encoding
                verify(request.headers, body, signing, time.time())
                decode(body, request.headers.get("content-type"))
        except Refused as refused:
            log.info("refused %s: HTTP %d", refused.reason, refused.status)
            await refusal(refused)(scope, receive, send)
            return
        if command:
            task = asyncio.create_task(hand_over(scope, body))
            handed.add(task)
            task.add_done_callback(handed.discard)
            await Response(status_code=200)(scope, receive, send)
            return
        full = await full_app()
        if full is None:
            await Response(status_code=503)(scope, receive, send)
            return
        await full(scope, _replay(body), send)

    return app


def _replay(body: bytes) -> Receive:
    """The body already read, for the full app to read again."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # as a live connection: nothing more until it closes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
