"""The apology coach and the proposal check through the real bot, and the brand-to-creator link."""

from __future__ import annotations

import re
import sqlite3

from bot.store.sqlite import unpack
from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess

PROPOSAL = ["Maya Lopez", "plant-based cooking", "quick weeknight recipes", "GreenPan",
            "Ceramic skillet", "No", "Yes", "Ongoing partnership / ambassador", "Real value",
            "Their own words", "$2,000", "Yes, clearly labelled #ad", "Their channels only",
            "None", "Net 30 or sooner", "Two rounds or fewer", "No claims"]
LINK = re.compile(r"https://t\.me/halo_test_bot\?start=(h-[A-Za-z0-9_-]{24})")


async def check_proposal(rep: TelegramUser) -> str:
    """A brand rep runs the proposal check and asks for the creator's link; returns its code."""
    await rep.send("/proposal")
    await rep.wait_for_text("Question 1 of")
    for number, text in enumerate(PROPOSAL, start=2):
        await rep.send(text)
        await rep.wait_for_text(f"Question {number} of")
    await rep.press("Skip ⏭")
    await rep.wait_for_text("Here's what you told me")
    await rep.press("✅ How will they read it?")
    await rep.wait_for_text("A better pitch for Maya Lopez")
    await rep.press("🔗 Link for the creator")
    link = await rep.wait_for_text("A link for Maya Lopez")
    found = LINK.search(visible_text(link))
    assert found, visible_text(link)
    return found.group(1)


async def test_a_brands_link_opens_a_creator_review_already_filled_in(
        bot: BotProcess, emulator: BotApiEmulator, maya: TelegramUser,
        leo: TelegramUser) -> None:
    code = await check_proposal(leo)
    await maya.send(f"/start {code}")
    await maya.wait_for_text("GreenPan sent you a proposal")
    first = await maya.wait_for_text("Question")
    # brand, product, ask, pay and the terms came with the link: the creator starts at
    # what the brand could not say (the category, the dates), then their own questions
    assert "Is GreenPan's offer in one of these categories?" in visible_text(first)
    for typed, next_question in (("none", "Does GreenPan say exactly what they want"),
                                 ("exact", "What do you usually charge"),
                                 ("skip", "how much is the money driving this"),
                                 ("Not at all", "Does the offer do any of these?"),
                                 ("none", "Have you tried GreenPan's Ceramic skillet?")):
        await maya.send(typed)
        await maya.wait_for_text(next_question)
    # and the review can be finished: every question after a handed-over one is reachable
    for text, next_question in [
            ("I use it regularly", "recommend GreenPan's Ceramic skillet to a close friend"),
            ("yes", "fit what your community follows you for"),
            ("yes", "be glad they did"),
            ("yes", "How would GreenPan's current customers see"),
            ("same brand", "Here's what you told me")]:
        await maya.send(text)
        await maya.wait_for_text(next_question)
    await maya.press("✅ See my recommendation")
    await maya.wait_for_text("My recommendation")
    with sqlite3.connect(bot.database) as db:
        (snapshot,) = db.execute("SELECT snapshot_json FROM conversations WHERE user_id = ?",
                                 (maya.id,)).fetchone()
    snapshot = unpack(snapshot)
    assert '"brand":"GreenPan"' in snapshot
    assert "Maya Lopez" not in snapshot  # the rep's notes about the creator stay with the rep


async def test_a_forged_expired_or_someone_elses_code_reveals_nothing(
        bot: BotProcess, maya: TelegramUser, leo: TelegramUser, emulator: BotApiEmulator) -> None:
    code = await check_proposal(leo)
    await maya.send(f"/start {code}")
    await maya.wait_for_text("GreenPan sent you a proposal")
    stranger = TelegramUser(emulator, 1003, "Sam")
    for attempt in (f"/start {code}", "/start h-AAAAAAAAAAAAAAAAAAAAAAAA", "/start h-<b>x</b>"):
        await stranger.send(attempt)
        refused = await stranger.wait_for_text("That link has expired or isn't valid")
        assert "GreenPan" not in visible_text(refused)
    assert all("GreenPan" not in visible_text(m) for m in stranger.messages)
    with sqlite3.connect(bot.database) as db:
        db.execute("UPDATE handoffs SET expires_at = '2000-01-01T00:00:00+00:00'")
    await maya.send(f"/start {code}")
    await maya.wait_for_text("That link has expired or isn't valid")


async def test_an_apology_with_ticked_answers_through_the_bot(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/apology")
    await maya.wait_for_text("Question 1 of")
    for number, text in enumerate(["FitFuel protein powder", "A few weeks ago", "skip"], start=2):
        await maya.send(text)
        await maya.wait_for_text(f"Question {number} of")
    question = maya.last()
    assert question is not None
    await maya.press("Took it mainly for the money", question)
    ticked = await maya.wait_for_text("Ticked so far: 1")
    assert "✅ Took it mainly for the money" in ticked.button_labels
    await maya.press("Hadn't really tried it", question)
    await maya.wait_for_text("Ticked so far: 2")
    await maya.press("✔️ Done", question)
    await maya.wait_for_text("Question 5 of")
    # typed, a list of numbers answers a tick question at once
    for number, text in enumerate(["Taken down", "1, 2", "Help getting refunds", "No"], start=6):
        await maya.send(text)
        await maya.wait_for_text(f"Question {number} of")
    await maya.send("Maya")  # how the drafts are signed
    await maya.wait_for_text("Question 10 of")
    await maya.send("skip")
    await maya.wait_for_text("Here's what you told me")
    await maya.press("✅ Write my apology")
    post = await maya.wait_for_text("Your apology post")
    assert "I take full responsibility" in visible_text(post)
    assert "I've taken the sponsored content down" in visible_text(post)
    assert "— Maya" in visible_text(post)
    await maya.press("Show: email to subscribers")
    email = await maya.wait_for_text("Your email to subscribers")
    assert "Subject:" in visible_text(email)
