"""The domain's sentences as lazy messages: each is its English text (a str, so logs, the audit trail and every
English reader see exactly that) and also the msgid and parameters the edge needs to say it again, through gettext,
in a reader's own language. The domain marks words; it never chooses a language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def inert(text: str) -> str:
    """Text a person (or CCC) wrote, made inert in Slack mrkdwn: `<!channel>`, `<@U…>` and `<https://…|label>` show as
    typed. It lives here because the domain's own sentences carry mrkdwn (`*{name}*`) and escape what they quote."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Text(str):
    """A sentence in English that remembers how it was made. Parameters may be Texts themselves (rendered in the
    same language) or lists of them (joined the way the language joins list items: ", ", "，", "、")."""

    msgid: str
    plural: str | None
    quantity: int | None
    params: Mapping[str, object]

    def __new__(cls, msgid: str, params: Mapping[str, object], plural: str | None = None,
                quantity: int | None = None) -> Text:
        chosen = plural if plural is not None and quantity != 1 else msgid
        english = chosen.format(**{k: english_of(v) for k, v in params.items()})
        self = super().__new__(cls, english)
        self.msgid, self.plural, self.quantity, self.params = msgid, plural, quantity, dict(params)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # process pools and copies keep the message, not just its English
        return (Text, (self.msgid, dict(self.params), self.plural, self.quantity))


class Moment(str):
    """A local time with its weekday (and date when `dated`) inside a sentence: English "Thu 09:05" or
    "Thu 2026-11-26 09:05"; the edge writes it as the reader's language writes weekdays."""

    at: datetime
    dated: bool

    def __new__(cls, at: datetime, *, dated: bool = False) -> Moment:
        self = super().__new__(cls, at.strftime("%a %Y-%m-%d %H:%M" if dated else "%a %H:%M"))
        self.at, self.dated = at, dated
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_moment, (self.at, self.dated))


def _moment(at: datetime, dated: bool) -> Moment:
    return Moment(at, dated=dated)


def english_of(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(english_of(v) for v in value)
    return str(value)


def lazy(msgid: str, **params: object) -> Text:
    """Mark a sentence for translation; `{name}` placeholders are filled from `params` in every language."""
    return Text(msgid, params)


def lazy_plural(singular: str, plural: str, n: int, **params: object) -> Text:
    """A sentence whose form depends on a count `n` (passed to the placeholders as `{n}` too)."""
    return Text(singular, {"n": n, **params}, plural=plural, quantity=n)
