"""The ASGI app: POST /slack/events for every Slack request, GET /healthz for the platform."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import Services, build_app, start, stop
from bot.slack.transport import http_handler

EVENTS_PATH = "/slack/events"


def create_web_app(services: Services) -> Starlette:
    state = {"ready": False}
    secret = services.settings.slack_signing_secret
    assert secret is not None, "config requires SLACK_SIGNING_SECRET without SLACK_APP_TOKEN"
    handle = http_handler(build_app(services), secret.get_secret_value())

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await start(services)
        state["ready"] = True
        try:
            yield
        finally:
            state["ready"] = False
            await stop(services)

    async def events(request: Request) -> Response:
        return await handle(request)

    async def healthz(_request: Request) -> Response:
        if state["ready"]:
            return JSONResponse({"ok": True})
        return JSONResponse({"ok": False}, status_code=503)

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])], lifespan=lifespan)
