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
