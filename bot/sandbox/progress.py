"""How a sandbox campaign moves through its window: State and CalledCalleeCount at a given moment (pure)."""

from __future__ import annotations

from bot.store.sandbox import SandboxCampaign

CALL_SECONDS = 60  # one simulated call per agent line per minute: a demo campaign visibly progresses
NOT_STARTED, RUNNING, FINISHED, ABORTED = 0, 1, 2, 3


def progress(campaign: SandboxCampaign, now: int) -> tuple[int, int]:
    """(State, CalledCalleeCount): 0 before StartTime, 1 while calling, 2 after EndTime or when everyone was
    called, 3 once aborted; the count grows with elapsed time and concurrency and stops when the campaign does."""
    stop = min(now, campaign.end_at, campaign.aborted_at if campaign.aborted_at is not None else now)
    elapsed = max(0, stop - campaign.start_at)
    called = min(campaign.callee_count, elapsed * campaign.concurrency // CALL_SECONDS)
    if campaign.aborted_at is not None and campaign.aborted_at <= now:
        return ABORTED, called
    if now < campaign.start_at:
        return NOT_STARTED, 0
    if now >= campaign.end_at or called >= campaign.callee_count:
        return FINISHED, called
    return RUNNING, called
