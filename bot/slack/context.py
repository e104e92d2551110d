"""What every listener needs, built once by build_app."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime

from bot.campaign.checks import Checks
from bot.campaign.directory import Directory
from bot.campaign.dnc import DoNotCall
from bot.campaign.draft import MAX_CALLEES
from bot.campaign.launch import Launch
from bot.campaign.listing import Campaigns
from bot.campaign.ports import Requester
from bot.campaign.reconcile import Reconcile
from bot.campaign.service import CampaignService
from bot.campaign.stop import Stop
from bot.campaign.watch import Watch
from bot.draining import InFlight
from bot.slack.access import Access
from bot.slack.delivery import Delivery
from bot.slack.files import Files
from bot.slack.members import Members
from bot.slack.profiles import Profiles


@dataclass(frozen=True)
class Life:
    """A launched campaign's use cases (follow it, stop it, reconcile it, find it) and where to answer privately."""

    watch: Watch
    stop: Stop
    reconcile: Reconcile
    campaigns: Campaigns
    clock: Callable[[], datetime]
    delivery: Delivery


@dataclass(frozen=True)
class Context:
    service: CampaignService
    launch: Launch
    checks: Checks
    directory: Directory
    files: Files
    executor: Executor | None  # CPU-heavy work (large number files) runs here, off the event loop
    profiles: Profiles
    access: Access
    in_flight: InFlight
    region: str
    members: Members  # who is in which channel: what App Home may show a person
    life: Life
    dnc: DoNotCall
    dnc_admins: Access  # DIALCAMPAIGN_DNC_ADMINS, else the launchers
    clock: Callable[[], datetime]
    max_callees: int = MAX_CALLEES  # a file is read only this far (plus one): a longer list is refused anyway


def requester(body: dict[str, object], channel_id: str) -> Requester:
    user = body.get("user") or {}
    team = body.get("team") or {}
    assert isinstance(user, dict) and isinstance(team, dict)
    return Requester(team_id=str(team.get("id") or user.get("team_id") or ""), user_id=str(user.get("id", "")),
                     channel_id=channel_id)
