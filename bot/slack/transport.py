"""How Slack's requests reach the Bolt app: signed HTTP posts (Starlette) or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response

from bot.slack.budget import ACKED, RECEIVED_AT
from bot.slack.intake import Refused, decode, read_body, refusal, verify

log = logging.getLogger(__name__)

# auth.test answers these when the token itself is wrong: retrying cannot help, so the process stops.
REJECTED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


class TokenRejected(Exception):
    """Slack refused a token: str() is the one line to print (never the token)."""


def http_handler(app: AsyncApp, signing_secret: str) -> Callable[[Request], Awaitable[Response]]:
    """Size, signature, age and encoding are checked here, before Bolt reads or parses anything: Bolt would parse
    a body of any size or shape first (and log a refused one whole)."""

    async def handle(request: Request) -> Response:
        # Travels in the context: a listener can tell how much of Slack's 3 s is left (the web app notes the arrival
        # before any start-up wait; otherwise it is now).
        received = request.scope.get(RECEIVED_AT) or time.monotonic()
        try:
            body = await read_body(request)
            verify(request.headers, body, signing_secret, time.time())
            decode(body, request.headers.get("content-type"))
        except Refused as refused:
            log.info("refused %s: HTTP %d", refused.reason, refused.status)
            return refusal(refused)
        bolt_request = to_async_bolt_request(request, body, {RECEIVED_AT: received,
                                                             ACKED: bool(request.scope.get(ACKED))})
        return to_starlette_response(await app.async_dispatch(bolt_request))

    return handle


def _quiet_retries(record: logging.LogRecord) -> bool:
    """slack_sdk logs each failed Socket Mode (re)connection with a traceback and retries by itself: Slack being
    out of reach is a one-line warning, not a stack dump every ten seconds."""
    if record.getMessage().startswith("Failed to connect"):
        record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.WARNING, "WARNING"
        record.msg, record.args = f"Socket Mode: {record.getMessage()}", None
    return True


async def run_socket_mode(app: AsyncApp, app_token: str, on_connected: Callable[[], None]) -> None:
    """Connect (after checking the app-level token once, so a wrong one stops the process instead of retrying
    forever), tell `on_connected`, then serve until cancelled."""
    handler = AsyncSocketModeHandler(app, app_token)
    app.logger.addFilter(_quiet_retries)
    try:
        answer = await app.client.apps_connections_open(app_token=app_token)
        handler.client.wss_uri = str(answer["url"])  # the URL just issued is used, not wasted
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        if error in REJECTED:
            raise TokenRejected(f"Slack refused SLACK_APP_TOKEN ({error}): copy the app-level token (xapp-…, scope "
                                "connections:write) from Basic Information → App-Level Tokens") from None
        log.warning("Socket Mode: Slack answered %s; connecting anyway", error)
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        log.warning("Socket Mode: cannot reach Slack (%s); will keep trying", type(exc).__name__)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    on_connected()
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


class SlackUnreachable(Exception):
    pass


async def accepted_token(client: AsyncWebClient, *, pace: float = 1.0) -> str:
    """auth.test until Slack answers: who the bot is, or TokenRejected when Slack refuses the bot token. A network
    failure is a warning and is tried again (the bot must not give up because Slack blinked): after 1 s, doubling up
    to 30 s, times `pace` (DIALCAMPAIGN_RETRY_PERCENT / 100)."""
    delay, max_delay = 1.0 * pace, 30.0 * pace
    while True:
        try:
            answer = await client.auth_test()
            return f"bot {answer.get('user')} in team {answer.get('team')}"
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error in REJECTED:
                raise TokenRejected(f"Slack refused SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token "
                                    "(xoxb-…) from OAuth & Permissions, and install the app to the workspace") from None
            log.warning("auth.test answered %s; trying again in %g s", error, delay)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("cannot reach Slack to check the bot token (%s); trying again in %g s",
                        type(exc).__name__, delay)
        await asyncio.sleep(delay)
        delay = min(max_delay, delay * 2)


async def whoami(client: AsyncWebClient) -> str:
    """auth.test in one line, for `python -m bot check`."""
    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        raise SlackUnreachable(str(exc.response.get("error"))) from None
    return f"bot {answer.get('user')} in team {answer.get('team')}"
