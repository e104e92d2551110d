"""Logging set-up: one line per record, with every token and secret scrubbed and no request body in it."""

from __future__ import annotations

import logging
import re
import sys

_TOKENS = re.compile(r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+|(?<=Credential=)[^/\s,]+|(?<=Signature=)[0-9a-f]+")
# Newlines and other control characters escaped: text from a request cannot start a forged log line.
_ONE_LINE = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F] if c != 0x09} | {0x0A: "\\n", 0x0D: "\\r"}
# Bolt's own lines that carry a request body, or the parts of one a person typed.
_BOLT_BODY = ("Invalid request signature detected", "without providing a response for the request",
              "Unhandled request", "body:")


class RedactingFormatter(logging.Formatter):
    """Scrubs after formatting, so arguments, exception text and tracebacks are all covered; then makes the whole
    record one line (a traceback's newlines become `\\n`)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = [s for s in secrets if len(s) >= 4]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKENS.sub("[redacted]", text).translate(_ONE_LINE)


class _DropBoltTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that our configured client wins;
    it always does, by design, so the notice only confuses operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class _WithholdBoltBodies(logging.Filter):
    """Bolt logs a refused request's whole body (a late genuine one carries the callee numbers; a forged one can be
    1 GB) and parts of unhandled ones: such a line keeps its first words only."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(marker in message for marker in _BOLT_BODY):
            record.msg = message.split(" (", 1)[0] + " (request details withheld)"
            record.args = ()
        return True


def setup(secrets: list[str], level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(_DropBoltTokenNotice())
    handler.addFilter(_WithholdBoltBodies())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request: our own lines say more
