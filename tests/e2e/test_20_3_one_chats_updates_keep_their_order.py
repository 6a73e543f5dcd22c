"""Issue 20, defect 3: two updates of one chat could run out of order.

The handler of a menu press waited for Telegram to answer the press before it took the
conversation's lock, while updates run concurrently: "Review a sponsorship offer" tapped, then
"Acme" typed while the bot was down, and on its return "Acme" overtook the press and got the
welcome menu (5 of 5 times). Updates of one conversation are handled in arrival order.
"""

from __future__ import annotations

import signal

from tests.support.users import TelegramUser

from .conftest import BotProcess
from .test_private_review import stored_step


async def test_a_menu_press_and_the_answer_typed_after_it_apply_in_that_order(
        bot: BotProcess, maya: TelegramUser) -> None:
    for _ in range(3):  # it failed every time: three rounds leave no luck in it
        await maya.send("/start")
        menu = await maya.wait_for_text("I'm Halo Coach")
        await bot.stop(signal.SIGKILL)
        await maya.press("🧭 Review a sponsorship offer", menu)  # while the bot is down
        await maya.send("Acme")
        await bot.start()
        await maya.wait_for_text("What would you be promoting for Acme?")
        assert stored_step(bot, maya) == "ask_product"
        await maya.send("/forget")  # a clean start for the next round
        confirm = await maya.wait_for_text("Delete everything")
        await maya.press("🗑 Yes, delete everything", confirm)
        await maya.wait_for_text("everything I kept about you is deleted")
