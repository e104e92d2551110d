"""The Slack Web API client: configurable base URL, retries on HTTP 429 and on connection errors."""

from __future__ import annotations

import random

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.label import LabelledWebClient


class Backoff(RetryIntervalCalculator):
    """slack_sdk's own pause before retrying a connection error (0.5 s doubling per retry, plus up to 1 s of jitter),
    times `pace` (DIALCAMPAIGN_RETRY_PERCENT / 100)."""

    def __init__(self, pace: float = 1.0) -> None:
        self.pace = pace

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        return self.pace * (0.5 * float(2**current_attempt) + random.random())


def web_client(token: str, base_url: str, *, labelled: bool = False, pace: float = 1.0) -> AsyncWebClient:
    """`labelled`: the sandbox is on, so every view and message says so (bot/slack/label.py). `pace` scales the pause
    before retrying a connection error; a 429's Retry-After is always waited for as Slack says."""
    cls = LabelledWebClient if labelled else AsyncWebClient
    return cls(
        token=token,
        base_url=base_url,
        timeout=10,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                        AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=Backoff(pace))],
    )
