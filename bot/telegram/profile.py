"""What Telegram shows of the bot before anyone talks to it, set at start-up from ``prompts/``:
the command menus per scope (private chats, groups, group admins) and the bot's description
(the empty chat's "What can this bot do?") and short description (its profile and shares).

Descriptions are read back first and set only when they changed: every worker sets them at
each start, and Telegram limits how often they may change.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)
from telegram.error import TelegramError

from flows.registry import FLOWS
from prompts import ENV, about, html_to_text

log = logging.getLogger("halo.telegram")


def command_menus() -> dict[str, list[BotCommand]]:
    """The command menus by scope (``private``, ``group``, ``admin``): each flow's first command
    where it runs (described in its ``labels.j2``), then the bot's own (chat/commands.j2)."""
    module: Any = ENV.get_template("chat/commands.j2").module
    flows = {scope: [BotCommand(flow.commands[0], about(flow.name)["command"])
                     for flow in FLOWS.values() if flow.scope == scope]
             for scope in ("private", "group")}
    return {scope: [*flows["group" if scope == "admin" else scope],
                    *(BotCommand(name, text) for name, text in getattr(module, scope))]
            for scope in ("private", "group", "admin")}


def descriptions() -> tuple[str, str]:
    """The bot's description (at most 512 characters) and short description (120)."""
    module: Any = ENV.get_template("chat/description.j2").module
    return html_to_text(str(module.description)).strip(), \
        html_to_text(str(module.short)).strip()


async def publish_profile(bot: Bot) -> None:
    """Command menus for every scope, then the descriptions if they changed."""
    menus = command_menus()
    await bot.set_my_commands(menus["private"], scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(menus["group"], scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands(menus["admin"], scope=BotCommandScopeAllChatAdministrators())
    description, short = descriptions()
    try:  # a profile not updated is no reason not to start
        if (await bot.get_my_description()).description != description:
            await bot.set_my_description(description)
        if (await bot.get_my_short_description()).short_description != short:
            await bot.set_my_short_description(short)
    except (TelegramError, TypeError, KeyError) as error:  # refused, or an answer unread
        log.warning("could not set the bot's description (%s)", type(error).__name__)
