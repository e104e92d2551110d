"""Log lines: one per record whatever the text in it, secrets found from the settings' types."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.logs import RedactingFormatter


def test_a_newline_in_a_logged_value_cannot_start_a_new_line() -> None:
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "campaign %s", (
        "Renewals\n2026-11-25 12:00:00,000 ERROR bot: forged\r\x1b[2J",), None)
    line = RedactingFormatter([]).format(record)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "Renewals\\n2026-11-25" in line


def test_a_traceback_is_one_line_too() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        import sys

        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = RedactingFormatter([]).format(record)
    assert "\n" not in line and "Traceback" in line and "ValueError: bad\\nvalue" in line


def test_every_secret_setting_is_scrubbed_without_a_hand_written_list() -> None:
    secret_fields = [name for name, f in Settings.model_fields.items() if "SecretStr" in str(f.annotation)]
    assert {"slack_bot_token", "slack_signing_secret", "tencentcloud_secret_key"} <= set(secret_fields)
    values: dict[str, Any] = {name: SecretStr(f"secret-{name}") for name in secret_fields}
    settings = Settings.model_construct(**values, ccc_sdk_app_id=1)
    assert sorted(settings.secret_values()) == sorted(f"secret-{name}" for name in secret_fields)
    unset = Settings.model_construct(**{**values, "tencentcloud_session_token": None}, ccc_sdk_app_id=1)
    assert "secret-tencentcloud_session_token" not in unset.secret_values()


def test_bolts_own_refusal_line_loses_the_body(capsys: pytest.CaptureFixture[str]) -> None:
    """Bolt logs a refused request's whole body; a late genuine one carries the numbers people want called."""
    from slack_bolt.middleware.request_verification import RequestVerification

    from bot.logs import setup

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup([])
        RequestVerification(signing_secret="x")._debug_log_error(
            "v0=abc", "1700000000", "callees=13012345670%0A2026-11-25 ERROR forged")
    finally:
        root.handlers[:], root.level = saved
    line = capsys.readouterr().err
    assert "Invalid request signature detected" in line and "withheld" in line
    assert "13012345670" not in line and "forged" not in line and line.count("\n") == 1
