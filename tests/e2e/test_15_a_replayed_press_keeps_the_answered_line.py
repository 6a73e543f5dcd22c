"""Issue 15: after a crash, a button press handled again redrew its question in place and
dropped the answered line above it.

The bot is killed once a press has been handled and shown, but before its journal entry was
noted as handled (a few milliseconds a crash can fall into): the journal gives it again at the
next start. Reproduced without luck: the entry the crash would have left is written back
before the bot starts again. The chat must read as if there had been no crash.
"""

from __future__ import annotations

import json
import signal
import sqlite3

from bot.store.sqlite import SQLiteStore
from tests.support.tidy_chat import live
from tests.support.users import TelegramUser, visible_text
from tests.support.waiting import eventually

from .conftest import BotProcess
from .test_15_one_live_question import at_the_product


async def handled(bot: BotProcess) -> None:
    """Every update the bot fetched is handled and its journal entry gone: killed now, the bot
    replays nothing (a replayed /start would show its menu twice)."""
    def empty() -> bool:
        with sqlite3.connect(bot.database) as db:
            return int(db.execute("SELECT COUNT(*) FROM inbox").fetchone()[0]) == 0
    await eventually(empty, "the journal emptied")


async def crash_before_noting(bot: BotProcess, update: dict[str, object]) -> None:
    """Kill the bot, leaving ``update`` in its journal as a crash just before its note would;
    start it again: it replays the update."""
    await handled(bot)
    await bot.stop(signal.SIGKILL)
    store = SQLiteStore(bot.database)
    await store.journal([(int(str(update["update_id"])), json.dumps(update))])
    await store.close()
    await bot.start()
    await eventually(lambda: f"replaying update {update['update_id']}" in bot.log(),
                     "the press replayed")
    await handled(bot)


async def test_a_replayed_answer_press_leaves_the_chat_as_it_was(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.send("Bars")
    question = await maya.wait_for_text("Question 3 of")
    await maya.press("None of these", question)
    merged = await maya.wait_for_text("Question 4 of")
    assert merged.message_id == question.message_id
    assert "Category with extra rules: None of these ✓" in visible_text(merged)
    before = [(m.message_id, visible_text(m), m.button_labels) for m in maya.messages]
    press = next(u for u in reversed(maya.emulator.update_log) if "callback_query" in u)

    await crash_before_noting(bot, press)

    after = [(m.message_id, visible_text(m), m.button_labels) for m in maya.messages]
    assert after == before  # the answered line stays above the next question, nothing added
    assert len(live(maya.messages)) == 1
    await maya.press("Ongoing partnership / ambassador", maya.messages[-1])
    await maya.wait_for_text("Question 5 of")
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
