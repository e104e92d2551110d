"""Logging set-up: one line per record, with every token and secret scrubbed from the finished text."""

from __future__ import annotations

import logging
import re
import sys

_TOKENS = re.compile(r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+|(?<=Credential=)[^/\s,]+|(?<=Signature=)[0-9a-f]+")


class RedactingFormatter(logging.Formatter):
    """Scrubs after formatting, so arguments, exception text and tracebacks are all covered."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = [s for s in secrets if len(s) >= 4]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKENS.sub("[redacted]", text)


class _DropBoltTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that our configured client wins;
    it always does, by design, so the notice only confuses operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def setup(secrets: list[str], level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(_DropBoltTokenNotice())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request: our own lines say more
