"""Answers to /dialcampaign status, stop and list, and App Home: pure functions from domain campaigns to Block Kit,
in the Translator's language (the person's own)."""

from __future__ import annotations

from typing import Any

from bot.campaign.state import LiveCampaign
from bot.i18n import Translator
from bot.slack import ids
from bot.slack.cards import card, state_words, stop_button
from bot.slack.format import escape

Message = dict[str, Any]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def ephemeral(text: str, tr: Translator) -> Message:
    """`text` may be a lazy Text (said in `tr`'s language) or words already said."""
    return {"response_type": "ephemeral", "text": tr.render(text)}


def status(c: LiveCampaign, tr: Translator) -> Message:
    return {"response_type": "ephemeral", **card(c, tr)}


def stop_offer(c: LiveCampaign, tr: Translator) -> Message:
    """`stop <CampaignId>` never aborts by itself: it offers the same Stop button, with the same confirm."""
    name = f"*{escape(c.name)}* (CampaignId {c.campaign_id})"
    state = state_words(c, tr)
    if not c.stoppable:
        return {"response_type": "ephemeral", "text": tr.gettext("{name} cannot be stopped: {state}", name=name,
                                                                 state=state),
                "blocks": [_section(tr.gettext("{name} cannot be stopped now.", name=name) + f"\n{state}")]}
    text = f"{name}\n{state}\n" + tr.gettext("Press *Stop* to stop it; Slack asks you to confirm first.")
    return {"response_type": "ephemeral", "text": tr.gettext("Stop {name}?", name=c.name), "blocks": [
        _section(text), {"type": "actions", "block_id": f"stop_{c.ref}", "elements": [stop_button(c, tr)]}]}


def listing(title: str, items: list[tuple[LiveCampaign, str | None]], empty: str, tr: Translator) -> Message:
    """Each campaign on one line: name, CampaignId, state and counts, and a link to its thread."""
    if not items:
        return ephemeral(empty, tr)
    lines = []
    for c, link in items[:20]:
        ident = f" · CampaignId {c.campaign_id}" if c.campaign_id is not None else ""
        thread = f" · <{link}|{tr.gettext('thread')}>" if link else ""
        lines.append(f"*{escape(c.name)}*{ident} · {state_words(c, tr)}{thread}")
    blocks = [_section(f"*{title}*")] + [_section(line[:3000]) for line in lines]
    return {"response_type": "ephemeral", "text": title, "blocks": blocks[:50]}


def _home_line(c: LiveCampaign, tr: Translator) -> list[dict[str, Any]]:
    ident = f" · CampaignId {c.campaign_id}" if c.campaign_id is not None else ""
    who = tr.gettext("{user} in {channel}", user=f"<@{c.launcher}>", channel=f"<#{c.channel_id}>")
    section: dict[str, Any] = _section(f"*{escape(c.name)}*{ident} · {who}\n{state_words(c, tr)}"[:3000])
    if c.stoppable:
        section["accessory"] = stop_button(c, tr)
    return [section]


def home_view(mine: list[LiveCampaign], team: list[LiveCampaign], tr: Translator) -> dict[str, Any]:
    """App Home: New campaign, then my campaigns and the team's recent ones with their state; Stop on those still
    running."""
    intro = tr.gettext("Launch a dialing campaign here or with `/dialcampaign` in any channel: pick the agent and "
                       "callers, paste numbers or attach a CSV, and say when in your own words (\"tomorrow 9am to "
                       "11:30\", \"明天上午9点到11点\"). Nothing is sent until you press *Launch*.")
    blocks: list[dict[str, Any]] = [
        _section(intro),
        {"type": "actions", "elements": [{"type": "button", "action_id": ids.HOME_NEW, "style": "primary",
                                          "text": {"type": "plain_text", "text": tr.gettext("New campaign")}}]},
        {"type": "header", "text": {"type": "plain_text", "text": tr.gettext("My campaigns")}},
    ]
    blocks += [b for c in mine for b in _home_line(c, tr)] or [
        _context(tr.gettext("You have not launched any yet."))]
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": tr.gettext("The team's recent campaigns")}})
    others = [c for c in team if c.ref not in {m.ref for m in mine}]
    blocks += [b for c in others for b in _home_line(c, tr)] or [
        _context(tr.gettext("None besides yours."))]
    return {"type": "home", "blocks": blocks[:100]}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
