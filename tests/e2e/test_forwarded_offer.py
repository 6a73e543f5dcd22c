"""A brand's offer forwarded, pasted or sent as a contract: the real bot reads it, shows what it
read with the clause review, asks only what the message does not say, and reaches a decision.

Each test prints how many questions it asked next to the full path's (run with ``-s``).
"""

from __future__ import annotations

import sqlite3

from bot.store.sqlite import unpack
from tests.support.users import TelegramUser, visible_text
from tests.support.waiting import eventually
from tests.unit.conftest import GOOD
from tests.unit.documents import blank_pdf, text_pdf

from .conftest import BotProcess

FULL_PATH = 22  # an ongoing paid offer of a product in use, asked step by step (README)

DM = ("Hey Maya!! 💕 Loved your last reel. We're Glow Lab, a clean skincare brand, and we'd "
      "love you to try our retinol night cream. We can offer $1,200 for one Instagram reel, "
      "posted by June 20, usage on our organic channels for 12 months. Payment net 30. "
      "Interested?")
EMAIL = ("Subject: Partnership proposal: Northwind x Maya\n\nHi Maya,\n\nI'm Sam, partnerships "
         "lead at Northwind. We'd like to propose an ongoing ambassadorship for our trail "
         "running shoes: a fee of $2,500 per month for 2 TikTok videos a month.\n\nTerms:\n"
         "- Usage: paid social ads for 3 months\n- Exclusivity: no other running shoe brands "
         "for 6 months\n- Payment: net 60\n- Unlimited revisions\n\nBest,\nSam")
CONTRACT = ("INFLUENCER AGREEMENT between Acme Nutrition Ltd and the Influencer.\n"
            "3. Deliverables. Influencer shall produce one (1) Instagram reel featuring the "
            "protein bar.\n4. Compensation. Company shall pay Influencer a flat fee of $4,000.\n"
            "5. Payment. Payment will be made within 60 days of receipt of invoice.\n"
            "11. Usage. Company may use the Content in all media worldwide in perpetuity.")


def stored(bot: BotProcess, user: TelegramUser) -> dict[str, object] | None:
    import json

    with sqlite3.connect(bot.database) as db:
        row = db.execute("SELECT snapshot_json FROM conversations WHERE user_id = ?",
                         (user.id,)).fetchone()
    return None if row is None else dict(json.loads(unpack(row[0])))


async def answer_the_rest(bot: BotProcess, maya: TelegramUser) -> int:
    """Answer each question the review still asks (good answers), confirm; how many it asked."""
    asked = 0
    for _ in range(40):
        snapshot = stored(bot, maya)
        assert snapshot is not None
        step = str(snapshot["step"])
        if not step.startswith("ask_"):
            break
        question = step[4:]
        await maya.send(GOOD[question])
        asked += 1

        async def moved(before: str = step) -> bool:
            now = stored(bot, maya)
            return now is not None and now["step"] != before

        await eventually(moved, f"the review to move on from {question}")
    await maya.wait_for_text("Here's what you told me")
    await maya.press("✅ See my recommendation")
    await maya.wait_for_text("My recommendation")
    return asked


async def test_a_forwarded_dm_is_read_and_only_the_rest_is_asked(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.forward(DM, "Glow Lab")
    read = visible_text(await maya.wait_for_text("What I read in the brand's message"))
    assert "$1,200" in read and "Glow Lab" in read and "12 months" in read
    asked = await answer_the_rest(bot, maya)
    print(f"\nforwarded DM: {asked} questions asked (step by step: {FULL_PATH})")
    assert asked < FULL_PATH
    snapshot = stored(bot, maya)
    assert snapshot is not None and "retinol" not in str(snapshot.get("history"))
    assert DM not in str(snapshot)  # the message itself is not kept, only its facts


async def test_a_pasted_email_with_a_term_sheet_gets_its_clause_review(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send(EMAIL)
    read = visible_text(await maya.wait_for_text("What I read in the brand's message"))
    assert "net 60" in read.lower() and ("Serious" in read or "Worth fixing" in read)
    asked = await answer_the_rest(bot, maya)
    print(f"\npasted email: {asked} questions asked (step by step: {FULL_PATH})")
    assert asked < FULL_PATH
    draft = visible_text(await maya.wait_for_text("Your reply"))
    snapshot = stored(bot, maya)
    assert snapshot is not None
    assert f"Hi {snapshot['answers']['brand']} team" in draft  # type: ignore[index]
    # net 60 is countered as the brand put it, and the rest of its terms kept
    assert "Payment (you proposed payment within 60 days): net 30 from delivery" in draft
    assert "as you set it out: the fee of $2,500 a month and 2 TikToks a month" in draft


async def test_a_pdf_contract_is_read_and_an_unreadable_one_says_why(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send_document(blank_pdf(), "scan.pdf")
    await maya.wait_for_text("looks like a scan")
    await maya.wait_for_text("Question 1 of")  # and the review begins step by step
    await maya.send("/cancel")
    await maya.wait_for_text("cancelled")
    await maya.send_document(text_pdf(CONTRACT), "acme-agreement.pdf")
    read = visible_text(await maya.wait_for_text("What I read in the brand's message"))
    assert "$4,000" in read and "perpetuity" in read
    asked = await answer_the_rest(bot, maya)
    print(f"\nPDF contract: {asked} questions asked (step by step: {FULL_PATH})")
    assert asked < FULL_PATH


async def test_review_takes_the_brands_message_pasted_as_its_first_answer(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/review")
    first = visible_text(await maya.wait_for_text("Question 1 of"))
    assert "paste the brand's whole message" in first
    await maya.send(DM)
    read = visible_text(await maya.wait_for_text("What I read in the brand's message"))
    assert "$1,200" in read
    snapshot = stored(bot, maya)
    assert snapshot is not None and snapshot["answers"]["brand"] == "Glow Lab"  # type: ignore[index]


async def test_a_fact_corrected_and_another_removed_reach_the_decision_and_draft(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.forward(EMAIL, "Northwind")
    facts = await maya.wait_for_text("What I read in the brand's message")
    await maya.wait_for_text("Question 1 of")
    # the fee, corrected in place with a typed answer
    await maya.press("✏️ Fix a fact", facts)
    listing = await maya.wait_for_text("Which fact did I get wrong?")
    assert listing.message_id == facts.message_id
    await maya.press("Fee", facts)
    await maya.wait_for_text("Fixing: Fee")
    await maya.send("$3,000")
    await maya.wait_for_text("$3,000 (as you corrected it)")
    snapshot = stored(bot, maya)
    assert snapshot is not None and snapshot["answers"]["pay"]["amount"] == "3000"  # type: ignore[index]
    # a question later, the same button still opens the facts: payment terms taken out
    step = str(snapshot["step"])
    await maya.send(GOOD[step[4:]])

    async def moved() -> bool:
        now = stored(bot, maya)
        return now is not None and now["step"] != step

    await eventually(moved, "the review to move on")
    await maya.press("✏️ Fix a fact", facts)
    await maya.wait_for_text("Which fact did I get wrong?")
    await maya.press("When you're paid", facts)
    await maya.wait_for_text("Fixing: When you're paid")
    await maya.press("❌ The message doesn't say that", facts)
    fixed = visible_text(await maya.wait_for_text("Taken out: When you're paid"))
    assert "net 60" not in fixed.lower()
    # data we never wrote, on the facts message: a friendly word, and the review goes on
    query = await maya.press_data("v1|c|0|f|Not a fact!", facts)
    answer = await maya.wait_for_answer(query)
    assert answer.text and "doesn't work" in answer.text
    asked = await answer_the_rest(bot, maya)
    snapshot = stored(bot, maya)
    assert snapshot is not None and "payment_terms" in snapshot["history"]  # type: ignore[operator]
    print(f"\ncorrected offer: {asked} questions asked after the corrections")
    draft = visible_text(await maya.wait_for_text("Your reply"))
    assert "$3,000" in draft and "$2,500" not in draft  # the corrected fee, never the misread
    assert "within 60 days" not in draft and "Revisions (you proposed unlimited revisions)" \
        in draft
    # once decided, the facts' button is old: a friendly word, and it goes
    query = await maya.press("✏️ Fix a fact", facts)
    answer = await maya.wait_for_answer(query)
    assert answer.text and "moved on" in answer.text

    async def unbuttoned() -> bool:
        return not maya.emulator.get_message(maya.chat_id, facts.message_id).keyboard  # type: ignore[union-attr]

    await eventually(unbuttoned, "the old Fix button to go")
