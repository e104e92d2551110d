"""Every HTTP request from Slack, checked before Bolt reads it: size, time to send, signature and age, encoding."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

MAX_BODY = 1024 * 1024  # Slack's largest payload (a modal's whole state) is tens of KB
READ_TIMEOUT = 10.0  # Slack sends a body at once; one trickling in is holding a connection hostage
MAX_AGE = 300  # seconds: Slack's replay window, as Bolt applies it
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class Refused(Exception):
    """The request is answered with `status` and never reaches Bolt; `reason` is for the log (no body in it)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: Request) -> bytes:
    """The body, counted while it is read: over MAX_BODY the reading stops at once, whatever the headers claim."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise Refused(413, f"a body of {length} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise Refused(413, f"a body over {MAX_BODY} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise Refused(408, f"the body took over {READ_TIMEOUT:.0f} s to arrive") from None
    except ClientDisconnect:
        raise Refused(400, "the client went away mid-body") from None
    body = b"".join(chunks)
    request._body = body  # Starlette's own cache: a second reader (request.body(), stream()) gets these bytes
    return body


def is_command(body: bytes) -> bool:
    """A slash command's form body (Slack puts `token` first, but any order is accepted)."""
    return body.startswith(b"command=") or b"&command=%2F" in body or b"&command=/" in body


def refusal(refused: Refused) -> Response:
    """Connection: close — the rest of a refused body is not read, and a trickling client loses its socket."""
    return JSONResponse({"error": refused.reason}, status_code=refused.status, headers={"Connection": "close"})


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: float) -> None:
    """Slack's v0 signature over timestamp and body, and a timestamp within MAX_AGE of now."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if timestamp is None or signature is None:
        raise Refused(401, "an unsigned request")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Refused(400, "a malformed X-Slack-Request-Timestamp")
    if abs(now - int(timestamp)) > MAX_AGE:
        raise Refused(401, "a stale request (replayed, or this machine's clock is off)")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Refused(401, "a wrong signature")


def decode(body: bytes, content_type: str | None) -> str:
    """The body as Bolt will parse it (JSON, a form, a form carrying a JSON `payload`), refused if Bolt would choke."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "a body that is not UTF-8") from None
    if not text:
        return text
    if content_type == "application/json" or text.startswith("{"):  # Bolt's own rule for a JSON body
        _json_object(text)
        return text
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict"))
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "a malformed form body") from None
    if "payload" in fields:
        _json_object(fields["payload"])
    return text


def _json_object(text: str) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, "malformed or too deeply nested JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, "JSON that is not an object")
