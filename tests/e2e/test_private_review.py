"""Creators reviewing offers with the real bot process, over HTTP, as Telegram would drive it."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3

from bot.store.sqlite import unpack
from tests.support.emulator import BotApiEmulator
from tests.support.tidy_chat import live
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess

# the cautionary case of DOMAIN.md, typed and pressed as a creator would
CAUTIONARY = ["FitFuel", "Chalk protein powder", "Supplements or health", "A few posts",
              "Exact posts, formats and dates", "$500"]
# a long-term partnership with a product the creator uses, on fair terms
# (the reply is signed with the first name Telegram gives, so no name is typed)
GOOD_DEAL = [
    "Glow", "Glow serum", "None of these", "Ongoing partnership / ambassador",
    "Exact posts, formats and dates", "$2,000", "$1,800", "Not at all", "None of these",
    "I already use it", "Yes", "Yes", "My own words", "Real value for both", "Yes",
    "The same brand, extended", "Yes, clearly labelled", "Reposts on their channels", "None",
    "Net 30 or sooner", "Two rounds or fewer", "No claims",
]


async def begin(user: TelegramUser) -> None:
    await user.send("/review")
    await user.wait_for_text("Question 1 of")


async def answer(user: TelegramUser, text: str, *, number: int) -> None:
    """Type ``text`` and wait for question ``number`` (the next one)."""
    await user.send(text)
    await user.wait_for_text(f"Question {number} of")


async def press(user: TelegramUser, label: str, expect: str) -> None:
    await user.press(label)
    await user.wait_for_text(expect)


def stored_step(bot: BotProcess, user: TelegramUser) -> str | None:
    with sqlite3.connect(bot.database) as db:
        row = db.execute("SELECT snapshot_json FROM conversations WHERE user_id = ?",
                         (user.id,)).fetchone()
    return None if row is None else str(json.loads(unpack(row[0]))["step"])


async def test_the_cautionary_case_by_buttons_ends_in_a_decline(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/start")
    greeting = await maya.wait_for_text("Halo Coach")
    assert "🧭 Review a sponsorship offer" in greeting.button_labels
    await press(maya, "🧭 Review a sponsorship offer", "Question 1 of")
    for number, text in enumerate(CAUTIONARY, start=2):
        await answer(maya, text, number=number)
    await press(maya, "Skip ⏭", "Question 8 of")
    await press(maya, "A lot, I need it", "Question 9 of")
    await answer(maya, "none", number=10)
    question = maya.last()
    assert question is not None
    assert "Have you tried FitFuel's Chalk protein powder?" in visible_text(question)
    await maya.press("Tried it, didn't like it")
    draft = await maya.wait_for_text("Your reply: decline")
    card = await maya.wait_for_text("My recommendation")  # the card, above the draft
    glance = visible_text(card)
    assert "decline" in glance and "didn't like it" in glance and "What matters most" in glance
    assert "money" in glance.lower() and len(glance) < 900  # one phone screen
    # its details open in place, and close again
    await maya.press("🔎 Details", card)
    opened = await maya.wait_for_text("You and your community")
    assert opened.message_id == card.message_id
    card_text = visible_text(opened)
    assert "Supplements or health" in card_text  # the category's own rules
    await maya.press("🔼 Less", card)
    closed = await maya.wait_for_text("What matters most")
    assert closed.message_id == card.message_id and "🔎 Details" in closed.button_labels
    assert "Hi FitFuel team" in visible_text(draft)
    # the question pressed became the card, the answer on top; the question's buttons are gone
    tried = maya.emulator.get_message(maya.chat_id, question.message_id)
    assert tried is not None and tried.button_labels == ["🔎 Details"]
    assert "Tried it, didn't like it ✓" in glance and tried.message_id == card.message_id
    # the decision is kept for /history
    await maya.send("/history")
    history = await maya.wait_for_text("Your past decisions")
    assert "FitFuel · Chalk protein powder" in visible_text(history)
    await maya.press("1. FitFuel · Chalk protein powder")
    reopened = await maya.wait_for_text("From your history")
    assert reopened is not None
    await maya.wait_for_text("Your reply: decline")


async def test_a_typed_review_with_back_and_edit_ends_in_accept_and_exports(
        bot: BotProcess, maya: TelegramUser) -> None:
    await begin(maya)
    await answer(maya, GOOD_DEAL[0], number=2)
    await answer(maya, "Glow serum typo", number=3)
    await maya.send("/back")
    redo = await maya.wait_for_text("Question 2 of")
    assert "What would you be promoting for Glow?" in visible_text(redo)
    number = 3
    for text in GOOD_DEAL[1:]:
        await maya.send(text)
        if number <= len(GOOD_DEAL):
            await maya.wait_for_text(f"Question {number} of")
        number += 1
    review = await maya.wait_for_text("Here's what you told me")
    assert "Product: Glow serum" in visible_text(review)
    assert "Glow serum typo" not in visible_text(review)
    before = len(maya.messages)
    # "Change an answer" turns the review's message into short lists, in place
    await press(maya, "✏️ Change an answer", "Which part is the answer in?")
    await press(maya, "Money and warning signs", "Which answer do you want to change?")
    assert len(maya.messages) == before and len(live(maya.messages)) == 1
    await press(maya, "Money pressure", "Changing your answer")
    await press(maya, "Somewhat", "Here's what you told me")
    assert "• Money pressure: Somewhat" in visible_text(maya.messages[-1])
    await press(maya, "✅ See my recommendation", "Your reply: accept")
    card = await maya.wait_for_text("My recommendation")  # the review's message, rewritten
    assert "accept" in visible_text(card)
    assert "matters to you right now" in visible_text(card)  # the edited answer counts
    await maya.press("Tone: brief")
    brief = await maya.wait_for_text("brief tone")
    assert "#ad" in visible_text(brief)
    await maya.press("📄 Download as Markdown")
    await maya.emulator.wait_until(lambda: maya.emulator.documents, what="a document")
    document = maya.emulator.documents[-1]
    assert document.file_name.endswith(".md")
    content = document.data.decode()
    assert "# Halo Coach review: Glow, Glow serum" in content and "accept" in content


async def test_an_old_button_and_a_forged_one_leave_the_review_where_it_was(
        bot: BotProcess, maya: TelegramUser) -> None:
    await begin(maya)
    await answer(maya, "Acme", number=2)
    await answer(maya, "Protein bars", number=3)
    await answer(maya, "none", number=4)
    first_ask = maya.last()
    assert first_ask is not None
    one_post = first_ask.button("One post")
    assert one_post is not None
    await maya.send("something unclear")
    asked_again = await maya.wait_for_text("I'm not sure which answer that is")
    # asked again below the answer it did not understand; the copy above loses its buttons
    # (taken off while the question goes out again)
    await maya.emulator.wait_until(
        lambda: not maya.emulator.get_message(maya.chat_id, first_ask.message_id).keyboard,  # type: ignore[union-attr]
        what="the first ask without buttons")
    await press(maya, "A few posts", "Question 5 of")
    # answered by a button: that message is now the next question, the answer on top
    now = maya.last()
    assert now is not None and now.message_id == asked_again.message_id
    assert "A few posts ✓" in visible_text(now)
    assert "Does Acme say exactly what they want" in visible_text(now)
    before = [(m.message_id, m.revision) for m in maya.messages]
    # a press on the old button (a client that still shows it): a pop-up, the chat unchanged
    await maya.press_data(str(one_post["callback_data"]), first_ask)
    await maya.emulator.wait_until(
        lambda: any("moved on" in (q.text or "") for q in maya.callback_answers),
        what="the 'moved on' answer")
    assert [(m.message_id, m.revision) for m in maya.messages] == before
    for forged in ("v1|c|ff|a|yes", "v1|z|0|a|", "garbage", "v1|_|0|open|99999999"):
        await maya.press_data(forged, first_ask)
    await maya.emulator.wait_until(lambda: len(maya.callback_answers) >= 6, what="answers")
    assert stored_step(bot, maya) == "ask_deliverables"
    await answer(maya, "exact", number=6)
    await answer(maya, "$900", number=7)
    with sqlite3.connect(bot.database) as db:
        (snapshot,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    assert '"ask":"few_posts"' in unpack(snapshot)


async def test_stickers_edits_long_and_html_answers_get_a_clear_reply(
        bot: BotProcess, maya: TelegramUser) -> None:
    await begin(maya)
    await maya.send_sticker()
    await maya.wait_for_text("I can only read text")
    await maya.wait_for_text("Which brand")
    await answer(maya, "<b>Acme</b> & <script>", number=2)
    question = maya.last()
    assert question is not None
    assert "promoting for <b>Acme</b> & <script>?" in visible_text(question)
    await maya.send("x" * 4000)  # (at the first question, a long text is read as the offer)
    await maya.wait_for_text("a bit long")
    await maya.edit_last("Other brand")
    await maya.wait_for_text("I keep the answer you first sent")
    assert stored_step(bot, maya) == "ask_product"
    await maya.send("/nonsense")
    await maya.wait_for_text("I don't know that command")


async def test_killing_the_bot_mid_review_loses_no_answer(
        bot: BotProcess, maya: TelegramUser) -> None:
    await begin(maya)
    await answer(maya, "Acme", number=2)
    await answer(maya, "Protein bars", number=3)
    await bot.stop(signal.SIGKILL)
    await maya.send("none")  # sent while the bot is down
    await bot.start()
    await maya.wait_for_text("Question 4 of")
    await bot.stop(signal.SIGKILL)
    await bot.start()
    await maya.send("/start")
    welcome = await maya.wait_for_text("Welcome back")
    assert "Acme" in visible_text(welcome)
    await press(maya, "▶️ Continue where I was", "Question 4 of")
    await answer(maya, "A few posts", number=5)
    assert stored_step(bot, maya) == "ask_deliverables"


async def test_two_creators_at_once_never_see_each_others_answers(
        bot: BotProcess, maya: TelegramUser, leo: TelegramUser) -> None:
    await asyncio.gather(begin(maya), begin(leo))
    await asyncio.gather(answer(maya, "MayaBrand", number=2), answer(leo, "LeoBrand", number=2))
    await asyncio.gather(answer(maya, "Maya product", number=3),
                         answer(leo, "Leo product", number=3))
    assert all("Leo" not in visible_text(m) for m in maya.messages)
    assert all("Maya" not in visible_text(m) for m in leo.messages)
    await maya.send("/forget")
    await maya.wait_for_text("Delete everything I keep about you?")
    await press(maya, "🗑 Yes, delete everything", "everything I kept about you is deleted")
    assert stored_step(bot, maya) is None
    assert stored_step(bot, leo) == "ask_category"


async def test_the_command_menu_is_registered_at_start(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    await emulator.wait_for_calls("setMyCommands", 3)
    scope = '{"type": "all_private_chats"}'
    private = {c["command"] for c in emulator.commands[(scope, "")]}
    assert {"review", "history", "forget", "privacy", "help", "back", "cancel"} <= private
