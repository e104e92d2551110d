"""Whether text after /dialcampaign is something the form can be pre-filled with (an agent, a window)."""

from __future__ import annotations

from datetime import datetime

from bot.campaign.draft import prefill
from bot.campaign.window import WindowError, parse_window


def is_prefill(text: str, *, now: datetime, tz: str = "UTC") -> bool:
    """An agent account, or anything read as a window — even one the form will then flag (no end, in the past).
    Anything else is a word the person meant as a command: they get the help, not a form with it as the window."""
    form = prefill(text)
    if form.agent and not form.window:
        return True
    try:
        parse_window(form.window, tz=tz, now=now)
    except WindowError as exc:
        return exc.reason not in ("unparseable", "empty")
    return True
