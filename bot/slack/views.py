"""Block Kit modals: pure functions from what to show to view dicts."""

from __future__ import annotations

import json
from typing import Any

from bot.campaign.draft import MAX_WINDOW, CampaignDraft, FieldName, FormInput
from bot.campaign.numbers import region_label
from bot.campaign.ports import Outcome
from bot.slack import ids
from bot.slack.format import date_token, escape, local_label, plural
from bot.slack.metadata import Metadata

View = dict[str, Any]
Block = dict[str, Any]
MAX_TEXT = 3000  # Slack's limit for a plain_text_input


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value, "emoji": True}


def _input(field: FieldName, label: str, element: dict[str, Any], *, hint: str = "", optional: bool = False,
           error: str | None = None) -> list[Block]:
    block: Block = {"type": "input", "block_id": field, "label": _text(label),
                    "element": {**element, "action_id": field}, "optional": optional}
    if hint:
        block["hint"] = _text(hint)
    if not error:
        return [block]
    # views.update cannot mark a field as Slack's own errors do, so the message sits right under it. It quotes
    # what was typed (a bad entry, a file name): escaped.
    return [block, {"type": "context", "elements": [{"type": "mrkdwn", "text": f":warning: *{escape(error)}*"}]}]


def _plain(value: str, placeholder: str, *, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": MAX_TEXT,
                               "placeholder": _text(placeholder)}
    if value:
        element["initial_value"] = value[:MAX_TEXT]
    return element


def _option(value: str, label: str | None = None) -> dict[str, Any]:
    return {"text": _text((label or value)[:75]), "value": value[:150]}


_ORDER = {"1": "In list order", "0": "Random order"}


def campaign_form(form: FormInput, *, tz: str | None, chinese: bool, region: str, metadata: Metadata,
                  errors: dict[FieldName, str] | None = None) -> View:
    """The launch form; `form` pre-fills it (from the command text, or unchanged when coming Back)."""
    errors = errors or {}
    window_example = "例如：明天上午9点到11点" if chinese else "e.g. tomorrow 9am to 11:30am"
    order = form.call_order if form.call_order in _ORDER else "1"
    agent: dict[str, Any] = {"type": "external_select", "min_query_length": 0,
                             "placeholder": _text("Search agents by name or e-mail")}
    if form.agent:
        agent["initial_option"] = _option(form.agent)
    callers: dict[str, Any] = {"type": "multi_external_select", "min_query_length": 0,
                               "placeholder": _text("Working CCC numbers")}
    if form.callers:
        callers["initial_options"] = [_option(c) for c in form.callers]
    fields: list[list[Block]] = [
        _input("name", "Campaign name", _plain(form.name, "e.g. Q1 renewal push"), error=errors.get("name")),
        _input("agent", "Agent", agent, hint="The CCC agent who will make the calls.", error=errors.get("agent")),
        _input("callees", "Numbers to call", _plain(form.callees, "+8613012345678\n13012345679", multiline=True),
               hint="One per line; commas and spaces are fine too. Numbers without a country code are read as "
                    f"numbers of {region_label(region)}.", optional=True, error=errors.get("callees")),
        _input("callees_file", "…or a file of numbers", {"type": "file_input", "filetypes": ["csv", "txt"],
                                                         "max_files": 1},
               hint="CSV or text, up to 10 MB: the phone column is found by its header or by what it holds.",
               optional=True, error=errors.get("callees_file")),
        _input("callers", "Caller numbers", callers, hint="Leave empty to let CCC choose.", optional=True,
               error=errors.get("callers")),
        _input("window", "When to call", {**_plain(form.window[:MAX_WINDOW], window_example), "max_length": MAX_WINDOW},
               hint=f"In your own words; read in your time zone ({tz})." if tz else
               "In your own words; read in your Slack time zone.", error=errors.get("window")),
        _input("concurrency", "Concurrent calls (1–20)", _plain(form.concurrency or "1", "1"),
               hint="Numbers CCC provides carry 1 channel by default.", error=errors.get("concurrency")),
        _input("call_order", "Call order", {
            "type": "static_select",
            "options": [_option(value, label) for value, label in _ORDER.items()],
            "initial_option": _option(order, _ORDER[order]),
        }, error=errors.get("call_order")),
        _input("uui", "Custom data (UUI)", _plain(form.uui, "Passed to the agent with each call"), optional=True,
               error=errors.get("uui")),
    ]
    return {
        "type": "modal", "callback_id": ids.FORM, "title": _text("Dial campaign"), "submit": _text("Preview"),
        "close": _text("Cancel"), "private_metadata": json.dumps(metadata.to_dict()),
        "blocks": [block for field in fields for block in field],
    }


def checking(metadata: Metadata) -> View:
    """Shown at once while an uploaded file is read (a large one cannot be read inside Slack's 3 seconds)."""
    return {"type": "modal", "callback_id": ids.CHECKING, "title": _text("Dial campaign"), "close": _text("Cancel"),
            "private_metadata": json.dumps(metadata.to_dict()),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                    "text": ":hourglass_flowing_sand: Checking your numbers…"}}]}


def _some(items: list[str], shown: int = 10) -> str:
    """A list that cannot outgrow a section's 3,000 characters."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return escape(", ".join(items[:shown])) + more


def preview(draft: CampaignDraft, *, metadata: Metadata, warnings: list[str], compliance: Block | None = None) -> View:
    """What will happen, exactly, before it happens: Launch sends it, Back returns to the form unchanged."""
    hours = draft.duration_text
    dropped = []
    if draft.duplicates:
        dropped.append(f"{plural(draft.duplicates, 'duplicate')} removed")
    if draft.invalid:
        dropped.append(f"{plural(draft.invalid, 'invalid row', 'invalid rows')} skipped: "
                       + escape(", ".join(draft.invalid_examples[:3])) + ("…" if draft.invalid > 3 else ""))
    lines = [
        f"*{escape(draft.name)}*",
        f"*Agent:* {escape(draft.agent)}",
        f"*When:* {date_token(draft.start)} → {date_token(draft.end)}",
        f"*In your time zone:* {local_label(draft.start, draft.end, draft.tz)} · runs {hours}",
        *(f":mag: {escape(reading)}" for reading in draft.readings),  # how the window was read, so it can be fixed
        f"*Numbers to call:* {len(draft.callees)}" + (f" ({', '.join(dropped)})" if dropped else ""),
        f"*Callers:* {_some(draft.callers) if draft.callers else 'chosen by CCC'}",
        f"*Call order:* {_ORDER[str(draft.call_order)]} · *Concurrent calls:* {draft.concurrency}",
    ]
    if draft.uui:
        lines.append(f"*Custom data:* {escape(draft.uui[:200])}")
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
    if compliance:
        blocks.append(compliance)
    if warnings:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": ":warning: " + w} for w in warnings[:10]]})
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "action_id": ids.BACK, "text": _text("Back to the form"), "value": "back"}]})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": "Nothing has been sent yet. *Launch* creates the campaign in CCC."}]})
    return {
        "type": "modal", "callback_id": ids.PREVIEW, "title": _text("Check and launch"), "submit": _text("Launch"),
        "close": _text("Cancel"), "private_metadata": json.dumps(metadata.to_dict()), "blocks": blocks,
    }


def notice(title: str, text: str) -> View:
    return {"type": "modal", "title": _text(title[:24]), "close": _text("Close"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def launching(metadata: Metadata) -> View:
    """What the person sees the moment they press Launch: Slack has its answer, the bot does the rest."""
    return {"type": "modal", "callback_id": ids.LAUNCHING, "title": _text("Launching…"), "close": _text("Close"),
            "private_metadata": json.dumps(metadata.to_dict()),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": (
                ":hourglass_flowing_sand: Checking and sending it to CCC. The result appears here and in the "
                "channel's thread; you can close this.")}}]}


def launched(outcome: Outcome | None, name: str) -> View:
    """The modal after a Launch: the outcome in brief (the thread has the detail)."""
    if outcome is None:
        return notice("Not launched", f"*{escape(name)}* was not sent now — the bot has told you why in a message.")
    if outcome.status == "created":
        return notice("Launched", f":white_check_mark: *{escape(name)}* was created in CCC — CampaignId "
                                  f"*{outcome.campaign_id}*. The channel's thread has the details.")
    if outcome.status == "unknown":
        return notice("Outcome unknown", f":warning: *{escape(name)}*: {escape(outcome.summary)}")
    return notice("Not created", f":x: *{escape(name)}* was not created. {escape(outcome.summary)}")


def again(view: dict[str, Any], note: str) -> View:
    """The same modal shown again (so its button can be pressed again), with why the last press did nothing."""
    keys = ("type", "callback_id", "title", "submit", "close", "private_metadata")
    kept: dict[str, Any] = {k: view[k] for k in keys if k in view}
    warning = {"type": "context", "elements": [{"type": "mrkdwn", "text": f":warning: *{note}*"}]}
    return {**kept, "blocks": [warning, *[b for b in view.get("blocks", []) if b.get("type") != "input"]][:100]}
