"""Settings from the environment or a ``.env`` file, through pydantic-settings.

The bot token is a ``SecretStr``: it prints as ``**********`` and never reaches a log line or an
error message. ``TELEGRAM_API_URL`` lets a local Bot API server (or the tests' emulator) stand in
for api.telegram.org.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# matched whole (fullmatch): with "$", a value ending in a newline would pass
TOKEN_SHAPE = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{30,64}")
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")  # Telegram allows 1-256; we ask for 16+


class TokenProblem(ValueError):
    """The token is missing or does not look like one BotFather gives; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite:///data/halo.db"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # Telegram's pace for one chat (short bursts allowed)
    chat_messages_per_second: float = Field(1.0, gt=0)
    messages_per_second: float = Field(30, gt=0)  # Telegram's pace for the whole bot
    group_messages_per_minute: float = Field(20, gt=0)  # Telegram's pace for one group
    # the Bot API client: the bot's own on httptools (bot/telegram/http11.py), aiohttp's or httpx's
    telegram_http_client: Literal["http11", "aiohttp", "httpx"] = "http11"
    # the event loop the bot runs on: uvloop's (libuv, where installed) or the standard library's
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"
    concurrent_updates: int = Field(256, ge=1)  # updates of different chats handled at once
    # live vote tallies in a group are edited at most this often
    tally_edit_seconds: float = Field(3.0, ge=0)
    # webhook workers sharing the bot: Telegram's limits are split between them
    workers: int = Field(1, ge=1)
    webhook_url: str | None = None  # the public HTTPS URL Telegram posts updates to
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8080, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    webhook_max_connections: int = Field(40, ge=1, le=100)  # Telegram's range
    # conversations idle longer than this are purged by `halo db purge`
    retention_days: int = Field(90, ge=1)
    # polling: /livez, /healthz and /metrics on this port (a webhook worker serves them on its own)
    health_port: int | None = Field(None, ge=1, le=65535)
    health_listen: str = "127.0.0.1"

    @field_validator("telegram_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", "telegram_http_client", "event_loop", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def token(self) -> str:
        """The bot token, checked; raises ``TokenProblem`` (which never contains the token)."""
        if self.telegram_bot_token is None:
            raise TokenProblem("missing")
        value = self.telegram_bot_token.get_secret_value().strip()
        if not TOKEN_SHAPE.fullmatch(value):
            raise TokenProblem("malformed")
        return value

    def webhook_secret_value(self) -> str:
        """The secret Telegram sends with every update; raises ``TokenProblem`` if unusable."""
        if self.webhook_secret is None:
            raise TokenProblem("webhook_secret_missing")
        value = self.webhook_secret.get_secret_value()
        if not SECRET_SHAPE.fullmatch(value):
            raise TokenProblem("webhook_secret_malformed")
        return value

    def webhook_path(self) -> str:
        """The path of ``webhook_url`` that the worker serves (what the load balancer forwards)."""
        path = urlsplit(self.webhook_url or "").path
        return path if path.startswith("/") and len(path) > 1 else "/telegram"

    @property
    def has_token(self) -> bool:
        return self.telegram_bot_token is not None
