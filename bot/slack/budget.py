"""Slack's 3-second ack: when a request arrived, how much of the budget is left, and whether it was missed."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

RECEIVED_AT = "dialcampaign_received_at"  # set by the HTTP transport as the request arrives (monotonic seconds)
ACKED = "dialcampaign_acked"  # set when the start-up's first stage already acked the request (empty 200)
ACK_BUDGET = 2.5  # Slack waits 3 s; the rest is the network's
POST_ACK_BUDGET = 5.0  # after the ack nobody is waiting on Slack, but a person is looking at "Launching…"


def elapsed(context: Mapping[str, Any]) -> float:
    """Seconds since the request arrived (0 when the transport did not say, e.g. Socket Mode)."""
    received = context.get(RECEIVED_AT)
    return time.monotonic() - received if isinstance(received, float) else 0.0


def remaining(context: Mapping[str, Any], budget: float = ACK_BUDGET) -> float:
    return max(0.0, budget - elapsed(context))


def missed(context: Mapping[str, Any]) -> bool:
    """Slack has given up on this request already: it showed the person an error, so nothing may happen now."""
    return elapsed(context) >= ACK_BUDGET
