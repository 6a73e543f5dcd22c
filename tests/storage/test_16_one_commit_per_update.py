"""Issue 16: an update's save carries everything it changed, the message shown included; a
replayed update is applied once; workers racing for one conversation lose nothing; a purge of
many rows runs while updates are served, and every update is applied, and a row saved during it
stays. On both backends, through the conversation service, with delivery noting the message it
sent (as Telegram's does). The answered lines of a record are stored compactly (schema 11), and
those stored before still load."""

from __future__ import annotations

import asyncio
import functools
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.conversations import Conversations, Inbound, Turn
from bot.store import ConversationKey, Record, SQLiteStore, Store, open_store
from bot.store import postgres as postgres_store
from bot.store import sqlite as sqlite_store
from bot.store.base import pack, unpack
from bot.store.postgres import LINES_APART
from flows.replies import Event
from tests.support.offline import A_GOOD_DEAL
from tests.support.waiting import eventually

from .conftest import Backend, pg_sync, postgres_at_schema, record_of, sqlite_at_schema
from .test_store import bumped, snapshot

ALICE = ConversationKey.private(chat_id=1601, user_id=1601)


class Chat:
    """One person's chat through a conversation service: every step shown in a new message."""

    def __init__(self, conversations: Conversations, key: ConversationKey,
                 update_ids: Iterator[int], message_ids: Iterator[int]) -> None:
        self.conversations = conversations
        self.key = key
        self.update_ids = update_ids
        self.message_ids = message_ids
        self.shown: int | None = None
        self.turn: Turn | None = None

    async def deliver(self, turn: Turn) -> int:
        self.turn = turn
        self.shown = next(self.message_ids)
        return self.shown

    async def send(self, event: Event, update_id: int | None = None, **more: object) -> Inbound:
        inbound = Inbound(self.key, event, next(self.update_ids) if update_id is None
                          else update_id, **more)  # type: ignore[arg-type]
        await self.conversations.handle(inbound, self.deliver)
        return inbound

    async def begin(self) -> None:
        await self.send(Event(verb="begin"), flow="creator")
        await self.send(Event(verb="answer", arg="Sam"))  # the name to sign with

    async def answer(self, text: str) -> Inbound:
        return await self.send(Event(verb="answer", arg=text))


def counter(start: int = 1) -> Iterator[int]:
    return itertools.count(start)


def polling_or_not(store: Store, behind: bool) -> Store:
    if behind:
        store.write_behind()
    return store


async def idle_conversations(open_new: Callable[[], Store], monkeypatch: pytest.MonkeyPatch,
                             first: int) -> tuple[Store, list[ConversationKey], datetime]:
    """A new store holding 1,500 conversations saved before the cutoff it returns, which a purge
    walks in small steps (many of them, so that updates come in between)."""
    monkeypatch.setattr(sqlite_store, "PURGE_BATCH", 50)
    monkeypatch.setattr(postgres_store, "PURGE_PAGES", 2)
    store = open_new()
    idle = [ConversationKey.private(first + n, first + n) for n in range(1500)]
    for key in idle:
        async with store.transaction(key) as tx:
            tx.save(snapshot())
    return store, idle, datetime.now(UTC)


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_the_message_shown_is_kept_with_the_conversation(
        open_new: Callable[[], Store], behind: bool) -> None:
    """The message that shows the step is what the next update finds, and what a new store
    (a restarted worker) finds once this one is closed."""
    store = polling_or_not(open_new(), behind)
    chat = Chat(Conversations(store), ALICE, counter(), counter(500))
    await chat.begin()
    await chat.answer(A_GOOD_DEAL[0])
    shown = chat.shown
    assert (await record_of(store, ALICE)).shown_in == shown
    await store.close()
    again = open_new()
    record = await record_of(again, ALICE)
    assert record.shown_in == shown
    assert (await again.load(ALICE)).answers["brand"] == A_GOOD_DEAL[0]  # type: ignore[union-attr]


@pytest.mark.parametrize("behind", [False, True], ids=["at-once", "written-behind"])
async def test_a_replayed_update_is_applied_once(open_new: Callable[[], Store],
                                                 behind: bool) -> None:
    store = polling_or_not(open_new(), behind)
    chat = Chat(Conversations(store), ALICE, counter(), counter(500))
    await chat.begin()
    first = await chat.answer(A_GOOD_DEAL[0])
    after_first = await store.load(ALICE)
    await chat.conversations.handle(first, chat.deliver)  # delivered again (after a crash)
    replayed = await store.load(ALICE)
    assert replayed == after_first  # nothing applied twice: same step, answers and version
    await chat.answer(A_GOOD_DEAL[1])
    assert (await store.load(ALICE)).answers["product"] == A_GOOD_DEAL[1]  # type: ignore[union-attr]


async def test_two_workers_racing_for_one_conversation_apply_every_update(
        open_new: Callable[[], Store]) -> None:
    """Two workers (two stores on one database) take turns at one team review's votes at once:
    each update is applied once, none is lost to the other's save."""
    workers = [Conversations(open_new()), Conversations(open_new())]
    key = ConversationKey.private(chat_id=1602, user_id=1602)
    async with workers[0].store.transaction(key) as tx:
        tx.save(snapshot(answers={"brand": "Acme"}))
    update_ids = counter(10)

    async def note(conversations: Conversations, n: int) -> None:
        """One update that adds its own answer (what an answer does, without a flow)."""
        for _ in range(10):
            try:
                async with conversations.store.transaction(key) as tx:
                    assert tx.snapshot is not None
                    answers = {**tx.snapshot.answers, f"note_{n}": str(next(update_ids))}
                    tx.save(tx.snapshot.model_copy(update={
                        "answers": answers, "version": tx.snapshot.version + 1}))
                return
            except Exception as error:  # a save refused: run again, as the service does
                assert workers[0].store.transient(error)
        raise AssertionError("an update was refused ten times")

    await asyncio.gather(*(note(workers[n % 2], n) for n in range(40)))
    final = await workers[0].store.load(key)
    assert final is not None and final.version == 40
    assert sorted(k for k in final.answers if k.startswith("note_")) == sorted(
        f"note_{n}" for n in range(40))


async def test_16_a_purge_of_many_rows_runs_while_updates_are_served(
        open_new: Callable[[], Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """A purge in many small batches while updates are served: every update is applied, every
    idle conversation goes, no active one does. (How long an update waits meanwhile is measured by
    bench/growth.py, not asserted here.)"""

    store, idle, cutoff = await idle_conversations(open_new, monkeypatch, 20_000)
    active = [ConversationKey.private(30_000 + n, 30_000 + n) for n in range(4)]
    applied = dict.fromkeys(active, 0)

    async def update(key: ConversationKey) -> None:
        async with store.transaction(key) as tx:
            tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 1))
        applied[key] += 1

    for key in active:
        await update(key)
    purging = asyncio.create_task(store.purge_idle(cutoff))
    rounds = 0
    while not purging.done() or rounds < 3:  # updates go on before, during and after
        for key in active:
            await update(key)
        rounds += 1
        await asyncio.sleep(0)
    assert await purging == len(idle)
    assert all([await store.load(key) is None for key in idle[::50]])
    for key in active:
        kept = await store.load(key)
        assert kept is not None and kept.version == applied[key]  # every update, none lost
    assert (await store.count())["conversations"] == len(active)


def handoff_codes(backend: Backend) -> list[str]:
    sql = "SELECT code FROM handoffs ORDER BY code"
    if backend.name == "sqlite":
        with sqlite3.connect(backend.url.removeprefix("sqlite:///")) as db:
            return [str(code) for (code,) in db.execute(sql)]
    return [str(code) for (code,) in pg_sync(sql, schema=backend.schema)]


async def test_16_a_row_saved_during_a_purge_stays(
        open_new: Callable[[], Store], backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Idle conversations saved while a purge walks the table, before it reaches them: the save
    made them active, so they stay as saved, and the purge counts only what it deleted. Expired
    hand-offs go with the purge, live ones stay."""
    # a slow walk (the store's own pause, not the test's), so the saves come while it goes on
    monkeypatch.setattr(sqlite_store, "purge", functools.partial(sqlite_store.purge, pause=0.05))
    monkeypatch.setattr(postgres_store, "PURGE_PAUSE", 0.05)
    store, idle, cutoff = await idle_conversations(open_new, monkeypatch, 40_000)
    await store.put_handoff("expired", {}, cutoff - timedelta(seconds=1), made_by=1)
    await store.put_handoff("live", {}, cutoff + timedelta(days=7), made_by=1)
    revived = idle[-10:]  # saved last: in the last pages, which the walk reaches last
    purging = asyncio.create_task(store.purge_idle(cutoff))

    async def under_way() -> bool:
        return (await store.count())["conversations"] < len(idle)
    await eventually(under_way, "the purge's first deletes")
    for key in revived:
        async with store.transaction(key) as tx:
            assert tx.snapshot is not None, "the purge reached the last pages already"
            tx.save(snapshot(version=7))
    assert await purging == len(idle) - len(revived)
    for key in revived:
        kept = await store.load(key)
        assert kept is not None and kept.version == 7
    assert await store.load(idle[0]) is None
    assert (await store.count())["conversations"] == len(revived)
    assert handoff_codes(backend) == ["live"]


LINES = (("signature", 5_000_000_123), ("brand", 5_000_000_125), ("product", 5_000_000_121))
COMPACT_LINES = "signature:5000000123,brand:+2,product:-4"
APPLIED = (987_654_321, 987_654_360, 987_654_359)
COMPACT_APPLIED = "987654321,+39,-1"


async def test_16_the_record_is_stored_compactly_and_read_back(backend: Backend) -> None:
    """Each update id and each line's message after the first are stored as their difference
    from the one before; on PostgreSQL the lines ride in the deflated snapshot, the ``lines``
    column left empty."""
    saved = Record(shown_in=9, applied=APPLIED, lines=LINES)
    store = open_store(backend.url)
    try:
        async with store.transaction(ALICE) as tx:
            tx.save(snapshot(), saved)
        assert await record_of(store, ALICE) == saved
    finally:
        await store.close()
    again = open_store(backend.url)  # a restarted worker: nothing kept in memory
    try:
        assert await record_of(again, ALICE) == saved
    finally:
        await again.close()
    if isinstance(store, SQLiteStore):
        with sqlite3.connect(store.path) as db:
            assert db.execute("SELECT applied, lines FROM conversations").fetchone() == (
                COMPACT_APPLIED, COMPACT_LINES)
    else:
        ((stored, applied, column),) = pg_sync("SELECT snapshot, applied, lines"
                                               " FROM conversations", schema=backend.schema)
        assert (applied, column) == (COMPACT_APPLIED, None)
        assert isinstance(stored, bytes)
        assert unpack(stored).endswith(LINES_APART + COMPACT_LINES)


def _schema_10(backend: Backend) -> None:
    """A database of schema 10 holding ALICE's conversation with two answered lines, stored as
    that schema stored them (message ids in full, in the ``lines`` column)."""
    text = snapshot(version=3).to_json()
    if backend.name == "sqlite":
        path = Path(backend.url.removeprefix("sqlite:///"))
        with closing(sqlite_at_schema(path, 10)) as db:
            db.execute("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
                       " snapshot_json, updated_at, rev, version, shown_in, applied, recorded,"
                       " lines) VALUES (?, ?, 0, '', 'creator', ?, '2026-01-01T00:00:00+00:00',"
                       " 77, 3, 70, '5,6', NULL, 'brand:41,product:42')",
                       (ALICE.chat_id, ALICE.user_id, text))
        return
    schema = backend.schema
    postgres_at_schema(schema, 10)
    pg_sync("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow, snapshot,"
            " updated_at, rev, version, shown_in, applied, recorded, lines) VALUES ($1, $2, 0,"
            " '', 'creator', $3, '2026-01-01T00:00:00+00:00', 77, 3, 70, '5,6', NULL,"
            " 'brand:41,product:42')", ALICE.chat_id, ALICE.user_id, pack(text, 0),
            schema=schema)


async def test_16_answered_lines_saved_before_schema_11_still_load(backend: Backend) -> None:
    """Schema 11 touches no row: update ids and lines stored by schema 10 (every number in
    full, the lines in their column) read as they were, and the row's next save stores them the
    new way."""
    _schema_10(backend)
    lines = (("brand", 41), ("product", 42))
    store = open_store(backend.url)
    try:
        assert store.schema_version == 11
        if isinstance(store, SQLiteStore):
            with sqlite3.connect(store.path) as db:
                untouched = db.execute("SELECT rev, lines FROM conversations").fetchone()
        else:
            (untouched,) = pg_sync("SELECT rev, lines FROM conversations", schema=backend.schema)
        assert tuple(untouched) == (77, "brand:41,product:42")
        record = await record_of(store, ALICE)
        assert record == Record(shown_in=70, applied=(5, 6), lines=lines)
        async with store.transaction(ALICE) as tx:
            tx.save(bumped(tx.snapshot), tx.record)
    finally:
        await store.close()
    again = open_store(backend.url)
    try:
        assert (await record_of(again, ALICE)).lines == lines
        assert (await record_of(again, ALICE)).applied == (5, 6)
    finally:
        await again.close()


async def test_updates_marked_handled_behind_are_left_out_at_once_and_after_a_restart(
        open_new: Callable[[], Store]) -> None:
    store = open_new()
    store.write_behind()
    await store.journal([(1, "{}"), (2, "{}"), (3, "{}")])
    await store.handled(1)
    await store.handled(3)
    assert [update_id for update_id, _ in await store.unhandled()] == [2]
    await store.close()
    again = open_new()
    assert [update_id for update_id, _ in await again.unhandled()] == [2]
