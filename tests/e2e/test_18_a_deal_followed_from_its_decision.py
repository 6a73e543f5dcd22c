"""Issue 18 over HTTP, the real ``halo run`` against the emulator: a decided review tracked right
on its decided step, its dates answered in the reply field the bot opens, and, after a restart
the day before going live, the caption reminder whose button checks a pasted caption and returns
it fixed."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.support.emulator import BotApiEmulator
from tests.support.offline import A_GOOD_DEAL
from tests.support.users import TelegramUser

from .conftest import BotProcess

DECIDED = "2026-12-04T08:00:00+00:00"
EVE_OF_GOING_LIVE = "2026-12-13T10:30:00+00:00"  # its 10:00 reminders (UTC: "en" says no zone)


async def test_a_deal_tracked_on_its_decided_step_is_dated_and_its_caption_checked(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    bot = BotProcess(emulator, tmp_path, HALO_CLOCK_START=DECIDED)
    await bot.start()
    await maya.review_typed(A_GOOD_DEAL)
    await maya.wait_for(lambda m: m.button("📌 Track this deal") is not None)
    await maya.press("📌 Track this deal")  # on the decided step itself
    await maya.wait_for_text("Is that right?")  # the time zone, asked once
    await maya.press("🤝 They agreed")
    asked = await maya.wait_for_text("When is your draft due?")
    await maya.send("12 Dec\n14 Dec\nskip", reply_to=asked)
    await maya.wait_for_text("Goes live: 14 December 2026")

    await bot.stop(signal.SIGKILL)
    later = BotProcess(emulator, tmp_path, name="later", HALO_CLOCK_START=EVE_OF_GOING_LIVE)
    await later.start()
    await maya.wait_for(lambda m: m.button("📝 Check my caption") is not None, timeout=20)
    await maya.press("📝 Check my caption")
    paste = await maya.wait_for_text("Paste your caption or script for Acme")
    await maya.send("Obsessed with this serum #gifted", reply_to=paste)
    fixed = await maya.wait_for_text("Your caption, ready to post")
    assert "Ad | Obsessed with this serum" in (fixed.text or "")
    await later.stop(signal.SIGTERM)
    later.assert_clean_log()
