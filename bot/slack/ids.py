"""Every callback_id, block_id and action_id the bot uses, defined once."""

from __future__ import annotations

from bot.campaign.draft import FieldName

COMMAND = "/dialcampaign"
FORM = "dialcampaign_form"
PREVIEW = "dialcampaign_preview"
CHECKING = "dialcampaign_checking"
BACK = "dialcampaign_back"

# One input block per form field, its element's action_id the same name: domain errors are keyed by field and land
# on these blocks; the options listeners answer the pickers by these action_ids.
FIELDS: tuple[FieldName, ...] = ("name", "agent", "callees", "callees_file", "callers", "window", "concurrency",
                                 "call_order", "uui")
AGENT: FieldName = "agent"
CALLERS: FieldName = "callers"
