"""Issue 15: what delivery knew of a private chat lived in its process only, so a bot started
again (or another webhook worker) did not know whether the step was still the chat's last
message, nor where each answered line showed: an old button sent a copy of the question, a
replayed answer a second copy, and Back left the line of a typed answer as it was.

Both are now kept in the conversation's record, on both backends: the chat's last message
(``note_last``: read back at once, carried by the next save or note, never lowered) and the
answered lines (saved with the record, cleared when a review begins again). A migration adds
their columns and touches no row; ``/forget`` deletes them with the row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.conversations import Conversations, Turn
from bot.store import ConversationKey, Record, SQLiteStore, Store, open_store
from bot.store import postgres as postgres_store
from flows.replies import Event
from tests.support.offline import A_GOOD_DEAL
from tests.support.waiting import eventually

from .conftest import Backend, pg_sync, postgres_at_schema, record_of, sqlite_at_schema
from .test_16_one_commit_per_update import Chat, counter, polling_or_not
from .test_store import bumped, snapshot

ALICE = ConversationKey.private(chat_id=1501, user_id=1501)
LINES = (("brand", 41), ("product", 42))


async def saved(store: Store, record: Record | None = None) -> None:
    async with store.transaction(ALICE) as tx:
        tx.save(bumped(tx.snapshot), record or tx.record)


async def stored(open_new: Callable[[], Store]) -> Record:
    """The record as another process reads it from the database now."""
    other = open_new()
    try:
        return await record_of(other, ALICE)
    finally:
        await other.close()


async def test_the_last_message_and_the_answered_lines_survive_a_reopen(
        open_new: Callable[[], Store]) -> None:
    store = open_new()
    await saved(store, Record(shown_in=43, applied=(7,), lines=LINES))
    store.note_last(ALICE, 44)
    await store.close()
    assert await record_of(open_new(), ALICE) == Record(
        shown_in=43, applied=(7,), last_message_id=44, lines=LINES)


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_a_last_message_noted_is_read_back_at_once_and_written_in_a_moment(
        open_new: Callable[[], Store], behind: bool) -> None:
    store = polling_or_not(open_new(), behind)
    await saved(store)
    store.note_last(ALICE, 20)
    store.note_last(ALICE, 15)  # an older message seen late: the last one stays
    assert (await record_of(store, ALICE)).last_message_id == 20
    last: list[int | None] = []

    async def written() -> bool:
        last.append((await stored(open_new)).last_message_id)
        return last[-1] == 20
    await eventually(written, "the last message in the database")


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_the_save_and_the_note_of_the_message_shown_carry_the_last_message(
        open_new: Callable[[], Store], behind: bool) -> None:
    """No write of its own in an update that saves or notes anyway: what the conversation's
    store writes next for it takes the chat's last message along, at once."""
    store = polling_or_not(open_new(), behind)
    await saved(store)
    store.note_last(ALICE, 30)
    await saved(store)  # what a save writes is in the database when it returns
    assert (await stored(open_new)).last_message_id == 30
    store.note_last(ALICE, 31)
    version = (await store.load(ALICE)).version  # type: ignore[union-attr]
    await store.set_shown(ALICE, version, 31)
    if not behind:  # a note written at once carries the last message with it
        assert (await stored(open_new)).last_message_id == 31


async def test_a_save_loaded_before_a_later_note_keeps_the_later_one(
        open_new: Callable[[], Store]) -> None:
    """Another worker noted a later message while this one held the conversation loaded: its
    save is not refused for it, and does not take the chat back to an older message."""
    first, second = open_new(), open_new()
    await saved(first, Record(shown_in=50, last_message_id=50))
    async with first.transaction(ALICE) as tx:
        assert tx.record.last_message_id == 50
        second.note_last(ALICE, 52)
        await second.close()  # written by now
        tx.save(bumped(tx.snapshot), tx.record)
    assert (await stored(open_new)).last_message_id == 52


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_answered_lines_are_kept_taken_back_and_cleared_by_a_new_review(
        open_new: Callable[[], Store], behind: bool) -> None:
    """Through the conversation service: a typed answer's line is the message that showed its
    question; Back drops it; a review begun again starts with none. A store opened afterwards
    (the bot started again) reads the same."""
    store = polling_or_not(open_new(), behind)
    messages = counter(500)

    async def noting(turn: Turn) -> int:  # as Telegram's delivery does: each message sent
        sent = next(messages)
        store.note_last(ALICE, sent)
        return sent
    chat = Chat(Conversations(store), ALICE, counter(), messages)
    chat.deliver = noting  # type: ignore[method-assign]
    await chat.send(Event(verb="begin"), flow="creator")
    await chat.answer("Sam")
    asking_brand = (await record_of(store, ALICE)).shown_in
    await chat.answer(A_GOOD_DEAL[0])
    asking_product = (await record_of(store, ALICE)).shown_in
    await chat.answer(A_GOOD_DEAL[1])
    record = await record_of(store, ALICE)
    assert dict(record.lines)["brand"] == asking_brand
    assert dict(record.lines)["product"] == asking_product
    assert record.last_message_id == record.shown_in  # the question asked last
    await store.close()

    store = polling_or_not(open_new(), behind)
    chat.conversations = Conversations(store)
    assert (await record_of(store, ALICE)).lines == record.lines
    await chat.send(Event(verb="back"))
    assert "product" not in dict((await record_of(store, ALICE)).lines)
    assert dict((await record_of(store, ALICE)).lines)["brand"] == asking_brand
    await chat.send(Event(verb="restart"), flow="creator")
    again = await record_of(store, ALICE)
    assert again.lines == ()
    assert again.last_message_id == again.shown_in  # the new review's first question
    await store.close()
    assert (await record_of(open_new(), ALICE)).lines == ()


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_forget_deletes_the_last_message_and_the_lines(
        open_new: Callable[[], Store], behind: bool) -> None:
    store = polling_or_not(open_new(), behind)
    await saved(store, Record(shown_in=60, lines=LINES))
    store.note_last(ALICE, 61)  # not written yet, once written behind
    assert await store.forget(ALICE.user_id) >= 1
    assert await record_of(store, ALICE) == Record()
    await saved(store)  # a review begun after /forget: nothing noted before it comes back
    assert await record_of(store, ALICE) == Record()
    await store.close()
    assert await record_of(open_new(), ALICE) == Record()


def _schema_9_sqlite(path: Path) -> None:
    with closing(sqlite_at_schema(path, 9)) as db:
        db.execute("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
                   " snapshot_json, updated_at, rev, version, shown_in, applied, recorded)"
                   " VALUES (1501, 1501, 0, '', 'creator', ?, '2026-01-01T00:00:00+00:00', 77,"
                   " 3, 70, '5,6', NULL)", (snapshot(version=3).to_json(),))


def _schema_9_postgres(schema: str) -> None:
    postgres_at_schema(schema, 9)
    pg_sync("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
            " snapshot_json, updated_at, rev, version, shown_in, applied, recorded)"
            " VALUES (1501, 1501, 0, '', 'creator', $1, '2026-01-01T00:00:00+00:00', 77, 3, 70,"
            " '5,6', NULL)", snapshot(version=3).to_json(), schema=schema)


async def test_the_migration_adds_the_columns_and_touches_no_row(backend: Backend) -> None:
    """A database of schema 9 with a conversation in it: opened by this version, the row is as
    it was (same rev, same time) and reads with nothing noted yet."""
    if backend.name == "sqlite":
        path = Path(backend.url.removeprefix("sqlite:///"))
        _schema_9_sqlite(path)
    else:
        _schema_9_postgres(backend.schema)
    store = open_store(backend.url)
    try:
        assert backend.backdoor.schema_versions()[-1] == store.schema_version == (
            postgres_store.LATEST_VERSION)
        if isinstance(store, SQLiteStore):
            with sqlite3.connect(store.path) as db:
                row = db.execute("SELECT rev, updated_at, last_message_id, lines"
                                 " FROM conversations").fetchone()
            assert row == (77, "2026-01-01T00:00:00+00:00", None, None)
        else:
            (row,) = pg_sync(
                "SELECT rev, updated_at = '2026-01-01T00:00:00+00:00', last_message_id, lines"
                " FROM conversations", schema=backend.schema)
            assert row == (77, True, None, None)
        assert await record_of(store, ALICE) == Record(shown_in=70, applied=(5, 6))
    finally:
        await store.close()

