"""Whose language a text is in: what one person sees follows their Slack locale; what a channel sees follows the
requester, unless DIALCAMPAIGN_LANGUAGE sets one language for the workspace."""

from __future__ import annotations

import asyncio

from bot.i18n import ENGLISH, Language, Translator, for_locale, translator
from bot.slack.profiles import Profile, Profiles


def of(profile: Profile | None) -> Translator:
    """A profile Slack could not give reads English."""
    return for_locale(profile.locale) if profile else ENGLISH


class Languages:
    def __init__(self, profiles: Profiles, workspace: Language | None = None) -> None:
        self._profiles = profiles
        self._workspace = workspace

    async def person(self, user_id: str, *, wait: float | None = None) -> Translator:
        """For one person's eyes (modals, ephemeral answers, App Home). `wait`: how long an answer that must be
        quick may wait for Slack's users.info (cached), else English."""
        try:
            profile = await asyncio.wait_for(self._profiles.get(user_id), timeout=wait)
        except TimeoutError:
            profile = None
        return of(profile)

    async def channel(self, requester_id: str) -> Translator:
        """For everyone in a channel: the workspace's language when one is set, else the requester's."""
        if self._workspace is not None:
            return translator(self._workspace)
        return await self.person(requester_id)
