"""What the bot's log says, read as an operator would: at DEBUG, a whole review leaves no word
anyone wrote and no name in it; the start-up names the store; a replayed update is logged by id;
``LOG_FORMAT=json`` gives one JSON object a line."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from bot.store.sqlite import SQLiteStore
from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import BotProcess
from .test_private_review import GOOD_DEAL

BRAND, PRODUCT = "Brandolinox", "Serumtastic glow drops"


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_debug_logs_of_a_full_review_hold_no_text_and_no_names(
        emulator: BotApiEmulator, tmp_path: Path, log_format: str) -> None:
    zoe = TelegramUser(emulator, 4242, "Zenobia", last_name="Quillfeather",
                       username="zq_creates")
    bot = BotProcess(emulator, tmp_path, LOG_LEVEL="DEBUG", LOG_FORMAT=log_format)
    await bot.start()
    try:
        await zoe.send("/review")
        await zoe.wait_for_text("Question 1 of")
        for number, text in enumerate([BRAND, PRODUCT, *GOOD_DEAL[2:]], start=2):
            await zoe.send(text)
            if number <= len(GOOD_DEAL):
                await zoe.wait_for_text(f"Question {number} of")
        await zoe.wait_for_text("Here's what you told me")
        await zoe.press("✅ See my recommendation")
        await zoe.wait_for_text("My recommendation")
    finally:
        await bot.stop(signal.SIGTERM)
    bot.assert_clean_log()
    log = bot.log()
    said = [BRAND, PRODUCT, "Zenobia", "Quillfeather", "zq_creates", "Glow", "regularly",
            "Which brand", "My recommendation", "Here's what you told me"]
    assert [word for word in said if word in log] == []
    assert "Calling Bot API endpoint `getUpdates`" in log  # python-telegram-bot's DEBUG lines
    assert "Processing update <update 2>" in log
    assert f"store: SQLite at {bot.database}" in log
    if log_format == "json":
        entries = [json.loads(line) for line in log.splitlines()]
        assert {"time", "level", "logger", "message"} <= set(entries[0])
        assert any(e["level"] == "DEBUG" and e["logger"].startswith("telegram") for e in entries)


async def test_a_replayed_update_is_logged_by_its_id(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    bot = BotProcess(emulator, tmp_path)
    emulator.chat_for(maya.user)  # Maya had written to the bot before
    store = SQLiteStore(bot.database)  # a previous run journaled /help, then crashed
    help_command = {"update_id": 777, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/help",
        "chat": {"id": maya.id, "type": "private"}, "from": maya.user.to_api(),
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
    await store.journal([(777, json.dumps(help_command))])
    await store.close()
    await bot.start()
    try:
        await maya.wait_for_text("/review")  # answered from the journal
    finally:
        await bot.stop(signal.SIGTERM)
    bot.assert_clean_log()
    assert "replaying update 777" in bot.log()
    assert "Maya" not in bot.log()
