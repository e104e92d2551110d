"""Every callback_id, block_id and action_id the bot uses, defined once."""

from __future__ import annotations

from bot.campaign.draft import FieldName

COMMAND = "/dialcampaign"
FORM = "dialcampaign_form"
PREVIEW = "dialcampaign_preview"
CHECKING = "dialcampaign_checking"
LAUNCHING = "dialcampaign_launching"
BACK = "dialcampaign_back"

# Each form field is one input block whose block_id and action_id are the domain's FieldName ("window",
# "callees", ...): the domain's errors are keyed by field and land on those blocks unchanged, and the options
# listeners answer the two pickers by these action_ids.
AGENT: FieldName = "agent"
CALLERS: FieldName = "callers"

DNC_UPLOAD = "dialcampaign_dnc_upload"
DNC_FILE = "dnc_file"
DNC_REASON = "dnc_reason"

# A campaign's card (and status / stop / App Home): the button's value is the campaign's store id. The do-not-call
# work emits the same Stop button; one handler serves both.
CAMPAIGN_STOP = "campaign_stop"
CAMPAIGN_REFRESH = "campaign_refresh"
CAMPAIGN_FOUND = "campaign_found"  # "I found it in the console" on an outcome-unknown card
FOUND = "dialcampaign_found"  # the modal that asks for that CampaignId
FOUND_ID = "campaign_id"
HOME_NEW = "dialcampaign_new"  # App Home's New campaign button
