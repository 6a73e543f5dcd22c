"""Issue 15: a review on a phone keeps one live question, and leaves a short chat behind."""

from __future__ import annotations

from tests.support.tidy_chat import TARGET_MESSAGES, review_by_buttons
from tests.support.users import TelegramUser

from .conftest import BotProcess


async def test_a_full_review_by_buttons_leaves_a_short_chat(
        bot: BotProcess, maya: TelegramUser) -> None:
    tally = await review_by_buttons(maya)
    print(f"bot messages left: {tally.messages}; live keyboards after each step: "
          f"{tally.live_after}")
    assert tally.most_live <= 1, tally.live_after
    assert tally.messages <= TARGET_MESSAGES + tally.typed, tally
