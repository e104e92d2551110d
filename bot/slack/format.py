"""Text helpers shared by views and messages: escaping typed text, Slack date tokens, local time labels, plurals."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def escape(text: str) -> str:
    """Text a person typed, made inert in mrkdwn: `<!channel>`, `<@U…>` and `<https://…|label>` show as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def date_token(at: datetime, fmt: str = "{date_short_pretty} {time}") -> str:
    """Each reader sees this instant in their own time zone; the fallback is UTC for clients that cannot."""
    fallback = at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(at.timestamp())}^{fmt}|{fallback}>"


def local_label(start: datetime, end: datetime, tz: str) -> str:
    zone = ZoneInfo(tz)
    s, e = start.astimezone(zone), end.astimezone(zone)
    end_text = e.strftime("%H:%M") if e.date() == s.date() else e.strftime("%a %Y-%m-%d %H:%M")
    return f"{s:%a %Y-%m-%d %H:%M} – {end_text} {e.tzname()} ({tz})"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def clock_token(at: datetime, tz: str) -> str:
    """A time of day each reader sees in their own zone; the fallback is the campaign's zone."""
    return f"<!date^{int(at.timestamp())}^{{time}}|{at.astimezone(ZoneInfo(tz)):%H:%M}>"
