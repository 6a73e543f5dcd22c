"""The event loop the bot runs on (``EVENT_LOOP``, bot/loop.py): uvloop's by default, the standard
library's on request or where uvloop cannot be imported."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from bot.loop import run
from bot.settings import Settings


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_the_bot_runs_on_uvloop_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENT_LOOP", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.event_loop == "uvloop"
    assert run(_loop_module(), settings.event_loop).startswith("uvloop")


def test_event_loop_asyncio_runs_the_standard_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_LOOP", " AsyncIO ")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.event_loop == "asyncio"
    assert run(_loop_module(), settings.event_loop).startswith("asyncio")


def test_without_uvloop_the_standard_loop_runs_and_the_log_says_so(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    with caplog.at_level(logging.WARNING, logger="bot.loop"):
        assert run(_loop_module(), "uvloop").startswith("asyncio")
    assert "uvloop is not installed" in caplog.text
