"""A campaign's card (the thread's parent message), its buttons, its thread notes, and the found-it modal: pure
functions from a domain LiveCampaign to Block Kit dicts, each in the Translator's language (a card is a channel's:
the workspace's language, else the launcher's)."""

from __future__ import annotations

from typing import Any

from bot.campaign.draft import CampaignDraft
from bot.campaign.state import LiveCampaign, progress_bar
from bot.campaign.tracking import Event
from bot.i18n import Translator
from bot.slack import ids
from bot.slack.format import clock_token, date_token, escape

Message = dict[str, Any]
Block = dict[str, Any]


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _called(c: LiveCampaign, tr: Translator) -> str:
    return tr.ngettext("{called} of {n} number called", "{called} of {n} numbers called", c.total,
                       called=tr.number(c.called))


def state_words(c: LiveCampaign, tr: Translator) -> str:
    """The state in words, as the card, status, list and App Home say it."""
    called = tr.number(c.called)
    if c.phase == "launching":
        return ":hourglass_flowing_sand: " + tr.gettext("*Launching…*")
    if c.phase == "scheduled":
        return ":calendar: " + tr.gettext("*Scheduled* — starts by itself {start}", start=date_token(c.start))
    if c.phase == "calling":
        return ":loud_sound: " + tr.ngettext("*Calling* — {called} of {n} number called",
                                             "*Calling* — {called} of {n} numbers called", c.total,
                                             called=called) + f"  `{progress_bar(c.called, c.total)}`"
    if c.phase == "finished":
        return ":white_check_mark: " + tr.ngettext("*Finished* — {called} of {n} number called",
                                                   "*Finished* — {called} of {n} numbers called", c.total,
                                                   called=called)
    if c.phase == "stopped":
        who = (tr.gettext("by {user} {when}", user=f"<@{c.stopped_by}>", when=date_token(c.stopped_at))
               if c.stopped_by and c.stopped_at else tr.gettext("outside Slack (in the CCC console)"))
        return ":octagonal_sign: " + tr.ngettext("*Stopped* {who} — {called} of {n} number called",
                                                 "*Stopped* {who} — {called} of {n} numbers called", c.total,
                                                 who=who, called=called)
    if c.phase == "not_created":
        # `why` is the English summary the store kept: our own sentences are their msgids, so gettext finds them.
        why = escape(tr.gettext(c.why)) if c.why else tr.gettext("CCC refused it.")
        return ":x: " + tr.gettext("*Not created* — {why}", why=why)
    return ":warning: " + tr.gettext(
        "*Outcome unknown* — CCC did not confirm it: it may or may not exist. Check the CCC console before launching "
        "again; if you find it there, tell me its CampaignId.")


def stop_confirm(name: str, campaign_id: int | None, not_called: int | None, tr: Translator) -> dict[str, Any]:
    """Slack's own confirm dialog before any Stop is sent: it names the campaign and what is left uncalled."""
    left = (tr.ngettext("{n} number not yet called.", "{n} numbers not yet called.", not_called)
            if not_called is not None else tr.gettext("the numbers it has not called yet stay uncalled."))
    shown = escape(_short(name, 120))
    text = (tr.gettext("*{name}* (CampaignId {campaign_id}) stops calling: {left}", name=shown,
                       campaign_id=campaign_id, left=left) if campaign_id is not None else
            tr.gettext("*{name}* stops calling: {left}", name=shown, left=left))
    return {"title": _plain(tr.gettext("Stop this campaign?")), "text": _mrkdwn(_short(text, 300)),
            "confirm": _plain(tr.gettext("Stop calling")), "deny": _plain(tr.gettext("Keep it running")),
            "style": "danger"}


def stop_button(c: LiveCampaign, tr: Translator) -> dict[str, Any]:
    """Stop, with Slack's own confirm naming the campaign and how many numbers are not yet called."""
    return {"type": "button", "action_id": ids.CAMPAIGN_STOP, "value": str(c.ref), "style": "danger",
            "text": _plain(tr.gettext("Stop")), "confirm": stop_confirm(c.name, c.campaign_id, c.not_called, tr)}


def _buttons(c: LiveCampaign, tr: Translator) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    if c.phase in ("scheduled", "calling", "finished", "stopped"):
        buttons.append({"type": "button", "action_id": ids.CAMPAIGN_REFRESH, "value": str(c.ref),
                        "text": _plain(tr.gettext("Refresh"))})
    if c.stoppable:
        buttons.append(stop_button(c, tr))
    if c.phase == "unknown":
        buttons.append({"type": "button", "action_id": ids.CAMPAIGN_FOUND, "value": str(c.ref),
                        "text": _plain(tr.gettext("I found it in the console"))})
    return buttons


def card(c: LiveCampaign, tr: Translator) -> Message:
    """The parent message: name, CampaignId once created, agent, window, count, state — and what can be done."""
    title = f":telephone_receiver: *{escape(c.name)}*"
    if c.campaign_id is not None:
        title += f" · CampaignId *{c.campaign_id}*"
    facts = tr.ngettext("Agent {agent} · {n} number · {start} → {end} · launched by {user}",
                        "Agent {agent} · {n} numbers · {start} → {end} · launched by {user}", c.total,
                        agent=escape(c.agent), start=date_token(c.start), end=date_token(c.end),
                        user=f"<@{c.launcher}>")
    state = state_words(c, tr)
    blocks: list[Block] = [{"type": "section", "text": _mrkdwn(f"{title}\n{facts}")},
                           {"type": "section", "text": _mrkdwn(state)}]
    support = " · ".join(p for p in (
        tr.gettext("Error code `{code}`", code=c.code) if c.code and c.phase != "scheduled" else "",
        f"RequestId `{c.request_id}`" if c.request_id else "",
        tr.gettext("checked {time}", time=date_token(c.checked_at, "{time}")) if c.checked_at else "") if p)
    if support:
        blocks.append({"type": "context", "elements": [_mrkdwn(support)]})
    buttons = _buttons(c, tr)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"campaign_{c.ref}", "elements": buttons})
    return {"text": f"{title} {facts} — {state}"[:3000], "blocks": blocks}


def note(c: LiveCampaign, event: Event, tr: Translator) -> Message:
    """A thread reply: who stopped it and when, how it ended (mentioning the requester), who reconciled it."""
    span = f"{clock_token(c.start, c.tz)}–{clock_token(c.ended_at or event.at, c.tz)}"
    counts = _called(c, tr)
    if event.kind == "stopped":
        text = ":octagonal_sign: " + tr.gettext("Stopped by {user} {when}: {counts}.", user=f"<@{event.by}>",
                                                 when=date_token(event.at), counts=counts)
    elif event.kind == "finished":
        text = tr.gettext("{user} Finished: {counts}, {span}", user=f"<@{c.launcher}>", counts=counts, span=span)
    elif event.kind == "stopped_outside":
        text = tr.gettext("{user} Stopped outside Slack (in the CCC console): {counts}, {span}",
                          user=f"<@{c.launcher}>", counts=counts, span=span)
    else:
        text = ":mag: " + tr.gettext("{user} found it in the CCC console: CampaignId *{campaign_id}*. I am watching "
                                     "it from now on.", user=f"<@{event.by}>", campaign_id=c.campaign_id)
    return {"text": text, "blocks": [{"type": "section", "text": _mrkdwn(text)}]}


def found_modal(c: LiveCampaign, tr: Translator, problem: str = "") -> dict[str, Any]:
    """Asks for the CampaignId a person found in the console; checked against what was sent before it counts.
    `problem` may be a lazy Text."""
    blocks: list[Block] = [
        {"type": "section", "text": _mrkdwn(tr.gettext(
            "Which CampaignId does the CCC console show for *{name}* ({start} → {end})? I will check its name and "
            "window with CCC before recording it.", name=escape(c.name), start=date_token(c.start),
            end=date_token(c.end)))},
        {"type": "input", "block_id": ids.FOUND_ID, "label": _plain("CampaignId"),
         "element": {"type": "plain_text_input", "action_id": ids.FOUND_ID, "max_length": 20,
                     "placeholder": _plain(tr.gettext("e.g. 1004"))}},
    ]
    if problem:
        blocks.append({"type": "context", "elements": [_mrkdwn(f":warning: *{tr.render(problem)}*")]})
    return {"type": "modal", "callback_id": ids.FOUND, "private_metadata": str(c.ref),
            "title": _plain(tr.gettext("Found in the console")), "submit": _plain(tr.gettext("Check it")),
            "close": _plain(tr.gettext("Cancel")), "blocks": blocks}


def launching(draft: CampaignDraft, user_id: str, tr: Translator) -> Message:
    """The card as it is first posted, before CCC has answered (then it is updated with the outcome)."""
    c = LiveCampaign(ref=0, team_id="", launcher=user_id, channel_id="", thread_ts=None, name=draft.name,
                     agent=draft.agent, tz=draft.tz, start=draft.start, end=draft.end, total=len(draft.callees),
                     phase="launching")
    return card(c, tr)
