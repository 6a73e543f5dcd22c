"""Issue 14: a long draft full of excuses once made the check longer than Telegram allows, and
the creator got "Sorry, something went wrong" instead of the post and the email. Through the
real bot: a 3,500-character draft still yields the check, the post and the email."""

from __future__ import annotations

from tests.support.users import TelegramUser, visible_text
from tests.unit.apology_drafts import excuse_heavy

from .conftest import BotProcess

EXCUSES = excuse_heavy()


async def test_a_long_excuse_heavy_draft_still_yields_the_check_the_post_and_the_email(
        bot: BotProcess, maya: TelegramUser) -> None:
    assert len(EXCUSES) == 3500
    await maya.send("/apology")
    await maya.wait_for_text("Question 1 of")
    answers = ["GlowLab vitamin C serum", "Months ago", "They felt misled",
               "It wasn't labelled as an ad", "Still up", "I'll mark it clearly as an ad",
               "Always label ads up front", "Nothing for now", "No", "Maya"]
    for text in answers:
        await maya.send(text)
        await maya.wait_for(lambda m: "Question" in visible_text(m) and m.button_labels != [])
    await maya.send(EXCUSES)
    await maya.wait_for_text("Here's what you told me")
    await maya.press("✅ Write my apology")
    check = await maya.wait_for_text("About your own draft")
    assert "more like these" in visible_text(check)
    assert len(visible_text(check)) <= 4096
    post = await maya.wait_for_text("Your apology post")
    assert "I was paid to promote GlowLab vitamin C serum, and I didn't tell you clearly." \
        in visible_text(post)
    assert "It's still up, and I'm going to mark it clearly as an ad." in visible_text(post)
    assert "— Maya" in visible_text(post)
    await maya.press("Show: email to subscribers")
    email = await maya.wait_for_text("Your email to subscribers")
    assert "Subject:" in visible_text(email) and "You told me you felt misled." in visible_text(
        email)
    assert all("something went wrong" not in visible_text(m) for m in maya.messages)
