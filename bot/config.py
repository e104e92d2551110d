"""Settings: the environment (and a .env file when present), checked once at start-up."""

from __future__ import annotations

import re
import sys
from datetime import time

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str | None = None  # read only to refuse it: see _single_workspace
    slack_client_secret: SecretStr | None = None
    tencentcloud_secret_id: SecretStr
    tencentcloud_secret_key: SecretStr
    tencentcloud_session_token: SecretStr | None = None
    ccc_sdk_app_id: int = Field(gt=0)
    ccc_endpoint: str = "https://ccc.tencentcloudapi.com"
    database_url: str = "sqlite:///dialcampaign.db"
    port: int = Field(default=3000, gt=0, lt=65536)
    dialcampaign_default_region: str = "CN"
    dialcampaign_calling_hours: str = "08:00-21:00"
    dialcampaign_launchers: str = ""
    dialcampaign_channels: str = ""
    dialcampaign_watch_interval: int = Field(default=60, ge=1, le=3600)  # seconds between Describes of a campaign

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("tencentcloud_secret_id", "tencentcloud_secret_key")
    @classmethod
    def _not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

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

    @field_validator("dialcampaign_launchers", "dialcampaign_channels")
    @classmethod
    def _ids(cls, value: str) -> str:
        for item in split_ids(value):
            if not re.fullmatch(r"[UWSCGD][A-Z0-9]{2,}", item):
                raise ValueError(f"'{item}' is not a Slack ID")
        return value

    @model_validator(mode="after")
    def _single_workspace(self) -> Settings:
        # Bolt turns itself into a multi-workspace OAuth app, with file stores, when it sees both of these.
        if self.slack_client_id and self.slack_client_secret:
            raise ValueError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: this bot runs in one workspace with "
                             "SLACK_BOT_TOKEN; unset them (Bolt would silently switch to OAuth installs)")
        return self

    @model_validator(mode="after")
    def _http_needs_secret(self) -> Settings:
        if self.slack_app_token is None and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN selects Socket Mode")
        return self

    @property
    def calling_hours(self) -> tuple[time, time] | None:
        return parse_hours(self.dialcampaign_calling_hours) if self.dialcampaign_calling_hours else None

    @property
    def launchers(self) -> list[str]:
        return split_ids(self.dialcampaign_launchers)

    @property
    def channels(self) -> list[str]:
        return split_ids(self.dialcampaign_channels)


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


def load_settings() -> Settings:
    """Settings from the environment, or exit with one line naming the variable (never a traceback or a value)."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required but not set"
        line = f"dialcampaign: configuration error: {name} {message}" if name else \
            f"dialcampaign: configuration error: {message}"
        print(line, file=sys.stderr)
        raise SystemExit(2) from None
