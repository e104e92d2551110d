"""Every callback_id, block_id and action_id the bot uses, defined once."""

from __future__ import annotations

from bot.campaign.draft import FieldName

COMMAND = "/dialcampaign"
FORM = "dialcampaign_form"
PREVIEW = "dialcampaign_preview"
BACK = "dialcampaign_back"

# One input block per form field; errors from the domain are keyed by field and land on these blocks.
BLOCKS: dict[FieldName, str] = {
    "name": "name",
    "agent": "agent",
    "callees": "callees",
    "callers": "callers",
    "window": "window",
    "concurrency": "concurrency",
    "call_order": "call_order",
    "uui": "uui",
}
INPUT = "value"  # the action_id of the single element inside each input block
