"""The sandbox CCC's campaigns table: create, read and abort, keyed by the CampaignId the sandbox hands out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from bot.store.schema import sandbox_campaigns


@dataclass(frozen=True)
class SandboxCampaign:
    campaign_id: int
    sdk_app_id: int
    name: str
    agent: str
    concurrency: int
    start_at: int
    end_at: int
    call_order: int
    uui: str
    callee_count: int
    callers: list[str]
    created_at: int
    aborted_at: int | None


def _row(row: Any) -> SandboxCampaign:
    values = dict(row._mapping)
    values["callers"] = json.loads(values["callers"])
    return SandboxCampaign(**values)


class SandboxCampaigns:
    """Blocking calls: the emulator runs them in a worker thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, *, sdk_app_id: int, name: str, agent: str, concurrency: int, start_at: int, end_at: int,
               call_order: int, uui: str, callee_count: int, callers: list[str], created_at: int) -> int:
        with self._engine.begin() as conn:
            return int(conn.execute(insert(sandbox_campaigns).values(
                sdk_app_id=sdk_app_id, name=name, agent=agent, concurrency=concurrency, start_at=start_at,
                end_at=end_at, call_order=call_order, uui=uui, callee_count=callee_count,
                callers=json.dumps(callers), created_at=created_at,
            ).returning(sandbox_campaigns.c.campaign_id)).scalar_one())

    def get(self, sdk_app_id: int, campaign_id: int) -> SandboxCampaign | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(sandbox_campaigns).where(sandbox_campaigns.c.campaign_id == campaign_id,
                                                               sandbox_campaigns.c.sdk_app_id == sdk_app_id)).first()
            return _row(row) if row else None

    def abort(self, campaign_id: int, at: int) -> None:
        """The first abort wins: aborting twice keeps the first time."""
        with self._engine.begin() as conn:
            conn.execute(update(sandbox_campaigns).where(sandbox_campaigns.c.campaign_id == campaign_id,
                                                         sandbox_campaigns.c.aborted_at.is_(None))
                         .values(aborted_at=at))

    def open_count(self, sdk_app_id: int, now: int) -> int:
        """Campaigns neither ended nor aborted (the sandbox's quota counts these)."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(sandbox_campaigns).where(
                sandbox_campaigns.c.sdk_app_id == sdk_app_id, sandbox_campaigns.c.end_at > now,
                sandbox_campaigns.c.aborted_at.is_(None))).scalar_one())
