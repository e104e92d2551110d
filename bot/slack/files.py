"""Uploaded files: files.info, then the bytes from url_private_download with the bot token — from Slack's own file
host only — decoded as the spreadsheet programs people use save them."""

from __future__ import annotations

import codecs
from urllib.parse import urlsplit

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

MAX_BYTES = 10 * 1024 * 1024  # Slack's limit for a file_input
NO_SCOPE = ("Slack answered with a login page instead of the file: the bot lacks the files:read permission. "
            "Ask an admin to reinstall the app with that scope, or paste the numbers instead.")
_DEFAULT_PORTS = {"https": 443, "http": 80}


class FileProblem(Exception):
    """The file cannot be read; the message is for the person who attached it."""


def file_origins(api_url: str) -> set[tuple[str, str, int]]:
    """Where the bot token may be sent for a file: https://files.slack.com; when SLACK_API_URL points elsewhere
    (GovSlack, a proxy, a test double), that host as it is given and its `files.` host. (scheme, host, port)."""
    api = urlsplit(api_url)
    host = (api.hostname or "").lower()
    if host in ("slack.com", "www.slack.com"):
        return {("https", "files.slack.com", 443)}
    port = api.port or _DEFAULT_PORTS.get(api.scheme, 443)
    return {(api.scheme, host, port), (api.scheme, f"files.{host}", port)}


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    return parts.scheme, (parts.hostname or "").lower(), port


def decode_file(name: str, data: bytes) -> str:
    """UTF-16 with a BOM (Excel's "Unicode Text"), else UTF-8 (with or without BOM), else GB18030 as Chinese Excel
    exports CSV."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(f"{name} is not a text or CSV file.")


class Files:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._origins = file_origins(client.base_url)

    async def read_text(self, file_id: str) -> tuple[str, str]:
        """(file name, text)."""
        try:
            info = (await self._client.files_info(file=file_id))["file"]
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error == "missing_scope":
                raise FileProblem(NO_SCOPE) from None
            raise FileProblem(f"Slack could not give me the file ({error}). Attach it again.") from None
        name = str(info.get("name") or "file")
        if int(info.get("size") or 0) > MAX_BYTES:
            raise FileProblem(f"{name} is larger than 10 MB.")
        if info.get("is_external"):
            raise FileProblem(f"{name} is a link to a file stored outside Slack. Upload the file itself instead.")
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        if not url:
            raise FileProblem(f"Slack gave no download address for {name}.")
        # The bot token goes with the download: only ever to Slack's own file host, over its own scheme.
        if _origin(url) not in self._origins:
            raise FileProblem(f"{name} is not stored on Slack's file server, so the bot will not fetch it. "
                              "Upload the file itself, or paste the numbers instead.")
        return name, decode_file(name, await self._download(url))

    async def _download(self, url: str) -> bytes:
        headers = {"Authorization": f"Bearer {self._client.token}"}  # the bot token: files:read is the bot's
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0), follow_redirects=False) as http:
            try:
                async with http.stream("GET", url, headers=headers) as response:
                    if response.is_redirect or "text/html" in response.headers.get("content-type", ""):
                        raise FileProblem(NO_SCOPE)
                    if response.status_code != 200:
                        raise FileProblem(f"Slack answered HTTP {response.status_code} for the file. Attach it again.")
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FileProblem("The file is larger than 10 MB.")
                        chunks.append(chunk)
                    return b"".join(chunks)
            except httpx.HTTPError as exc:
                raise FileProblem(f"The file could not be downloaded ({type(exc).__name__}). Try again.") from None
