"""The sandbox CCC, through the real CccClient (signing, envelope, error mapping): rules, limits, a campaign's life
through its window on an injected clock, and a restart keeping what it created."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import sandbox_client
from bot.sandbox.roster import ENDPOINT, SDK_APP_ID, SECRET_ID, SECRET_KEY
from bot.sandbox.transport import SandboxTransport
from bot.slack.label import LABEL, stamp_message, stamp_view
from bot.store.repository import Store
from bot.store.sandbox import SandboxCampaigns
from bot.tencent.client import CccClient, RetryPolicy
from bot.tencent.errors import AuthFailed, InvalidRequest, QuotaExceeded, RateLimited, SignatureExpired
from bot.tencent.ratelimit import SlidingWindowLimiter

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START - timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "sandbox.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.close()
    return path


@pytest.fixture
def store(migrated: Path, tmp_path: Path) -> Store:
    # A copy of one migrated database: the same empty tables, without ~50 ms of Alembic for each test.
    shutil.copyfile(migrated, tmp_path / "sandbox.db")
    return Store(f"sqlite:///{tmp_path / 'sandbox.db'}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def ccc(store: Store, clock: Clock) -> AsyncIterator[CccClient]:
    client = sandbox_client(store.engine, clock)
    yield client
    await client.aclose()


def create(ccc: CccClient, **change: Any) -> Any:
    values: dict[str, Any] = {"name": "Renewals", "agent": "ada@sandbox.example", "concurrency": 2, "start": START,
                              "end": START + timedelta(hours=2), "callees": [f"+86130000000{i:02d}" for i in range(10)],
                              "callers": ["0086075586013388"], "call_order": 1, "uui": None}
    return ccc.create_cruise_campaign(**{**values, **change})


async def test_a_campaign_moves_through_its_window(ccc: CccClient, clock: Clock) -> None:
    created = await create(ccc)
    assert created.campaign_id > 0 and created.request_id.startswith("sandbox-")
    seen = []
    for moment in (START - timedelta(minutes=1), START + timedelta(minutes=1), START + timedelta(minutes=3),
                   START + timedelta(minutes=5)):
        clock.now = moment
        state = await ccc.describe_cruise_campaign(created.campaign_id)
        seen.append((state.state, state.called, state.total))
    assert seen == [(0, 0, 10), (1, 2, 10), (1, 6, 10), (2, 10, 10)]  # 2 lines, a call a minute each


async def test_the_window_ending_finishes_a_campaign_with_callees_left(ccc: CccClient, clock: Clock) -> None:
    created = await create(ccc, concurrency=1, end=START + timedelta(minutes=4))
    clock.now = START + timedelta(hours=1)
    state = await ccc.describe_cruise_campaign(created.campaign_id)
    assert (state.state, state.called) == (2, 4)


async def test_abort_stops_the_calls_where_they_are(ccc: CccClient, clock: Clock) -> None:
    created = await create(ccc)
    clock.now = START + timedelta(minutes=2)
    await ccc.abort_cruise_campaign(created.campaign_id)
    clock.now = START + timedelta(minutes=30)
    state = await ccc.describe_cruise_campaign(created.campaign_id)
    assert (state.state, state.called) == (3, 4)
    await ccc.abort_cruise_campaign(created.campaign_id)  # aborting again changes nothing
    assert (await ccc.describe_cruise_campaign(created.campaign_id)).called == 4


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"agent": "nobody@sandbox.example"}, "InvalidParameterValue", "not an agent"),
    ({"concurrency": 21}, "InvalidParameterValue", "ConcurrencyNumber"),
    ({"end": START}, "InvalidParameterValue", "EndTime"),
    ({"callees": ["12ab"]}, "InvalidParameterValue", "not a phone number"),
    ({"callers": ["008602188880000"]}, "InvalidParameterValue", "State 4"),
    ({"callers": ["0086999"]}, "InvalidParameterValue", "not a number of this application"),
    ({"uui": "u" * 1025}, "InvalidParameterValue", "UUI"),
])
async def test_create_refuses_what_ccc_refuses(ccc: CccClient, change: dict[str, Any], code: str,
                                               words: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await create(ccc, **change)
    assert caught.value.code == code and words in caught.value.message and caught.value.request_id


@pytest.mark.parametrize(("params", "code"), [
    ({"SdkAppId": SDK_APP_ID, "CampaignId": 1, "Extra": 1}, "UnknownParameter"),
    ({"SdkAppId": SDK_APP_ID}, "MissingParameter"),
    ({"SdkAppId": str(SDK_APP_ID), "CampaignId": 1}, "InvalidParameter"),
    ({"SdkAppId": SDK_APP_ID + 1, "CampaignId": 1}, "InvalidParameterValue"),
    ({"SdkAppId": SDK_APP_ID, "CampaignId": 424242}, "InvalidParameterValue"),
])
async def test_parameters_are_checked_like_ccc(ccc: CccClient, params: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await ccc.call("DescribeAgentCruiseDialingCampaign", params)
    assert caught.value.code == code


async def test_more_than_20_a_second_is_refused(store: Store, clock: Clock) -> None:
    eager = sandbox_client(store.engine, clock, retry=RetryPolicy(attempts=1), limiter=SlidingWindowLimiter(rate=99))
    try:
        for _ in range(20):
            await eager.describe_numbers()
        with pytest.raises(RateLimited) as caught:
            await eager.describe_numbers()
        assert caught.value.code == "RequestLimitExceeded"
        clock.now += timedelta(seconds=1)
        assert await eager.describe_numbers()  # the next second is a new budget
    finally:
        await eager.aclose()


async def test_a_wrong_or_stale_signature_is_refused(store: Store, clock: Clock) -> None:
    transport = SandboxTransport(SandboxCampaigns(store.engine), clock)
    wrong = CccClient(endpoint=ENDPOINT, secret_id=SECRET_ID, secret_key="not-the-key", sdk_app_id=SDK_APP_ID,
                      clock=lambda: clock().timestamp(), transport=transport)
    stale = CccClient(endpoint=ENDPOINT, secret_id=SECRET_ID, secret_key=SECRET_KEY, sdk_app_id=SDK_APP_ID,
                      clock=lambda: clock().timestamp() - 600, transport=transport)
    try:
        with pytest.raises(AuthFailed) as refused:
            await wrong.count_staff()
        with pytest.raises(SignatureExpired) as expired:  # re-signed once by the client, still ten minutes off
            await stale.count_staff()
    finally:
        await wrong.aclose()
        await stale.aclose()
    assert refused.value.code == "AuthFailure.SignatureFailure"
    assert expired.value.code == "AuthFailure.SignatureExpire"


async def test_the_demo_roster_has_agents_and_callers_some_of_which_cannot_call(ccc: CccClient) -> None:
    staff = await ccc.describe_staff()
    numbers = await ccc.describe_numbers(page_size=2)  # paged, 0-based
    assert len(staff) >= 3 and all(s.mail.endswith("@sandbox.example") for s in staff)
    assert len(numbers) == 4 and {n.state for n in numbers} >= {1, 2, 4}


async def test_too_many_open_campaigns_hit_the_quota(store: Store, clock: Clock) -> None:
    # The sandbox's own 20/s is kept by the test's clock (10 a second); the client's limiter would pace the 51 Creates
    # over 2.5 s of real time.
    ccc = sandbox_client(store.engine, clock, limiter=SlidingWindowLimiter(rate=99))
    try:
        for _ in range(50):
            await create(ccc)
            clock.now += timedelta(milliseconds=100)
        with pytest.raises(QuotaExceeded) as caught:
            await create(ccc)
    finally:
        await ccc.aclose()
    assert caught.value.code == "LimitExceeded.OutOfCountLimit"


async def test_a_restart_keeps_the_campaigns(database_url: str, clock: Clock) -> None:
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", database_url)  # as DATABASE_URL is read
    first = Store(url)
    first.migrate()
    client = sandbox_client(first.engine, clock)
    created = await create(client, name="Kept 保留")
    await client.aclose()
    first.close()
    again = Store(url)
    client = sandbox_client(again.engine, clock)
    try:
        state = await client.describe_cruise_campaign(created.campaign_id)
    finally:
        await client.aclose()
        again.close()
    assert (state.name, state.agent, state.total) == ("Kept 保留", "ada@sandbox.example", 10)


@pytest.mark.parametrize("title", ["Dial campaign", "Check and launch", "Not launched", "x" * 24])
def test_every_modal_title_says_sandbox_within_slacks_24_characters(title: str) -> None:
    view = stamp_view({"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": []})
    assert view["title"]["text"].startswith("Sandbox") and len(view["title"]["text"]) <= 24
    assert LABEL in str(view["blocks"][0])
    assert stamp_view(view) == view  # stamping twice changes nothing


def test_messages_carry_the_label_in_text_and_blocks() -> None:
    plain = stamp_message({"text": "Launched."})
    rich = stamp_message({"text": "Launched.", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                                                       "text": "Launched."}}]})
    assert plain["text"].startswith(f"_{LABEL}_") and "blocks" not in plain
    assert LABEL in rich["text"] and LABEL in str(rich["blocks"][0]) and len(rich["blocks"]) == 2
    assert stamp_message(rich) == rich
