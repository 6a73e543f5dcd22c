"""The aiohttp Bot API client: what Telegram receives from it."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from aiohttp import web
from telegram.error import TelegramError
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.transport import AiohttpRequest, json_bytes, parse_json

KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "v1|c|7|a|yes"}]]}


async def test_a_call_is_one_json_body_with_each_parameter_as_its_json_value() -> None:
    received: list[tuple[str, Any]] = []

    async def api(request: web.Request) -> web.Response:
        received.append((request.content_type, json.loads(await request.read())))
        return web.json_response({"ok": True, "result": {"message_id": 7}})

    app = web.Application()
    app.router.add_post("/bot1:x/sendMessage", api)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    client = AiohttpRequest()
    await client.initialize()
    try:
        fields = {"chat_id": 42, "text": "<b>Question</b> & more", "parse_mode": "HTML",
                  "reply_markup": KEYBOARD, "message_thread_id": None}
        data = RequestData([RequestParameter.from_input(k, v) for k, v in fields.items()])
        port = runner.addresses[0][1]
        status, body = await client.do_request(
            f"http://127.0.0.1:{port}/bot1:x/sendMessage", "POST", data)
    finally:
        await client.shutdown()
        await runner.cleanup()
    assert (status, json.loads(body)["result"]) == (200, {"message_id": 7})
    assert received == [("application/json", {
        "chat_id": 42, "text": "<b>Question</b> & more", "parse_mode": "HTML",
        "reply_markup": KEYBOARD})]


def test_text_orjson_refuses_is_still_sent_and_read() -> None:
    # a lone surrogate (what a client's broken emoji can leave in a text) is valid JSON text
    # escaped, and Telegram's answers may hold bytes that are not UTF-8: neither fails a call
    fields = {"chat_id": 42, "text": "Brand \ud83d name", "big": 2**70}
    assert json.loads(json_bytes(fields)) == fields
    assert parse_json(b'{"ok": true, "result": {"text": "caf\xe9"}}') == {
        "ok": True, "result": {"text": "caf\ufffd"}}
    assert parse_json('{"ok":true,"result":"\u00e9\U0001f600"}'.encode()) == {
        "ok": True, "result": "\u00e9\U0001f600"}


def test_an_answer_that_is_not_json_is_a_telegram_error_and_its_text_is_not_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(TelegramError, match="Invalid server response"):
        parse_json(b"<html>502 Bad Gateway</html>")
    # an answer to a send holds the message sent: a broken one must not put it in the log
    with caplog.at_level(logging.DEBUG), pytest.raises(TelegramError):
        parse_json(b'{"ok":true,"result":{"text":"Maya\'s fee is $900"')
    assert "fee" not in caplog.text and "(48 bytes)" in caplog.text
