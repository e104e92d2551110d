"""Who is asking: each requester's time zone and Slack locale from users.info, cached briefly."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cache import TtlCache


@dataclass(frozen=True)
class Profile:
    tz: str
    locale: str  # Slack's locale, e.g. "zh-CN", "en-US"; "" when Slack gave none (then: English, bot/i18n)


class Profiles:
    def __init__(self, client: AsyncWebClient, ttl: float = 600.0) -> None:
        self._client = client
        self._cache: TtlCache[str, Profile] = TtlCache(self._fetch, ttl=ttl)

    async def _fetch(self, user_id: str) -> Profile:
        answer = await self._client.users_info(user=user_id, include_locale=True)
        user = answer.get("user") or {}
        return Profile(tz=user.get("tz") or "UTC", locale=user.get("locale") or "")

    def known(self, user_id: str) -> Profile | None:
        """What Slack last said of this person, however long ago, without asking again (None: never asked)."""
        return self._cache.stale(user_id)

    async def get(self, user_id: str) -> Profile | None:
        """None when Slack cannot say: a window must never be read in a guessed zone."""
        try:
            return await self._cache.get(user_id)
        except SlackApiError:
            return None
