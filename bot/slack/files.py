"""Uploaded files: files.info, then the bytes from url_private_download with the bot token."""

from __future__ import annotations

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

MAX_BYTES = 10 * 1024 * 1024  # Slack's limit for a file_input
NO_SCOPE = ("Slack answered with a login page instead of the file: the bot lacks the files:read permission. "
            "Ask an admin to reinstall the app with that scope, or paste the numbers instead.")


class FileProblem(Exception):
    """The file cannot be read; the message is for the person who attached it."""


class Files:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def read_text(self, file_id: str) -> tuple[str, str]:
        """(file name, text) — decoded as UTF-8 (with or without BOM), else GB18030 as Chinese Excel exports it."""
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
        url = info.get("url_private_download") or info.get("url_private")
        if not url:
            raise FileProblem(f"Slack gave no download address for {name}.")
        data = await self._download(str(url))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return name, data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise FileProblem(f"{name} is not a text or CSV file.")

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
