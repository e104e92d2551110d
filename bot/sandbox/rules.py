"""The parameter rules of the CCC actions the bot uses, as CCC states them: (error code, message) or None (pure)."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.roster import Roster

Problem = tuple[str, str]
E164_OR_NATIONAL = re.compile(r"^\+?\d{5,20}$")
MAX_CONCURRENCY = 20
MAX_UUI = 1024
MAX_PAGE_SIZE = 9999
MAX_OPEN_CAMPAIGNS = 50  # the sandbox's LimitExceeded.OutOfCountLimit: campaigns neither ended nor aborted

_TYPES = {"Integer": lambda v: isinstance(v, int) and not isinstance(v, bool), "String": lambda v: isinstance(v, str),
          "Array of String": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)}

# action -> parameter -> (type, required)
ACTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "CreateAgentCruiseDialingCampaign": {
        "SdkAppId": ("Integer", True), "Name": ("String", True), "Agent": ("String", True),
        "ConcurrencyNumber": ("Integer", True), "StartTime": ("Integer", True), "EndTime": ("Integer", True),
        "Callees": ("Array of String", False), "Callers": ("Array of String", False),
        "CallOrder": ("Integer", False), "UUI": ("String", False),
    },
    "DescribeAgentCruiseDialingCampaign": {"SdkAppId": ("Integer", True), "CampaignId": ("Integer", True)},
    "AbortAgentCruiseDialingCampaign": {"SdkAppId": ("Integer", True), "CampaignId": ("Integer", True)},
    "DescribeStaffInfoList": {
        "SdkAppId": ("Integer", True), "PageSize": ("Integer", True), "PageNumber": ("Integer", True),
        "StaffMail": ("String", False), "SkillGroupId": ("Integer", False), "ModifiedTime": ("Integer", False),
    },
    "DescribeNumbers": {"SdkAppId": ("Integer", True), "PageNumber": ("Integer", False),
                        "PageSize": ("Integer", False)},
}


def check(action: str, params: dict[str, Any], *, sdk_app_id: int, roster: Roster, now: int) -> Problem | None:
    """The first problem CCC would answer with, checked in CCC's order: the action, the parameter names and
    types, the application, then each action's value rules."""
    spec = ACTIONS.get(action)
    if spec is None:
        return "InvalidAction", f"The action `{action}` does not exist or is not supported by the sandbox."
    for name in params:
        if name not in spec:
            return "UnknownParameter", f"The parameter `{name}` is not recognized."
    for name, (kind, required) in spec.items():
        if name not in params:
            if required:
                return "MissingParameter", f"The request is missing a required parameter `{name}`."
        elif not _TYPES[kind](params[name]):
            return "InvalidParameter", f"The parameter `{name}` must be of type {kind}."
    if params["SdkAppId"] != sdk_app_id:
        return "InvalidParameterValue", f"SdkAppId {params['SdkAppId']} is not an application of this account."
    if action == "CreateAgentCruiseDialingCampaign":
        return _create(params, roster, now)
    if action == "DescribeStaffInfoList":
        return _page(params)
    if action == "DescribeNumbers":
        return _page(params)
    return None


def _create(p: dict[str, Any], roster: Roster, now: int) -> Problem | None:
    bad = "InvalidParameterValue"
    if not p["Name"].strip():
        return bad, "Name must not be empty."
    if p["Agent"] not in roster.mails:
        return bad, f"Agent {p['Agent']} is not an agent of this application."
    if not 1 <= p["ConcurrencyNumber"] <= MAX_CONCURRENCY:
        return bad, f"ConcurrencyNumber must be between 1 and {MAX_CONCURRENCY}."
    if p["EndTime"] <= p["StartTime"]:
        return bad, "EndTime must be later than StartTime."
    if p["EndTime"] <= now:
        return bad, "EndTime is in the past."
    if p.get("CallOrder", 0) not in (0, 1):
        return bad, "CallOrder must be 0 (random) or 1 (in list order)."
    if len(p.get("UUI", "")) > MAX_UUI:
        return bad, f"UUI is longer than {MAX_UUI} characters."
    if not p.get("Callees"):
        return bad, "Callees is empty."
    for callee in p["Callees"]:
        if not E164_OR_NATIONAL.match(callee):
            return bad, f"Callee {callee} is not a phone number."
    for caller in p.get("Callers", []):
        state = roster.number_state(caller)
        if state is None:
            return bad, f"Caller {caller} is not a number of this application."
        if state != 1:
            return bad, f"Caller {caller} cannot call (State {state})."
    return None


def _page(p: dict[str, Any]) -> Problem | None:
    size = p.get("PageSize", 20)
    if not 1 <= size <= MAX_PAGE_SIZE:
        return "InvalidParameterValue", f"PageSize must be between 1 and {MAX_PAGE_SIZE}."
    if p.get("PageNumber", 0) < 0:
        return "InvalidParameterValue", "PageNumber starts at 0."
    return None
