"""Who is asking: each requester's time zone and locale from users.info, cached briefly."""

from __future__ import annotations

import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient


@dataclass(frozen=True)
class Profile:
    tz: str
    locale: str

    @property
    def chinese(self) -> bool:
        """Examples in Chinese for a Chinese Slack locale; the zone decides only when Slack gave no locale."""
        if self.locale:
            return self.locale.lower().startswith("zh")
        return self.tz in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "Asia/Taipei",
                           "Asia/Hong_Kong", "Asia/Macau")


class Profiles:
    def __init__(self, client: AsyncWebClient, ttl: float = 600.0) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, Profile]] = {}

    async def get(self, user_id: str) -> Profile | None:
        """None when Slack cannot say: a window must never be read in a guessed zone."""
        hit = self._cache.get(user_id)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        try:
            answer = await self._client.users_info(user=user_id, include_locale=True)
            user = answer.get("user") or {}
            profile = Profile(tz=user.get("tz") or "UTC", locale=user.get("locale") or "")
        except SlackApiError:
            return None
        self._cache[user_id] = (time.monotonic() + self._ttl, profile)
        return profile
