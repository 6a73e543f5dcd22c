"""The Store contract, run against every backend (see conftest.py), on a real database."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import bot.store
from bot.store import (
    ConflictError,
    ConversationKey,
    Handoff,
    Record,
    SQLiteStore,
    Store,
    StoreError,
    open_store,
    sqlite_path,
)
from bot.store.sqlite import pack, unpack
from flows.snapshot import Money, Snapshot
from tests.support.waiting import eventually

from .conftest import Backend, record_of, sqlite_at_schema

ALICE = ConversationKey.private(chat_id=111, user_id=111)
BOB = ConversationKey.private(chat_id=222, user_id=222)
REVIEW = ConversationKey.group(chat_id=-100500, review_id="r1", thread_id=7)
ROOT = Path(bot.store.__file__).resolve().parents[2]


def snapshot(**changes: object) -> Snapshot:
    return Snapshot.model_validate({"flow": "creator", "step": "ask_tried", **changes})


def bumped(snap: Snapshot | None) -> Snapshot:
    snap = snap or snapshot()
    return snap.model_copy(update={"version": snap.version + 1})


async def increment(store: Store, key: ConversationKey, times: int) -> int:
    """Add 1 to the snapshot's version ``times`` times, retrying on conflicts; returns conflicts."""
    conflicts = 0
    done = 0
    while done < times:
        try:
            async with store.transaction(key) as tx:
                loaded = tx.snapshot
                await asyncio.sleep(0)  # let the other writer run between load and save
                tx.save(bumped(loaded))
        except ConflictError:
            conflicts += 1
            continue
        done += 1
    return conflicts


# Keys.


def test_a_key_needs_a_user_or_a_review() -> None:
    with pytest.raises(ValueError):
        ConversationKey.private(chat_id=1, user_id=0)
    with pytest.raises(ValueError):
        ConversationKey.group(chat_id=1, review_id="")


# Snapshots.


async def test_round_trip_with_money(store: Store) -> None:
    original = snapshot(
        answers={"fee": Money(amount=Decimal("1500.50"), currency="EUR"), "brand": "Acme"},
        history=["brand", "fee"],
        tone="brief",
        draft="Thanks, but no.",
        version=3,
    )
    async with store.transaction(ALICE) as tx:
        assert tx.snapshot is None
        tx.save(original, Record(shown_in=42, applied=(7, 8), recorded="f1"))
    async with store.transaction(ALICE) as tx:
        assert tx.snapshot == original
        assert tx.record == Record(shown_in=42, applied=(7, 8), recorded="f1")
        assert isinstance(tx.snapshot.answers["fee"], Money)
    assert await store.load(ALICE) == original
    assert await store.load(BOB) is None


async def test_saved_snapshot_survives_a_new_store(
    store: Store, open_new: Callable[[], Store]
) -> None:
    saved = snapshot(answers={"fee": Money(amount=Decimal("99.99"))}, version=1)
    async with store.transaction(ALICE) as tx:
        tx.save(saved)
    await store.close()
    restarted = open_new()
    assert await restarted.load(ALICE) == saved
    assert await restarted.count() == {"conversations": 1, "decisions": 0}


async def test_saved_snapshot_survives_sigkill(backend: Backend, store: Store) -> None:
    child = (
        "import asyncio, os, signal, sys\n"
        "from bot.store import ConversationKey, open_store\n"
        "from flows.snapshot import Snapshot\n"
        "async def main():\n"
        "    store = open_store(sys.argv[1])\n"
        "    async with store.transaction(ConversationKey.private(111, 111)) as tx:\n"
        "        tx.save(Snapshot(flow='creator', step='ask_fit', version=5))\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child, backend.url, env=env
    )
    assert await asyncio.wait_for(process.wait(), timeout=30) == -9
    loaded = await store.load(ALICE)
    assert loaded is not None and loaded.step == "ask_fit" and loaded.version == 5


async def test_exception_writes_nothing(store: Store) -> None:
    async with store.transaction(ALICE) as tx:
        tx.save(snapshot(version=1))

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with store.transaction(ALICE) as tx:
            tx.save(snapshot(version=2))
            tx.record_decision(111, "creator", "Acme", "decline", {"a": 1})
            raise Boom
    loaded = await store.load(ALICE)
    assert loaded is not None and loaded.version == 1
    assert await store.count() == {"conversations": 1, "decisions": 0}
    assert len(store.locks) == 0
    with pytest.raises(RuntimeError):
        tx.save(snapshot(version=3))  # staged after the block ended: refused, not lost silently


async def test_unserialisable_payload_fails_inside_the_block(store: Store) -> None:
    with pytest.raises(TypeError):
        async with store.transaction(ALICE) as tx:
            tx.save(snapshot())
            tx.record_decision(111, "creator", "Acme", "decline", {"fee": Decimal("1")})
    assert await store.count() == {"conversations": 0, "decisions": 0}


# Concurrency in one process.


async def test_same_key_transactions_lose_no_update(store: Store) -> None:
    conflicts = await asyncio.gather(increment(store, ALICE, 50), increment(store, ALICE, 50))
    loaded = await store.load(ALICE)
    assert loaded is not None and loaded.version == 100
    assert list(conflicts) == [0, 0]  # one process: the lock serialises, nothing to retry


async def test_same_key_transactions_run_in_arrival_order(store: Store) -> None:
    entered: list[int] = []
    first_in, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with store.transaction(ALICE):
            first_in.set()
            await release.wait()

    async def waiter(i: int) -> None:
        async with store.transaction(ALICE):
            entered.append(i)

    holder = asyncio.create_task(first())
    await first_in.wait()
    waiters = [asyncio.create_task(waiter(i)) for i in range(5)]
    await eventually(lambda: store.locks.users(ALICE) == 6,
                     "the holder and five waiters on ALICE's lock")
    assert entered == []
    release.set()
    await asyncio.gather(holder, *waiters)
    assert entered == [0, 1, 2, 3, 4]


async def test_different_keys_do_not_wait_for_each_other(store: Store) -> None:
    a_in, release_a = asyncio.Event(), asyncio.Event()

    async def hold_alice() -> None:
        async with store.transaction(ALICE) as tx:
            a_in.set()
            await release_a.wait()
            tx.save(snapshot(version=1))

    holder = asyncio.create_task(hold_alice())
    await a_in.wait()
    async with asyncio.timeout(5):  # only a guard: Bob must not wait for Alice's release
        async with store.transaction(BOB) as tx:
            tx.save(snapshot(version=2))
    assert not holder.done()
    bob = await store.load(BOB)
    assert bob is not None and bob.version == 2
    release_a.set()
    await holder
    alice = await store.load(ALICE)
    assert alice is not None and alice.version == 1


async def test_lock_table_is_empty_after_many_keys(backend: Backend, store: Store) -> None:
    # All of a batch are inside their transactions at once: PostgreSQL holds a connection for each.
    batch = min(1000, backend.open_transactions or 1000)

    async def touch(
        chat_id: int, inside: list[int], all_in: asyncio.Event, release: asyncio.Event
    ) -> None:
        async with store.transaction(ConversationKey.private(chat_id, chat_id)):
            inside.append(chat_id)
            if len(inside) == batch:
                all_in.set()
            await release.wait()

    for start in range(0, 10 * batch, batch):
        inside: list[int] = []
        all_in, release = asyncio.Event(), asyncio.Event()
        tasks = [
            asyncio.create_task(touch(start + i + 1, inside, all_in, release)) for i in range(batch)
        ]
        await all_in.wait()
        assert len(store.locks) == batch
        release.set()
        await asyncio.gather(*tasks)
        assert len(store.locks) == 0


# Several processes on one database.


async def test_two_stores_on_one_database_lose_no_update(
    backend: Backend, open_new: Callable[[], Store]
) -> None:
    first, second = open_new(), open_new()
    conflicts = await asyncio.gather(increment(first, ALICE, 50), increment(second, ALICE, 50))
    loaded = await first.load(ALICE)
    assert loaded is not None and loaded.version == 100
    if backend.optimistic:
        assert sum(conflicts) > 0  # the interleaving really happened and was caught


async def test_migrations_run_once(backend: Backend, open_new: Callable[[], Store]) -> None:
    first = open_new()
    versions = backend.backdoor.schema_versions()
    assert versions and versions == sorted(set(versions))
    async with first.transaction(ALICE) as tx:
        tx.save(snapshot())
    await first.close()
    second = open_new()
    assert backend.backdoor.schema_versions() == versions
    assert await second.load(ALICE) is not None


async def test_stores_opened_at_once_migrate_once(backend: Backend) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_and_close() -> None:
        try:
            start.wait()
            asyncio.run(open_store(backend.url).close())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = backend.backdoor.schema_versions()
    assert versions and versions == sorted(set(versions))


async def test_database_newer_than_code_is_refused(
    backend: Backend, open_new: Callable[[], Store]
) -> None:
    await open_new().close()
    backend.backdoor.set_schema_version(999)
    with pytest.raises(StoreError, match="newer"):
        open_new()


# Unreadable snapshots.


@pytest.mark.parametrize(
    "text",
    [
        '{"flow": "creator", "step": "ask_fit", "answers": {"brand": "SECRET-BRAND"',
        '{"schema_version": 999, "flow": "creator", "step": "ask_fit",'
        ' "answers": {"brand": "SECRET-BRAND"}}',
    ],
    ids=["corrupt", "future-schema"],
)
async def test_unreadable_snapshot_is_quarantined(
    backend: Backend, store: Store, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    backend.backdoor.put_raw_snapshot(ALICE, text)
    caplog.set_level(logging.WARNING, logger="halo.store")
    assert await store.load(ALICE) is None  # a peek leaves the row in place
    assert backend.backdoor.quarantined(ALICE) == []
    async with store.transaction(ALICE) as tx:
        assert tx.snapshot is None
        tx.save(snapshot(version=1))
    assert backend.backdoor.quarantined(ALICE) == [text]
    loaded = await store.load(ALICE)
    assert loaded is not None and loaded.version == 1
    warnings = [r for r in caplog.records if r.name == "halo.store"]
    assert warnings and all(str(ALICE.chat_id) in r.getMessage() for r in warnings)
    assert not any("SECRET" in r.getMessage() for r in caplog.records)


# Decisions.


async def record(store: Store, user_id: int, title: str, verdict: str = "decline") -> int:
    key = ConversationKey.private(user_id, user_id)
    async with store.transaction(key) as tx:
        tx.record_decision(user_id, "creator", title, verdict, {"title": title, "fee": "1500.00"})
    assert len(tx.recorded_ids) == 1
    return tx.recorded_ids[0]


async def test_history_is_newest_first_and_only_the_users_own(store: Store) -> None:
    ids = [await record(store, 111, f"Acme {i}") for i in range(3)]
    await record(store, 222, "Bob's deal")
    history = await store.history(111)
    assert [d.id for d in history] == ids[::-1]
    assert [d.title for d in history] == ["Acme 2", "Acme 1", "Acme 0"]
    assert all(d.user_id == 111 and d.flow == "creator" for d in history)
    assert history[0].payload == {"title": "Acme 2", "fee": "1500.00"}
    assert history[0].created_at.tzinfo is not None
    assert history[0].created_at.utcoffset() == UTC.utcoffset(None)
    assert [d.title for d in await store.history(111, limit=2)] == ["Acme 2", "Acme 1"]
    assert await store.history(333) == []


async def test_decision_of_another_user_is_none(store: Store) -> None:
    mine = await record(store, 111, "Acme")
    theirs = await record(store, 222, "Globex")
    found = await store.decision(111, mine)
    assert found is not None and found.title == "Acme" and found.verdict == "decline"
    assert await store.decision(111, theirs) is None
    assert await store.decision(111, theirs + 1000) is None


async def test_decision_and_snapshot_commit_together(store: Store) -> None:
    async with store.transaction(ALICE) as tx:
        tx.save(snapshot(step="decided"))
        tx.record_decision(111, "creator", "Acme - Protein powder", "accept", {"k": [1, 2]})
        tx.record_decision(111, "creator", "Acme - Shaker", "negotiate", {})
    first, second = tx.recorded_ids
    assert second > first
    assert await store.count() == {"conversations": 1, "decisions": 2}


async def test_forget_removes_only_that_users_data(store: Store) -> None:
    alice_topic = ConversationKey.private(chat_id=111, user_id=111, thread_id=9)
    for key in (ALICE, alice_topic, BOB, REVIEW):
        async with store.transaction(key) as tx:
            tx.save(snapshot())
    await record(store, 111, "Acme")
    await record(store, 111, "Initech")
    bobs = await record(store, 222, "Globex")

    assert await store.forget(111) == 4
    assert await store.load(ALICE) is None and await store.load(alice_topic) is None
    assert await store.history(111) == []
    assert await store.load(BOB) is not None
    assert await store.load(REVIEW) is not None
    assert [d.id for d in await store.history(222)] == [bobs]
    assert await store.count() == {"conversations": 2, "decisions": 1}
    assert await store.forget(111) == 0
    with pytest.raises(ValueError):
        await store.forget(0)


async def test_closed_store_refuses_work(store: Store) -> None:
    await store.close()
    await store.close()
    with pytest.raises(StoreError):
        await store.load(ALICE)


# Opening by URL (no backend needed).


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/halo.db", "data/halo.db"),
        ("sqlite:////var/lib/halo/halo.db", "/var/lib/halo/halo.db"),
        ("SQLite:///x.db", "x.db"),
        ("/abs/halo.db", "/abs/halo.db"),
        ("relative/halo.db", "relative/halo.db"),
    ],
)
def test_sqlite_path(url: str, path: str) -> None:
    assert sqlite_path(url) == path


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://bob:hunter2@db.example/halo", "'mysql'"),
        ("bob:hunter2@db.example://halo", None),
        ("sqlite://bob:hunter2@host/halo.db", None),
        ("sqlite:///halo.db?password=hunter2", None),
        ("postgresql://bob:hunter2/x@db.example/halo", None),
        ("postgresql://bob:hunter2@db.example/halo?schema=bad;name", None),
        ("postgresql://bob:hunter2@db.example/halo?pool_size=-1", None),
        ("", None),
    ],
)
def test_unsupported_urls_are_refused_without_echoing_secrets(url: str, named: str | None) -> None:
    with pytest.raises(ValueError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "hunter2" not in message and "bob" not in message
    if named:
        assert named in message


async def test_sqlite_file_folder_is_created_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "halo.db"
    store = open_store(str(path))
    assert isinstance(store, SQLiteStore)
    await store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


async def test_a_handoff_is_kept_until_it_expires_for_the_first_user_only(store: Store) -> None:
    now = datetime.now(UTC)
    facts = {"brand": "Acme", "pay": {"amount": "900", "currency": "EUR"}}
    live, old = "code-live-0123456789abcdef", "code-old-0123456789abcdefg"
    await store.put_handoff(live, facts, now + timedelta(days=7), made_by=10)
    await store.put_handoff(old, facts, now - timedelta(seconds=1), made_by=10)
    assert await store.take_handoff(live, now, 11) == Handoff(facts)
    assert await store.take_handoff(live, now, 11) == Handoff(facts)  # the same creator, again
    assert await store.take_handoff(live, now, 12) == Handoff()  # someone else with the link
    assert await store.take_handoff(old, now, 11) == Handoff()
    assert await store.take_handoff("no-such-code", now, 11) == Handoff()
    assert await store.take_handoff(live, now + timedelta(days=8), 11) == Handoff()


async def test_20_12_the_maker_of_a_handoff_opening_it_claims_nothing(store: Store) -> None:
    """Issue 20, defect 12: a brand rep who opened their own link claimed it, and the creator
    was then refused."""
    now = datetime.now(UTC)
    code = "code-rep-0123456789abcdefg"
    await store.put_handoff(code, {"brand": "Acme"}, now + timedelta(days=7), made_by=10)
    assert await store.take_handoff(code, now, 10) == Handoff(own=True)  # the rep tries it
    assert await store.take_handoff(code, now, 10) == Handoff(own=True)
    assert await store.take_handoff(code, now, 11) == Handoff({"brand": "Acme"})  # the creator
    assert await store.take_handoff(code, now, 12) == Handoff()


async def test_20_8_forget_removes_the_handoffs_a_person_made_or_opened(store: Store) -> None:
    """Issue 20, defect 8: /forget left a person's proposal facts in ``handoffs``."""
    now = datetime.now(UTC)
    made, opened, other = ("code-made-0123456789abcdef", "code-opened-0123456789abcd",
                           "code-other-0123456789abcde")
    await store.put_handoff(made, {"brand": "Mine"}, now + timedelta(days=7), made_by=11)
    await store.put_handoff(opened, {"brand": "Theirs"}, now + timedelta(days=7), made_by=20)
    await store.put_handoff(other, {"brand": "Else"}, now + timedelta(days=7), made_by=20)
    assert (await store.take_handoff(opened, now, 11)).payload == {"brand": "Theirs"}
    assert await store.forget(11) == 2
    assert await store.take_handoff(made, now, 30) == Handoff()
    assert await store.take_handoff(opened, now, 30) == Handoff()
    assert (await store.take_handoff(other, now, 30)).payload == {"brand": "Else"}


async def test_group_keys_are_every_team_review_and_no_private_conversation(store: Store) -> None:
    async with store.transaction(REVIEW) as tx:
        tx.save(snapshot())
    async with store.transaction(ALICE) as tx:
        tx.save(snapshot())
    assert await store.group_keys() == [REVIEW]


async def test_purge_removes_only_idle_conversations(store: Store) -> None:
    idle, busy = ConversationKey.private(1, 1), ConversationKey.private(2, 2)
    for key in (idle, busy):
        async with store.transaction(key) as tx:
            tx.save(snapshot())
    purged = await store.purge_idle(datetime.now(UTC) + timedelta(seconds=1))
    assert purged == 2
    async with store.transaction(busy) as tx:
        tx.save(snapshot())
    assert await store.purge_idle(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await store.load(busy) is not None and await store.load(idle) is None


async def test_16_a_purge_of_many_rows_goes_in_batches_and_keeps_what_is_active(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16: a purge was one DELETE holding the write lock for the whole table; now it goes
    in small batches (here of 7 rowids on SQLite, 1 page on PostgreSQL), and leaves every
    conversation that is not idle."""
    import bot.store.postgres as postgres_store
    import bot.store.sqlite as sqlite_store

    monkeypatch.setattr(sqlite_store, "PURGE_BATCH", 7)
    monkeypatch.setattr(postgres_store, "PURGE_PAGES", 1)
    idle = [ConversationKey.private(1000 + n, 1000 + n) for n in range(50)]
    for key in idle:
        async with store.transaction(key) as tx:
            tx.save(snapshot())
    cutoff = datetime.now(UTC)  # what was saved before this is idle
    active = ConversationKey.private(5, 5)
    async with store.transaction(active) as tx:
        tx.save(snapshot())
    assert await store.purge_idle(cutoff) == 50
    assert all([await store.load(key) is None for key in idle])
    assert await store.load(active) is not None


async def test_set_shown_notes_the_message_only_at_that_version(store: Store) -> None:
    key = ConversationKey.private(5, 5)
    async with store.transaction(key) as tx:
        tx.save(snapshot(version=3))
    await store.set_shown(key, 2, 111)  # the conversation moved on: nothing changes
    assert (await record_of(store, key)).shown_in is None
    await store.set_shown(key, 3, 222)
    assert (await record_of(store, key)).shown_in == 222
    assert (await store.load(key)).version == 3  # type: ignore[union-attr]
    fresh = ConversationKey.private(6, 6)
    async with store.transaction(fresh) as tx:
        tx.save(snapshot())  # version 0 is left out of the stored JSON
    await store.set_shown(fresh, 0, 333)
    assert (await record_of(store, fresh)).shown_in == 333


@contextmanager
def schema(path: Path, version: int) -> Iterator[sqlite3.Connection]:
    """A SQLite file as a bot of schema ``version`` left it, open to write rows of that time."""
    db = sqlite_at_schema(path, version)
    try:
        yield db
    finally:
        db.close()


async def test_a_sqlite_file_of_schema_3_keeps_its_conversations_and_decisions(
        tmp_path: Path) -> None:
    """Upgrading the bot: rows written by an earlier schema are read, their bookkeeping (which
    message shows the step, the updates applied, the decision kept) moves out of the snapshot,
    they take part in set_shown, and are saved again in the current form."""
    path = tmp_path / "old.db"
    with schema(path, 3) as db:
        old = json.dumps({"flow": "creator", "step": "ask_tried", "answers": {"brand": "Acme"},
                          "version": 7, "shown_in": 70, "applied": [3, 4], "recorded": "f1"})
        db.execute("INSERT INTO conversations VALUES (5, 5, 0, '', 'creator', ?,"
                   " '2026-01-01T00:00:00+00:00', 1)", (old,))
        db.execute("INSERT INTO decisions (user_id, flow, title, verdict, created_at,"
                   " payload_json) VALUES (5, 'creator', 'Acme', 'accept',"
                   " '2026-01-01T00:00:00+00:00', '{\"brand\": \"Acme\"}')")
    store = SQLiteStore(path)
    try:
        key = ConversationKey.private(5, 5)
        loaded = await store.load(key)
        assert loaded is not None and loaded.answers == {"brand": "Acme"}
        assert await record_of(store, key) == Record(shown_in=70, applied=(3, 4), recorded="f1")
        await store.set_shown(key, 7, 71)
        async with store.transaction(key) as tx:
            assert tx.snapshot is not None and tx.record.shown_in == 71
            tx.save(bumped(tx.snapshot))
        (history,) = await store.history(5)
        assert history.payload == {"brand": "Acme"} and history.verdict == "accept"
    finally:
        await store.close()
    with sqlite3.connect(path) as db:
        stored, version, shown_in, applied = db.execute(
            "SELECT snapshot_json, version, shown_in, applied FROM conversations").fetchone()
    assert (version, shown_in, applied) == (8, 71, "3,+1")  # saved again: schema 11's way
    assert "shown_in" not in unpack(stored) and "applied" not in unpack(stored)
    assert Snapshot.from_json(unpack(stored)).answers == {"brand": "Acme"}


async def test_a_deflated_row_of_schema_4_keeps_its_bookkeeping_until_saved_again(
        tmp_path: Path) -> None:
    """A long snapshot stored deflated cannot be read by the migration: its bookkeeping is read
    from its JSON when it is next loaded."""
    path = tmp_path / "old.db"
    with schema(path, 4) as db:
        old = json.dumps({"flow": "creator", "step": "decided", "version": 9,
                          "answers": {f"question_{n}": "yes" for n in range(40)},
                          "applied": [8, 9], "recorded": "f2"})
        db.execute("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
                   " snapshot_json, updated_at, rev, version, shown_in)"
                   " VALUES (5, 5, 0, '', 'creator', ?, '2026-01-01T00:00:00+00:00', 1, 9, 90)",
                   (pack(old),))
    store = SQLiteStore(path)
    try:
        assert await record_of(store, ConversationKey.private(5, 5)) == Record(
            shown_in=90, applied=(8, 9), recorded="f2")
    finally:
        await store.close()


async def test_sqlite_stores_a_decided_review_in_under_half_its_json(tmp_path: Path) -> None:
    """The compact form at rest (issue 7: under 1 KB with row and indexes, bench/memory.py)."""
    store = SQLiteStore(tmp_path / "h.db")
    answers = {f"question_{n}": "yes" for n in range(24)}
    try:
        async with store.transaction(ConversationKey.private(5, 5)) as tx:
            tx.save(snapshot(step="decided", answers=answers, history=list(answers),
                             version=26),
                    Record(shown_in=1051, applied=tuple(range(1000, 1008))))
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "h.db") as db:
        (stored,) = db.execute("SELECT snapshot_json FROM conversations").fetchone()
    text = Snapshot.from_json(unpack(stored)).to_json()
    assert len(stored) < len(text) / 2


async def test_sqlite_keeps_a_row_under_1_kb_whatever_its_characters(tmp_path: Path) -> None:
    """Short JSON stays text (no CPU spent deflating it) only while its UTF-8 bytes, not its
    characters, fit under the deflate threshold: emoji take four bytes each."""
    store = SQLiteStore(tmp_path / "h.db")
    plain = ConversationKey.private(5, 5)
    emoji = ConversationKey.private(6, 6)
    try:
        async with store.transaction(plain) as tx:
            tx.save(snapshot(answers={"brand": "Acme"}))
        async with store.transaction(emoji) as tx:
            tx.save(snapshot(answers={"brand": "🌿" * 200}))  # 200 characters, 800 bytes
        loaded = await store.load(emoji)
        assert loaded is not None and loaded.answers["brand"] == "🌿" * 200
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "h.db") as db:
        stored = dict(db.execute("SELECT user_id, snapshot_json FROM conversations").fetchall())
    assert isinstance(stored[5], str)
    assert isinstance(stored[6], bytes) and len(stored[6]) < 1024


async def test_restyle_keeps_the_last_tone_and_reply_in_the_newest_decision_of_its_flow(
        store: Store) -> None:
    older = await record(store, 111, "Acme")
    newer = await record(store, 111, "Initech")
    await store.restyle(111, "creator", {"tone": "brief", "draft": "decline"})
    kept = {d.id: d.payload for d in await store.history(111)}
    assert kept[newer]["tone"] == "brief" and kept[newer]["draft"] == "decline"
    assert "tone" not in kept[older] or kept[older]["tone"] != "brief"
    await store.restyle(222, "creator", {"tone": "brief"})  # nobody's decision: nothing happens
