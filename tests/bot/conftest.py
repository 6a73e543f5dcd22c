"""Fixtures for the offline bot tests: the real Application with an in-process Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.clock import Clock
from bot.settings import Settings
from bot.store import Store, open_store
from bot.telegram.app import build_application
from tests.support.offline import TOKEN, OfflineRequest, Updates


@dataclass
class OfflineBot:
    application: Application[Any, Any, Any, Any, Any, Any]
    request: OfflineRequest
    store: Store
    updates: Updates

    async def feed(self, update: Any) -> None:
        await self.application.process_update(update)

    def texts(self, chat_id: int) -> list[str]:
        return self.request.sent_texts(chat_id)


def offline_settings(tmp_path: Path) -> Settings:
    return Settings(telegram_bot_token=TOKEN, database_url=f"sqlite:///{tmp_path}/halo.db",
                    chat_messages_per_second=1000, _env_file=None)  # type: ignore[call-arg]


@asynccontextmanager
async def running_offline(folder: Path, request: OfflineRequest | None = None,
                          clock: Clock | None = None) -> AsyncIterator[OfflineBot]:
    """The real application on a SQLite file in ``folder``, the Bot API ``request`` in process;
    ``clock``: the bot's "now" for deals and reminders (default: real time)."""
    settings = offline_settings(folder)
    store = open_store(settings.database_url)
    request = request or OfflineRequest()
    application = build_application(settings, store, request=request, rate_limit=False,
                                    clock=clock)
    await application.initialize()
    try:
        yield OfflineBot(application, request, store, Updates(application.bot))
    finally:
        await application.shutdown()
        await store.close()


@pytest.fixture
async def offline(tmp_path: Path) -> AsyncIterator[OfflineBot]:
    async with running_offline(tmp_path) as bot:
        yield bot
