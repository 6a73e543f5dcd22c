"""What a full creator review leaves in a Telegram chat (issue 15), next to the target.

The bot runs as its own process (``halo run``) against the e2e Bot API emulator; one creator
presses every answer that has a button and types the rest (``tests/support/tidy_chat.py``, the
same scenario the e2e test checks). Printed: the bot's messages left in the chat, the most that
still carried buttons once a step had settled, the typed answers (the target allows one bot
line more for each) and the buttons on the review step.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bench.common import machine
from bench.emulated import HALO_RUN, BotProcess
from tests.support.emulator import BotApiEmulator
from tests.support.tidy_chat import TARGET_MESSAGES, review_by_buttons
from tests.support.users import TelegramUser


async def measure() -> int:
    async with BotApiEmulator() as emulator:
        with tempfile.TemporaryDirectory() as folder:
            bot = BotProcess(emulator, Path(folder), HALO_RUN)
            await bot.start()
            try:
                maya = TelegramUser(emulator, 1001, "Maya")
                tally = await review_by_buttons(maya)
            finally:
                await bot.stop()
    print(f"tidy chat: one creator review on Telegram ({machine()})")
    print(f"  answers pressed {tally.pressed}, typed {tally.typed}")
    met = tally.messages <= TARGET_MESSAGES
    print(f"  bot messages left in the chat {tally.messages:4d}  target <= {TARGET_MESSAGES}  "
          f"{'met' if met else 'MISSED'}  (before issue 15: 24)")
    print(f"  most live keyboards at once   {tally.most_live:4d}  target <= 1  "
          f"{'met' if tally.most_live <= 1 else 'MISSED'}")
    print(f"  buttons on the review step    {tally.review_buttons:4d}  "
          f"(before issue 15: 27; Change an answer: lists of at most 8)")
    return 0


def main() -> int:
    return asyncio.run(measure())


if __name__ == "__main__":
    sys.exit(main())
