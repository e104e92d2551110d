"""Settings: the environment (and a .env file when present), checked once at start-up, every problem at once."""

from __future__ import annotations

import re
import sys
from datetime import time
from typing import Any, Literal

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import SettingsConfigDict

from bot.timings import TimingSettings, whole

TENCENT_KEYS = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "CCC_SDK_APP_ID")


class Settings(TimingSettings):
    """Each field checks its own format; which fields are required depends on the mode (see `problems`). The
    timings (DIALCAMPAIGN_WATCH_INTERVAL and the other internal clocks) are TimingSettings' fields."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str | None = None  # read only to refuse it: see problems()
    slack_client_secret: SecretStr | None = None
    tencentcloud_secret_id: SecretStr | None = None
    tencentcloud_secret_key: SecretStr | None = None
    tencentcloud_session_token: SecretStr | None = None
    ccc_sdk_app_id: int | None = None
    ccc_endpoint: str = "https://ccc.tencentcloudapi.com"
    database_url: str = "sqlite:///dialcampaign.db"
    port: int = 3000
    dialcampaign_default_region: str = "CN"
    dialcampaign_calling_hours: str = "08:00-21:00"
    dialcampaign_launchers: str = ""
    dialcampaign_channels: str = ""
    dialcampaign_language: Literal["", "en", "zh-Hans", "zh-Hant", "ja"] = ""  # channels' one language; "": requester's
    dialcampaign_max_callees: int = 50_000  # see MAX_CALLEES in campaign/draft.py
    dialcampaign_dnc_admins: str = ""
    dialcampaign_max_calls_per_day: int = 5
    dialcampaign_blocked_regions: str = "+86:Xinjiang,+86:Tibet"
    dialcampaign_sandbox: str = ""  # "": sandbox when no Tencent credentials; "false": credentials required

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)")
        return value

    @field_validator("slack_signing_secret", "tencentcloud_secret_id", "tencentcloud_secret_key",
                     "tencentcloud_session_token", "slack_client_secret")
    @classmethod
    def _blank_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        # An empty line in .env (`TENCENTCLOUD_SECRET_ID=`) means "not set", never "an empty key".
        return value if value is not None and value.get_secret_value().strip() else None

    @field_validator("ccc_sdk_app_id", mode="before")
    @classmethod
    def _sdk_app_id(cls, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        if not text.isdigit() or int(text) <= 0:
            raise ValueError("must be the CCC application id, a whole number such as 1400000001 (the CCC "
                             "console lists it beside the application's name)")
        return int(text)

    @field_validator("dialcampaign_max_callees", mode="before")
    @classmethod
    def _max_callees(cls, value: Any) -> int:
        return whole(value, 1, None, "must be a whole number above 0, the most numbers one campaign may call "
                                     "(e.g. 50000)")

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: Any) -> int:
        return whole(value, 1, 65535, "must be a TCP port number between 1 and 65535")

    @field_validator("slack_api_url", "ccc_endpoint")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be a URL starting with http:// or https://")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        # Heroku hands out postgres://; SQLAlchemy wants a dialect, and psycopg 3 is the driver we ship.
        value = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", value)
        if not re.match(r"^(sqlite|postgresql\+psycopg)://", value):
            raise ValueError("must be a sqlite:/// or postgres:// URL")
        return value

    @field_validator("dialcampaign_default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        import phonenumbers

        if value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be a two-letter region code such as CN or US")
        return value.upper()

    @field_validator("dialcampaign_calling_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        if value.strip() and parse_hours(value) is None:
            raise ValueError("must look like 08:00-21:00 (or be empty to disable the guard)")
        return value.strip()

    @field_validator("dialcampaign_launchers", "dialcampaign_channels", "dialcampaign_dnc_admins")
    @classmethod
    def _ids(cls, value: str) -> str:
        for item in split_ids(value):
            if not re.fullmatch(r"[UWSCGD][A-Z0-9]{2,}", item):
                raise ValueError(f"'{item}' is not a Slack ID")
        return value

    @field_validator("dialcampaign_max_calls_per_day", mode="before")
    @classmethod
    def _max_calls(cls, value: Any) -> int:
        text = str(value).strip()
        if not text.isdigit() or int(text) <= 0:
            raise ValueError("must be a whole number of campaigns per callee in 24 hours, such as 5 (CCC's own "
                             "limit)")
        return int(text)

    @field_validator("dialcampaign_blocked_regions")
    @classmethod
    def _blocked_regions(cls, value: str) -> str:
        from bot.campaign.regions import parse_rules

        if parse_rules(value) is None:
            raise ValueError("must look like +86:Xinjiang,+86:Tibet (country code, a colon, a region name as "
                             "phonenumbers' geocoder writes it in English or Chinese), or be empty")
        return value

    @field_validator("dialcampaign_sandbox")
    @classmethod
    def _sandbox(cls, value: str) -> str:
        word = value.strip().lower()
        if word in ("", "auto"):
            return ""
        if word in ("true", "1", "yes", "on"):
            return "true"
        if word in ("false", "0", "no", "off"):
            return "false"
        raise ValueError("must be true, false or unset (unset: the sandbox when no Tencent credentials are set)")

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def sandbox(self) -> bool:
        """The embedded CCC emulator instead of Tencent: asked for, or no Tencent credentials and not forbidden."""
        if self.dialcampaign_sandbox:
            return self.dialcampaign_sandbox == "true"
        return all(v is None for v in (self.tencentcloud_secret_id, self.tencentcloud_secret_key, self.ccc_sdk_app_id))

    @property
    def calling_hours(self) -> tuple[time, time] | None:
        return parse_hours(self.dialcampaign_calling_hours) if self.dialcampaign_calling_hours else None

    @property
    def launchers(self) -> list[str]:
        return split_ids(self.dialcampaign_launchers)

    @property
    def channels(self) -> list[str]:
        return split_ids(self.dialcampaign_channels)

    @property
    def dnc_admins(self) -> list[str]:
        """Who may change the do-not-call list: the admins when set, else the launchers."""
        return split_ids(self.dialcampaign_dnc_admins) or self.launchers

    @property
    def blocked_regions(self) -> tuple[tuple[str, str], ...]:
        from bot.campaign.regions import parse_rules

        return parse_rules(self.dialcampaign_blocked_regions) or ()

    def secret_values(self) -> list[str]:
        """Every configured secret, found by its type, for the log scrubber."""
        values = (getattr(self, name) for name in type(self).model_fields)
        return [v.get_secret_value() for v in values if isinstance(v, SecretStr)]

    def problems(self) -> list[tuple[str, str]]:
        """What the chosen mode needs and is missing: (VARIABLE, what is wrong), in a stable order."""
        found: list[tuple[str, str]] = []
        if self.slack_bot_token is None:
            found.append(("SLACK_BOT_TOKEN", "is required but not set (OAuth & Permissions → Bot User OAuth Token, "
                                             "xoxb-…)"))
        if not self.socket_mode and self.slack_signing_secret is None:
            found.append(("SLACK_SIGNING_SECRET", "is required unless SLACK_APP_TOKEN selects Socket Mode (Basic "
                                                  "Information → Signing Secret)"))
        if self.slack_client_id and self.slack_client_secret:
            found.append(("SLACK_CLIENT_SECRET", "and SLACK_CLIENT_ID are set: this bot runs in one workspace with "
                                                 "SLACK_BOT_TOKEN; unset them (Bolt would silently switch to OAuth "
                                                 "installs)"))
        if not self.sandbox:
            given = [self.tencentcloud_secret_id, self.tencentcloud_secret_key, self.ccc_sdk_app_id]
            why = ("DIALCAMPAIGN_SANDBOX=false asks for Tencent CCC" if self.dialcampaign_sandbox == "false" else
                   "when any Tencent variable is set (unset all three to use the sandbox)")
            found += [(name, f"is required but not set: {why}") for name, value in zip(TENCENT_KEYS, given,
                                                                                         strict=True)
                      if value is None]
        return found


def split_ids(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_hours(value: str) -> tuple[time, time] | None:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
    if not match:
        return None
    h1, m1, h2, m2 = map(int, match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1) or (h2 == 24 and m2):
        return None
    return time(h1, m1), (time(23, 59, 59) if h2 == 24 else time(h2, m2))


def _words(error: Any) -> str:
    """A pydantic error in our words: the value is never echoed (it may be a secret)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    kind = str(error["type"])
    if kind == "missing":
        return "is required but not set"
    if kind.startswith("int"):
        return "must be a whole number"
    if kind.startswith("string"):
        return "must be text"
    return message


def read_settings() -> tuple[Settings, list[str]]:
    """Settings from the environment and every problem with them, one line per variable."""
    lines: list[str] = []
    overrides: dict[str, Any] = {}
    for _ in range(2):  # a second pass with the malformed fields at their defaults finds what the mode is missing
        try:
            settings = Settings(**overrides)
            break
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                lines.append(f"{field.upper()} {_words(error)}".strip())
                if field:
                    overrides[field] = Settings.model_fields[field].default
    else:  # pragma: no cover - defaults are valid, so the second pass cannot fail
        raise AssertionError("settings defaults are invalid")
    reported = {line.split()[0] for line in lines}
    lines += [f"{name} {what}" for name, what in settings.problems() if name not in reported]
    return settings, lines


def load_settings() -> Settings:
    """Settings, or exit 2 with one line per bad or missing variable (never a traceback or a value)."""
    settings, lines = read_settings()
    if lines:
        for line in lines:
            print(f"dialcampaign: configuration error: {line}", file=sys.stderr)
        raise SystemExit(2)
    return settings
