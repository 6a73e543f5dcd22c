"""The raw send path: the bot's own messages go to the Bot API with their fields as JSON.

``RawSendBot.call`` enters python-telegram-bot where its rate limiter sits and reads Telegram's
raw answer; ``send_text`` and ``edit_text`` build the fields of an HTML message. Sends and edits
skip python-telegram-bot's per-field checks for files and dates, which cost as much as the rest
of building the request (bench/throughput.py): these fields have none.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # not exported; see call()

Markup = dict[str, Any]  # an inline keyboard as the Bot API takes it (built as JSON, not objects)


class RawSendBot(ExtBot[Any]):
    """An ``ExtBot`` that also sends the bot's own messages raw (``call``)."""

    async def call(self, endpoint: str, fields: dict[str, Any]) -> Any:
        """One Bot API method with its fields exactly as Telegram takes them (camelCase
        ``endpoint``, JSON values: numbers, text, keyboards as dicts); the raw answer. Through
        the rate limiter as ``ExtBot`` would, but without the defaults and argument handling
        that ``send_message`` and ``do_api_request`` redo on every call."""
        if self.rate_limiter is None:
            return await self._post_fields(endpoint, fields)
        return await self.rate_limiter.process_request(
            callback=self._post_fields, args=(endpoint, fields), kwargs={}, endpoint=endpoint,
            data=fields, rate_limit_args=None)

    async def _post_fields(self, endpoint: str, fields: dict[str, Any]) -> Any:
        """``Bot._do_post`` for fields that are JSON values already. python-telegram-bot checks
        each field for files, dates and its own objects to convert (``RequestParameter
        .from_input``), which cost as much as the rest of building the request
        (bench/throughput.py); these fields have none."""
        request_data = RequestData([RequestParameter(name=name, value=value, input_files=None)
                                    for name, value in fields.items()])
        return await self.request.post(url=f"{self.base_url}/{endpoint}",
                                       request_data=request_data)


def outgoing(chat_id: int, text: str, markup: Markup | None, **extra: Any) -> dict[str, Any]:
    """The Bot API fields of an HTML message (``None`` values left out)."""
    fields: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
    if markup is not None:
        fields["reply_markup"] = markup
    fields.update({key: value for key, value in extra.items() if value is not None})
    return fields


async def send_text(bot: Any, chat_id: int, text: str, markup: Markup | None,
                    thread: int | None = None, reply_to: int | None = None) -> int:
    """Send an HTML message through ``RawSendBot.call``; the new message's id. The raw answer
    is read, not parsed into a ``Message``: the id is all the bot needs, and parsing costs more
    than the send. ``reply_to``: a message it replies to (sent all the same if that is gone)."""
    quoted = {"message_id": reply_to, "allow_sending_without_reply": True} \
        if reply_to is not None else None
    result = await bot.call("sendMessage", outgoing(chat_id, text, markup,
                                                    message_thread_id=thread,
                                                    reply_parameters=quoted))
    return int(result["message_id"])


async def edit_text(bot: Any, chat_id: int, message_id: int, text: str,
                    markup: Markup | None) -> None:
    """Rewrite a message (without buttons when ``markup`` is None), raw as ``send_text`` sends."""
    await bot.call("editMessageText", outgoing(chat_id, text, markup, message_id=message_id))
