"""Long polling in process (``bot/telegram/polling.py``, ``inbox.JournalingBot``): the real
Application and SQLite store, the Bot API answered in process. What a polling bot must survive:
its journal's database failing, and a batch Telegram sends that cannot be parsed whole."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TimedOut
from telegram.request import RequestData

import bot.telegram.polling as polling_module
from bot.logs import UNPARSED_BATCH, UpdateContentFilter
from bot.store import open_store
from bot.telegram.app import build_application
from bot.telegram.journal import journal_of
from bot.telegram.polling import Poller
from tests.support.offline import OfflineRequest
from tests.support.waiting import eventually, until

from .conftest import offline_settings


@dataclass
class Inbox(OfflineRequest):
    """The in-process Bot API, with updates waiting for getUpdates (as raw Telegram JSON)."""

    waiting: list[dict[str, Any]] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)  # a message was sent
    drained: asyncio.Event = field(default_factory=asyncio.Event)  # every update confirmed
    timeouts: int = 0  # the next getUpdates calls that time out (Telegram out of reach)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/getUpdates") and self.timeouts > 0:
            self.timeouts -= 1
            raise TimedOut("connect timed out")
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "sendMessage":
            self.answered.set()
        if api_method == "getUpdates":
            offset = int(params.get("offset") or 0)
            self.waiting = [u for u in self.waiting if u["update_id"] >= offset]
            if not self.waiting:
                self.drained.set()
            return list(self.waiting)
        return super()._result(api_method, params)


def text_update(update_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": text,
        "chat": {"id": 77, "type": "private"}, "from": {"id": 77, "is_bot": False,
                                                        "first_name": "Ada"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


@pytest.fixture
async def polling(tmp_path: Path) -> AsyncIterator[tuple[Any, Inbox, Path]]:
    settings = offline_settings(tmp_path)
    store = open_store(settings.database_url)
    request = Inbox()
    application = build_application(settings, store, request=request, rate_limit=False)
    journal_of(application).keep()
    await application.initialize()
    await application.start()
    try:
        yield application, request, tmp_path / "halo.db"
    finally:
        await application.stop()
        await application.shutdown()
        await store.close()


async def poll_until(application: Any, event: asyncio.Event, what: str) -> Poller:
    """Poll until ``event`` is set, then stop polling; the poller (for its offset)."""
    poller = Poller(application)
    running = asyncio.ensure_future(poller.run())
    try:
        await until(event, what)
    finally:
        poller.stop()
        await running
    return poller


def journaled(database: Path) -> int:
    """Updates left in the journal, read as another process would."""
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT COUNT(*) FROM inbox").fetchone()[0])


async def test_a_failing_journal_is_retried_and_the_update_is_answered(
        polling: tuple[Any, Inbox, Path], caplog: pytest.LogCaptureFixture) -> None:
    application, request, database = polling
    with sqlite3.connect(database) as db:  # the journal's table is gone: every insert fails
        db.execute("ALTER TABLE inbox RENAME TO inbox_away")
    request.waiting.append(text_update(5, "/help"))
    with caplog.at_level(logging.WARNING):
        poller = Poller(application)
        running = asyncio.ensure_future(poller.run())
        try:
            await eventually(lambda: "getUpdates failed (OperationalError)" in caplog.text,
                             "a failed poll")
            assert not request.sent_texts(77)  # nothing handled that was not journaled
            with sqlite3.connect(database) as db:
                db.execute("ALTER TABLE inbox_away RENAME TO inbox")
            await until(request.answered, "the answer to /help")
        finally:
            poller.stop()
            await running
    assert "/review" in request.sent_texts(77)[0]


async def test_getupdates_timing_out_again_and_again_is_logged_and_paced(
        polling: tuple[Any, Inbox, Path], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    application, request, _ = polling
    monkeypatch.setattr(polling_module, "RETRY_FIRST", 0.01)

    def warnings() -> list[str]:
        return [r.getMessage() for r in caplog.records
                if "getUpdates failed (TimedOut)" in r.getMessage()]

    request.timeouts = 3  # one is a long poll outliving its timeout; three in a row are not
    request.waiting.append(text_update(5, "/help"))
    with caplog.at_level(logging.WARNING):
        poller = Poller(application)
        running = asyncio.ensure_future(poller.run())
        try:
            await eventually(lambda: bool(warnings()), "a warning about the timeouts")
            await until(request.answered, "the answer to /help once Telegram is back")
        finally:
            poller.stop()
            await running
    # the first asked again at once, silently; the next two logged, each before a pause
    assert len(warnings()) == 2, warnings()


async def test_a_batch_that_cannot_be_parsed_whole_is_read_update_by_update(
        polling: tuple[Any, Inbox, Path], caplog: pytest.LogCaptureFixture) -> None:
    application, request, database = polling
    broken = {"callback_query": {"id": "q"}}  # no chat_instance, no user: PTB refuses it
    request.waiting += [text_update(5, "/help"), {"update_id": 6, **broken},
                        text_update(7, "/privacy"), {"update_id": 8, **broken}]
    with caplog.at_level(logging.WARNING):
        poller = await poll_until(application, request.drained,
                                  "every update fetched and confirmed")
        await application.update_queue.join()  # and handled
    texts = request.sent_texts(77)
    assert len(texts) == 2 and "/review" in texts[0] and "delete" in texts[1]
    assert "dropping unreadable update 6" in caplog.text
    assert "dropping unreadable update 8" in caplog.text  # the last of its batch: no loop on it
    assert poller.offset == 9
    # each one handled, none left to replay at a restart (noted behind: in a moment)
    await eventually(lambda: journaled(database) == 0, "an empty journal")


async def test_an_unreadable_journaled_update_does_not_stop_the_next_start(
        polling: tuple[Any, Inbox, Path], caplog: pytest.LogCaptureFixture) -> None:
    application, request, _ = polling
    store = journal_of(application).store
    # journaled before a crash: a message without its date, which python-telegram-bot refuses
    await store.journal([(9, '{"update_id": 9, "message": {"message_id": 1, "chat": {"id": 1}}}'),
                         (10, json.dumps(text_update(10, "/help")))])
    with caplog.at_level(logging.WARNING):
        assert await journal_of(application).replay(application) == 2
        await application.update_queue.join()
    assert "dropping unreadable update 9" in caplog.text
    assert "/review" in request.sent_texts(77)[0]  # the readable one was replayed
    assert await store.unhandled() == []


async def test_an_update_replayed_then_fetched_again_is_answered_once_and_leaves_the_journal(
        polling: tuple[Any, Inbox, Path]) -> None:
    application, request, database = polling
    store = journal_of(application).store
    raw = text_update(10, "/help")
    await store.journal([(10, json.dumps(raw))])  # journaled, not confirmed before a crash
    assert await journal_of(application).replay(application) == 1
    await application.update_queue.join()  # handled from the journal
    request.waiting.append(raw)  # and Telegram delivers it again
    await poll_until(application, request.drained, "the update fetched again and confirmed")
    await application.update_queue.join()
    assert len(request.sent_texts(77)) == 1  # answered once
    # and not left to be replayed (a second answer) at the next start
    await eventually(lambda: journaled(database) == 0, "an empty journal")
    assert await store.unhandled() == []


def test_a_batch_python_telegram_bot_cannot_parse_is_logged_without_its_content() -> None:
    record = logging.LogRecord("telegram.Bot", logging.CRITICAL, __file__, 1, UNPARSED_BATCH,
                               ([{"update_id": 5, "message": {"text": "my rate is $900"}}],),
                               None)
    assert UpdateContentFilter().filter(record)
    assert record.getMessage() == \
        "Error while parsing a batch of 1 updates (their content is not logged)"
