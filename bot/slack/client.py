"""The Slack Web API client: configurable base URL, retries on HTTP 429 and on connection errors."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.label import LabelledWebClient


def web_client(token: str, base_url: str, *, labelled: bool = False) -> AsyncWebClient:
    """`labelled`: the sandbox is on, so every view and message says so (bot/slack/label.py)."""
    cls = LabelledWebClient if labelled else AsyncWebClient
    return cls(
        token=token,
        base_url=base_url,
        timeout=10,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                        AsyncConnectionErrorRetryHandler(max_retry_count=2)],
    )
