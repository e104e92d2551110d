"""TC3 signing: Tencent's published vectors, the CCC vectors, the official SDK as an oracle, and the Auth's headers."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.tencent.signing import Tc3Auth, signature

CVM_BODY = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
CCC_ID = "AKIDEXAMPLECCC0123456789abcdefghijk"
CCC_KEY = "SecretKeyExampleCCC0123456789abcd"
BODY_A = (b'{"SdkAppId": 1400000000, "Name": "Q1 renewal push", "Agent": "agent@example.com", '
          b'"ConcurrencyNumber": 3, "StartTime": 1735693200, "EndTime": 1735700400, "Callees": ["+8613012345678", '
          b'"+8613012345679"], "Callers": ["0086075586013388"], "CallOrder": 1, '
          b'"UUI": "slack:T0123/C0456/1735689600.000100"}')
BODY_B = BODY_A.replace(b'"Q1 renewal push"', b'"\\u65b0\\u80fd\\u6e90SUV\\u63a8\\u8350"')


@pytest.mark.parametrize(("key", "expected"), [
    ("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"),
    ("Gu5t9xGARNpq86cd98joQYCN3*******", "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"),
])
def test_tencent_published_cvm_example(key: str, expected: str) -> None:
    assert signature(secret_key=key, service="cvm", host="cvm.tencentcloudapi.com",
                     content_type="application/json; charset=utf-8", body=CVM_BODY, timestamp=1551113065) == expected


@pytest.mark.parametrize(("body", "host", "expected"), [
    (BODY_A, "ccc.tencentcloudapi.com", "082e5eaf12690ecbedc297fea911dc881f2d32af96662ebae20aff36b1271f5a"),
    (BODY_B, "ccc.tencentcloudapi.com", "ec7cd88a01b1d70dd565da3adaf559452a2fc0974e076f051899af693cbdc019"),
    (BODY_A, "ccc.intl.tencentcloudapi.com", "19556f01a03477ab1de0c882fba6b9db8155fe548354c45885cf9590be969200"),
], ids=["A", "B-chinese-name", "C-intl-host"])
def test_ccc_vectors(body: bytes, host: str, expected: str) -> None:
    assert signature(secret_key=CCC_KEY, service="ccc", host=host, content_type="application/json", body=body,
                     timestamp=1735689600) == expected


def test_the_scope_date_is_utc_not_local() -> None:
    # 2025-01-01 07:30 in UTC+8 is still 2024-12-31 in UTC: the credential scope must say 2024-12-31.
    timestamp = 1735687800
    request = _signed(BODY_A, timestamp)
    assert "Credential=" + CCC_ID + "/2024-12-31/ccc/tc3_request" in request.headers["Authorization"]


def _signed(body: bytes, timestamp: int, **kw: str) -> httpx.Request:
    auth = Tc3Auth(CCC_ID, CCC_KEY, clock=lambda: float(timestamp), **kw)
    request = httpx.Request("POST", "https://ccc.tencentcloudapi.com/", content=body,
                            headers={"Content-Type": "application/json"})
    return next(auth.auth_flow(request))


def test_auth_signs_the_bytes_and_headers_httpx_sends() -> None:
    request = _signed(BODY_A, 1735689600)
    assert request.headers["X-TC-Timestamp"] == "1735689600"
    assert request.headers["Content-Type"] == "application/json"  # no charset added behind our back
    assert request.headers["Authorization"] == (
        f"TC3-HMAC-SHA256 Credential={CCC_ID}/2025-01-01/ccc/tc3_request, SignedHeaders=content-type;host, "
        "Signature=082e5eaf12690ecbedc297fea911dc881f2d32af96662ebae20aff36b1271f5a")
    assert "X-TC-Token" not in request.headers


def test_keys_with_surrounding_whitespace_still_sign_correctly_and_tokens_are_sent() -> None:
    auth = Tc3Auth(f" {CCC_ID}\n", f"{CCC_KEY} ", session_token=" tok ", clock=lambda: 1735689600.0)
    request = next(auth.auth_flow(httpx.Request("POST", "https://ccc.tencentcloudapi.com/", content=BODY_A,
                                                headers={"Content-Type": "application/json"})))
    assert request.headers["Authorization"].endswith("082e5eaf12690ecbedc297fea911dc881f2d32af96662ebae20aff36b1271f5a")
    assert request.headers["X-TC-Token"] == "tok"


@pytest.mark.parametrize("name", ["plain", "新能源SUV推荐", "emoji 📞 and \"quotes\""])
def test_matches_the_official_sdk(name: str) -> None:
    """The official SDK's own signing path is the oracle for bodies beyond the published vectors."""
    from tencentcloud.common import credential
    from tencentcloud.common.abstract_client import AbstractClient
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    params = {"SdkAppId": 1400000000, "Name": name, "Callees": ["+8613012345678"]}
    http_profile = HttpProfile(endpoint="ccc.tencentcloudapi.com")
    client = AbstractClient(credential.Credential(CCC_ID, CCC_KEY), "", ClientProfile(httpProfile=http_profile))
    client._apiVersion, client._service = "2020-02-10", "ccc"

    class Req:  # the SDK's request object, reduced to what its signer reads
        def __init__(self) -> None:
            self.header: dict[str, str] = {}
            self.data = ""
            self.method = "POST"
            self.uri = "/"
            self.host = "ccc.tencentcloudapi.com"

    req = Req()
    import tencentcloud.common.abstract_client as ac

    real_time = ac.time.time
    ac.time.time = lambda: 1735689600  # the SDK reads the clock; pin it for this comparison
    try:
        client._build_req_with_tc3_signature("CreateAgentCruiseDialingCampaign", params, req)
    finally:
        ac.time.time = real_time
    assert req.header["Content-Type"] == "application/json"
    sdk_auth = req.header["Authorization"]
    ours = _signed(req.data.encode(), 1735689600).headers["Authorization"]
    assert req.data == json.dumps(params)  # the same serialisation our client sends
    assert ours.split("Signature=")[1] == sdk_auth.split("Signature=")[1]


async def test_the_client_sends_exactly_the_bytes_it_signed() -> None:
    """Through CccClient itself: vector A's parameters go out as vector A's body, with vector A's signature."""
    from datetime import UTC, datetime

    from bot.tencent.client import CccClient

    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"Response": {"CampaignId": 7, "RequestId": "r-1"}})

    client = CccClient(endpoint="https://ccc.tencentcloudapi.com", secret_id=CCC_ID, secret_key=CCC_KEY,
                       sdk_app_id=1400000000, clock=lambda: 1735689600.0, transport=httpx.MockTransport(answer))
    created = await client.create_cruise_campaign(
        name="Q1 renewal push", agent="agent@example.com", concurrency=3,
        start=datetime.fromtimestamp(1735693200, UTC), end=datetime.fromtimestamp(1735700400, UTC),
        callees=["+8613012345678", "+8613012345679"], callers=["0086075586013388"], call_order=1,
        uui="slack:T0123/C0456/1735689600.000100")
    await client.aclose()
    (request,) = sent
    assert request.content == BODY_A
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-TC-Action"] == "CreateAgentCruiseDialingCampaign"
    assert request.headers["X-TC-Version"] == "2020-02-10"
    assert request.headers["Authorization"].endswith(
        "Signature=082e5eaf12690ecbedc297fea911dc881f2d32af96662ebae20aff36b1271f5a")
    assert (created.campaign_id, created.request_id) == (7, "r-1")
