"""How Slack's requests reach the Bolt app: signed HTTP posts (Starlette) or a Socket Mode connection."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.slack.intake import Refused, decode, read_body, verify

log = logging.getLogger(__name__)


def http_handler(app: AsyncApp, signing_secret: str) -> Callable[[Request], Awaitable[Response]]:
    """Size, signature, age and encoding are checked here, before Bolt reads or parses anything: Bolt would parse
    a body of any size or shape first (and log a refused one whole)."""

    async def handle(request: Request) -> Response:
        try:
            body = await read_body(request)
            verify(request.headers, body, signing_secret, time.time())
            decode(body, request.headers.get("content-type"))
        except Refused as refused:
            log.info("refused %s: HTTP %d", refused.reason, refused.status)
            # Connection: close — the rest of a refused body is not read, and a trickling client loses its socket.
            return JSONResponse({"error": refused.reason}, status_code=refused.status, headers={"Connection": "close"})
        return to_starlette_response(await app.async_dispatch(to_async_bolt_request(request, body)))

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
