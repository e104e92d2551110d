"""A campaign's card (the thread's parent message), its buttons, its thread notes, and the found-it modal: pure
functions from a domain LiveCampaign to Block Kit dicts."""

from __future__ import annotations

from typing import Any

from bot.campaign.draft import CampaignDraft
from bot.campaign.state import LiveCampaign, progress_bar
from bot.campaign.tracking import Event
from bot.slack import ids
from bot.slack.format import clock_token, date_token, escape, plural

Message = dict[str, Any]
Block = dict[str, Any]


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def state_words(c: LiveCampaign) -> str:
    """The state in words, as the card, status, list and App Home say it."""
    if c.phase == "launching":
        return ":hourglass_flowing_sand: *Launching…*"
    if c.phase == "scheduled":
        return f":calendar: *Scheduled* — starts by itself {date_token(c.start)}"
    if c.phase == "calling":
        return (f":loud_sound: *Calling* — {c.called} of {plural(c.total, 'number')} called  "
                f"`{progress_bar(c.called, c.total)}`")
    if c.phase == "finished":
        return f":white_check_mark: *Finished* — {c.called} of {plural(c.total, 'number')} called"
    if c.phase == "stopped":
        who = f"by <@{c.stopped_by}> {date_token(c.stopped_at)}" if c.stopped_by and c.stopped_at else \
            "outside Slack (in the CCC console)"
        return f":octagonal_sign: *Stopped* {who} — {c.called} of {plural(c.total, 'number')} called"
    if c.phase == "not_created":
        return f":x: *Not created* — {escape(c.why) or 'CCC refused it.'}"
    return (":warning: *Outcome unknown* — CCC did not confirm it: it may or may not exist. Check the CCC console "
            "before launching again; if you find it there, tell me its CampaignId.")


def stop_confirm(name: str, campaign_id: int | None, not_called: int | None) -> dict[str, Any]:
    """Slack's own confirm dialog before any Stop is sent: it names the campaign and what is left uncalled."""
    which = f" (CampaignId {campaign_id})" if campaign_id is not None else ""
    left = f"{plural(not_called, 'number')} not yet called." if not_called is not None else \
        "the numbers it has not called yet stay uncalled."
    return {"title": _plain("Stop this campaign?"),
            "text": _mrkdwn(_short(f"*{escape(_short(name, 120))}*{which} stops calling: {left}", 300)),
            "confirm": _plain("Stop calling"), "deny": _plain("Keep it running"), "style": "danger"}


def stop_button(c: LiveCampaign) -> dict[str, Any]:
    """Stop, with Slack's own confirm naming the campaign and how many numbers are not yet called."""
    return {"type": "button", "action_id": ids.CAMPAIGN_STOP, "value": str(c.ref), "style": "danger",
            "text": _plain("Stop"), "confirm": stop_confirm(c.name, c.campaign_id, c.not_called)}


def _buttons(c: LiveCampaign) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    if c.phase in ("scheduled", "calling", "finished", "stopped"):
        buttons.append({"type": "button", "action_id": ids.CAMPAIGN_REFRESH, "value": str(c.ref),
                        "text": _plain("Refresh")})
    if c.stoppable:
        buttons.append(stop_button(c))
    if c.phase == "unknown":
        buttons.append({"type": "button", "action_id": ids.CAMPAIGN_FOUND, "value": str(c.ref),
                        "text": _plain("I found it in the console")})
    return buttons


def card(c: LiveCampaign) -> Message:
    """The parent message: name, CampaignId once created, agent, window, count, state — and what can be done."""
    title = f":telephone_receiver: *{escape(c.name)}*"
    if c.campaign_id is not None:
        title += f" · CampaignId *{c.campaign_id}*"
    facts = (f"Agent {escape(c.agent)} · {plural(c.total, 'number')} · {date_token(c.start)} → {date_token(c.end)}"
             f" · launched by <@{c.launcher}>")
    state = state_words(c)
    blocks: list[Block] = [{"type": "section", "text": _mrkdwn(f"{title}\n{facts}")},
                           {"type": "section", "text": _mrkdwn(state)}]
    support = " · ".join(p for p in (f"Error code `{c.code}`" if c.code and c.phase != "scheduled" else "",
                                     f"RequestId `{c.request_id}`" if c.request_id else "",
                                     f"checked {date_token(c.checked_at, '{time}')}" if c.checked_at else "") if p)
    if support:
        blocks.append({"type": "context", "elements": [_mrkdwn(support)]})
    buttons = _buttons(c)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"campaign_{c.ref}", "elements": buttons})
    return {"text": f"{title} {facts} — {state}"[:3000], "blocks": blocks}


def note(c: LiveCampaign, event: Event) -> Message:
    """A thread reply: who stopped it and when, how it ended (mentioning the requester), who reconciled it."""
    span = f"{clock_token(c.start, c.tz)}–{clock_token(c.ended_at or event.at, c.tz)}"
    counts = f"{c.called} of {plural(c.total, 'number')} called"
    if event.kind == "stopped":
        text = f":octagonal_sign: Stopped by <@{event.by}> {date_token(event.at)}: {counts}."
    elif event.kind == "finished":
        text = f"<@{c.launcher}> Finished: {counts}, {span}"
    elif event.kind == "stopped_outside":
        text = f"<@{c.launcher}> Stopped outside Slack (in the CCC console): {counts}, {span}"
    else:
        text = (f":mag: <@{event.by}> found it in the CCC console: CampaignId *{c.campaign_id}*. "
                "I am watching it from now on.")
    return {"text": text, "blocks": [{"type": "section", "text": _mrkdwn(text)}]}


def found_modal(c: LiveCampaign, problem: str = "") -> dict[str, Any]:
    """Asks for the CampaignId a person found in the console; checked against what was sent before it counts."""
    blocks: list[Block] = [
        {"type": "section", "text": _mrkdwn(f"Which CampaignId does the CCC console show for *{escape(c.name)}* "
                                            f"({date_token(c.start)} → {date_token(c.end)})? I will check its name "
                                            "and window with CCC before recording it.")},
        {"type": "input", "block_id": ids.FOUND_ID, "label": _plain("CampaignId"),
         "element": {"type": "plain_text_input", "action_id": ids.FOUND_ID, "max_length": 20,
                     "placeholder": _plain("e.g. 1004")}},
    ]
    if problem:
        blocks.append({"type": "context", "elements": [_mrkdwn(f":warning: *{problem}*")]})
    return {"type": "modal", "callback_id": ids.FOUND, "private_metadata": str(c.ref),
            "title": _plain("Found in the console"), "submit": _plain("Check it"), "close": _plain("Cancel"),
            "blocks": blocks}


def launching(draft: CampaignDraft, user_id: str) -> Message:
    """The card as it is first posted, before CCC has answered (then it is updated with the outcome)."""
    c = LiveCampaign(ref=0, team_id="", launcher=user_id, channel_id="", thread_ts=None, name=draft.name,
                     agent=draft.agent, tz=draft.tz, start=draft.start, end=draft.end, total=len(draft.callees),
                     phase="launching")
    return card(c)
