"""The settings of the process's own clocks (advanced: the defaults suit production), and the number checks that
every settings module shares."""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import field_validator
from pydantic_settings import BaseSettings


class TimingSettings(BaseSettings):
    """How often the process looks at things on its own. Part of `Settings` (bot/config.py), which reads them."""

    dialcampaign_watch_interval: int = 60  # seconds between the watcher's Describes of a running campaign
    # Seconds between a process's heartbeats; one silent for four beats is dead and its cut-short launches are told.
    dialcampaign_heartbeat: float = 2.0
    # Seconds before a message Slack could not take is tried again (doubled each time, up to 5 minutes).
    dialcampaign_outbox_retry: float = 2.0
    dialcampaign_card_updates_per_minute: int = 25  # per workspace, the watcher's share of Slack's ~50 chat.update
    dialcampaign_retry_percent: int = 100  # the pauses before trying Slack or CCC again, in % of the built-in ones

    @field_validator("dialcampaign_watch_interval", mode="before")
    @classmethod
    def _watch_interval(cls, value: Any) -> int:
        return whole(value, 1, 3600, "must be a whole number of seconds from 1 to 3600 (e.g. 60)")

    @field_validator("dialcampaign_heartbeat", mode="before")
    @classmethod
    def _heartbeat(cls, value: Any) -> float:
        return seconds(value, 0.5, 60, "must be a number of seconds from 0.5 to 60 (e.g. 2)")

    @field_validator("dialcampaign_outbox_retry", mode="before")
    @classmethod
    def _outbox_retry(cls, value: Any) -> float:
        return seconds(value, 0.1, 300, "must be a number of seconds from 0.1 to 300 (e.g. 2)")

    @field_validator("dialcampaign_card_updates_per_minute", mode="before")
    @classmethod
    def _card_updates(cls, value: Any) -> int:
        return whole(value, 1, 6000, "must be a whole number of card updates a minute from 1 to 6000 (e.g. 25)")

    @field_validator("dialcampaign_retry_percent", mode="before")
    @classmethod
    def _retry_percent(cls, value: Any) -> int:
        return whole(value, 1, 10_000, "must be a whole number from 1 to 10000 (100: the built-in pauses)")


def whole(value: Any, lo: int, hi: int | None, problem: str) -> int:
    """A whole number from lo to hi (no upper bound when None), thousands separators allowed; else `problem`."""
    text = str(value).strip().replace(",", "").replace("_", "")
    if not text.isdigit() or int(text) < lo or (hi is not None and int(text) > hi):
        raise ValueError(problem)
    return int(text)


def seconds(value: Any, lo: float, hi: float, problem: str) -> float:
    """A number of seconds from lo to hi, decimals allowed (0.5); else `problem`."""
    text = str(value).strip()
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text) or not math.isfinite(float(text)) or not lo <= float(text) <= hi:
        raise ValueError(problem)
    return float(text)
