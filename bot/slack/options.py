"""Options for the pickers: agents (DescribeStaffInfoList) and working caller numbers (DescribeNumbers), filtered
by what is typed, from a short-lived cache — only for people who may launch from the form's channel."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.i18n import Translator
from bot.slack import ids
from bot.slack.access import TooSlow
from bot.slack.context import Context, requester
from bot.slack.metadata import read_metadata

MAX_OPTIONS = 100  # Slack shows at most 100
OPTIONS_ACCESS_BUDGET = 0.8  # with CCC's 1.5 s below, inside Slack's 3 s


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value[:150]}


def _unavailable(query: str, looks_right: bool, label: str, tr: Translator) -> dict[str, Any]:
    """CCC cannot be read: still let the person use what they typed."""
    options = [_option(query.strip(), tr.gettext("Use {value}", value=query.strip()))] if looks_right else []
    return {"option_groups": [{"label": {"type": "plain_text", "text": label[:75]},
                               "options": options or [_option("-", tr.gettext("Type the full value"))]}]}


def _user(payload: dict[str, Any]) -> str:
    return str((payload.get("user") or {}).get("id", ""))


def _nothing(text: str, tr: Translator) -> dict[str, Any]:
    return {"option_groups": [{"label": {"type": "plain_text", "text": text[:75]},
                               "options": [_option("-", tr.gettext("Nothing to pick"))]}]}


async def _refused(ctx: Context, body: dict[str, Any]) -> dict[str, Any] | None:
    """The access rule of every other step, within a budget that leaves time for CCC's lists: an answer to give
    instead of the options, or None."""
    who = requester(body, read_metadata(body.get("view") or {}).channel)
    tr = ctx.languages.known(who.user_id)
    try:
        refusal = await ctx.access.refusal(who.user_id, who.channel_id, budget=OPTIONS_ACCESS_BUDGET)
    except TooSlow:
        return _nothing(tr.gettext("Slack is slow right now — type again in a moment"), tr)
    return _nothing(tr.gettext("You may not launch campaigns here"), tr) if refusal else None


def register(app: AsyncApp, ctx: Context) -> None:
    @app.options(ids.AGENT)
    async def agents(ack: AsyncAck, payload: dict[str, Any], body: dict[str, Any]) -> None:
        if refused := await _refused(ctx, body):
            await ack(**refused)
            return
        query = str(payload.get("value") or "")
        found = await ctx.directory.agents(wait=1.5)
        if found is None:
            tr = ctx.languages.known(_user(payload))  # Slack's 3 s are spent: what Slack said of them at the command
            await ack(**_unavailable(query, bool(re.fullmatch(r"[^\s@]+@[^\s@]+", query.strip())),
                                     tr.gettext("Agent list unavailable — type it in full"), tr))
            return
        matches = [a for a in found if a.matches(query)][:MAX_OPTIONS]
        await ack(options=[_option(a.mail, f"{a.name} · {a.mail}" if a.name else a.mail) for a in matches])

    @app.options(ids.CALLERS)
    async def callers(ack: AsyncAck, payload: dict[str, Any], body: dict[str, Any]) -> None:
        if refused := await _refused(ctx, body):
            await ack(**refused)
            return
        query = str(payload.get("value") or "")
        found = await ctx.directory.callers(wait=1.5)
        if found is None:
            tr = ctx.languages.known(_user(payload))  # Slack's 3 s are spent: what Slack said of them at the command
            await ack(**_unavailable(query, bool(re.fullmatch(r"\+?\d{5,20}", query.strip())),
                                     tr.gettext("Caller list unavailable — type it in full"), tr))
            return
        digits = re.sub(r"\D", "", query)
        await ack(options=[_option(n, n) for n in found if digits in n][:MAX_OPTIONS])
