"""Uploaded files: files.info, then the bytes from url_private_download with the bot token."""

from __future__ import annotations

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.campaign.text import Text, lazy

MAX_BYTES = 10 * 1024 * 1024  # Slack's limit for a file_input
NO_SCOPE = lazy("Slack answered with a login page instead of the file: the bot lacks the files:read permission. "
                "Ask an admin to reinstall the app with that scope, or paste the numbers instead.")


class FileProblem(Exception):
    """The file cannot be read; the message (args[0], a lazy Text) is for the person who attached it."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)


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
            raise FileProblem(lazy("Slack could not give me the file ({error}). Attach it again.",
                                   error=error)) from None
        name = str(info.get("name") or "file")
        if int(info.get("size") or 0) > MAX_BYTES:
            raise FileProblem(lazy("{name} is larger than 10 MB.", name=name))
        url = info.get("url_private_download") or info.get("url_private")
        if not url:
            raise FileProblem(lazy("Slack gave no download address for {name}.", name=name))
        data = await self._download(str(url))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return name, data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise FileProblem(lazy("{name} is not a text or CSV file.", name=name))

    async def _download(self, url: str) -> bytes:
        headers = {"Authorization": f"Bearer {self._client.token}"}  # the bot token: files:read is the bot's
        async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0), follow_redirects=False) as http:
            try:
                async with http.stream("GET", url, headers=headers) as response:
                    if response.is_redirect or "text/html" in response.headers.get("content-type", ""):
                        raise FileProblem(NO_SCOPE)
                    if response.status_code != 200:
                        raise FileProblem(lazy("Slack answered HTTP {status} for the file. Attach it again.",
                                                    status=response.status_code))
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FileProblem(lazy("The file is larger than 10 MB."))
                        chunks.append(chunk)
                    return b"".join(chunks)
            except httpx.HTTPError as exc:
                raise FileProblem(lazy("The file could not be downloaded ({error}). Try again.",
                                       error=type(exc).__name__)) from None
