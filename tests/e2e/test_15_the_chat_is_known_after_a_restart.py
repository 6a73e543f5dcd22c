"""Issue 15: one live question did not survive a restart of the bot. Whether the question was
still the chat's last message, and where each answered line showed, were known to the process
that sent them only: started again, the bot answered a press on an old button with a copy of the
question instead of a pop-up alone, showed a replayed typed answer's question a second time, and
left a typed answer taken back (Back) showing as given.

Each test kills the bot (SIGKILL) once the update before is handled and its notes written (the
journal emptied: they are written together), starts it again, and looks at the whole chat.
"""

from __future__ import annotations

import signal

from tests.support.tidy_chat import live
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess
from .test_15_a_replayed_press_keeps_the_answered_line import crash_before_noting, handled
from .test_15_one_live_question import at_the_product


def chat(user: TelegramUser) -> list[tuple[int, str, list[str]]]:
    """The bot's messages as the person sees them: id, text, buttons."""
    return [(m.message_id, visible_text(m), m.button_labels) for m in user.messages]


async def restart(bot: BotProcess) -> None:
    await handled(bot)
    await bot.stop(signal.SIGKILL)
    await bot.start()


async def test_an_old_button_pressed_after_a_restart_only_gets_a_pop_up(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.send("Bars")
    question = await maya.wait_for_text("Question 3 of")
    old = question.button("None of these")  # a phone that still shows this keyboard
    assert old is not None
    await maya.press("None of these", question)
    merged = await maya.wait_for_text("Question 4 of")
    assert merged.message_id == question.message_id
    before = chat(maya)
    await restart(bot)

    await maya.press_data(str(old["callback_data"]), merged)
    await maya.emulator.wait_until(
        lambda: any("moved on" in (q.text or "") for q in maya.callback_answers),
        what="the 'moved on' pop-up")
    await handled(bot)  # the press is handled through: anything it sent is in the chat
    assert chat(maya) == before  # the question is the last message: no copy of it below
    assert [m.message_id for m in live(maya.messages)] == [merged.message_id]


async def test_a_typed_answer_replayed_after_a_crash_leaves_no_second_copy(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)
    await maya.send("Bars")
    await maya.wait_for_text("Question 3 of")
    await maya.emulator.wait_until(lambda: len(live(maya.messages)) == 1, what="one keyboard")
    before = chat(maya)
    typed = next(u for u in reversed(maya.emulator.update_log) if "message" in u)

    await crash_before_noting(bot, typed)

    assert chat(maya) == before  # the question stays where it was, alone with its buttons
    await maya.press("None of these", maya.messages[-1])
    await maya.wait_for_text("Question 4 of")
    assert len(maya.messages) == len(before)  # answered in place, as without the crash


async def test_back_after_a_restart_marks_the_typed_answers_line_taken_back(
        bot: BotProcess, maya: TelegramUser) -> None:
    await at_the_product(maya)  # the brand typed: its question became its answered line
    line = maya.messages[-2]
    await maya.emulator.wait_until(
        lambda: "Acme ✓" in visible_text(maya.emulator.get_message(maya.chat_id,
                                                                   line.message_id)),
        what="the answered line")
    await restart(bot)

    await maya.press("⬅️ Back", maya.messages[-1])
    again = await maya.wait_for_text("Question 1 of")  # the question's own message, in place
    assert again.message_id == maya.messages[-1].message_id
    corrected = maya.emulator.get_message(maya.chat_id, line.message_id)
    assert "taken back" in visible_text(corrected)  # corrected before the question is shown
    assert "Acme ✓" not in visible_text(corrected)
    assert len(live(maya.messages)) == 1
