"""Logging set-up: one line per record, with every token and secret scrubbed before it is written."""

from __future__ import annotations

import logging
import re
import sys

_TOKENS = re.compile(r"\b(xox[abposr]|xapp)-[A-Za-z0-9-]+|(Credential=)[^/\s,]+|(Signature=)[0-9a-f]+|"
                     r"(?i:authorization['\"]?\s*[:=]\s*['\"]?)[^'\",}]+")


class Redact(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s and len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self._secrets:
            message = message.replace(secret, "[redacted]")
        message = _TOKENS.sub(lambda m: (m.group(2) or m.group(3) or "") + "[redacted]", message)
        record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = None  # tracebacks are formatted later: redact that text too, through a formatter
        return True


class RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Redact) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        probe = logging.LogRecord(record.name, record.levelno, "", 0, text, None, None)
        self._redact.filter(probe)
        return str(probe.msg)


def setup(secrets: list[str], level: int = logging.INFO) -> None:
    redact = Redact(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(redact))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
