"""Issue 20, defect 9: the webhook answered bad requests with 500 and a traceback, or not at all.

A secret header with non-ASCII bytes got 500 instead of 403; with the secret, a JSON body of
``[]``, ``1``, ``"x"``, ``null``, ``true`` or deep nesting got 500 with a traceback; a body never
completed was held open with no timeout. Each now gets a 4xx, nothing is stored, the log stays
clean, and the worker goes on serving.
"""

from __future__ import annotations

import asyncio
import sqlite3

import aiohttp
import pytest

from tests.support.users import TelegramUser

from .conftest import WebhookWorker
from .test_webhook import worker

__all__ = ["worker"]  # the fixture: a worker whose log must stay clean
SECRET = {"X-Telegram-Bot-Api-Secret-Token": WebhookWorker.secret}


async def raw_post(port: int, head: bytes, body: bytes) -> int:
    """POST with headers as raw bytes; the status line's code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\n" + head
                     + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 15)
        return int(status.split()[1])
    finally:
        writer.close()


async def test_a_secret_header_with_non_ascii_bytes_is_refused_with_403(
        worker: WebhookWorker) -> None:
    head = b"X-Telegram-Bot-Api-Secret-Token: s\xe9cr\xffet\r\n"
    assert await raw_post(worker.port, head, b"{}") == 403


@pytest.mark.parametrize("body", [b"[]", b"1", b'"x"', b"null", b"true", b"{}",
                                  b'{"update_id": "1"}', b"[" * 100_000 + b"]" * 100_000,
                                  b'{"update_id": 5, "message": 3}'])
async def test_a_body_that_is_not_an_update_gets_400(worker: WebhookWorker, body: bytes) -> None:
    async with aiohttp.ClientSession() as session, session.post(
            worker.url, data=body, headers=SECRET) as response:
        assert response.status == 400
    with sqlite3.connect(worker.database) as db:
        assert db.execute("SELECT COUNT(*) FROM conversations").fetchone() == (0,)


async def test_a_body_never_completed_is_not_held_open_forever(worker: WebhookWorker,
                                                                maya: TelegramUser) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", worker.port)
    try:
        writer.write(b"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
                     + WebhookWorker.secret.encode() + b"\r\nContent-Length: 1000\r\n\r\n{")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 15)  # answered, not held open
        assert int(status.split()[1]) == 408
    finally:
        writer.close()
    await maya.send("/review")  # and the worker goes on serving
    await maya.wait_for_text("Question 1 of")
