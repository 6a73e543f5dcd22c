"""Turn a flow's ``Reply`` into what Telegram gets: HTML text, an inline keyboard, a document."""

from __future__ import annotations

from bot.telegram.callbacks import encode_flow, encode_menu
from bot.telegram.send import Markup
from flows.replies import Button, Reply
from prompts import MESSAGE_LIMIT, button_text, render, render_text, visible_length


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
