"""Text helpers shared by views and messages: Slack date tokens, local time labels, escaping. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.campaign.text import inert
from bot.i18n import Translator

escape = inert  # one rule for making typed text inert in mrkdwn, shared with the domain's sentences


def date_token(at: datetime, fmt: str = "{date_short_pretty} {time}") -> str:
    """Each reader sees this instant in their own time zone; the fallback is UTC for clients that cannot."""
    fallback = at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{fmt}|{fallback}>"


def local_label(start: datetime, end: datetime, tz: str, tr: Translator) -> str:
    """The window in the requester's zone, with weekdays as the reader's language writes them."""
    zone = ZoneInfo(tz)
    s, e = start.astimezone(zone), end.astimezone(zone)
    end_text = e.strftime("%H:%M") if e.date() == s.date() else tr.moment(e, dated=True)
    return f"{tr.moment(s, dated=True)} – {end_text} {e.tzname()} ({tz})"


def clock_token(at: datetime, tz: str) -> str:
    """A time of day each reader sees in their own zone; the fallback is the campaign's zone."""
    return f"<!date^{int(at.timestamp())}^{{time}}|{at.astimezone(ZoneInfo(tz)):%H:%M}>"
