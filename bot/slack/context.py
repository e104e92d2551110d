"""What every listener needs, built once by build_app."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, time

from bot.campaign.directory import Directory
from bot.campaign.service import CampaignService, Requester
from bot.lifecycle import InFlight
from bot.slack.access import Access
from bot.slack.delivery import Delivery
from bot.slack.files import Files
from bot.slack.profiles import Profiles


@dataclass(frozen=True)
class Context:
    service: CampaignService
    directory: Directory
    files: Files
    executor: Executor | None  # CPU-heavy work (large number files) runs here, off the event loop
    profiles: Profiles
    access: Access
    delivery: Delivery
    in_flight: InFlight
    clock: Callable[[], datetime]
    region: str
    calling_hours: tuple[time, time] | None


def requester(body: dict[str, object], channel_id: str) -> Requester:
    user = body.get("user") or {}
    team = body.get("team") or {}
    assert isinstance(user, dict) and isinstance(team, dict)
    return Requester(team_id=str(team.get("id") or user.get("team_id") or ""), user_id=str(user.get("id", "")),
                     channel_id=channel_id)
