"""Registers every listener module on the Bolt app."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack import actions, campaign_actions, commands, dnc, home, options, submissions
from bot.slack.context import Context


def register(app: AsyncApp, ctx: Context) -> None:
    for module in (commands, submissions, actions, campaign_actions, options, home, dnc):
        module.register(app, ctx)
