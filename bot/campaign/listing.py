"""Finding launched campaigns (CCC cannot list them: the store is the only list) as domain Campaigns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.campaign.state import CampaignRow, LiveCampaign


class Queries(Protocol):
    async def campaign(self, ref: int) -> CampaignRow | None: ...
    async def by_campaign_id(self, team_id: str, campaign_id: int) -> CampaignRow | None: ...
    async def by_name(self, team_id: str, name: str) -> CampaignRow | None: ...
    async def in_channel(self, team_id: str, channel_id: str, limit: int = 10) -> Sequence[CampaignRow]: ...
    async def of_user(self, team_id: str, user_id: str, limit: int = 10) -> Sequence[CampaignRow]: ...
    async def of_team(self, team_id: str, limit: int = 10) -> Sequence[CampaignRow]: ...


class Campaigns:
    def __init__(self, queries: Queries) -> None:
        self._q = queries

    async def get(self, ref: int, *, launching: bool = False) -> LiveCampaign | None:
        """`launching`: its Create is on its way, so an outcome not yet written is not "unknown" yet."""
        row = await self._q.campaign(ref)
        return LiveCampaign.from_row(row, launching=launching) if row else None

    async def find(self, team_id: str, text: str) -> LiveCampaign | None:
        """A CampaignId (digits) or a campaign's name, the newest launch of that name."""
        text = text.strip().strip("\"'“”")
        row = None
        if text.isdigit():
            row = await self._q.by_campaign_id(team_id, int(text))
        if row is None and text:
            row = await self._q.by_name(team_id, text)
        return LiveCampaign.from_row(row) if row else None

    async def in_channel(self, team_id: str, channel_id: str, limit: int = 10) -> list[LiveCampaign]:
        return [LiveCampaign.from_row(r) for r in await self._q.in_channel(team_id, channel_id, limit)]

    async def mine(self, team_id: str, user_id: str, limit: int = 10) -> list[LiveCampaign]:
        return [LiveCampaign.from_row(r) for r in await self._q.of_user(team_id, user_id, limit)]

    async def team(self, team_id: str, limit: int = 10) -> list[LiveCampaign]:
        return [LiveCampaign.from_row(r) for r in await self._q.of_team(team_id, limit)]
