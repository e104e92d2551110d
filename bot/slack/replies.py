"""Answers to /dialcampaign status, stop and list: pure functions from domain Campaigns to ephemeral messages."""

from __future__ import annotations

from typing import Any

from bot.campaign.state import LiveCampaign
from bot.slack import ids
from bot.slack.cards import card, state_words, stop_button
from bot.slack.format import escape

Message = dict[str, Any]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def ephemeral(text: str) -> Message:
    return {"response_type": "ephemeral", "text": text}


def status(c: LiveCampaign) -> Message:
    return {"response_type": "ephemeral", **card(c)}


def stop_offer(c: LiveCampaign) -> Message:
    """`stop <CampaignId>` never aborts by itself: it offers the same Stop button, with the same confirm."""
    name = f"*{escape(c.name)}* (CampaignId {c.campaign_id})"
    if not c.stoppable:
        return {"response_type": "ephemeral", "text": f"{name} cannot be stopped: {state_words(c)}",
                "blocks": [_section(f"{name} cannot be stopped now.\n{state_words(c)}")]}
    text = f"{name}\n{state_words(c)}\nPress *Stop* to stop it; Slack asks you to confirm first."
    return {"response_type": "ephemeral", "text": f"Stop {c.name}?", "blocks": [
        _section(text), {"type": "actions", "block_id": f"stop_{c.ref}", "elements": [stop_button(c)]}]}


def listing(title: str, items: list[tuple[LiveCampaign, str | None]], empty: str) -> Message:
    """Each campaign on one line: name, CampaignId, state and counts, and a link to its thread."""
    if not items:
        return ephemeral(empty)
    lines = []
    for c, link in items[:20]:
        ident = f" · CampaignId {c.campaign_id}" if c.campaign_id is not None else ""
        thread = f" · <{link}|thread>" if link else ""
        lines.append(f"*{escape(c.name)}*{ident} · {state_words(c)}{thread}")
    blocks = [_section(f"*{title}*")] + [_section(line[:3000]) for line in lines]
    return {"response_type": "ephemeral", "text": title, "blocks": blocks[:50]}


def _home_line(c: LiveCampaign) -> list[dict[str, Any]]:
    ident = f" · CampaignId {c.campaign_id}" if c.campaign_id is not None else ""
    section: dict[str, Any] = _section(f"*{escape(c.name)}*{ident} · <@{c.launcher}> in <#{c.channel_id}>\n"
                                       f"{state_words(c)}"[:3000])
    if c.stoppable:
        section["accessory"] = stop_button(c)
    return [section]


def home_view(mine: list[LiveCampaign], team: list[LiveCampaign]) -> dict[str, Any]:
    """App Home: New campaign, then my campaigns and the team's recent ones with their state; Stop on those still
    running."""
    intro = ("Launch a dialing campaign here or with `/dialcampaign` in any channel: pick the agent and callers, "
             "paste numbers or attach a CSV, and say when in your own words (\"tomorrow 9am to 11:30\", "
             "\"明天上午9点到11点\"). Nothing is sent until you press *Launch*.")
    blocks: list[dict[str, Any]] = [
        _section(intro),
        {"type": "actions", "elements": [{"type": "button", "action_id": ids.HOME_NEW, "style": "primary",
                                          "text": {"type": "plain_text", "text": "New campaign"}}]},
        {"type": "header", "text": {"type": "plain_text", "text": "My campaigns"}},
    ]
    blocks += [b for c in mine for b in _home_line(c)] or [_context("You have not launched any yet.")]
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": "The team's recent campaigns"}})
    others = [c for c in team if c.ref not in {m.ref for m in mine}]
    blocks += [b for c in others for b in _home_line(c)] or [_context("None besides yours.")]
    return {"type": "home", "blocks": blocks[:100]}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
