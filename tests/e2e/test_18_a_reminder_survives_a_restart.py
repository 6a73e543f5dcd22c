"""Issue 18: a deal's reminder lives in the database, not in the bot. The real ``halo run`` is
killed (SIGKILL) after the deal is moved on and before its reminder falls due; started again in
its own later time (``HALO_CLOCK_START``), it sends the reminder, once."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.support.emulator import BotApiEmulator
from tests.support.offline import A_GOOD_DEAL
from tests.support.users import TelegramUser

from .conftest import BotProcess

MORNING = "2026-12-04T08:00:00+00:00"  # the deal's content goes live before its 10:00 reminder
LATER = "2026-12-04T10:30:00+00:00"
INVOICE = "Time to invoice Acme"


async def track(maya: TelegramUser, typed: list[str], reply: str) -> None:
    """A whole review typed, its decision opened from /history and tracked as a deal."""
    await maya.review_typed(typed)
    await maya.wait_for_text(reply)
    await maya.send("/history")
    listing = await maya.wait_for_text("Your past decisions")
    await maya.press(listing.button_labels[0])
    await maya.wait_for(lambda m: m.button("📌 Track this deal") is not None)
    await maya.press("📌 Track this deal")


async def test_an_invoice_reminder_comes_once_after_the_bot_was_killed(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    bot = BotProcess(emulator, tmp_path, HALO_CLOCK_START=MORNING)
    await bot.start()
    await track(maya, A_GOOD_DEAL, "Your reply: accept")
    await maya.wait_for_text("Fee: $900")
    await maya.press("🤝 They agreed")
    await maya.wait_for_text("Serum: agreed")
    await maya.press("✅ It's posted")
    await maya.wait_for_text("Next: invoice them")
    assert not any(INVOICE in (m.text or "") for m in maya.messages)  # 08:00: not due yet

    await bot.stop(signal.SIGKILL)
    later = BotProcess(emulator, tmp_path, name="later", HALO_CLOCK_START=LATER)
    await later.start()
    reminder = await maya.wait_for_text(INVOICE, timeout=20)
    assert "📨 Invoice sent" in reminder.button_labels

    await later.stop(signal.SIGKILL)  # and once more: it was noted as sent
    again = BotProcess(emulator, tmp_path, name="again", HALO_CLOCK_START=LATER)
    await again.start()
    await maya.send("/deals")
    await maya.wait_for_text("Your deals")
    assert sum(INVOICE in (m.text or "") for m in maya.messages) == 1
    await again.stop(signal.SIGTERM)
    again.assert_clean_log()


SAMPLE_ASKED = "2026-12-04T08:00:00+00:00"
FOUR_DAYS_ON = "2026-12-08T10:30:00+00:00"  # the "did it arrive?" is due 4 days after the ask
NOT_TRIED = ["Acme", "Serum", "none", "One post", "exact", "$900", "skip", "Not at all", "none",
             "Not yet", "yes", "yes", "yes", "yes", "own words", "lasting", "real", "yes",
             "same brand", "clear", "none"]


async def test_a_sample_reminder_comes_once_after_a_restart_between_the_ask_and_its_day(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    bot = BotProcess(emulator, tmp_path, HALO_CLOCK_START=SAMPLE_ASKED)
    await bot.start()
    await track(maya, NOT_TRIED, "Your reply: ask for a sample")
    await maya.wait_for(lambda m: m.button("🤝 They agreed") is not None)
    await maya.press("🤝 They agreed")  # they are sending the sample
    await maya.wait_for(lambda m: m.button("📦 Sample arrived") is not None)

    await bot.stop(signal.SIGKILL)  # the bot goes down while the sample is on its way
    later = BotProcess(emulator, tmp_path, name="later", HALO_CLOCK_START=FOUR_DAYS_ON)
    await later.start()
    reminder = await maya.wait_for(lambda m: m.button("✅ It arrived") is not None, timeout=20)
    assert "Acme" in (reminder.text or "")

    await later.stop(signal.SIGKILL)  # and once more: it was noted as sent
    again = BotProcess(emulator, tmp_path, name="again", HALO_CLOCK_START=FOUR_DAYS_ON)
    await again.start()
    await maya.send("/deals")
    await maya.wait_for_text("Your deals")
    assert sum(m.button("✅ It arrived") is not None for m in maya.messages) == 1
    await again.stop(signal.SIGTERM)
    again.assert_clean_log()
