"""SQLite's notes written behind when polling: ``set_shown`` and ``handled`` are read back at once
by this process, and reach the file a moment later, grouped, or sooner with the next journaled
batch or at ``close``. A crash loses only notes whose updates the journal replays. Without a
journal (a webhook worker) they are written at once."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import bot.store.sqlite as sqlite_store
from bot.store import ConversationKey, SQLiteStore
from flows.snapshot import Snapshot
from tests.support.waiting import eventually

from .conftest import record_of

ROOT = Path(sqlite_store.__file__).resolve().parents[2]
ALICE = ConversationKey.private(chat_id=111, user_id=111)
BOB = ConversationKey.private(chat_id=222, user_id=222)


def behind(path: Path) -> SQLiteStore:
    """A store as ``halo run`` polls with it (``Journal.keep``)."""
    opened = SQLiteStore(path)
    opened.write_behind()
    return opened


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = behind(tmp_path / "halo.db")
    yield opened
    await opened.close()


def row(store: SQLiteStore, key: ConversationKey) -> tuple[int | None, int]:
    """(shown_in, version) as another process reads the file."""
    with sqlite3.connect(store.path) as db:
        found = db.execute("SELECT shown_in, version FROM conversations WHERE chat_id = ?",
                           (key.chat_id,)).fetchone()
    assert found is not None
    return found[0], found[1]


def journaled(store: SQLiteStore) -> list[int]:
    with sqlite3.connect(store.path) as db:
        return [r[0] for r in db.execute("SELECT update_id FROM inbox ORDER BY update_id")]


async def saved(store: SQLiteStore, key: ConversationKey, version: int) -> None:
    async with store.transaction(key) as tx:
        tx.save(Snapshot(flow="creator", step="ask_tried", version=version))


async def test_notes_are_read_back_at_once_and_reach_the_file_in_a_moment(
        store: SQLiteStore) -> None:
    await saved(store, ALICE, 3)
    await saved(store, BOB, 1)
    await store.journal([(1, "{}"), (2, "{}")])
    await store.set_shown(ALICE, 3, 222)
    await store.set_shown(BOB, 1, 333)
    await store.handled(1)
    assert (await record_of(store, ALICE)).shown_in == 222
    async with store.transaction(BOB) as tx:
        assert tx.snapshot is not None and tx.record.shown_in == 333
    await eventually(lambda: row(store, ALICE) == (222, 3) and row(store, BOB) == (333, 1)
                     and journaled(store) == [2], "the notes in the file")
    assert await store.unhandled() == [(2, "{}")]


async def test_without_a_journal_each_note_is_written_at_once(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "halo.db")  # a webhook worker's: nothing would replay
    try:
        await saved(store, ALICE, 3)
        await store.journal([(1, "{}")])
        await store.set_shown(ALICE, 3, 222)
        await store.handled(1)
        assert row(store, ALICE) == (222, 3)
        assert journaled(store) == []
    finally:
        await store.close()


async def test_without_a_journal_the_notes_of_updates_at_once_are_all_written(
        tmp_path: Path) -> None:
    # a webhook worker answers each post once its update's note is written; the updates in
    # flight at the same moment share that write, and none returns before its note is there
    store = SQLiteStore(tmp_path / "halo.db")
    try:
        await saved(store, ALICE, 3)
        await saved(store, BOB, 1)
        store.note_last(ALICE, 230)
        await asyncio.gather(store.set_shown(ALICE, 3, 222), store.set_shown(BOB, 1, 333))
        assert row(store, ALICE) == (222, 3) and row(store, BOB) == (333, 1)
        with sqlite3.connect(store.path) as db:
            (last,) = db.execute("SELECT last_message_id FROM conversations WHERE chat_id = ?",
                                 (ALICE.chat_id,)).fetchone()
        assert last == 230
    finally:
        await store.close()


async def test_a_save_recording_only_a_decision_keeps_the_note(store: SQLiteStore) -> None:
    await saved(store, ALICE, 3)
    await store.set_shown(ALICE, 3, 222)
    async with store.transaction(ALICE) as tx:
        tx.record_decision(111, "creator", "Acme", "accept", {"verdict": "accept"})
    assert (await record_of(store, ALICE)).shown_in == 222
    await store.close()
    assert row(store, ALICE) == (222, 3)


async def test_a_note_for_an_older_version_changes_nothing(store: SQLiteStore) -> None:
    await saved(store, ALICE, 3)
    await store.set_shown(ALICE, 2, 111)
    assert (await record_of(store, ALICE)).shown_in is None
    await store.close()
    assert row(store, ALICE) == (None, 3)


async def test_a_save_of_the_conversation_writes_its_note_without_a_conflict(
        store: SQLiteStore) -> None:
    await saved(store, ALICE, 3)
    await store.set_shown(ALICE, 3, 222)
    async with store.transaction(ALICE) as tx:
        assert tx.snapshot is not None
        tx.save(tx.snapshot.model_copy(update={"version": 4}))  # no ConflictError
    assert row(store, ALICE) == (222, 4)  # written by the save itself, at once
    await store.set_shown(ALICE, 3, 999)  # too late for version 3: nothing changes
    await store.close()
    assert row(store, ALICE) == (222, 4)


async def test_the_next_journaled_batch_writes_the_notes_with_it(store: SQLiteStore) -> None:
    await saved(store, ALICE, 3)
    await store.journal([(1, "{}"), (2, "{}")])
    await store.set_shown(ALICE, 3, 222)
    await store.handled(1)
    await store.handled(2)
    await store.journal([(3, "{}")])  # one commit: the new batch and the notes before it
    assert row(store, ALICE) == (222, 3)
    assert journaled(store) == [3]


async def test_closing_writes_the_notes(tmp_path: Path) -> None:
    store = behind(tmp_path / "halo.db")
    await saved(store, ALICE, 3)
    await store.journal([(1, "{}"), (2, "{}")])
    await store.set_shown(ALICE, 3, 222)
    await store.handled(2)
    await store.close()
    reopened = SQLiteStore(tmp_path / "halo.db")
    try:
        assert (await record_of(reopened, ALICE)).shown_in == 222
        assert await reopened.unhandled() == [(1, "{}")]
    finally:
        await reopened.close()


async def test_a_failed_write_of_the_notes_is_retried_and_loses_none(
        store: SQLiteStore, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sqlite_store, "BEHIND_RETRY_SECONDS", 0.05)
    await saved(store, ALICE, 3)
    await store.journal([(1, "{}")])
    with sqlite3.connect(store.path) as db:  # the journal's table is gone: the write fails
        db.execute("ALTER TABLE inbox RENAME TO inbox_away")
    with caplog.at_level(logging.WARNING, logger="halo.store"):
        await store.set_shown(ALICE, 3, 222)
        await store.handled(1)
        await eventually(lambda: "could not write the notes behind" in caplog.text,
                         "a failed write")
    assert (await record_of(store, ALICE)).shown_in == 222  # still read back
    with sqlite3.connect(store.path) as db:
        db.execute("ALTER TABLE inbox_away RENAME TO inbox")
    await eventually(lambda: row(store, ALICE) == (222, 3) and journaled(store) == [],
                     "the notes written on a later try")


async def test_a_crash_before_the_notes_are_written_leaves_the_update_to_replay(
        tmp_path: Path) -> None:
    database = tmp_path / "halo.db"
    child = (
        "import asyncio, os, signal, sys\n"
        "from bot.store import ConversationKey, Record, SQLiteStore\n"
        "from flows.snapshot import Snapshot\n"
        "async def main():\n"
        "    store = SQLiteStore(sys.argv[1])\n"
        "    store.write_behind()\n"
        "    key = ConversationKey.private(111, 111)\n"
        "    await store.journal([(7, '{}')])\n"
        "    async with store.transaction(key) as tx:\n"
        "        snapshot = Snapshot(flow='creator', step='ask_fit', version=5)\n"
        "        tx.save(snapshot, Record(applied=(7,)))\n"
        "    await store.set_shown(key, 5, 42)\n"
        "    await store.handled(7)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", child, str(database),
                                                   env=env)
    assert await asyncio.wait_for(process.wait(), timeout=30) == -9
    store = SQLiteStore(database)
    try:
        # the saved step survived and the update is replayed; its id is in ``applied``, so the
        # replay shows the current step again rather than applying the update twice
        loaded = await store.load(ALICE)
        assert loaded is not None and loaded.version == 5
        assert (await record_of(store, ALICE)).applied == (7,)
        assert await store.unhandled() == [(7, "{}")]
    finally:
        await store.close()
