"""The ASGI app: POST /slack/events for every Slack request, GET /healthz for the platform."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import Services, build_app, startup_warnings
from bot.campaign.service import CampaignService
from bot.campaign.window import warm_up

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE = 25.0  # Heroku sends SIGKILL 30 s after SIGTERM


def create_web_app(services: Services) -> Starlette:
    state = {"ready": False}
    handler = AsyncSlackRequestHandler(build_app(services))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        services.store.migrate()
        warm_up()
        await CampaignService(ccc=services.ccc, store=services.store, clock=services.clock).prune_drafts()
        for note in startup_warnings(services.settings):
            log.warning(note)
        state["ready"] = True
        log.info("ready")
        try:
            yield
        finally:
            state["ready"] = False
            await services.in_flight.drain(SHUTDOWN_GRACE)
            await services.aclose()

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(_request: Request) -> Response:
        if state["ready"]:
            return JSONResponse({"ok": True})
        return JSONResponse({"ok": False}, status_code=503)

    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])], lifespan=lifespan)
