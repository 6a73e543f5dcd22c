"""What a start does with the journal: polling replays what a crash left unhandled; a webhook
worker, which never marks journaled updates handled, leaves them alone."""

from __future__ import annotations

import json
from pathlib import Path

from bot.store import open_store
from bot.telegram.app import build_application
from bot.telegram.journal import journal_of
from tests.support.offline import OfflineRequest

from .conftest import offline_settings

HELP = {"update_id": 5, "message": {
    "message_id": 5, "date": 1_700_000_000, "text": "/help",
    "chat": {"id": 77, "type": "private"},
    "from": {"id": 77, "is_bot": False, "first_name": "Ada"},
    "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}


async def start(tmp_path: Path, *, polling: bool) -> tuple[OfflineRequest, list[int]]:
    """Start the application on a store whose journal holds an unhandled /help; what it sent,
    and which updates are still journaled once it has handled what it queued."""
    settings = offline_settings(tmp_path)
    store = open_store(settings.database_url)
    await store.journal([(5, json.dumps(HELP))])  # left by an earlier polling run
    request = OfflineRequest()
    application = build_application(settings, store, request=request, rate_limit=False)
    if polling:
        journal_of(application).keep()
    await application.initialize()
    try:
        assert application.post_init is not None
        await application.post_init(application)
        await application.start()
        await application.update_queue.join()
        await application.stop()
        return request, [update_id for update_id, _ in await store.unhandled()]
    finally:
        await application.shutdown()
        await store.close()


async def test_a_polling_start_replays_the_journal(tmp_path: Path) -> None:
    request, left = await start(tmp_path, polling=True)
    assert len(request.sent_texts(77)) == 1  # /help answered
    assert left == []


async def test_a_webhook_worker_start_leaves_the_journal_alone(tmp_path: Path) -> None:
    request, left = await start(tmp_path, polling=False)
    assert request.sent_texts(77) == []  # nobody sees an old update answered again
    assert left == [5]  # still there for the next polling run
