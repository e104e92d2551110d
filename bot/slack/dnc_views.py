"""Block Kit for the do-not-call list and the compliance summary: pure functions returning dicts, each in the
Translator's language."""

from __future__ import annotations

import json
from typing import Any

from bot.campaign.compliance import summary_lines
from bot.campaign.dnc_ports import DncEntry, Running
from bot.campaign.numbers import mask
from bot.i18n import Translator
from bot.slack import ids
from bot.slack.cards import stop_confirm
from bot.slack.format import date_token, escape

Message = dict[str, Any]
Block = dict[str, Any]
STOP = "campaign_stop"  # issue 9's Stop: value is the campaign's store id; Slack confirms, its handler aborts


def help_text(tr: Translator) -> str:
    return "\n".join([
        tr.gettext("*/dialcampaign dnc* — the do-not-call list of this workspace (numbers on it are never called)."),
        "• " + tr.gettext("`/dialcampaign dnc add <numbers…> [reason]` puts numbers on the list, e.g. `dnc add "
                          "13012345670 asked us to stop`."),
        "• " + tr.gettext("`/dialcampaign dnc remove <numbers…>` takes them off."),
        "• " + tr.gettext("`/dialcampaign dnc check <number>` says whether a number is on it, and why."),
        "• " + tr.gettext("`/dialcampaign dnc upload` opens a form for a CSV of numbers (optional `reason` and "
                          "`expires` columns, up to 10 MB)."),
        tr.gettext("Only the do-not-call admins may change the list; everyone who may launch may check it."),
    ])


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def help_message(tr: Translator) -> Message:
    return {"response_type": "ephemeral", "text": help_text(tr)}


def running_blocks(running: list[Running], tr: Translator) -> list[Block]:
    """Each running campaign that calls a listed number, with its Stop: CCC cannot drop one number from it."""
    blocks: list[Block] = []
    for campaign in running[:20]:
        which = f"CampaignId {campaign.campaign_id}" if campaign.campaign_id else tr.gettext("no CampaignId")
        shown = ", ".join(mask(n) for n in campaign.numbers[:5]) + ("…" if len(campaign.numbers) > 5 else "")
        blocks.append(_section(":warning: " + tr.gettext(
            "*{name}* ({which}, launched by {user}) is still running and calls {numbers}. CCC cannot drop one number "
            "from a running campaign — stop it if they must not be called.", name=escape(campaign.name),
            which=which, user=f"<@{campaign.user_id}>", numbers=shown)))
        blocks.append({"type": "actions", "elements": [{
            "type": "button", "action_id": STOP, "value": str(campaign.ref), "style": "danger",
            "text": {"type": "plain_text", "text": tr.gettext("Stop {name}", name=campaign.name)[:75],
                     "emoji": True},
            "confirm": stop_confirm(campaign.name, campaign.campaign_id, None, tr)}]})
    return blocks


def _answer(text: str, extra: list[Block] | None = None) -> Message:
    return {"response_type": "ephemeral", "text": text, "blocks": [_section(text), *(extra or [])]}


def added(numbers: list[str], reason: str, invalid: list[str], running: list[Running], tr: Translator) -> Message:
    listed = ", ".join(numbers[:10]) + ("…" if len(numbers) > 10 else "")
    if reason:
        text = tr.ngettext("{n} number on the do-not-call list ({reason}): {numbers}.",
                           "{n} numbers on the do-not-call list ({reason}): {numbers}.", len(numbers),
                           reason=escape(reason), numbers=listed)
    else:
        text = tr.ngettext("{n} number on the do-not-call list: {numbers}.",
                           "{n} numbers on the do-not-call list: {numbers}.", len(numbers), numbers=listed)
    if invalid:
        text += " " + tr.gettext("Not a phone number, so not added: {entries}.",
                                 entries=escape(", ".join(invalid[:5])))
    text += " " + tr.gettext("Campaigns launched from now on will not call them.")
    return _answer(":no_entry_sign: " + text, running_blocks(running, tr))


def removed(numbers: list[str], not_listed: list[str], tr: Translator) -> Message:
    parts = []
    if numbers:
        parts.append(tr.gettext("Taken off the do-not-call list: {numbers}.",
                                numbers=", ".join(numbers[:10]) + ("…" if len(numbers) > 10 else "")))
    if not_listed:
        parts.append(tr.gettext("Not on the list: {numbers}.", numbers=", ".join(not_listed[:10])))
    return _answer(" ".join(parts))


def checked(number: str, entry: DncEntry | None, running: list[Running], tr: Translator) -> Message:
    if entry is None:
        return _answer(tr.gettext("{number} is not on the do-not-call list: campaigns may call it.", number=number),
                       running_blocks(running, tr))
    added_on = tr.gettext("added by {user} on {date}", user=f"<@{entry.added_by}>", date=date_token(entry.added_at))
    if entry.expires_at:
        added_on = tr.gettext("{added}, until {date}", added=added_on, date=date_token(entry.expires_at))
    if entry.reason:
        text = tr.gettext("{number} is on the do-not-call list — “{reason}”: {added}. No campaign will call it.",
                          number=number, reason=escape(entry.reason), added=added_on)
    else:
        text = tr.gettext("{number} is on the do-not-call list: {added}. No campaign will call it.", number=number,
                          added=added_on)
    return _answer(":no_entry_sign: " + text, running_blocks(running, tr))


def problem(text: str, tr: Translator) -> Message:
    """`text` may be a lazy Text."""
    return {"response_type": "ephemeral", "text": f":warning: {tr.render(text)}"}


def refused(text: str, tr: Translator) -> Message:
    return {"response_type": "ephemeral", "text": f":no_entry: {tr.render(text)}"}


def upload_form(metadata: dict[str, str], tr: Translator, *, error: str | None = None) -> dict[str, Any]:
    blocks: list[Block] = [
        _section(tr.gettext("Numbers in the file go on the do-not-call list. A `reason` column and an `expires` "
                            "column (e.g. 2026-12-31, read in your time zone) are used when present.")),
        {"type": "input", "block_id": ids.DNC_FILE, "label": _plain(tr.gettext("CSV of numbers")),
         "element": {"type": "file_input", "action_id": ids.DNC_FILE, "filetypes": ["csv", "txt"], "max_files": 1},
         "hint": _plain(tr.gettext("Up to 10 MB; the phone column is found by its header or by what it holds, as "
                                   "for numbers to call."))},
        {"type": "input", "block_id": ids.DNC_REASON, "optional": True,
         "label": _plain(tr.gettext("Reason (for rows without one)")),
         "element": {"type": "plain_text_input", "action_id": ids.DNC_REASON, "max_length": 500}},
    ]
    if error:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f":warning: *{escape(tr.render(error))}*"}]})
    return {"type": "modal", "callback_id": ids.DNC_UPLOAD, "title": _plain(tr.gettext("Do-not-call list")),
            "submit": _plain(tr.gettext("Add to the list")), "close": _plain(tr.gettext("Cancel")),
            "private_metadata": json.dumps(metadata), "blocks": blocks}


def uploaded(count: int, problems: list[str], skipped: int, running: list[Running], tr: Translator) -> dict[str, Any]:
    text = ":no_entry_sign: " + tr.ngettext("{n} number from the file on the do-not-call list.",
                                            "{n} numbers from the file on the do-not-call list.", count)
    if skipped:
        text += "\n" + tr.ngettext("{n} row skipped: {problems}", "{n} rows skipped: {problems}", skipped,
                                   problems="; ".join(escape(tr.render(p)) for p in problems[:5]))
        text += "…" if skipped > 5 else ""
    return {"type": "modal", "title": _plain(tr.gettext("Do-not-call list")), "close": _plain(tr.gettext("Close")),
            "blocks": [_section(text), *running_blocks(running, tr)]}


def compliance(removed: dict[str, list[str]], cap: int, tr: Translator, *, hours_checked: bool) -> Block:
    """The preview's one summary: every reason, with its count, so nothing is removed silently."""
    total = sum(len(v) for v in removed.values())
    head = (tr.ngettext("*Compliance:* {n} number removed before launch",
                        "*Compliance:* {n} numbers removed before launch", total) if total
            else tr.gettext("*Compliance:* nothing removed"))
    return _section("\n".join([head, *("• " + tr.render(line) for line in summary_lines(
        removed, cap, hours_checked=hours_checked))]))


def _shown(masked: list[str]) -> str:
    return ", ".join(masked[:3]) + ("…" if len(masked) > 3 else "")


def late_removal(name: str, masked: list[str], tr: Translator, *, everything: bool,
                 capped: list[str] | None = None, cap: int = 5) -> Message:
    """Told to the launcher when Launch's re-check took out numbers put on the list after the preview, or brought
    to the frequency cap by other launches since."""
    parts = []
    if masked:
        parts.append(tr.ngettext("{n} number put on the do-not-call list after the preview was removed before sending "
                                 "({numbers})", "{n} numbers put on the do-not-call list after the preview were "
                                 "removed before sending ({numbers})", len(masked), numbers=_shown(masked)))
    if capped:
        parts.append(tr.ngettext(
            "{n} number already in {cap} campaigns within 24 hours through launches since the preview (at most {cap} "
            "calls a day per number) was removed before sending ({numbers})",
            "{n} numbers already in {cap} campaigns within 24 hours through launches since the preview (at most {cap} "
            "calls a day per number) were removed before sending ({numbers})", len(capped), cap=cap,
            numbers=_shown(capped)))
    outcome = (tr.gettext("no number was left, so nothing was sent to CCC.") if everything
               else tr.gettext("they will not be called."))
    text = ":no_entry_sign: " + tr.gettext("*{name}*: {removed}; {outcome}", name=escape(name),
                                           removed=tr.clauses(parts), outcome=outcome)
    return {"text": text}


def checking(metadata: dict[str, str], tr: Translator) -> dict[str, Any]:
    return {"type": "modal", "callback_id": ids.DNC_UPLOAD, "title": _plain(tr.gettext("Do-not-call list")),
            "close": _plain(tr.gettext("Cancel")), "private_metadata": json.dumps(metadata),
            "blocks": [_section(":hourglass_flowing_sand: " + tr.gettext("Reading the numbers…"))]}


def uploaded_refused(text: str, tr: Translator) -> dict[str, Any]:
    return {"type": "modal", "title": _plain(tr.gettext("Not added")), "close": _plain(tr.gettext("Close")),
            "blocks": [_section(f":no_entry: {tr.render(text)}")]}
