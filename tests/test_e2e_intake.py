"""What reaches the app from the open internet: bodies bounded before they are read, malformed requests answered 400
without a traceback, and no request body in the log."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlencode

import pytest

from tests.harness import FORM, Stack, sign


def raw_exchange(product: Stack, head: str, parts: list[bytes], *, timeout: float = 10.0) -> str:
    """Sends the request line and headers, then `parts`, without finishing the body; returns what the app answered."""
    with socket.create_connection(("127.0.0.1", product.app.port), timeout=timeout) as conn:
        conn.sendall(head.encode() + b"\r\n")
        for part in parts:
            conn.sendall(part)
        conn.settimeout(timeout)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass
    return answer.decode("latin-1")


def headers(**extra: str) -> str:
    lines = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
             f"X-Slack-Request-Timestamp: {int(time.time())}", "X-Slack-Signature: v0=00"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in extra.items()]
    return "\r\n".join(lines) + "\r\n"


def test_a_declared_200_mb_body_is_refused_before_any_of_it_is_read(product: Stack) -> None:
    answer = raw_exchange(product, headers(Content_Length="200000000"), [b"payload=" + b"x" * 1000])
    assert answer.startswith("HTTP/1.1 413"), answer


def test_a_chunked_body_is_refused_as_soon_as_it_passes_1_mb(product: Stack) -> None:
    chunk = b"x" * 65536
    parts = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"] * 17  # 1.06 MB, and the body never ends
    answer = raw_exchange(product, headers(Transfer_Encoding="chunked"), parts)
    assert answer.startswith("HTTP/1.1 413"), answer


def signed_post(product: Stack, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> int:
    return product.driver.post(body, content_type).status_code


@pytest.mark.parametrize(("body", "content_type"), [
    (b"payload=%7B%22type%22%3A%22block_actions%22%2C%22x%22%3A%22\xff\xfe%22%7D", "application/x-www-form-urlencoded"),
    (b"[" * 200_000, "application/json"),
    (urlencode({"payload": "[" * 200_000}).encode(), "application/x-www-form-urlencoded"),
    (b"{" + b'"a":{' * 50_000, "application/x-www-form-urlencoded"),
    (b"command=%2Fdialcampaign&text=%E4%B8&user_id=U_SUP", "application/x-www-form-urlencoded"),
    (b"payload=%7Bnot json", "application/x-www-form-urlencoded"),
    (b'payload=["a list"]', "application/x-www-form-urlencoded"),
], ids=["invalid-utf8", "deep-json", "deep-json-payload", "deep-json-by-brace", "bad-percent-encoding",
        "broken-payload", "payload-not-an-object"])
def test_a_malformed_signed_request_is_a_400_without_a_traceback(product: Stack, body: bytes,
                                                                content_type: str) -> None:
    assert signed_post(product, body, content_type) == 400
    assert "Traceback" not in product.app.output()
    assert not product.slack.calls


@pytest.mark.parametrize("timestamp", ["yesterday", "1e9", "-5", "17.5", "99999999999999999999"])
def test_a_malformed_timestamp_header_is_a_400(product: Stack, timestamp: str) -> None:
    response = product.driver.client.post(
        f"{product.app.url}/slack/events", content=b"[" * 200_000,
        headers={"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
                 "X-Slack-Signature": "v0=00"})
    assert response.status_code == 400
    assert "Traceback" not in product.app.output()


def test_an_unsigned_deeply_nested_body_is_refused_as_unsigned(product: Stack) -> None:
    response = product.driver.client.post(f"{product.app.url}/slack/events", content=b"{" + b'"a":{' * 50_000,
                                          headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert "Traceback" not in product.app.output()


def test_no_request_body_reaches_the_log_and_no_line_can_be_forged(product: Stack) -> None:
    forged = b"text=hello\n2026-11-25 12:00:00,000 ERROR bot: FORGED-LINE&user_id=U_EVIL"
    product.driver.post(forged, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    # A genuine submission that arrives late (replayed, or a slow proxy) carries the numbers people want called.
    late = int(time.time()) - 400
    payload = {"type": "view_submission", "view": {"type": "modal", "state": {"values": {"callees": {"callees": {
        "type": "plain_text_input", "value": FORM["callees"]}}}}}}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert product.driver.post(body, "application/x-www-form-urlencoded", timestamp=late,
                               signature=sign(body, late)).status_code == 401
    log = product.app.output()
    assert "refused" in log  # the refusals are logged, without what was sent
    assert "FORGED-LINE" not in log and "U_EVIL" not in log
    assert "13012345670" not in log and "1234-5670" not in log
