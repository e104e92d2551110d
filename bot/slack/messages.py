"""Channel and ephemeral messages: pure functions returning text and blocks, each in the Translator's language."""

from __future__ import annotations

from typing import Any

from bot.campaign.draft import CampaignDraft
from bot.campaign.ports import Campaign, Outcome
from bot.i18n import Translator
from bot.slack.format import date_token, escape

Message = dict[str, Any]


def help_text(tr: Translator) -> str:
    return "\n".join([
        tr.gettext("*/dialcampaign* — launch a Tencent CCC agent cruise dialing campaign from Slack, and follow it."),
        "• " + tr.gettext("`/dialcampaign` opens the form: agent, numbers to call, caller numbers, and when to call in "
                          "your own words (\"tomorrow 9am to 11:30\", \"明天上午9点到11点\", \"Friday 2-5pm\", "
                          "\"tomorrow 9am for 2 hours\")."),
        "• " + tr.gettext("`/dialcampaign agent@example.com tomorrow 9-11` opens it pre-filled."),
        "• " + tr.gettext("You see a preview of exactly what will happen; nothing is sent until you press *Launch*."),
        "• " + tr.gettext("The campaign's card is posted in this channel and kept current (Scheduled, Calling, "
                          "Finished, Stopped); its thread is its history. *Refresh* asks CCC now, *Stop* stops it."),
        "• " + tr.gettext("`/dialcampaign status <CampaignId or name>` (状态) — where a campaign is now."),
        "• " + tr.gettext("`/dialcampaign stop <CampaignId>` (停止) — a Stop button for it (you confirm before "
                          "anything stops)."),
        "• " + tr.gettext("`/dialcampaign list` (列表) — this channel's recent campaigns; `/dialcampaign list mine` "
                          "— yours."),
        "• " + tr.gettext("`/dialcampaign dnc` manages the do-not-call list (numbers no campaign will call)."),
        "• " + tr.gettext("`/dialcampaign help` (帮助) shows this."),
    ])


def help_message(tr: Translator) -> Message:
    return {"response_type": "ephemeral", "text": help_text(tr)}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def outcome(result: Outcome, draft: CampaignDraft, tr: Translator) -> Message:
    """The thread reply: the CampaignId, or what went wrong in words, always with the code and RequestId."""
    name, summary = escape(draft.name), escape(tr.render(result.summary))  # CCC's message can echo what was typed
    code = tr.gettext("Error code `{code}`", code=escape(result.code)) if result.code else ""
    request = f"RequestId `{escape(result.request_id)}`" if result.request_id else ""
    support = " · ".join(part for part in (code, request) if part)
    if result.status == "created":
        text = ":white_check_mark: " + tr.gettext(
            "*{name}* was created in CCC — CampaignId *{campaign_id}*. It starts by itself at {start}.",
            name=name, campaign_id=result.campaign_id, start=date_token(draft.start))
        support = request
    elif result.status == "unknown":
        text = f":warning: *{name}*: {summary}"
    else:
        text = ":x: " + tr.gettext("*{name}* was not created. {summary}", name=name, summary=summary)
    blocks = [_section(text)]
    if support:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": support}]})
    return {"text": f"{text} {support}".strip(), "blocks": blocks}


def orphaned(campaign: Campaign, tr: Translator) -> Message:
    """The reply a launch gets when the bot stopped while sending it: nobody knows whether CCC created it."""
    text = ":warning: " + tr.gettext(
        "*{name}*: the bot stopped while sending this campaign to CCC, so it does not know whether it was created. "
        "Check the CCC console (agent cruise dialing campaigns, agent {agent}, starting {start}) before launching it "
        "again.", name=escape(campaign.name), agent=escape(campaign.agent), start=date_token(campaign.start))
    support = (f"RequestId `{campaign.request_id}`" if campaign.request_id else
               tr.gettext("No RequestId was received."))
    return {"text": f"{text} {support}", "blocks": [_section(text), {"type": "context", "elements": [
        {"type": "mrkdwn", "text": support}]}]}


def already_launched(campaign: Campaign, tr: Translator) -> Message:
    state = (f"CampaignId {campaign.campaign_id}" if campaign.campaign_id else
             tr.gettext("status: {status}", status=_status(campaign.status, tr)))
    return {"text": ":information_source: " + tr.gettext(
        "*{name}* was already launched from this preview ({state}); it was not sent again.",
        name=escape(campaign.name), state=state)}


def _status(status: str, tr: Translator) -> str:
    words = {"created": tr.gettext("created"), "failed": tr.gettext("failed"), "unknown": tr.gettext("unknown")}
    return words.get(status, status)


def identical_warning(earlier: Campaign, tr: Translator) -> str:
    state = (f"CampaignId {earlier.campaign_id}" if earlier.campaign_id else tr.gettext("its outcome is unknown"))
    return tr.gettext("{user} already launched an identical campaign (*{name}*, {state}) {when}: launching again "
                      "calls the same people twice.", user=f"<@{earlier.user_id}>", name=escape(earlier.name),
                      state=state, when=date_token(earlier.created_at, "{date_short_pretty} {time}"))


def refused(text: str, tr: Translator) -> Message:
    """A refusal (the domain's lazy Text or already-said words) for one person."""
    return {"text": f":no_entry: {tr.render(text)}"}
