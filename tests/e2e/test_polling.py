"""The bot's own long polling (``bot/telegram/polling.py``), end to end: a failing Telegram front
end, a clean stop, and a restart that answers nothing twice."""

from __future__ import annotations

import signal

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import BotProcess


async def test_a_failing_get_updates_is_retried_and_nothing_is_lost(
        emulator: BotApiEmulator, bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/start")
    await maya.wait_for_text("Halo Coach")
    emulator.outage("getUpdates", 2)  # the next two polls get 502, then Telegram recovers
    await maya.send("/help")  # ends the poll already waiting: the failing ones come next
    await maya.wait_for_text("/review")
    await emulator.wait_until(lambda: emulator.outages["getUpdates"] == 0, what="the outage")
    await maya.send("/privacy")  # sent while the bot waits to try again
    await maya.wait_for_text("delete", timeout=20)
    assert "getUpdates failed (NetworkError); retrying" in bot.log()
    assert bot.process is not None and bot.process.returncode is None


async def test_a_stopped_bot_exits_cleanly_and_a_restart_answers_nothing_twice(
        emulator: BotApiEmulator, bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/start")
    await maya.wait_for_text("Halo Coach")
    answered = len(maya.messages)
    process = bot.process
    assert process is not None
    await bot.stop(signal.SIGTERM)
    assert process.returncode == 0
    assert emulator.updates == []  # what was fetched was confirmed on the way out
    await bot.start()
    await maya.send("/help")
    await maya.wait_for_text("/review")
    assert len(maya.messages) == answered + 1  # /start was not answered again
