"""The sandbox label: every view and message the bot sends carries "Sandbox — no calls are made" when CCC is
emulated, stamped at the few places where anything leaves for Slack (Web API client, ack, respond)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

LABEL = "Sandbox — no calls are made"
BLOCK_ID = "sandbox_label"
TITLE_PREFIX = "Sandbox · "
_TITLE_MAX, _MODAL_BLOCKS, _MESSAGE_BLOCKS = 24, 100, 50
_NOTE = {"type": "context", "block_id": BLOCK_ID, "elements": [{"type": "mrkdwn", "text": (
    f":test_tube: *{LABEL}.* CCC is emulated inside the bot; set the Tencent variables to launch for real.")}]}
_VIEW_METHODS = {"views.open", "views.update", "views.push", "views.publish"}
_MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"}


def _title(text: str) -> str:
    """Slack allows 24 characters: "Sandbox · " + the title, shortened at a word when it does not fit."""
    if text.startswith("Sandbox"):
        return text
    for shorter in (text, text.replace(" and ", " & ")):
        if len(TITLE_PREFIX + shorter) <= _TITLE_MAX:
            return TITLE_PREFIX + shorter
    words, room = text.split(), _TITLE_MAX - len(TITLE_PREFIX) - 1
    kept = ""
    for word in words:
        if len(f"{kept} {word}".strip()) > room:
            break
        kept = f"{kept} {word}".strip()
    return TITLE_PREFIX + (kept or text[:room]) + "…"


def _with_note(blocks: list[Any], limit: int) -> list[Any]:
    if any(isinstance(b, dict) and b.get("block_id") == BLOCK_ID for b in blocks) or len(blocks) >= limit:
        return blocks
    return [dict(_NOTE), *blocks]


def stamp_view(view: dict[str, Any]) -> dict[str, Any]:
    """A modal gets "Sandbox" in its title and the full sentence on top; a Home tab the sentence."""
    stamped = dict(view)
    if isinstance(stamped.get("title"), dict):
        stamped["title"] = {**stamped["title"], "text": _title(str(stamped["title"].get("text", "")))}
    limit = _MODAL_BLOCKS
    stamped["blocks"] = _with_note(list(stamped.get("blocks") or []), limit)
    return stamped


def stamp_message(message: dict[str, Any]) -> dict[str, Any]:
    """Blocks get the sentence on top and the notification text its prefix; plain text starts with it."""
    stamped = dict(message)
    text = stamped.get("text")
    blocks = stamped.get("blocks")
    if isinstance(blocks, list) and blocks:
        stamped["blocks"] = _with_note(blocks, _MESSAGE_BLOCKS)
        if isinstance(text, str) and LABEL not in text:
            stamped["text"] = f"{LABEL} · {text}"
    elif isinstance(text, str) and text and LABEL not in text:
        stamped["text"] = f"_{LABEL}_\n{text}"
    return stamped


class LabelledWebClient(AsyncWebClient):
    """Every Web API call that shows something (views.*, chat.*) is stamped on its way out."""

    async def api_call(self, api_method: str, *, json: dict[str, Any] | None = None,
                       **kwargs: Any) -> AsyncSlackResponse:
        if json is not None and api_method in _VIEW_METHODS and isinstance(json.get("view"), dict):
            json = {**json, "view": stamp_view(json["view"])}
        elif json is not None and api_method in _MESSAGE_METHODS:
            json = stamp_message(json)
        return await super().api_call(api_method, json=json, **kwargs)


class _LabelledAck(AsyncAck):
    async def __call__(self, text: str | dict[str, Any] = "", blocks: Any = None,  # type: ignore[override]
                       **kwargs: Any) -> BoltResponse:
        view = kwargs.get("view")
        if isinstance(view, dict):
            kwargs["view"] = stamp_view(view)
        if isinstance(text, dict):
            text = stamp_message(text)
        elif text or blocks:
            message = stamp_message({"text": text, "blocks": blocks})
            text, blocks = message["text"], message["blocks"]
        return await super().__call__(text, blocks, **kwargs)


class _LabelledRespond(AsyncRespond):
    async def __call__(self, text: str | dict[str, Any] = "", blocks: Any = None,  # type: ignore[override]
                       **kwargs: Any) -> Any:
        if isinstance(text, dict):
            text = stamp_message(text)
        else:
            message = stamp_message({"text": text, "blocks": blocks})
            text, blocks = message["text"], message["blocks"]
        return await super().__call__(text, blocks, **kwargs)


def install(app: AsyncApp) -> None:
    """Every listener's ack, respond and client stamp what they send: listeners need do nothing."""

    @app.middleware
    async def label(context: AsyncBoltContext, next: Any) -> Any:
        context["ack"] = _LabelledAck()  # type: ignore[no-untyped-call]
        context["respond"] = _LabelledRespond(response_url=context.response_url)
        if isinstance(app.client, LabelledWebClient):
            context["client"] = app.client
        return await next()
