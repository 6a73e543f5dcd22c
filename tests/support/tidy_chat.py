"""A full creator review driven by a person on a phone, and what it leaves in the chat.

Shared by the e2e test of issue 15 and ``bench/tidy_chat.py``: the person presses the button of
every answer that has one and types the rest (names, amounts), then asks for the recommendation;
after every step the chat is looked at as a person would see it: how many of the bot's messages
are there, and how many still carry buttons.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from tests.support.emulator import StoredMessage
from tests.support.users import TelegramUser

# a long-term partnership with a product the creator uses, on fair terms
GOOD_DEAL = (
    "Glow", "Glow serum", "None of these", "Ongoing partnership / ambassador",
    "Exact posts, formats and dates", "$2,000", "$1,800", "Not at all", "None of these",
    "I already use it", "Yes", "Yes", "My own words", "Real value for both", "Yes",
    "The same brand, extended", "Yes, clearly labelled", "Reposts on their channels", "None",
    "Net 30 or sooner", "Two rounds or fewer", "No claims",
)
CONFIRM = "✅ See my recommendation"
DONE = "✔️ Done"
TARGET_MESSAGES = 8  # the target: a full review by buttons leaves at most 8


CARD_TOGGLES = frozenset({"🔎 Details", "🔼 Less"})  # a decision card's own, not a step's


def live(messages: list[StoredMessage]) -> list[StoredMessage]:
    """The bot's messages that still carry a step's buttons."""
    return [m for m in messages if m.keyboard and not set(m.button_labels) <= CARD_TOGGLES]


@dataclass
class Tidiness:
    """What a review left in the chat: the bot's messages, and the most that were live at once
    (looked at once each step had settled); ``typed`` answers had no button."""

    messages: int = 0
    most_live: int = 0
    typed: int = 0
    pressed: int = 0
    review_buttons: int = 0  # on the review step, before the decision
    live_after: list[int] = field(default_factory=list)


async def settle(user: TelegramUser, tally: Tidiness) -> None:
    """Once a step is shown, the keyboards left (the old one may go a moment later)."""
    with contextlib.suppress(TimeoutError):  # counted below: more than one stayed live
        await user.emulator.wait_until(lambda: len(live(user.messages)) <= 1, timeout=2,
                                       what="one live keyboard")
    count = len(live(user.messages))
    tally.live_after.append(count)
    tally.most_live = max(tally.most_live, count)


async def review_by_buttons(user: TelegramUser, answers: tuple[str, ...] = GOOD_DEAL, *,
                            decide: bool = True) -> Tidiness:
    """/review, every answer pressed where a button has it (else typed), then the decision
    (unless not ``decide``: then the review step is the last message)."""
    tally = Tidiness()
    await user.send("/review")
    await user.wait_for_text("Question 1 of")
    await settle(user, tally)
    for number, text in enumerate(answers, start=2):
        current = live(user.messages)
        if current and current[-1].button(text):
            await user.press(text, current[-1])
            tally.pressed += 1
            if current[-1].button(DONE):  # a question taking several answers: ticked, then done
                await user.wait_for_text(f"Question {number - 1} of")
                ticked = f"✅ {text}"
                await user.emulator.wait_until(lambda: user.messages[-1].button(ticked),  # noqa: B023
                                               what="the tick")
                await user.press(DONE, user.messages[-1])
                tally.pressed += 1
        else:
            await user.send(text)
            tally.typed += 1
        await user.wait_for_text(f"Question {number} of" if number <= len(answers)
                                 else "Here's what you told me")
        await settle(user, tally)
    tally.review_buttons = len(user.messages[-1].button_labels)
    if not decide:
        tally.messages = len(user.messages)
        return tally
    await user.press(CONFIRM)
    await user.wait_for_text("Your reply: accept")
    await settle(user, tally)
    tally.messages = len(user.messages)
    return tally
