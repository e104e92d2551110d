"""Block Kit modals: pure functions from what to show to view dicts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.campaign.draft import MAX_WINDOW, CampaignDraft, FieldName, FormInput, located
from bot.campaign.numbers import region_label
from bot.campaign.ports import Outcome
from bot.i18n import Translator
from bot.slack import ids
from bot.slack.format import date_token, escape, local_label
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


def _order(tr: Translator) -> dict[str, str]:
    return {"1": tr.gettext("In list order"), "0": tr.gettext("Random order")}


def campaign_form(form: FormInput, *, tz: str | None, tr: Translator, region: str, metadata: Metadata,
                  errors: Mapping[FieldName, str] | None = None) -> View:
    """The launch form; `form` pre-fills it (from the command text, or unchanged when coming Back). `errors` may be
    the domain's lazy Texts: they are said in `tr`'s language here."""
    shown = {field: tr.render(text) for field, text in (errors or {}).items()}
    orders = _order(tr)
    order = form.call_order if form.call_order in orders else "1"
    agent: dict[str, Any] = {"type": "external_select", "min_query_length": 0,
                             "placeholder": _text(tr.gettext("Search agents by name or e-mail"))}
    if form.agent:
        agent["initial_option"] = _option(form.agent)
    callers: dict[str, Any] = {"type": "multi_external_select", "min_query_length": 0,
                               "placeholder": _text(tr.gettext("Working CCC numbers"))}
    if form.callers:
        callers["initial_options"] = [_option(c) for c in form.callers]
    # The window's example is in the reader's language and is one the parser reads (tests/test_i18n.py).
    window_hint = (tr.gettext("In your own words; read in your time zone ({tz}).", tz=tz) if tz else
                   tr.gettext("In your own words; read in your Slack time zone."))
    fields: list[list[Block]] = [
        _input("name", tr.gettext("Campaign name"), _plain(form.name, tr.gettext("e.g. Q1 renewal push")),
               error=shown.get("name")),
        _input("agent", tr.gettext("Agent"), agent, hint=tr.gettext("The CCC agent who will make the calls."),
               error=shown.get("agent")),
        _input("callees", tr.gettext("Numbers to call"),
               _plain(form.callees, "+8613012345678\n13012345679", multiline=True),
               hint=tr.gettext("One per line; commas and spaces are fine too. Numbers without a country code are "
                               "read as numbers of {region}.", region=region_label(region)),
               optional=True, error=shown.get("callees")),
        _input("callees_file", tr.gettext("…or a file of numbers"), {"type": "file_input", "filetypes": ["csv", "txt"],
                                                                    "max_files": 1},
               hint=tr.gettext("CSV or text, up to 10 MB: the phone column is found by its header or by what it "
                               "holds."), optional=True, error=shown.get("callees_file")),
        _input("callers", tr.gettext("Caller numbers"), callers, hint=tr.gettext("Leave empty to let CCC choose."),
               optional=True, error=shown.get("callers")),
        _input("window", tr.gettext("When to call"),
               {**_plain(form.window[:MAX_WINDOW], tr.gettext("e.g. tomorrow 9am to 11:30am")),
                "max_length": MAX_WINDOW}, hint=window_hint, error=shown.get("window")),
        _input("concurrency", tr.gettext("Concurrent calls (1–20)"), _plain(form.concurrency or "1", "1"),
               hint=tr.gettext("Numbers CCC provides carry 1 channel by default."), error=shown.get("concurrency")),
        _input("call_order", tr.gettext("Call order"), {
            "type": "static_select",
            "options": [_option(value, label) for value, label in orders.items()],
            "initial_option": _option(order, orders[order]),
        }, error=shown.get("call_order")),
        _input("uui", tr.gettext("Custom data (UUI)"),
               _plain(form.uui, tr.gettext("Passed to the agent with each call")), optional=True,
               error=shown.get("uui")),
    ]
    return {
        "type": "modal", "callback_id": ids.FORM, "title": _text(tr.gettext("Dial campaign")),
        "submit": _text(tr.gettext("Preview")), "close": _text(tr.gettext("Cancel")),
        "private_metadata": json.dumps(metadata.to_dict()), "blocks": [block for field in fields for block in field],
    }


def checking(metadata: Metadata, tr: Translator) -> View:
    """Shown at once while an uploaded file is read (a large one cannot be read inside Slack's 3 seconds)."""
    return {"type": "modal", "callback_id": ids.CHECKING, "title": _text(tr.gettext("Dial campaign")),
            "close": _text(tr.gettext("Cancel")), "private_metadata": json.dumps(metadata.to_dict()),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":hourglass_flowing_sand: "
                                                    + tr.gettext("Checking your numbers…")}}]}


def _some(items: list[str], tr: Translator, shown: int = 10) -> str:
    """A list that cannot outgrow a section's 3,000 characters."""
    listed = escape(", ".join(items[:shown]))
    if len(items) <= shown:
        return listed
    return tr.gettext("{listed} and {n} more", listed=listed, n=tr.number(len(items) - shown))


def preview(draft: CampaignDraft, *, metadata: Metadata, warnings: Sequence[str], tr: Translator,
            compliance: Block | None = None) -> View:
    """What will happen, exactly, before it happens: Launch sends it, Back returns to the form unchanged.
    `warnings` may be the domain's lazy Texts."""
    dropped = []
    if draft.duplicates:
        dropped.append(tr.ngettext("{n} duplicate removed", "{n} duplicates removed", draft.duplicates))
    if draft.invalid:
        examples = escape(tr.comma.join(tr.render(located(e)) for e in draft.invalid_examples[:3]))
        dropped.append(tr.ngettext("{n} invalid row skipped: {examples}", "{n} invalid rows skipped: {examples}",
                                   draft.invalid, examples=examples + ("…" if draft.invalid > 3 else "")))
    callers = _some(draft.callers, tr) if draft.callers else tr.gettext("chosen by CCC")
    count = tr.number(len(draft.callees))
    lines = [
        f"*{escape(draft.name)}*",
        tr.gettext("*Agent:* {agent}", agent=escape(draft.agent)),
        tr.gettext("*When:* {start} → {end}", start=date_token(draft.start), end=date_token(draft.end)),
        tr.gettext("*In your time zone:* {window} · runs {duration}",
                   window=local_label(draft.start, draft.end, draft.tz, tr),
                   duration=tr.duration(draft.end - draft.start)),
        *(f":mag: {escape(reading)}" for reading in draft.readings),  # how the window was read, so it can be fixed
        (tr.gettext("*Numbers to call:* {count} ({dropped})", count=count, dropped=tr.comma.join(dropped))
         if dropped else tr.gettext("*Numbers to call:* {count}", count=count)),
        tr.gettext("*Callers:* {callers}", callers=callers),
        tr.gettext("*Call order:* {order} · *Concurrent calls:* {concurrency}",
                   order=_order(tr)[str(draft.call_order)], concurrency=tr.number(draft.concurrency)),
    ]
    if draft.uui:
        lines.append(tr.gettext("*Custom data:* {uui}", uui=escape(draft.uui[:200])))
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
    if compliance:
        blocks.append(compliance)
    if warnings:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": ":warning: " + tr.render(w)} for w in warnings[:10]]})
    blocks.append({"type": "actions", "elements": [
        {"type": "button", "action_id": ids.BACK, "text": _text(tr.gettext("Back to the form")), "value": "back"}]})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": tr.gettext("Nothing has been sent yet. *Launch* creates the campaign in CCC.")}]})
    return {
        "type": "modal", "callback_id": ids.PREVIEW, "title": _text(tr.gettext("Check and launch")),
        "submit": _text(tr.gettext("Launch")), "close": _text(tr.gettext("Cancel")),
        "private_metadata": json.dumps(metadata.to_dict()), "blocks": blocks,
    }


def notice(title: str, text: str, tr: Translator) -> View:
    """A short modal in `tr`'s language; `title` and `text` may be the domain's lazy Texts."""
    return {"type": "modal", "title": _text(tr.render(title)[:24]), "close": _text(tr.gettext("Close")),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": tr.render(text)}}]}


def launching(metadata: Metadata, tr: Translator) -> View:
    """What the person sees the moment they press Launch: Slack has its answer, the bot does the rest."""
    return {"type": "modal", "callback_id": ids.LAUNCHING, "title": _text(tr.gettext("Launching…")),
            "close": _text(tr.gettext("Close")), "private_metadata": json.dumps(metadata.to_dict()),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":hourglass_flowing_sand: " + tr.gettext(
                "Checking and sending it to CCC. The result appears here and in the channel's thread; you can close "
                "this.")}}]}


def launched(outcome: Outcome | None, name: str, tr: Translator) -> View:
    """The modal after a Launch: the outcome in brief (the thread has the detail)."""
    shown = escape(name)
    if outcome is None:
        return notice(tr.gettext("Not launched"), tr.gettext(
            "*{name}* was not sent now — the bot has told you why in a message.", name=shown), tr)
    if outcome.status == "created":
        return notice(tr.gettext("Launched"), ":white_check_mark: " + tr.gettext(
            "*{name}* was created in CCC — CampaignId *{campaign_id}*. The channel's thread has the details.",
            name=shown, campaign_id=outcome.campaign_id), tr)
    summary = escape(tr.render(outcome.summary))
    if outcome.status == "unknown":
        return notice(tr.gettext("Outcome unknown"), f":warning: *{shown}*: {summary}", tr)
    return notice(tr.gettext("Not created"), ":x: " + tr.gettext("*{name}* was not created. {summary}", name=shown,
                                                                 summary=summary), tr)


def again(view: dict[str, Any], note: str, tr: Translator) -> View:
    """The same modal shown again (so its button can be pressed again), with why the last press did nothing (`note`
    may be a lazy Text)."""
    keys = ("type", "callback_id", "title", "submit", "close", "private_metadata")
    kept: dict[str, Any] = {k: view[k] for k in keys if k in view}
    warning = {"type": "context", "elements": [{"type": "mrkdwn", "text": f":warning: *{tr.render(note)}*"}]}
    return {**kept, "blocks": [warning, *[b for b in view.get("blocks", []) if b.get("type") != "input"]][:100]}
