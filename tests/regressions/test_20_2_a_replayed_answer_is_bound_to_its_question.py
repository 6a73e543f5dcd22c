"""Issue 20, defect 2: a failed update was replayed later onto whatever question was current.

Another process held SQLite's write lock past the busy timeout, so a "no" typed at "would you use
it unpaid" failed (the person heard nothing) and stayed in the journal. The person answered again
and moved on; at the next start the journal replayed the "no" onto "recommend to a friend", which
closed a gate and recorded a decline in /history. An answer now applies only to the step it was
given for; a late one re-shows the current step, and a failure is said out loud.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from bot.store import ConversationKey, open_store
from bot.store import sqlite as sqlite_store
from bot.telegram.app import build_application
from bot.telegram.journal import journal_of
from tests.bot.conftest import OfflineBot, offline_settings
from tests.support.offline import OfflineRequest, Updates
from tests.support.waiting import eventually

MAYA = 601
KEY = ConversationKey.private(MAYA, MAYA)


@pytest.fixture
async def polling_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                      ) -> AsyncIterator[OfflineBot]:
    """The real application as ``halo run`` polls: journaling every update, on a SQLite file
    whose busy timeout is short (the lock below is real; only the wait is shortened)."""
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_MS", 50)
    settings = offline_settings(tmp_path)
    store = open_store(settings.database_url)
    request = OfflineRequest()
    application = build_application(settings, store, request=request, rate_limit=False)
    journal_of(application).keep()
    await application.initialize()
    try:
        yield OfflineBot(application, request, store, Updates(application.bot))
    finally:
        await application.shutdown()
        await store.close()


async def journaled(bot: OfflineBot, update: Update) -> Update:
    """As the poller does first: keep the update in the journal as Telegram sent it."""
    raw = update.to_dict()
    await bot.store.journal([(raw["update_id"], json.dumps(raw))])
    return update


async def fetched(bot: OfflineBot, update: Update) -> None:
    """As the poller does: journal the update, then handle it."""
    await bot.feed(await journaled(bot, update))


def locked(path: Path) -> sqlite3.Connection:
    """Another process's connection holding the database's write lock."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


async def reach_use_unpaid(bot: OfflineBot) -> None:
    """Maya's review, typed up to "would you use it if nobody paid you"."""
    for text in ["/review", "Acme", "Protein powder", "none", "One post", "exact", "$900", "skip",
                 "Not at all", "none", "Tried it once"]:
        await fetched(bot, bot.updates.text(MAYA, text))


def texts(bot: OfflineBot) -> list[str]:
    return bot.texts(MAYA)


async def test_an_answer_replayed_after_the_person_moved_on_is_not_applied_to_a_later_question(
        polling_bot: OfflineBot, tmp_path: Path) -> None:
    bot = polling_bot
    await reach_use_unpaid(bot)
    assert (await bot.store.load(KEY)).step == "ask_use_unpaid"  # type: ignore[union-attr]

    # another process holds the write lock while "no" arrives: it cannot be saved
    lost = await journaled(bot, bot.updates.text(MAYA, "no"))
    before = len(texts(bot))
    holder = locked(tmp_path / "halo.db")
    await bot.feed(lost)
    holder.execute("ROLLBACK")
    holder.close()
    said = texts(bot)[before:]
    assert said and "couldn't save" in said[-1]  # the person hears that it was not taken
    assert (await bot.store.load(KEY)).step == "ask_use_unpaid"  # type: ignore[union-attr]
    assert [update_id for update_id, _ in await bot.store.unhandled()] == [lost.update_id]

    # the person answers again and moves on to "recommend to a friend"
    for text in ["yes"]:
        await fetched(bot, bot.updates.text(MAYA, text))
    assert (await bot.store.load(KEY)).step == "ask_recommend_friend"  # type: ignore[union-attr]

    # the journal replays the failed "no" (the next start, or a retry): it was given for an
    # earlier question, so it changes nothing and the current question is shown again
    before = len(texts(bot))
    await bot.feed(lost)
    snapshot = await bot.store.load(KEY)
    assert snapshot is not None and snapshot.step == "ask_recommend_friend"
    assert snapshot.answers["use_unpaid"] == "yes" and "recommend_friend" not in snapshot.answers
    assert await bot.store.history(MAYA) == []  # no decline recorded
    said = texts(bot)[before:]
    assert any("reached me only now" in text for text in said)
    assert "recommend" in said[-1]
    assert await bot.store.unhandled() == []  # handled now: not replayed again


async def test_a_failed_answer_retried_before_anything_else_applies_to_its_own_question(
        polling_bot: OfflineBot, tmp_path: Path) -> None:
    bot = polling_bot
    await reach_use_unpaid(bot)
    lost = await journaled(bot, bot.updates.text(MAYA, "no"))
    holder = locked(tmp_path / "halo.db")
    await bot.feed(lost)
    holder.execute("ROLLBACK")
    holder.close()
    await bot.feed(lost)  # retried with nothing else in between: it is the answer it was
    snapshot = await bot.store.load(KEY)
    assert snapshot is not None and snapshot.answers.get("use_unpaid") == "no"
    assert snapshot.step == "decided"
    assert await bot.store.unhandled() == []


async def test_when_polling_a_failed_answer_is_tried_again_by_itself_once_the_database_is_back(
        polling_bot: OfflineBot, tmp_path: Path) -> None:
    bot = polling_bot
    await bot.application.start()  # the update queue is read: retries go through it
    try:
        for text in ["/review", "Acme"]:
            await fetched(bot, bot.updates.text(MAYA, text))
        lost = await journaled(bot, bot.updates.text(MAYA, "Protein powder"))
        holder = locked(tmp_path / "halo.db")
        await bot.feed(lost)
        holder.execute("ROLLBACK")
        holder.close()
        assert "couldn't save" in texts(bot)[-1]
        told = len(texts(bot))

        async def taken() -> bool:
            snapshot = await bot.store.load(KEY)
            return snapshot is not None and snapshot.answers.get("product") == "Protein powder"

        await eventually(taken, "the failed answer to be tried again and saved")
        await eventually(lambda: any("Question 3 of" in text for text in texts(bot)[told:]),
                         "the next question")
        assert sum("couldn't save" in text for text in texts(bot)) == 1
        assert await bot.store.unhandled() == []
    finally:
        await bot.application.stop()
