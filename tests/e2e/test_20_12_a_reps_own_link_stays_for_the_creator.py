"""Issue 20, defect 12: a brand rep who opened their own link claimed it, and the creator was
then refused ("That link has expired or isn't valid")."""

from __future__ import annotations

from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess
from .test_more_coaches import check_proposal


async def test_the_rep_trying_their_own_link_leaves_it_for_the_creator(
        bot: BotProcess, maya: TelegramUser, leo: TelegramUser) -> None:
    code = await check_proposal(leo)
    await leo.send(f"/start {code}")  # the rep checks the link works
    own = await leo.wait_for_text("That's the link you made for the creator")
    assert "expired" not in visible_text(own)
    await maya.send(f"/start {code}")  # and the creator still gets the review
    await maya.wait_for_text("GreenPan sent you a proposal")
    await maya.wait_for_text("Question")
