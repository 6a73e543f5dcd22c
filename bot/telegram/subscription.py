"""The update types the bot asks Telegram for, in polling and webhook mode alike.

Only what a handler takes: messages (commands, answers, a member leaving a group), edited
messages, button presses, and changes to the bot's own membership (blocked, removed from a group).
Anything else (reactions, inline queries, payments, business updates...) would be journaled,
parsed and dropped, so Telegram is asked not to send it.
"""

from __future__ import annotations

from telegram.constants import UpdateType

HANDLED_UPDATES: list[str] = [
    UpdateType.MESSAGE,
    UpdateType.EDITED_MESSAGE,
    UpdateType.CALLBACK_QUERY,
    UpdateType.MY_CHAT_MEMBER,
]
