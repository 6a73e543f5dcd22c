"""Issue 15: a review on a phone keeps one live question, and leaves a short chat behind."""

from __future__ import annotations

from tests.support.tidy_chat import TARGET_MESSAGES, live, review_by_buttons
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess


async def test_a_full_review_by_buttons_leaves_a_short_chat(
        bot: BotProcess, maya: TelegramUser) -> None:
    tally = await review_by_buttons(maya)
    print(f"bot messages left: {tally.messages}; live keyboards after each step: "
          f"{tally.live_after}")
    assert tally.most_live <= 1, tally.live_after
    assert tally.messages <= TARGET_MESSAGES + tally.typed, tally


async def test_a_cancelled_review_can_be_taken_up_again(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/review")
    await maya.wait_for_text("Question 1 of")
    await maya.send("Acme")
    await maya.wait_for_text("Question 2 of")
    await maya.press("✖️ Cancel")
    cancelled = await maya.wait_for_text("Review cancelled")
    assert "kept for a day" in visible_text(cancelled)
    assert len(live(maya.messages)) == 1  # the question's buttons went with it
    await maya.press("↩️ Undo: take it up again")
    back = await maya.wait_for_text("Question 2 of")
    assert "What would you be promoting for Acme?" in visible_text(back)
    # cancelled again, then taken up from /start
    await maya.press("✖️ Cancel")
    await maya.wait_for_text("Review cancelled")
    await maya.send("/start")
    await maya.wait_for_text("you cancelled is kept for a day")
    await maya.press("↩️ Take up the cancelled review")
    await maya.wait_for_text("Question 2 of")
    assert len(live(maya.messages)) == 1
