"""How Slack's requests reach the Bolt app: signed HTTP posts (Starlette) or a Socket Mode connection."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response

from bot.slack.budget import RECEIVED_AT


def http_handler(app: AsyncApp) -> Callable[[Request], Awaitable[Response]]:
    """Bolt verifies each request's signature and age (401 otherwise) before any listener runs. The arrival time
    travels in the context: a listener can tell how much of Slack's 3 s is left, or that it was missed."""
    handler = AsyncSlackRequestHandler(app)

    async def handle(request: Request) -> Response:
        return await handler.handle(request, {RECEIVED_AT: time.monotonic()})

    return handle


async def run_socket_mode(app: AsyncApp, app_token: str) -> None:
    await AsyncSocketModeHandler(app, app_token).start_async()  # type: ignore[no-untyped-call]


class SlackUnreachable(Exception):
    pass


async def whoami(client: AsyncWebClient) -> str:
    """auth.test in one line, for `python -m bot check`."""
    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        raise SlackUnreachable(str(exc.response.get("error"))) from None
    return f"bot {answer.get('user')} in team {answer.get('team')}"
