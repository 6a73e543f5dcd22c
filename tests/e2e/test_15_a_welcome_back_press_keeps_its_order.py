"""Issue 15: "Continue where I was" and "Take up the cancelled review" on the /start menu took
their keyboard off before they were handled, so an answer typed just after the press could
overtake it (the flow entries of the same menu were fixed in issue 20, defect 3).

Pressed while the bot is down, then an answer typed: on the bot's return both arrive in one batch,
and the answer must be applied after the press, as it was given.
"""

from __future__ import annotations

import signal

from tests.support.emulator import StoredMessage
from tests.support.tidy_chat import live
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess
from .test_15_a_replayed_press_keeps_the_answered_line import handled
from .test_15_one_live_question import at_the_product
from .test_private_review import stored_step


async def pressed_then_answered_while_down(bot: BotProcess, maya: TelegramUser, button: str,
                                          menu: StoredMessage) -> None:
    """``button`` of ``menu`` pressed, then the product typed, while the bot is down; once it
    is back, both are applied in that order and the one keyboard is on the next question."""
    await handled(bot)
    await bot.stop(signal.SIGKILL)
    await maya.press(button, menu)
    await maya.send("Protein bars")
    await bot.start()
    await maya.wait_for_text("Question 3 of")
    assert stored_step(bot, maya) == "ask_category"
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
    assert live(maya.messages)[0].message_id == maya.messages[-1].message_id


async def test_take_up_the_cancelled_review_then_an_answer_apply_in_that_order(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.press("✖️ Cancel")
    await maya.wait_for_text("Review cancelled")
    await maya.send("/start")
    menu = await maya.wait_for_text("you cancelled is kept for a day")
    await pressed_then_answered_while_down(bot, maya, "↩️ Take up the cancelled review", menu)


async def test_continue_then_an_answer_apply_in_that_order(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.send("/start")
    menu = await maya.wait_for_text("Welcome back")
    await pressed_then_answered_while_down(bot, maya, "▶️ Continue where I was", menu)
    # as without the outage: the question shown again below the menu, answered there
    await maya.emulator.wait_until(
        lambda: any("Product: Protein bars ✓" in visible_text(m) for m in maya.messages),
        what="the answered line")
    line = next(m for m in maya.messages if "Product: Protein bars ✓" in visible_text(m))
    assert menu.message_id < line.message_id < maya.messages[-1].message_id
    assert "Question 3 of" in visible_text(maya.messages[-1])
