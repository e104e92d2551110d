"""Block Kit modals: pure functions from what to show to view dicts."""

from __future__ import annotations

import json
from typing import Any

from bot.campaign.draft import CampaignDraft, FormInput
from bot.slack import ids
from bot.slack.format import date_token, local_label, plural

View = dict[str, Any]
Block = dict[str, Any]
MAX_TEXT = 3000  # Slack's limit for a plain_text_input


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value, "emoji": True}


def _input(field: str, label: str, element: dict[str, Any], *, hint: str = "", optional: bool = False) -> Block:
    block: Block = {"type": "input", "block_id": ids.BLOCKS[field], "label": _text(label),  # type: ignore[index]
                    "element": {**element, "action_id": ids.INPUT}, "optional": optional}
    if hint:
        block["hint"] = _text(hint)
    return block


def _plain(value: str, placeholder: str, *, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": MAX_TEXT,
                               "placeholder": _text(placeholder)}
    if value:
        element["initial_value"] = value[:MAX_TEXT]
    return element


_ORDER = {"1": "In list order", "0": "Random order"}


def campaign_form(form: FormInput, *, tz: str, chinese: bool, metadata: dict[str, str]) -> View:
    """The launch form; `form` pre-fills it (from the command text, or unchanged when coming Back)."""
    window_example = "例如：明天上午9点到11点" if chinese else "e.g. tomorrow 9am to 11:30am"
    order = form.call_order if form.call_order in _ORDER else "1"
    blocks = [
        _input("name", "Campaign name", _plain(form.name, "e.g. Q1 renewal push")),
        _input("agent", "Agent (CCC account)", _plain(form.agent, "agent@example.com"),
               hint="The agent who will make the calls: their CCC login e-mail."),
        _input("callees", "Numbers to call", _plain(form.callees, "+8613012345678\n13012345679", multiline=True),
               hint="One per line; commas and spaces are fine too. Numbers without a country code are read as "
                    "Chinese numbers."),
        _input("callers", "Caller numbers", _plain("\n".join(form.callers), "0086075586013388", multiline=True),
               hint="As the CCC console shows them, one per line. Leave empty to let CCC choose.", optional=True),
        _input("window", "When to call", _plain(form.window, window_example),
               hint=f"In your own words; read in your time zone ({tz})."),
        _input("concurrency", "Concurrent calls (1–20)", _plain(form.concurrency or "1", "1"),
               hint="Numbers CCC provides carry 1 channel by default."),
        _input("call_order", "Call order", {
            "type": "static_select",
            "options": [{"text": _text(label), "value": value} for value, label in _ORDER.items()],
            "initial_option": {"text": _text(_ORDER[order]), "value": order},
        }),
        _input("uui", "Custom data (UUI)", _plain(form.uui, "Passed to the agent with each call"), optional=True),
    ]
    return {
        "type": "modal", "callback_id": ids.FORM, "title": _text("Dial campaign"), "submit": _text("Preview"),
        "close": _text("Cancel"), "private_metadata": json.dumps(metadata), "blocks": blocks,
    }


def preview(draft: CampaignDraft, *, metadata: dict[str, str], warnings: list[str]) -> View:
    """What will happen, exactly, before it happens: Launch sends it, Back returns to the form unchanged."""
    hours = draft.duration_text
    dropped = []
    if draft.duplicates:
        dropped.append(f"{plural(draft.duplicates, 'duplicate')} removed")
    if draft.invalid:
        dropped.append(f"{plural(draft.invalid, 'invalid entry', 'invalid entries')} skipped")
    lines = [
        f"*{draft.name}*",
        f"*Agent:* {draft.agent}",
        f"*When:* {date_token(draft.start)} → {date_token(draft.end)}",
        f"*In your time zone:* {local_label(draft.start, draft.end, draft.tz)} · runs {hours}",
        f"*Numbers to call:* {len(draft.callees)}" + (f" ({', '.join(dropped)})" if dropped else ""),
        f"*Callers:* {', '.join(draft.callers) if draft.callers else 'chosen by CCC'}",
        f"*Call order:* {_ORDER[str(draft.call_order)]} · *Concurrent calls:* {draft.concurrency}",
    ]
    if draft.uui:
        lines.append(f"*Custom data:* {draft.uui[:200]}")
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
    if warnings:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": ":warning: " + w} for w in warnings[:10]]})
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "action_id": ids.BACK, "text": _text("Back to the form"), "value": "back"}]})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": "Nothing has been sent yet. *Launch* creates the campaign in CCC."}]})
    return {
        "type": "modal", "callback_id": ids.PREVIEW, "title": _text("Check and launch"), "submit": _text("Launch"),
        "close": _text("Cancel"), "private_metadata": json.dumps(metadata), "blocks": blocks,
    }


def notice(title: str, text: str) -> View:
    return {"type": "modal", "title": _text(title[:24]), "close": _text("Close"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
