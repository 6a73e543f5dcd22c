"""Issue 15: a review on a phone keeps one live question, and leaves a short chat behind."""

from __future__ import annotations

import signal
import sqlite3

from tests.support.tidy_chat import TARGET_MESSAGES, live, review_by_buttons
from tests.support.users import TelegramUser, visible_text
from tests.support.waiting import eventually

from .conftest import BotProcess


async def at_the_product(user: TelegramUser) -> None:
    """A review begun, its brand typed: the product is asked."""
    await user.send("/review")
    await user.wait_for_text("Question 1 of")
    await user.send("Acme")
    await user.wait_for_text("Question 2 of")


async def one_keyboard(user: TelegramUser, showing: str) -> None:
    """Until one message of the chat carries a step's buttons, the one ``showing`` that."""
    def settled() -> bool:
        keyboards = live(user.messages)
        return len(keyboards) == 1 and showing in visible_text(keyboards[0])
    await user.emulator.wait_until(settled, what=f"one keyboard, on {showing!r}")


async def test_a_full_review_by_buttons_leaves_a_short_chat(
        bot: BotProcess, maya: TelegramUser) -> None:
    tally = await review_by_buttons(maya)
    print(f"bot messages left: {tally.messages}; live keyboards after each step: "
          f"{tally.live_after}")
    assert tally.most_live <= 1, tally.live_after
    assert tally.messages <= TARGET_MESSAGES + tally.typed, tally
    assert tally.review_buttons == 4, tally


async def test_a_cancelled_review_can_be_taken_up_again(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
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
    await one_keyboard(maya, "Question 2 of")  # the menu's buttons go once the review is back


async def test_back_takes_the_answer_back_in_the_chat_too(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/review")
    await maya.wait_for_text("Question 1 of")
    await maya.send("Acme")  # typed: the question becomes its answered line
    await maya.wait_for_text("Question 2 of")
    line = maya.messages[-2]
    await maya.emulator.wait_until(
        lambda: "Acme ✓" in visible_text(maya.emulator.get_message(maya.chat_id,
                                                                   line.message_id)),
        what="the answered line")
    await maya.press("⬅️ Back")
    await maya.wait_for_text("Question 1 of")
    assert len(maya.messages) == 2  # Back re-used the question's message
    await maya.emulator.wait_until(
        lambda: "taken back" in visible_text(maya.emulator.get_message(maya.chat_id,
                                                                       line.message_id)),
        what="the answered line corrected")
    await maya.send("Glow")
    await maya.wait_for_text("Question 2 of")
    await maya.send("Glow serum")
    await maya.wait_for_text("Question 3 of")
    await maya.press("None of these")
    merged = await maya.wait_for_text("Question 4 of")
    assert "None of these ✓" in visible_text(merged)  # pressed: the answer tops the next question
    await maya.send("/back")  # typed: the step comes again below, the old copy loses its buttons
    again = await maya.wait_for_text("Question 3 of")
    assert again.message_id != merged.message_id
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
    old = maya.emulator.get_message(maya.chat_id, merged.message_id)
    assert old is not None and "taken back" in visible_text(old)


async def test_another_flow_or_an_old_start_over_drops_nothing_unasked(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.send("/apology")
    asked = await maya.wait_for_text("Starting the apology now ends it")
    assert "your offer review for Acme" in visible_text(asked)
    assert asked.button_labels == ["▶️ Continue where I was",
                                   "🕊 A sponsorship went wrong: help me apologise"]
    await maya.press("▶️ Continue where I was", asked)
    await one_keyboard(maya, "Question 2 of")  # the menu's buttons go once the review is back
    await maya.send("/start")
    welcome = await maya.wait_for_text("Welcome back")
    await maya.press("▶️ Continue where I was", welcome)
    await one_keyboard(maya, "Question 2 of")
    await maya.send("Protein bars")
    await maya.wait_for_text("Question 3 of")
    # the same menu, pressed later (a client that still shows it): the review stays
    start_over = welcome.button("🔁 Start over")
    assert start_over is not None
    await maya.press_data(str(start_over["callback_data"]), welcome)
    await maya.emulator.wait_until(
        lambda: any("moved on" in (q.text or "") for q in maya.callback_answers),
        what="the 'moved on' answer")
    assert "Question 3 of" in visible_text(maya.last())
    assert len(live(maya.messages)) == 1


async def test_change_an_answer_is_short_lists_in_the_review_steps_own_message(
        bot: BotProcess, maya: TelegramUser) -> None:
    await review_by_buttons(maya, decide=False)
    summary = maya.messages[-1]
    assert summary.button_labels == ["✅ See my recommendation", "✏️ Change an answer",
                                     "⬅️ Back", "✖️ Cancel"]
    before = len(maya.messages)
    await maya.press("✏️ Change an answer", summary)
    parts = await maya.wait_for_text("Which part is the answer in?")
    assert parts.message_id == summary.message_id
    assert "• What they pay: $2,000" in visible_text(parts)  # the answers stay in sight
    assert len(parts.button_labels) <= 8
    await maya.press("The offer", parts)
    offer = await maya.wait_for_text("Which answer do you want to change?")
    assert offer.message_id == summary.message_id
    assert offer.button_labels[-1] == "↩️ Other parts"
    assert len(offer.button_labels) <= 8 and max(map(len, offer.button_labels)) <= 24
    await maya.press("Brand", offer)
    await maya.wait_for_text("Changing your answer (it was: Glow)")
    await maya.send("Glowy")
    review = await maya.wait_for_text("Here's what you told me")
    assert "• Brand: Glowy" in visible_text(review)
    assert len(maya.messages) == before + 1  # the typed answer's line, then the review again
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")

    # the review step's buttons before issue 15 ("edit.<question>"): on the message that shows
    # the step they still act; on an older one they change nothing and say so
    version = str(review.button("✏️ Change an answer")["callback_data"]).split("|")[2]
    older = f"{int(version, 16) - 1:x}"
    await maya.press_data(f"v1|c|{older}|e|pay", summary)
    await maya.emulator.wait_until(
        lambda: any("moved on" in (q.text or "") for q in maya.callback_answers),
        what="the 'moved on' answer")
    assert "Here's what you told me" in visible_text(maya.last())
    await maya.press_data(f"v1|c|{version}|e|pay", review)
    await maya.wait_for_text("Changing your answer (it was: $2,000)")
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")


async def test_start_over_can_be_undone_and_an_old_menu_entry_asks_first(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/start")
    first_menu = await maya.wait_for_text("I'm Halo Coach")
    await at_the_product(maya)
    await maya.send("Protein bars")
    await maya.wait_for_text("Question 3 of")
    # an entry of the menu shown before the review began: it asks, it drops nothing
    await maya.press("🕊 A sponsorship went wrong: help me apologise", first_menu)
    asked = await maya.wait_for_text("Starting the apology now ends it")
    assert "your offer review for Acme" in visible_text(asked)
    await maya.press("▶️ Continue where I was", asked)
    await one_keyboard(maya, "Question 3 of")  # the menu's buttons go once the review is back

    await maya.send("/start")
    welcome = await maya.wait_for_text("Welcome back")
    assert "Undo brings these answers back" in visible_text(welcome)
    await maya.press("🔁 Start over", welcome)
    fresh = await maya.wait_for_text("Started over")
    assert "Question 1 of" in visible_text(fresh)
    assert fresh.button_labels[-2:] == ["↩️ Undo: bring back my answers", "✖️ Cancel"]
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
    await maya.press("↩️ Undo: bring back my answers", fresh)
    back = await maya.wait_for_text("Your answers are back")
    assert back.message_id == fresh.message_id  # the question's own message, in place
    assert "Question 3 of" in visible_text(back)
    assert "Undo" not in " ".join(back.button_labels)
    await maya.press("None of these", back)
    await maya.wait_for_text("Question 4 of")
    assert len(live(maya.messages)) == 1


async def test_a_new_review_leaves_the_last_draft_readable_without_its_buttons(
        bot: BotProcess, maya: TelegramUser) -> None:
    await review_by_buttons(maya)
    draft = maya.messages[-1]
    await maya.press("🆕 Review another offer", draft)
    fresh = await maya.wait_for_text("Question 1 of")
    assert fresh.message_id != draft.message_id
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
    kept = maya.emulator.get_message(maya.chat_id, draft.message_id)
    assert kept is not None and "Your reply: accept" in visible_text(kept)
    assert not kept.keyboard


async def test_one_live_keyboard_after_each_restart_of_the_bot(
        bot: BotProcess, maya: TelegramUser) -> None:
    """Which message shows the step is kept with the conversation (``set_shown``): a bot
    started again takes the buttons off it before it shows the step anew. (It is written a
    moment after the step shows: the bot is stopped once it is, see ``restart``.)"""
    async def one_keyboard() -> None:
        await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1,
                                       what="one keyboard")

    async def restart() -> None:
        await one_keyboard()
        showing = live(maya.messages)[0].message_id
        await eventually(lambda: stored_shown(bot, maya) == showing,
                         "the message showing the step, stored")
        await bot.stop(signal.SIGKILL)
        await bot.start()

    await at_the_product(maya)
    await maya.send("Bars")
    await maya.press("None of these", await maya.wait_for_text("Question 3 of"))
    await maya.wait_for_text("Question 4 of")
    await restart()
    await maya.send("/back")
    await maya.wait_for_text("Question 3 of")
    await restart()
    await maya.send("nothing like an answer")
    await maya.wait_for_text("not sure which answer")
    await restart()
    await maya.press_data("v1|c|1|a|none", maya.messages[0])  # a button of long ago
    await maya.emulator.wait_until(
        lambda: any("moved on" in (q.text or "") for q in maya.callback_answers),
        what="the 'moved on' answer")
    await one_keyboard()
    await maya.press("None of these")
    await maya.wait_for_text("Question 4 of")
    await one_keyboard()


def stored_shown(bot: BotProcess, user: TelegramUser) -> int | None:
    """The message the store says shows the person's conversation."""
    with sqlite3.connect(bot.database) as db:
        row = db.execute("SELECT shown_in FROM conversations WHERE user_id = ?",
                         (user.id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])
