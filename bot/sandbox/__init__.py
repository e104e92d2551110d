"""The sandbox CCC: an embedded emulator of the CCC actions the bot uses, reached through the real CccClient.

    roster.py     the demo application: SdkAppId, key, agents, caller numbers
    rules.py      each action's parameters, limits and error codes (pure)
    progress.py   a campaign's State and CalledCalleeCount at a moment (pure)
    transport.py  SandboxTransport (httpx): TC3 check, 20/s per action, the envelope, the store
Campaigns live in the bot's own database (store/sandbox.py), so a restart keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from bot.sandbox.roster import ENDPOINT, SDK_APP_ID, SECRET_ID, SECRET_KEY
from bot.sandbox.transport import SandboxTransport
from bot.store.sandbox import SandboxCampaigns
from bot.tencent.client import CccClient, RetryPolicy
from bot.tencent.ratelimit import SlidingWindowLimiter


def sandbox_client(engine: Engine, clock: Callable[[], datetime], *, retry: RetryPolicy | None = None,
                   limiter: SlidingWindowLimiter | None = None) -> CccClient:
    """A CccClient whose requests are answered by the emulator: signed, limited and checked as by CCC."""
    transport = SandboxTransport(SandboxCampaigns(engine), clock)
    return CccClient(endpoint=ENDPOINT, secret_id=SECRET_ID, secret_key=SECRET_KEY, sdk_app_id=SDK_APP_ID,
                     clock=lambda: clock().timestamp(), transport=transport, retry=retry, limiter=limiter)
