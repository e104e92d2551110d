"""CccClient against the fake CCC over loopback: signatures, error classes, what is retried and what never is."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from bot.tencent.client import CccClient, RetryPolicy
from bot.tencent.errors import (
    AuthFailed,
    CccError,
    CccOutcomeUnknown,
    CccUnreachable,
    InvalidRequest,
    QuotaExceeded,
    RateLimited,
    SignatureExpired,
)
from bot.tencent.ratelimit import SlidingWindowLimiter
from tests.fakes.ccc import FakeCcc, Fault
from tests.fakes.server import LoopbackServer
from tests.harness import SDK_APP_ID, SECRET_ID, SECRET_KEY, free_port

CREATE = "CreateAgentCruiseDialingCampaign"
START = datetime.now(UTC) + timedelta(days=1)


class Current:
    """The module's one loopback server answers as the current test's own fake: a fresh FakeCcc per test, without a
    server per test (uvicorn takes ~0.2 s to shut one down)."""

    def __init__(self) -> None:
        self.app: Starlette | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def loopback() -> Iterator[tuple[Current, LoopbackServer]]:
    current = Current()
    server = LoopbackServer(current).start()
    yield current, server
    server.stop()


@pytest.fixture
def fake(loopback: tuple[Current, LoopbackServer]) -> tuple[FakeCcc, LoopbackServer]:
    current, server = loopback
    ccc = FakeCcc(secrets={SECRET_ID: SECRET_KEY}, sdk_app_id=SDK_APP_ID)
    current.app = ccc.app()
    return ccc, server


def make_client(url: str, *, key: str = SECRET_KEY, read: float = 5.0, attempts: int = 5,
                limiter: SlidingWindowLimiter | None = None) -> CccClient:
    return CccClient(endpoint=url, secret_id=SECRET_ID, secret_key=key, sdk_app_id=SDK_APP_ID,
                     timeout=httpx.Timeout(connect=1.0, read=read, write=5.0, pool=5.0),
                     retry=RetryPolicy(attempts=attempts, base=0.01, cap=0.05), limiter=limiter)


@pytest.fixture
async def client(fake: tuple[FakeCcc, LoopbackServer]) -> AsyncIterator[CccClient]:
    ccc = make_client(fake[1].url)
    yield ccc
    await ccc.aclose()


async def create(client: CccClient, name: str = "Renewals") -> int:
    created = await client.create_cruise_campaign(
        name=name, agent="agent@example.com", concurrency=2, start=START, end=START + timedelta(hours=2),
        callees=["+8613012345671"], callers=["0086075586013388"], call_order=1, uui="slack:T1/C1")
    return created.campaign_id


Fake = tuple[FakeCcc, LoopbackServer]


async def test_a_signed_create_is_accepted_with_every_field(client: CccClient, fake: Fake) -> None:
    campaign_id = await create(client, "新能源SUV推荐")
    (received,) = fake[0].creates()
    assert received.outcome == "ok"  # the fake verified the TC3 signature over the bytes it received
    assert fake[0].campaigns[campaign_id]["Name"] == "新能源SUV推荐"
    assert received.params["Callers"] == ["0086075586013388"]
    assert received.params["StartTime"] == int(START.timestamp())


async def test_throttling_is_retried_with_backoff(client: CccClient, fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, Fault(code="RequestLimitExceeded"), Fault(code="RequestLimitExceeded.UinLimitExceeded"))
    await create(client)
    assert [r.outcome for r in fake[0].creates()] == ["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded",
                                                      "ok"]
    assert len(fake[0].campaigns) == 1


async def test_persistent_throttling_gives_up_as_rate_limited(fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, *[Fault(code="RequestLimitExceeded")] * 3)
    client = make_client(fake[1].url, attempts=3)
    with pytest.raises(RateLimited) as exc:
        await create(client)
    await client.aclose()
    assert exc.value.code == "RequestLimitExceeded" and exc.value.request_id
    assert len(fake[0].creates()) == 3 and not fake[0].campaigns


async def test_an_expired_signature_is_re_signed_once(client: CccClient, fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, Fault(code="AuthFailure.SignatureExpire"))
    await create(client)
    first, second = fake[0].creates()
    assert first.outcome == "AuthFailure.SignatureExpire" and second.outcome == "ok"


async def test_a_clock_that_stays_wrong_fails_after_one_re_sign(client: CccClient, fake: Fake) -> None:
    fake[0].clock_skew = 600  # the server thinks it is ten minutes later than we do
    with pytest.raises(SignatureExpired):
        await create(client)
    assert len(fake[0].creates()) == 2


@pytest.mark.parametrize("fault", [
    Fault(code="InternalError"), Fault(code="InternalError.DBError"), Fault(code="InternalError", process=True),
    Fault(http_status=502, raw_body="<html>Bad Gateway</html>"), Fault(raw_body="<html>oops</html>"),
    Fault(code="ServiceUnavailable"), Fault(http_status=500, code="InvalidParameterValue"),
], ids=["InternalError", "DBError", "InternalError-after-create", "502-html", "200-not-json", "unavailable",
        "500-with-error"])
async def test_ambiguous_failures_are_never_retried(fault: Fault, client: CccClient,
                                                    fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, fault)
    with pytest.raises(CccOutcomeUnknown) as exc:
        await create(client)
    assert len(fake[0].creates()) == 1  # one request, whatever happened to it
    if fault.code and fault.raw_body is None:
        assert exc.value.request_id  # Tencent's id travels with the error for support


async def test_a_read_timeout_after_sending_is_ambiguous_and_not_retried(fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, Fault(delay=0.6, process=True))
    client = make_client(fake[1].url, read=0.2)
    with pytest.raises(CccOutcomeUnknown):
        await create(client)
    deadline = time.monotonic() + 10
    while not fake[0].campaigns and time.monotonic() < deadline:  # the fake finishes the Create after its delay
        await asyncio.sleep(0.02)
    await client.aclose()
    assert len(fake[0].creates()) == 1
    assert len(fake[0].campaigns) == 1  # it did exist: exactly why a retry would have been wrong


async def test_a_refused_connection_is_retried_then_reported_as_unreachable() -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}", attempts=3)
    started = time.monotonic()
    with pytest.raises(CccUnreachable):
        await create(client)
    await client.aclose()
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("code", "cls"), [
    ("InvalidParameterValue", InvalidRequest), ("MissingParameter", InvalidRequest),
    ("LimitExceeded.OutOfCountLimit", QuotaExceeded), ("AuthFailure.SecretIdNotFound", AuthFailed),
    ("UnauthorizedOperation", AuthFailed),
])
async def test_permanent_errors_are_typed_by_code_and_not_retried(code: str, cls: type[CccError], client: CccClient,
                                                                  fake: tuple[FakeCcc, LoopbackServer]) -> None:
    fake[0].inject(CREATE, Fault(code=code))
    with pytest.raises(cls) as exc:
        await create(client)
    assert exc.value.code == code and exc.value.request_id
    assert len(fake[0].creates()) == 1


async def test_a_wrong_key_is_refused_by_the_signature_check(fake: tuple[FakeCcc, LoopbackServer]) -> None:
    client = make_client(fake[1].url, key="not-the-key")
    with pytest.raises(AuthFailed) as exc:
        await create(client)
    await client.aclose()
    assert exc.value.code == "AuthFailure.SignatureFailure"
    assert "not-the-key" not in str(exc.value)


async def test_fifty_concurrent_creates_are_never_throttled(client: CccClient, fake: Fake) -> None:
    """Against a server counting per sliding second and, at the same time (the two bursts wait together), one
    counting per calendar second, as some gateways do: each client with the product's own limiter."""
    calendar = FakeCcc(secrets={SECRET_ID: SECRET_KEY}, sdk_app_id=SDK_APP_ID, rate_window="calendar")
    server = LoopbackServer(calendar.app()).start()
    other = make_client(server.url)

    async def burst(client: CccClient) -> tuple[list[int], float]:
        started = time.monotonic()
        ids = await asyncio.gather(*(create(client, f"burst {i}") for i in range(50)))
        return ids, time.monotonic() - started

    try:
        answers = await asyncio.gather(burst(client), burst(other))
    finally:
        await other.aclose()
        server.stop()
    for ccc, (ids, took) in zip((fake[0], calendar), answers, strict=True):
        assert len(set(ids)) == 50 and len(ccc.campaigns) == 50
        # Without the limiter 30 of 50 would be throttled; counting from the send instead of the answer let arrival
        # jitter push 5-9 of them over the server's second.
        throttled = [r for r in ccc.creates() if r.outcome.startswith("RequestLimitExceeded")]
        assert throttled == []
        assert took >= 2.0  # 50 at 20/s cannot be faster than 2.5 s minus one window edge


async def test_the_limiter_holds_when_arrivals_are_delayed_unevenly() -> None:
    """The server sees a request when it arrives; a delay on one request and not the next must not put more than
    `rate` arrivals in one window (scaled down: 20 per 0.2 s, arrival delays up to 60 ms)."""
    import random

    limiter = SlidingWindowLimiter(rate=20, period=0.2, margin=0.01)
    arrivals: list[float] = []
    rng = random.Random(7)

    async def request() -> None:
        async with limiter.slot("A"):
            await asyncio.sleep(rng.uniform(0, 0.06))  # on the way: some requests are held up, some not
            arrivals.append(time.monotonic())
            await asyncio.sleep(rng.uniform(0, 0.02))  # the answer coming back

    await asyncio.gather(*(request() for _ in range(70)))
    arrivals.sort()
    busiest = max(sum(1 for t in arrivals[i:] if t - start < 0.2) for i, start in enumerate(arrivals))
    assert len(arrivals) == 70 and busiest <= 20


async def test_describe_and_abort(client: CccClient) -> None:
    campaign_id = await create(client)
    state = await client.describe_cruise_campaign(campaign_id)
    assert (state.name, state.state, state.total) == ("Renewals", 0, 1)
    assert await client.abort_cruise_campaign(campaign_id)
    assert (await client.describe_cruise_campaign(campaign_id)).state == 3


async def test_the_fake_campaign_lives_through_its_window_by_the_tests_clock(client: CccClient, fake: Fake) -> None:
    ccc = fake[0]
    created = await client.create_cruise_campaign(
        name="Lifecycle", agent="agent@example.com", concurrency=2, start=START, end=START + timedelta(hours=2),
        callees=[f"+86130123456{i:02d}" for i in range(10)], callers=[], call_order=1, uui=None)
    seen = []
    for offset in (0.0, 86400.0 + 1800, 86400.0 + 3600, 86400.0 + 7200 + 1):  # before, 1/4, 1/2, after the window
        ccc.clock_offset = offset
        state = await client.describe_cruise_campaign(created.campaign_id)
        seen.append((state.state, state.called, state.total))
    assert [s[0] for s in seen] == [0, 1, 1, 2]
    assert seen[0][1] == 0 and 0 < seen[1][1] < seen[2][1] < 10 and seen[3][1:] == (10, 10)


async def test_an_abort_freezes_the_fake_campaign_at_state_3(client: CccClient, fake: Fake) -> None:
    campaign_id = await create(client)
    fake[0].clock_offset = 86400.0 + 60
    await client.abort_cruise_campaign(campaign_id)
    fake[0].clock_offset = 86400.0 * 2
    assert (await client.describe_cruise_campaign(campaign_id)).state == 3


async def test_describe_and_abort_take_the_same_injected_faults_as_create(client: CccClient, fake: Fake) -> None:
    campaign_id = await create(client)
    fake[0].inject("AbortAgentCruiseDialingCampaign", Fault(code="InternalError", process=True))
    fake[0].inject("DescribeAgentCruiseDialingCampaign", Fault(http_status=502, raw_body="<html>bad gateway</html>"))
    with pytest.raises(CccOutcomeUnknown):
        await client.abort_cruise_campaign(campaign_id)
    with pytest.raises(CccOutcomeUnknown):
        await client.describe_cruise_campaign(campaign_id)
    assert (await client.describe_cruise_campaign(campaign_id)).state == 3  # the abort was carried out


async def test_describes_never_wait_behind_creates(fake: Fake) -> None:
    """The client's limit is per action: 20 Describes while Creates have spent their 20 go out at once. (The window
    is stretched to a minute, so that the Creates are certainly still held when the Describes are answered.)"""
    client = make_client(fake[1].url, limiter=SlidingWindowLimiter(rate=20, period=60.0))
    first = await create(client)
    creates = asyncio.gather(*(create(client, f"busy {i}") for i in range(40)))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await asyncio.gather(*(client.describe_cruise_campaign(first) for _ in range(20)))
    # at once, not after the minute they would wait behind the Creates (seconds to spare for a busy machine)
    assert time.monotonic() - started < 10
    creates.cancel()  # the last 21 would wait out the minute
    with suppress(asyncio.CancelledError):
        await creates
    await client.aclose()


async def test_describes_read_every_page_and_keep_only_what_is_asked(fake: Fake) -> None:
    fake[0].staff = [{"Name": f"A{i}", "Mail": f"a{i}@example.com"} for i in range(25)] + [{"Name": "no mail"}]
    fake[0].numbers = [{"Number": f"00860755{i:08d}", "State": 1 if i % 2 else 2} for i in range(7)]
    client = make_client(fake[1].url)
    staff = await client.describe_staff(page_size=10)
    numbers = await client.describe_numbers(page_size=3)
    await client.aclose()
    assert [s.mail for s in staff] == [f"a{i}@example.com" for i in range(25)]
    assert [r.params["PageNumber"] for r in fake[0].received if r.action == "DescribeStaffInfoList"] == [0, 1, 2]
    assert [(n.number[-1], n.state) for n in numbers] == [(str(i), 1 if i % 2 else 2) for i in range(7)]


@pytest.mark.parametrize("content_type", ["text/plain", "text/html; charset=utf-8", "application/octet-stream"])
async def test_an_error_is_found_whatever_the_content_type_says(content_type: str, client: CccClient,
                                                                fake: Fake) -> None:
    fake[0].inject(CREATE, Fault(code="InvalidParameterValue", content_type=content_type))
    with pytest.raises(InvalidRequest) as exc:
        await create(client)
    assert exc.value.code == "InvalidParameterValue" and exc.value.request_id


async def test_optional_fields_left_empty_are_not_sent(client: CccClient, fake: Fake) -> None:
    await client.create_cruise_campaign(name="n", agent="a@example.com", concurrency=1, start=START,
                                        end=START + timedelta(hours=1), callees=["+8613012345671"], callers=[],
                                        call_order=0, uui=None)
    (received,) = fake[0].creates()
    assert "Callers" not in received.params and "UUI" not in received.params
    assert received.params["CallOrder"] == 0  # 0 is a choice (random), not an absence


def test_a_paced_policy_keeps_the_tries_and_scales_every_pause() -> None:
    """DIALCAMPAIGN_RETRY_PERCENT: the same number of tries, each pause (0.2 s doubling up to 2 s, jittered down to
    half) times the pace."""
    built_in, paced = RetryPolicy(), RetryPolicy().paced(0.01)
    assert paced.attempts == built_in.attempts
    for attempt in range(1, 8):
        ceiling = min(2.0, 0.2 * 2**attempt)
        assert ceiling / 2 * 0.999 <= built_in.delay(attempt) <= ceiling * 1.001
        assert ceiling / 200 * 0.999 <= paced.delay(attempt) <= ceiling / 100 * 1.001
