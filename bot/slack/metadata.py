"""The one reader of a modal's private_metadata: which channel the form was opened in and which draft it shows."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metadata:
    channel: str = ""
    draft: str = ""  # the saved draft a preview shows; "" on the form

    def to_dict(self) -> dict[str, str]:
        """What views carry in private_metadata (the form's has no draft yet)."""
        return {"channel": self.channel, **({"draft": self.draft} if self.draft else {})}


def read_metadata(view: dict[str, Any]) -> Metadata:
    """Whatever arrives (an old modal, a hand-made payload), a Metadata of strings; anything else is ignored."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        log.warning("unreadable private_metadata ignored")
        return Metadata()
    if not isinstance(data, dict):
        return Metadata()
    channel, draft = data.get("channel", ""), data.get("draft", "")
    return Metadata(channel=channel if isinstance(channel, str) else "", draft=draft if isinstance(draft, str) else "")
