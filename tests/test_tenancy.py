"""The installed team and app, learned from Slack (auth.test, else bots.info), and which requests are not for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.slack.client import web_client
from bot.slack.tenancy import Installation, Installed
from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack


@pytest.fixture(params=[True, False], ids=["auth.test-names-the-app", "bots.info-names-the-app"])
def slack(request: pytest.FixtureRequest) -> Iterator[tuple[FakeSlack, str]]:
    fake = FakeSlack(auth_app_id=request.param)
    server = LoopbackServer(fake.app()).start()
    yield fake, f"{server.url}/api/"
    server.stop()


async def test_the_install_is_learned_once_and_foreign_requests_are_named(slack: tuple[FakeSlack, str]) -> None:
    fake, url = slack
    installation = Installation(web_client(BOT_TOKEN, url))
    assert await installation.learn() == Installed(team_id="T0001", app_id="A0001")
    command = {"team_id": "T0001", "api_app_id": "A0001", "user_id": "U1"}
    interaction = {"team": {"id": "T0001"}, "user": {"id": "U1", "team_id": "T0001"}, "api_app_id": "A0001"}
    assert await installation.foreign(command) is None and await installation.foreign(interaction) is None
    assert await installation.foreign({**command, "team_id": "T_OTHER"}) == "team T_OTHER is not the installed team"
    assert await installation.foreign({**interaction, "api_app_id": "A_OTHER"}) == "app A_OTHER is not this app"
    assert await installation.foreign({"user_id": "U1"}) == "team (none) is not the installed team"
    assert len(fake.of("auth.test")) == 1  # asked once, at start, not per request


async def test_until_slack_says_who_we_are_every_request_is_refused() -> None:
    installation = Installation(web_client(BOT_TOKEN, "http://127.0.0.1:9/api/"))  # nothing listens there
    reason = await installation.foreign({"team_id": "T0001", "api_app_id": "A0001"})
    assert reason == "the installed team is not known yet (auth.test failed)"
