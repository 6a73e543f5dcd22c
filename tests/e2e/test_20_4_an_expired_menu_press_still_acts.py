"""Issue 20, defect 4: a menu press that expired showed an error and did nothing.

``/forget``, the bot down, a tap on "Yes, delete everything", the bot back: python-telegram-bot
could no longer answer the press (Telegram lets a press be answered for a few seconds only), that
failure ended the update, and the person read "Sorry, something went wrong" with nothing deleted.
"""

from __future__ import annotations

import signal

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import BotProcess
from .test_private_review import answer, begin, stored_step


async def test_forget_confirmed_while_the_bot_was_down_deletes_everything(
        bot: BotProcess, emulator: BotApiEmulator, maya: TelegramUser) -> None:
    await begin(maya)
    await answer(maya, "Acme", number=2)
    await maya.send("/forget")
    confirm = await maya.wait_for_text("Delete everything I keep about you?")
    await bot.stop(signal.SIGKILL)
    await maya.press("🗑 Yes, delete everything", confirm)
    emulator.expire_queries()
    await bot.start()
    await maya.wait_for_text("everything I kept about you is deleted")
    assert stored_step(bot, maya) is None
    assert all("something went wrong" not in m.visible for m in maya.messages)
