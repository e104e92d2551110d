"""Block Kit for the do-not-call list and the compliance summary: pure functions returning dicts."""

from __future__ import annotations

import json
from typing import Any

from bot.campaign.compliance import summary_lines
from bot.campaign.dnc_ports import DncEntry, Running
from bot.campaign.numbers import mask
from bot.slack import ids
from bot.slack.cards import stop_confirm
from bot.slack.format import date_token, escape, plural

Message = dict[str, Any]
Block = dict[str, Any]
STOP = "campaign_stop"  # issue 9's Stop: value is the campaign's store id; Slack confirms, its handler aborts

HELP = """*/dialcampaign dnc* — the do-not-call list of this workspace (numbers on it are never called).
• `/dialcampaign dnc add <numbers…> [reason]` puts numbers on the list, e.g. `dnc add 13012345670 asked us to stop`.
• `/dialcampaign dnc remove <numbers…>` takes them off.
• `/dialcampaign dnc check <number>` says whether a number is on it, and why.
• `/dialcampaign dnc upload` opens a form for a CSV of numbers (optional `reason` and `expires` columns, up to 10 MB).
Only the do-not-call admins may change the list; everyone who may launch may check it."""


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def help_message() -> Message:
    return {"response_type": "ephemeral", "text": HELP}


def running_blocks(running: list[Running]) -> list[Block]:
    """Each running campaign that calls a listed number, with its Stop: CCC cannot drop one number from it."""
    blocks: list[Block] = []
    for campaign in running[:20]:
        which = f"CampaignId {campaign.campaign_id}" if campaign.campaign_id else "no CampaignId"
        shown = ", ".join(mask(n) for n in campaign.numbers[:5]) + ("…" if len(campaign.numbers) > 5 else "")
        blocks.append(_section(
            f":warning: *{escape(campaign.name)}* ({which}, launched by <@{campaign.user_id}>) is still running and "
            f"calls {shown}. CCC cannot drop one number from a running campaign — stop it if they must not be "
            "called."))
        blocks.append({"type": "actions", "elements": [{
            "type": "button", "action_id": STOP, "value": str(campaign.ref), "style": "danger",
            "text": {"type": "plain_text", "text": f"Stop {campaign.name}"[:75], "emoji": True},
            "confirm": stop_confirm(campaign.name, campaign.campaign_id, None)}]})
    return blocks


def _answer(text: str, extra: list[Block] | None = None) -> Message:
    return {"response_type": "ephemeral", "text": text, "blocks": [_section(text), *(extra or [])]}


def added(numbers: list[str], reason: str, invalid: list[str], running: list[Running]) -> Message:
    text = f":no_entry_sign: {plural(len(numbers), 'number')} on the do-not-call list"
    text += f" ({escape(reason)})" if reason else ""
    text += ": " + ", ".join(numbers[:10]) + ("…" if len(numbers) > 10 else "") + "."
    if invalid:
        text += f" Not a phone number, so not added: {escape(', '.join(invalid[:5]))}."
    text += " Campaigns launched from now on will not call them."
    return _answer(text, running_blocks(running))


def removed(numbers: list[str], not_listed: list[str]) -> Message:
    parts = []
    if numbers:
        parts.append(f"Taken off the do-not-call list: {', '.join(numbers[:10])}" + ("…" if len(numbers) > 10 else ""))
    if not_listed:
        parts.append(f"Not on the list: {', '.join(not_listed[:10])}")
    return _answer(". ".join(parts) + ".")


def checked(number: str, entry: DncEntry | None, running: list[Running]) -> Message:
    if entry is None:
        return _answer(f"{number} is not on the do-not-call list: campaigns may call it.", running_blocks(running))
    why = f" — “{escape(entry.reason)}”" if entry.reason else ""
    until = f", until {date_token(entry.expires_at)}" if entry.expires_at else ""
    return _answer(f":no_entry_sign: {number} is on the do-not-call list{why}: added by <@{entry.added_by}> on "
                   f"{date_token(entry.added_at)}{until}. No campaign will call it.", running_blocks(running))


def problem(text: str) -> Message:
    return {"response_type": "ephemeral", "text": f":warning: {text}"}


def refused(text: str) -> Message:
    return {"response_type": "ephemeral", "text": f":no_entry: {text}"}


def upload_form(metadata: dict[str, str], *, error: str | None = None) -> dict[str, Any]:
    blocks: list[Block] = [
        _section("Numbers in the file go on the do-not-call list. A `reason` column and an `expires` column "
                 "(e.g. 2026-12-31, read in your time zone) are used when present."),
        {"type": "input", "block_id": ids.DNC_FILE, "label": {"type": "plain_text", "text": "CSV of numbers"},
         "element": {"type": "file_input", "action_id": ids.DNC_FILE, "filetypes": ["csv", "txt"], "max_files": 1},
         "hint": {"type": "plain_text", "text": "Up to 10 MB; the phone column is found by its header or by what it "
                                                "holds, as for numbers to call."}},
        {"type": "input", "block_id": ids.DNC_REASON, "optional": True,
         "label": {"type": "plain_text", "text": "Reason (for rows without one)"},
         "element": {"type": "plain_text_input", "action_id": ids.DNC_REASON, "max_length": 500}},
    ]
    if error:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f":warning: *{escape(error)}*"}]})
    return {"type": "modal", "callback_id": ids.DNC_UPLOAD, "title": {"type": "plain_text", "text": "Do-not-call list"},
            "submit": {"type": "plain_text", "text": "Add to the list"},
            "close": {"type": "plain_text", "text": "Cancel"}, "private_metadata": json.dumps(metadata),
            "blocks": blocks}


def uploaded(count: int, problems: list[str], skipped: int, running: list[Running]) -> dict[str, Any]:
    text = f":no_entry_sign: {plural(count, 'number')} from the file on the do-not-call list."
    if skipped:
        text += f"\n{plural(skipped, 'row')} skipped: " + "; ".join(escape(p) for p in problems[:5])
        text += "…" if skipped > 5 else ""
    return {"type": "modal", "title": {"type": "plain_text", "text": "Do-not-call list"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": [_section(text), *running_blocks(running)]}


def compliance(removed: dict[str, list[str]], cap: int, *, hours_checked: bool) -> Block:
    """The preview's one summary: every reason, with its count, so nothing is removed silently."""
    total = sum(len(v) for v in removed.values())
    head = (f"*Compliance:* {plural(total, 'number')} removed before launch" if total
            else "*Compliance:* nothing removed")
    return _section("\n".join([head, *("• " + line for line in summary_lines(removed, cap,
                                                                             hours_checked=hours_checked))]))


def _shown(masked: list[str]) -> str:
    return ", ".join(masked[:3]) + ("…" if len(masked) > 3 else "")


def late_removal(name: str, masked: list[str], *, everything: bool, capped: list[str] | None = None,
                 cap: int = 5) -> Message:
    """Told to the launcher when Launch's re-check took out numbers put on the list after the preview, or brought
    to the frequency cap by other launches since."""
    parts = []
    if masked:
        parts.append(f"{plural(len(masked), 'number')} put on the do-not-call list after the preview "
                     f"{'was' if len(masked) == 1 else 'were'} removed before sending ({_shown(masked)})")
    if capped:
        parts.append(f"{plural(len(capped), 'number')} already in {cap} campaigns within 24 hours through launches "
                     f"since the preview (at most {cap} calls a day per number) "
                     f"{'was' if len(capped) == 1 else 'were'} removed before sending ({_shown(capped)})")
    text = (f":no_entry_sign: *{escape(name)}*: {'; '.join(parts)}; "
            + ("no number was left, so nothing was sent to CCC." if everything else "they will not be called."))
    return {"text": text}


def checking(metadata: dict[str, str]) -> dict[str, Any]:
    return {"type": "modal", "callback_id": ids.DNC_UPLOAD, "title": {"type": "plain_text", "text": "Do-not-call list"},
            "close": {"type": "plain_text", "text": "Cancel"}, "private_metadata": json.dumps(metadata),
            "blocks": [_section(":hourglass_flowing_sand: Reading the numbers…")]}


def uploaded_refused(text: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Not added"},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": [_section(f":no_entry: {text}")]}
