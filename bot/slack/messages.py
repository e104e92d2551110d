"""Channel and ephemeral messages: pure functions returning text and blocks."""

from __future__ import annotations

from typing import Any

from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import Campaign, Outcome
from bot.slack.format import date_token, escape

Message = dict[str, Any]

HELP = """*/dialcampaign* — launch a Tencent CCC agent cruise dialing campaign from Slack, and follow it.
• `/dialcampaign` opens the form: agent, numbers to call, caller numbers, and when to call in your own words \
("tomorrow 9am to 11:30", "明天上午9点到11点", "Friday 2-5pm", "tomorrow 9am for 2 hours").
• `/dialcampaign agent@example.com tomorrow 9-11` opens it pre-filled.
• You see a preview of exactly what will happen; nothing is sent until you press *Launch*.
• The campaign's card is posted in this channel and kept current (Scheduled, Calling, Finished, Stopped); its thread \
is its history. *Refresh* asks CCC now, *Stop* stops it.
• `/dialcampaign status <CampaignId or name>` (状态) — where a campaign is now.
• `/dialcampaign stop <CampaignId>` (停止) — a Stop button for it (you confirm before anything stops).
• `/dialcampaign list` (列表) — this channel's recent campaigns; `/dialcampaign list mine` — yours.
• `/dialcampaign dnc` manages the do-not-call list (numbers no campaign will call).
• `/dialcampaign help` (帮助) shows this."""


def help_message() -> Message:
    return {"response_type": "ephemeral", "text": HELP}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def outcome(result: Outcome, draft: CampaignDraft) -> Message:
    """The thread reply: the CampaignId, or what went wrong in words, always with the code and RequestId."""
    name, summary = escape(draft.name), escape(result.summary)  # CCC's message can echo what was typed
    support = " · ".join(part for part in (f"Error code `{escape(result.code)}`" if result.code else "",
                                            f"RequestId `{escape(result.request_id)}`" if result.request_id else "")
                         if part)
    if result.status == "created":
        text = (f":white_check_mark: *{name}* was created in CCC — CampaignId *{result.campaign_id}*. "
                f"It starts by itself at {date_token(draft.start)}.")
        support = f"RequestId `{escape(result.request_id)}`" if result.request_id else ""
    elif result.status == "unknown":
        text = f":warning: *{name}*: {summary}"
    else:
        text = f":x: *{name}* was not created. {summary}"
    blocks = [_section(text)]
    if support:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": support}]})
    return {"text": f"{text} {support}".strip(), "blocks": blocks}


def orphaned(campaign: Campaign) -> Message:
    """The reply a launch gets when the bot stopped while sending it: nobody knows whether CCC created it."""
    text = (f":warning: *{escape(campaign.name)}*: the bot stopped while sending this campaign to CCC, so it does "
            "not know whether it was created. Check the CCC console (agent cruise dialing campaigns, agent "
            f"{escape(campaign.agent)}, starting {date_token(campaign.start)}) before launching it again.")
    support = f"RequestId `{campaign.request_id}`" if campaign.request_id else "No RequestId was received."
    return {"text": f"{text} {support}", "blocks": [_section(text), {"type": "context", "elements": [
        {"type": "mrkdwn", "text": support}]}]}


def already_launched(campaign: Campaign) -> Message:
    state = f"CampaignId {campaign.campaign_id}" if campaign.campaign_id else f"status: {campaign.status}"
    return {"text": f":information_source: *{escape(campaign.name)}* was already launched from this preview ({state}); "
                    "it was not sent again."}


def identical_warning(earlier: Campaign) -> str:
    state = f"CampaignId {earlier.campaign_id}" if earlier.campaign_id else "its outcome is unknown"
    return (f"<@{earlier.user_id}> already launched an identical campaign (*{escape(earlier.name)}*, {state}) "
            f"{date_token(earlier.created_at, '{date_short_pretty} {time}')}: "
            "launching again calls the same people twice.")


def refused(text: str) -> Message:
    return {"text": f":no_entry: {text}"}
