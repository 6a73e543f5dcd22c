"""Turn a flow's ``Reply`` into what Telegram gets: HTML text, an inline keyboard, a document."""

from __future__ import annotations

from typing import Any

from bot.telegram.callbacks import encode_flow, encode_menu
from flows.replies import Button, Reply
from prompts import MESSAGE_LIMIT, button_text, render, render_text, visible_length

Markup = dict[str, Any]  # an inline keyboard as the Bot API takes it (built as JSON, not objects)


def keyboard(flow: str, version: int, rows: list[list[Button]]) -> Markup | None:
    """The reply's buttons, each carrying the snapshot version it belongs to."""
    if not rows:
        return None
    return {"inline_keyboard": [
        [{"text": button_text(flow, b.label, b.ticked),
          "callback_data": encode_flow(flow, version, b.event)} for b in row]
        for row in rows if row
    ]}


def menu_keyboard(rows: list[list[tuple[str, str, str]]]) -> Markup:
    """Buttons of the bot's own menus: (text, action, arg) triples, text already rendered."""
    return {"inline_keyboard": [
        [{"text": text, "callback_data": encode_menu(action, arg)} for text, action, arg in row]
        for row in rows
    ]}


def message_html(reply: Reply) -> str:
    """The reply as Telegram HTML; a test renders every template under the 4096-character cap."""
    text = render(reply.template, reply.context)
    # a character is at most two UTF-16 units, and tags and entities only shorten what shows
    if 2 * len(text) > MESSAGE_LIMIT and visible_length(text) > MESSAGE_LIMIT:
        raise ValueError(f"{reply.template} is longer than Telegram allows")
    return text


def document_bytes(reply: Reply) -> bytes:
    return render_text(reply.template, reply.context).encode("utf-8") + b"\n"


def outgoing(chat_id: int, text: str, markup: Markup | None, **extra: Any) -> dict[str, Any]:
    """The Bot API fields of an HTML message (``None`` values left out)."""
    fields: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
    if markup is not None:
        fields["reply_markup"] = markup
    fields.update({key: value for key, value in extra.items() if value is not None})
    return fields


async def send_text(bot: Any, chat_id: int, text: str, markup: Markup | None,
                    thread: int | None = None) -> int:
    """Send an HTML message through ``JournalingBot.call``; the new message's id. The raw answer
    is read, not parsed into a ``Message``: the id is all the bot needs, and parsing costs more
    than the send."""
    result = await bot.call("sendMessage", outgoing(chat_id, text, markup,
                                                    message_thread_id=thread))
    return int(result["message_id"])


async def edit_text(bot: Any, chat_id: int, message_id: int, text: str,
                    markup: Markup | None) -> None:
    """Rewrite a message (without buttons when ``markup`` is None), raw as ``_say`` sends."""
    await bot.call("editMessageText", outgoing(chat_id, text, markup, message_id=message_id))
