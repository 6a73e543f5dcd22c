"""What Telegram shows of the bot before anyone talks to it: command menus for private chats,
groups and group admins, its description and short description (set once, not at every
start), and a link that adds it to a group."""

from __future__ import annotations

import signal

from bot.telegram.profile import descriptions
from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess


async def test_menus_and_descriptions_are_set_at_start_and_only_once(
        bot: BotProcess, emulator: BotApiEmulator) -> None:
    await emulator.wait_for_calls("setMyCommands", 3)
    admins = emulator.commands[('{"type": "all_chat_administrators"}', "")]
    assert {c["command"] for c in admins} == {"review", "cancel", "help"}
    description, short = descriptions()
    await emulator.wait_for_calls("setMyShortDescription", 1)
    assert emulator.descriptions[("description", "")] == description
    assert emulator.descriptions[("short_description", "")] == short
    assert "Would you use it yourself" not in description  # our words, not a template's code
    await bot.stop(signal.SIGTERM)
    await bot.start()  # a restart finds them unchanged and leaves them alone
    await emulator.wait_for_calls("getMyShortDescription", 2)
    assert len(emulator.calls_to("setMyDescription")) == 1
    assert len(emulator.calls_to("setMyShortDescription")) == 1


async def test_help_offers_a_link_that_adds_the_bot_to_a_group(
        bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/help")
    help_text = await maya.wait_for_text("Add me to a group")
    links = [e.get("url") for e in help_text.entities if e.get("type") == "text_link"]
    assert "https://t.me/halo_test_bot?startgroup=review" in links
    assert "send /review there" in visible_text(help_text)
