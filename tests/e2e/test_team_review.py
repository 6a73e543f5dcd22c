"""Team reviews in group chats through the real bot: facts from the lead, votes, the dissent."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.sqlite import unpack
from tests.support.emulator import BotApiEmulator, StoredMessage
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess

VOTES = 15  # the judgment questions a team votes on (flows/team/questions.py)
NAME_ASKED = "Which name should the reply to the brand be signed with?"


@pytest.fixture
async def bot(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotProcess]:
    # Telegram's 20-a-minute group pace and the 3 s tally window would make a test take minutes:
    # both are settings, turned up here (the pacing itself is tested offline)
    process = BotProcess(emulator, tmp_path, GROUP_MESSAGES_PER_MINUTE="100000",
                         TALLY_EDIT_SECONDS="0.05")
    await process.start()
    try:
        yield process
    finally:
        await process.stop()
        process.assert_clean_log()


def members(emulator: BotApiEmulator, chat_id: int, thread: int | None = None
            ) -> tuple[TelegramUser, TelegramUser, TelegramUser]:
    base = 7000 + abs(chat_id) % 1000 * 10 + (thread or 0)
    return (TelegramUser(emulator, base + 1, "Ana", chat_id=chat_id, thread_id=thread),
            TelegramUser(emulator, base + 2, "Ben", chat_id=chat_id, thread_id=thread),
            TelegramUser(emulator, base + 3, "Cy", chat_id=chat_id, thread_id=thread))


async def reply_fact(lead: TelegramUser, text: str, expect: str) -> None:
    question = lead.last()
    assert question is not None
    await lead.send(text, reply_to=question)
    await lead.wait_for_text(expect)


async def start_review(lead: TelegramUser, brand: str, creator: str = "Maya") -> None:
    await lead.send("/review")
    await lead.wait_for_text("Which brand is behind the offer?")
    await reply_fact(lead, brand, f"What would you be promoting for {brand}?")
    await reply_fact(lead, "Protein bars", f"What is {brand} asking for?")
    await lead.press("A few posts")
    await lead.wait_for_text("What are they offering to pay?")
    await reply_fact(lead, "$900", NAME_ASKED)
    await reply_fact(lead, creator, "Who's reviewing this offer?")


async def voting_with_ana(emulator: BotApiEmulator
                          ) -> tuple[TelegramUser, TelegramUser, TelegramUser]:
    """A group's team review at its first vote: Ben leads, Ana joined, Cy has not."""
    group = emulator.create_group("Agency")
    ana, ben, cy = members(emulator, group.id)
    await start_review(ben, "FitFuel")
    await ana.press("🙋 Join")
    await ben.wait_for_text("Joined (2)")
    await ben.press("▶️ Start voting")
    await ben.wait_for_text("Vote 1 of")
    return ana, ben, cy


def copied(message: StoredMessage) -> str:
    """The message's copyable block (its <pre> entity): the reply as the lead sends it."""
    text = (message.text or "").encode("utf-16-le")  # entity offsets count UTF-16 units
    pre = next(e for e in message.entities if e["type"] == "pre")
    start, end = 2 * pre["offset"], 2 * (pre["offset"] + pre["length"])
    return text[start:end].decode("utf-16-le")


def current_vote(user: TelegramUser) -> StoredMessage:
    for message in reversed(user.messages):
        if "Vote " in visible_text(message) and message.keyboard:
            return message
    raise LookupError("no open vote")


async def vote(user: TelegramUser, option: str) -> str:
    return await user.press(option, current_vote(user))


async def test_a_team_of_three_votes_and_the_result_names_the_dissent(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    group = emulator.create_group("Agency", admins=())
    ana, ben, cy = members(emulator, group.id)
    await start_review(ben, "FitFuel")
    for member in (ana, cy):
        await member.press("🙋 Join")
        await ben.wait_for_text(f"Joined ({2 if member is ana else 3})")
    refused = await cy.press("▶️ Start voting")
    assert "lead" in ((await cy.wait_for_answer(refused)).text or "")
    await ben.press("▶️ Start voting")
    for number in range(1, VOTES + 1):
        question = await ben.wait_for_text(f"Vote {number} of")
        text = visible_text(question)
        if number == 1:
            # a member changes their vote; a non-lead cannot close the question
            await vote(cy, "No")
            await ben.wait_for_text("Waiting for: Ben, Ana")
            await vote(cy, "Yes")
            await ben.wait_for_text("Yes: 1 (Cy)")
            nope = await cy.press("⏭ Next question", current_vote(cy))
            assert "lead" in ((await cy.wait_for_answer(nope)).text or "")
        labels = [b for b in current_vote(ben).button_labels if b not in
                  ("⏭ Next question", "✖️ Cancel")]
        first = labels[0]
        if "recommend" in text:
            await asyncio.gather(vote(ana, "No"), vote(ben, "Yes"))
            if number == 1:
                continue
            await vote(cy, "Yes")
            continue
        for member in (ana, ben) if number == 1 else (ana, ben, cy):
            await vote(member, first)
    result = await ben.wait_for_text("The team's recommendation")
    shown = visible_text(result)
    assert "reviewed by Ben, Ana, Cy" in shown
    assert '1 of 3 answered "No" to "Would recommend to a friend"' in shown
    assert "Would use it unpaid: Yes (Yes 3)" in shown  # Cy's changed vote counts once
    draft = await ben.wait_for_text("Your reply:")
    # the reply speaks as the creator: signed with the name Ben typed, not a member's name
    block = copied(draft)
    assert block.rstrip().splitlines()[-1] == "Maya", block
    assert "creator's name" not in visible_text(draft)
    assert not {"Ana", "Ben", "Cy"} & set(re.findall(r"\w+", block)), block
    # every closed question shows the team's answer, without buttons (the last one is
    # rewritten while the result goes out)
    def closed() -> list[StoredMessage]:
        return [m for m in ben.messages if "Team answer:" in visible_text(m)]
    await ben.emulator.wait_until(lambda: len(closed()) == VOTES, what="every vote closed")
    assert not any(m.keyboard for m in closed())


async def test_two_groups_a_forum_topic_and_a_private_review_run_apart(
        bot: BotProcess, emulator: BotApiEmulator, maya: TelegramUser) -> None:
    first, second = emulator.create_group("One"), emulator.create_group("Two")
    forum = emulator.create_group("Forum", is_forum=True)
    lead_one = members(emulator, first.id)[1]
    lead_two = members(emulator, second.id)[1]
    lead_topic = members(emulator, forum.id, thread=55)[1]
    await asyncio.gather(start_review(lead_one, "AlphaCo"), start_review(lead_two, "BetaCo"),
                         start_review(lead_topic, "GammaCo"),
                         maya.send("/review"))
    await maya.wait_for_text("Question 1 of")
    await maya.send("PrivateBrand")
    await maya.wait_for_text("What would you be promoting for PrivateBrand?")
    for lead, own in ((lead_one, "AlphaCo"), (lead_two, "BetaCo"), (lead_topic, "GammaCo")):
        seen = " ".join(visible_text(m) for m in lead.messages)
        assert own in seen
        others = {"AlphaCo", "BetaCo", "GammaCo", "PrivateBrand"} - {own}
        assert not [brand for brand in others if brand in seen], seen
    topic = [m for m in emulator.bot_messages(forum.id) if m.message_thread_id == 55]
    assert topic and all(m.message_thread_id == 55 for m in emulator.bot_messages(forum.id))
    with sqlite3.connect(bot.database) as db:
        rows = db.execute("SELECT chat_id, user_id, thread_id, review_id FROM conversations"
                          ).fetchall()
    groups = [r for r in rows if r[0] < 0]
    assert len(groups) == 3 and all(r[1] == 0 and r[3] == "team" for r in groups)
    assert (forum.id, 0, 55, "team") in rows
    assert [r for r in rows if r[0] > 0] == [(maya.id, maya.id, 0, "")]


async def test_old_presses_forgeries_a_leaving_lead_and_a_removed_bot(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    ana, ben, cy = await voting_with_ana(emulator)
    first = current_vote(ana).snapshot()
    await vote(ana, "Yes")
    await vote(ben, "Yes")
    await ben.wait_for_text("Vote 2 of")
    late = await ana.press_data(first.keyboard[0][0]["callback_data"], first)
    assert "moved on" in ((await ana.wait_for_answer(late)).text or "")
    forged = await cy.press_data("v1|p|0|a|yes", current_vote(cy))
    assert "doesn't work" in ((await cy.wait_for_answer(forged)).text or "")
    await vote(ana, "No")
    await ben.wait_for_text("No: 1 (Ana)")
    await ben.leave()
    await ana.wait_for_text("Ben left the group. Ana leads the review now")
    with sqlite3.connect(bot.database) as db:
        (stored,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    team = json.loads(unpack(stored))["team"]
    assert team["lead"] == str(ana.id)
    assert team["votes"]["use_unpaid"] == {str(ana.id): "yes", str(ben.id): "yes"}
    assert team["votes"]["recommend_friend"] == {str(ana.id): "no"}
    removal = await emulator.remove_bot(ana.chat_id, ana.user)
    # the bot hears it was removed (and, like Telegram, gets nothing more from that group)
    await emulator.wait_until(lambda: all(u["update_id"] != removal["update_id"]
                                          for u in emulator.updates), what="removal handled")
    pressed = await cy.press("Yes", current_vote(cy))
    # no update for that press reaches the bot: nobody answers it, nothing stored changes
    assert not [u for u in emulator.update_log
                if u.get("callback_query", {}).get("id") == pressed], emulator.update_log[-3:]
    assert not emulator.callback_queries[pressed].answered
    with sqlite3.connect(bot.database) as db:
        (after,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    assert json.loads(unpack(after))["team"] == team  # every stored vote intact
    assert bot.process is not None and bot.process.returncode is None


async def test_the_name_is_asked_of_the_lead_after_a_brands_message_and_refused_when_too_long(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    group = emulator.create_group("Agency")
    ana, ben, _ = members(emulator, group.id)
    proposal = await ana.send("Hi Maya, we're GreenPan. We'd like to offer $1,500 for two "
                              "Instagram reels of our ceramic skillet by May 15.")
    await ben.send("/review", reply_to=proposal)
    await ben.wait_for_text("What would you be promoting for GreenPan?")
    assert any("From the brand's message I took brand: GreenPan" in visible_text(m)
               for m in ben.messages)
    # the message greets the creator, but only the lead says how the reply is signed
    await reply_fact(ben, "Ceramic skillet", NAME_ASKED)
    assert "Fact 5 of 5, for Ben" in visible_text(ben.last())
    await reply_fact(ben, "M" * 41, "That's a bit long for this one.")
    await reply_fact(ben, "Lena", "Reply signed as: Lena ✓")
    await ben.wait_for_text("Who's reviewing this offer?")


def live_questions(user: TelegramUser) -> list[StoredMessage]:
    """The bot's messages in the group that still offer buttons."""
    return [m for m in user.messages if m.keyboard]


async def test_a_members_reply_to_a_fact_changes_nothing_and_the_leads_answer_shows(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    group = emulator.create_group("Agency")
    ana, ben, _ = members(emulator, group.id)
    await ben.send("/review")
    question = await ben.wait_for_text("Which brand is behind the offer?")
    before = len(ben.messages)
    # a member types an answer as a reply to the lead's question; then the lead answers it (a
    # chat's updates are handled in their order: Ana's is taken before Ben's)
    await ana.send("Nike", reply_to=question)
    await ben.send("FitFuel", reply_to=question)
    await ben.wait_for_text("What would you be promoting for FitFuel?")
    answered = await ben.wait_for_text("Brand: FitFuel ✓")  # the rewrite follows the next fact
    assert answered.message_id == question.message_id and not answered.keyboard
    # nothing was posted for Ana (a typed reply gets no pop-up, and the group is not flooded):
    # the answered line and the next fact, nothing else
    assert len(ben.messages) == before + 1
    assert not any("Nike" in visible_text(m) for m in ben.messages)
    assert [m.message_id for m in live_questions(ben)] == [ben.messages[-1].message_id]
    with sqlite3.connect(bot.database) as db:
        (stored,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    assert json.loads(unpack(stored))["answers"] == {"brand": "FitFuel"}


async def test_a_fact_asked_again_leaves_one_live_question_and_its_answered_line(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    group = emulator.create_group("Agency")
    ana, ben, _ = members(emulator, group.id)
    await ben.send("/review")
    await ben.wait_for_text("Which brand is behind the offer?")
    await reply_fact(ben, "FitFuel", "What would you be promoting for FitFuel?")
    first = ben.last()
    assert first is not None
    await ana.send("Protein bars, I think", reply_to=first)
    await reply_fact(ben, "x" * 300, "That's a bit long for this one.")  # asked again
    again = ben.last()
    assert again is not None and again.message_id != first.message_id
    # the question asked first is no longer live: one question offers buttons, the new one
    # (the first loses its buttons while the new one goes out)
    await ben.emulator.wait_until(
        lambda: [m.message_id for m in live_questions(ben)] == [again.message_id],
        what="the new ask as the only live question")
    await ana.send("Bars", reply_to=again)
    await reply_fact(ben, "Protein bars", "What is FitFuel asking for?")
    line = await ben.wait_for_text("Product: Protein bars ✓")
    assert line.message_id == again.message_id
    assert [m.message_id for m in live_questions(ben)] == [ben.messages[-1].message_id]


def stored_step(bot: BotProcess) -> str:
    with sqlite3.connect(bot.database) as db:
        (stored,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    return str(json.loads(unpack(stored))["step"])


async def test_a_cancelled_review_leaves_no_live_buttons(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    """A group's /cancel (or its Cancel button) left the question offering its buttons, as if
    the review still ran; a press on one now gets the "moved on" pop-up and changes nothing."""
    ana, ben, _ = await voting_with_ana(emulator)
    await vote(ana, "Yes")
    await ben.wait_for_text("Yes: 1 (Ana)")
    question = current_vote(ben).snapshot()
    await ben.send("/cancel")
    await ben.wait_for_text("Team review cancelled")
    await emulator.wait_until(lambda: not live_questions(ben), what="no buttons left")
    shown = next(m for m in ben.messages if m.message_id == question.message_id)
    assert "Yes: 1 (Ana)" in visible_text(shown)  # the question stays readable, as it stood
    assert "Waiting for" not in visible_text(shown)
    late = await ana.press_data(question.keyboard[0][0]["callback_data"], question)
    assert "moved on" in ((await ana.wait_for_answer(late)).text or "")
    assert stored_step(bot) == "cancelled"
    assert not live_questions(ben)

    # the Cancel button of a fact, in another group: the fact loses its buttons too
    other = emulator.create_group("Studio")
    lead = members(emulator, other.id)[1]
    await lead.send("/review")
    fact = await lead.wait_for_text("Which brand is behind the offer?")
    await lead.press("✖️ Cancel", fact)
    await lead.wait_for_text("Team review cancelled")
    await emulator.wait_until(lambda: not live_questions(lead), what="no buttons left")


def stored_answers(bot: BotProcess) -> dict[str, object]:
    with sqlite3.connect(bot.database) as db:
        (stored,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    return dict(json.loads(unpack(stored))["answers"])


async def test_a_leads_reply_to_an_older_ask_is_taken_or_pointed_to_the_current_question(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    """A lead's reply to the first ask of a fact asked again (its answer refused) was silently
    ignored, as was a reply to a question already answered: the first is the answer to that
    fact, still the current one; the second gets a pointer to the current question."""
    group = emulator.create_group("Agency")
    ana, ben, _ = members(emulator, group.id)
    await ben.send("/review")
    brand = await ben.wait_for_text("Which brand is behind the offer?")
    await reply_fact(ben, "FitFuel", "What would you be promoting for FitFuel?")
    first = ben.last()
    assert first is not None
    await reply_fact(ben, "x" * 300, "That's a bit long for this one.")  # asked again
    await ben.send("Protein bars", reply_to=first)  # the first ask of the same fact
    await ben.wait_for_text("What is FitFuel asking for?")
    await ben.wait_for_text("Product: Protein bars ✓")
    assert stored_answers(bot) == {"brand": "FitFuel", "product": "Protein bars"}
    assert [m.message_id for m in live_questions(ben)] == [ben.messages[-1].message_id]

    # a reply to a question answered already: a pointer, as a reply to the lead; nothing changes
    before = len(ben.messages)
    late = await ben.send("Actually, protein shakes", reply_to=first)
    pointer = await ben.wait_for_text("I haven't taken that reply")
    assert pointer.reply_to is not None and pointer.reply_to.message_id == late.message_id
    assert "fact 3 of 5" in visible_text(pointer) and "reply to my latest question" \
        in visible_text(pointer)
    answered = await ben.send("GreenPan", reply_to=brand)
    again = await ben.wait_for_text("I haven't taken that reply")
    assert again.reply_to is not None and again.reply_to.message_id == answered.message_id
    # a member's reply to an old message posts nothing (the group is not flooded)
    await ana.send("Shakes!", reply_to=first)
    await ben.press("A few posts")  # updates of a chat are taken in order: Ana's came first
    await ben.wait_for_text("What are they offering to pay?")
    assert len(ben.messages) == before + 3  # the two pointers and the next fact, nothing else
    assert stored_answers(bot) == {"brand": "FitFuel", "product": "Protein bars",
                                   "ask": "few_posts"}


async def test_a_leads_vote_typed_as_a_reply_is_not_counted_and_the_lead_is_told(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    """A lead who typed "yes" in reply to a vote got nothing back (the refusal was a pop-up,
    which a typed message cannot show) and could believe the vote counted."""
    ana, ben, _ = await voting_with_ana(emulator)
    question = current_vote(ben)
    typed = await ben.send("yes", reply_to=question)
    told = await ben.wait_for_text("I haven't taken that reply")
    assert told.reply_to is not None and told.reply_to.message_id == typed.message_id
    assert "use the buttons on my latest message" in visible_text(told)
    await vote(ana, "Yes")  # Ana's vote counts; Ben's typed one did not: the vote stays open
    tally = await ben.wait_for_text("Yes: 1 (Ana)")
    assert tally.message_id == question.message_id and tally.keyboard
    assert visible_text(tally).endswith("Waiting for: Ben")
