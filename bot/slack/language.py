"""Whose language a text is in: what one person sees follows their Slack locale; what a channel sees follows the
requester, unless DIALCAMPAIGN_LANGUAGE sets one language for the workspace. The language a request chose last is
remembered for it (a context variable) so that what is stamped on its way out — the sandbox label — matches."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

from bot.i18n import ENGLISH, Language, Translator, for_locale, translator
from bot.slack.profiles import Profile, Profiles

_CHOSEN: ContextVar[Translator] = ContextVar("language", default=ENGLISH)


def chosen(tr: Translator) -> Translator:
    """Remember `tr` as this request's (task's) language for now, and return it."""
    _CHOSEN.set(tr)
    return tr


def current() -> Translator:
    """The language this request chose last; English before it chose any."""
    return _CHOSEN.get()


def of(profile: Profile | None) -> Translator:
    """A profile Slack could not give reads English."""
    return chosen(for_locale(profile.locale) if profile else ENGLISH)


class Languages:
    def __init__(self, profiles: Profiles, workspace: Language | None = None) -> None:
        self.profiles = profiles
        self._workspace = workspace

    async def person(self, user_id: str, *, wait: float | None = None) -> Translator:
        """For one person's eyes (modals, ephemeral answers, App Home). `wait`: how long an answer that must be
        quick may wait for Slack's users.info (cached), else English."""
        try:
            profile = await asyncio.wait_for(self.profiles.get(user_id), timeout=wait)
        except TimeoutError:
            profile = None
        return of(profile)

    def known(self, user_id: str) -> Translator:
        """At once, for an ack that may not wait at all: the language Slack last gave for this person (English if
        never asked)."""
        return of(self.profiles.known(user_id))

    async def channel(self, requester_id: str) -> Translator:
        """For everyone in a channel: the workspace's language when one is set, else the requester's."""
        if self._workspace is not None:
            return chosen(translator(self._workspace))
        return await self.person(requester_id)
