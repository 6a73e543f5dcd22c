"""What only the PostgreSQL backend promises: row locks between workers, concurrent migration,
its URL options, and no credentials in its errors. Runs against a real server (see conftest.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.store import ConversationKey, PostgresStore, Store, StoreError, open_store
from bot.store.postgres import (
    DEFAULT_POOL_SIZE,
    MIGRATION_LOCK_CLASS,
    MIGRATIONS,
    parse_postgres_url,
    run_blocking,
)
from flows.snapshot import Snapshot
from tests.support.waiting import eventually

from .conftest import POSTGRES_SERVER, Backend, PostgresBackdoor, pg_connect, with_options
from .test_store import ALICE, increment, snapshot

KEY = ConversationKey.private(chat_id=424242, user_id=424242)


@pytest.fixture
async def pg(postgres_backend: Backend) -> AsyncIterator[Callable[..., PostgresStore]]:
    """Opens PostgresStores ("workers") on this test's schema; URL options may be added."""
    opened: list[Store] = []

    def factory(**options: str) -> PostgresStore:
        store = open_store(with_options(postgres_backend.url, **options))
        assert isinstance(store, PostgresStore)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        await store.close()


@pytest.fixture
async def monitor(postgres_backend: Backend) -> AsyncIterator[Any]:
    """A connection of the test's own, to watch the server's lock waits."""
    conn = await pg_connect()
    yield conn
    await conn.close()


async def waits_on_lock(monitor: Any, application_name: str) -> bool:
    """True once the backend of ``application_name`` is blocked on a heavyweight lock."""
    waiting = await monitor.fetchval(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE application_name = $1 AND wait_event_type = 'Lock'",
        application_name,
    )
    return bool(waiting)


# Two workers on one conversation.


async def test_two_workers_increment_one_key_without_conflicts(
    pg: Callable[..., PostgresStore],
) -> None:
    first, second = pg(), pg()
    conflicts = await asyncio.gather(increment(first, KEY, 50), increment(second, KEY, 50))
    loaded = await second.load(KEY)
    assert loaded is not None and loaded.version == 100
    assert list(conflicts) == [0, 0]  # the row lock makes them wait; nothing to retry


@pytest.mark.parametrize(
    ("existing", "a_stages"),
    [
        (True, "save"),
        (False, "save"),
        (False, "nothing"),
        (False, "decision"),
    ],
    ids=["existing-row", "new-row", "new-row-a-saves-nothing", "new-row-a-records-only"],
)
async def test_row_lock_makes_the_second_worker_wait_for_the_first(
    postgres_backend: Backend,
    pg: Callable[..., PostgresStore],
    monitor: Any,
    existing: bool,
    a_stages: str,
) -> None:
    b_name = f"b_{postgres_backend.schema}"
    a, b = pg(), pg(application_name=b_name)
    if existing:
        async with a.transaction(KEY) as tx:
            tx.save(snapshot(version=1))
    a_in, release_a = asyncio.Event(), asyncio.Event()
    seen_by_b: list[Snapshot | None] = []

    async def worker_a() -> None:
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            if a_stages == "save":
                tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 10))
            elif a_stages == "decision":
                tx.record_decision(KEY.user_id, "creator", "Acme", "decline", {})

    async def worker_b() -> None:
        async with b.transaction(KEY) as tx:
            seen_by_b.append(tx.snapshot)
            tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 1))

    task_a = asyncio.create_task(worker_a())
    await a_in.wait()
    task_b = asyncio.create_task(worker_b())
    await eventually(lambda: waits_on_lock(monitor, b_name), "B blocked on A's lock")
    assert not task_b.done() and seen_by_b == []  # B is held by the database, not by chance
    release_a.set()
    await asyncio.gather(task_a, task_b)

    a_wrote = a_stages == "save"
    expected_seen = (11 if existing else 10) if a_wrote else None
    assert [s.version if s else None for s in seen_by_b] == [expected_seen]
    final = await a.load(KEY)
    assert final is not None and final.version == (expected_seen or 0) + 1
    counts = await a.count()
    assert counts == {"conversations": 1, "decisions": 1 if a_stages == "decision" else 0}


async def test_other_keys_do_not_wait_for_a_held_row(pg: Callable[..., PostgresStore]) -> None:
    a, b = pg(), pg()
    a_in, release_a = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            tx.save(snapshot(version=1))

    holder = asyncio.create_task(hold())
    await a_in.wait()
    async with asyncio.timeout(5):  # a guard only: B must not wait for A
        async with b.transaction(ALICE) as tx:
            tx.save(snapshot(version=2))
        assert await b.load(KEY) is None  # A's uncommitted work is invisible
    release_a.set()
    await holder


async def test_forget_waits_for_an_open_transaction_of_the_user(
    postgres_backend: Backend, pg: Callable[..., PostgresStore], monitor: Any
) -> None:
    b_name = f"forget_{postgres_backend.schema}"
    a, b = pg(), pg(application_name=b_name)
    a_in, release_a = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with a.transaction(KEY) as tx:
            tx.save(snapshot(version=1))
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            tx.save(snapshot(version=2))
            tx.record_decision(KEY.user_id, "creator", "Acme", "decline", {})

    holder = asyncio.create_task(hold())
    await a_in.wait()
    forgetting = asyncio.create_task(b.forget(KEY.user_id))
    await eventually(lambda: waits_on_lock(monitor, b_name), "forget waiting on the lock")
    release_a.set()
    await holder
    assert await forgetting == 2  # the conversation as A committed it, and A's decision
    assert await a.count() == {"conversations": 0, "decisions": 0}


# Opening.


async def test_two_workers_migrating_a_fresh_schema_at_once(
    postgres_backend: Backend, monitor: Any
) -> None:
    """Both block on the migration lock (held here), then one migrates and the other finds it."""
    schema = postgres_backend.schema
    assert not await monitor.fetchval(
        "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema
    )
    holder = await pg_connect()
    opening: list[asyncio.Task[Store]] = []
    try:
        await holder.execute("BEGIN")
        await holder.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext($2))", MIGRATION_LOCK_CLASS, schema
        )
        opening = [asyncio.create_task(asyncio.to_thread(open_store, postgres_backend.url))
                   for _ in range(2)]

        async def both_wait() -> bool:
            waiting = await monitor.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid = $1::bigint::oid"
                " AND objid = ((hashtext($2)::bigint + 4294967296) % 4294967296)::oid",
                MIGRATION_LOCK_CLASS,
                schema,
            )
            return bool(waiting == 2)

        await eventually(both_wait, "both workers waiting to migrate")
        assert not any(task.done() for task in opening)
    finally:
        await holder.execute("ROLLBACK")
        await holder.close()
    first, second = await asyncio.gather(*opening)
    try:
        assert PostgresBackdoor(schema).schema_versions() == [v for v, _ in MIGRATIONS]
        async with first.transaction(KEY) as tx:
            tx.save(snapshot(version=7))
        loaded = await second.load(KEY)
        assert loaded is not None and loaded.version == 7
    finally:
        await first.close()
        await second.close()


async def test_postgres_scheme_alias_and_pool_start(postgres_backend: Backend) -> None:
    url = postgres_backend.url.replace("postgresql://", "postgres://", 1)
    store = open_store(url)
    try:
        assert isinstance(store, PostgresStore)
        assert store.schema == postgres_backend.schema
        assert store.pool_size == DEFAULT_POOL_SIZE
        await store.start()
        await store.start()
        assert await store.count() == {"conversations": 0, "decisions": 0}
    finally:
        await store.close()
    with pytest.raises(StoreError, match="closed"):
        await store.count()


async def test_store_refuses_another_event_loop(pg: Callable[..., PostgresStore]) -> None:
    store = pg()
    await store.start()

    async def elsewhere() -> None:
        await store.load(KEY)

    with pytest.raises(StoreError, match="event loop"):
        run_blocking(elsewhere)


async def test_pool_exhaustion_is_an_error_not_a_hang(postgres_backend: Backend) -> None:
    store = PostgresStore(with_options(postgres_backend.url, pool_size="1"), acquire_timeout=0.1)
    a_in, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with store.transaction(KEY):
            a_in.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    try:
        await a_in.wait()
        with pytest.raises(StoreError, match="pool_size=1"):
            await store.load(ALICE)
    finally:
        release.set()
        await holder
        await store.close()


# URLs and secrets.


def test_parse_url_options() -> None:
    parsed = parse_postgres_url(
        "PostgreSQL://bob:s3cret@db.example:6543/halo?schema=halo_a&pool_size=3&sslmode=disable"
    )
    assert parsed.schema == "halo_a" and parsed.pool_size == 3
    assert parsed.where == "db.example:6543/halo"
    assert parsed.dsn == "postgresql://bob:s3cret@db.example:6543/halo?sslmode=disable"
    assert "s3cret" not in repr(parsed) and "bob" not in repr(parsed)
    plain = parse_postgres_url("postgres://localhost/test")
    assert plain.schema is None and plain.pool_size == DEFAULT_POOL_SIZE


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bob:hunter2@127.0.0.1:1/halo",  # nothing listens on port 1
        "postgresql://bob:hunter2@127.0.0.1:1/halo?schema=halo_x",
    ],
)
def test_unreachable_server_error_names_no_credentials(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "127.0.0.1:1/halo" in message
    assert "hunter2" not in message and "bob" not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert not any("hunter2" in r.getMessage() for r in caplog.records)


def test_refused_login_error_names_no_credentials(postgres_backend: Backend) -> None:
    parts = parse_postgres_url(POSTGRES_SERVER)
    url = f"postgresql://no_such_role_bob:hunter2@{parts.where.rsplit('/', 1)[0]}/test"
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "hunter2" not in message and "bob" not in message
    assert "SQLSTATE" in message
    assert "the server refused this user" in message


@pytest.mark.parametrize(("where", "says"), [
    ("{server}/halo_no_such_database", "the database does not exist on that server"),
    ("127.0.0.1:1/halo", "nothing answers at that address (is PostgreSQL running"),
])
def test_a_refusal_is_said_in_words_not_class_names(
        postgres_backend: Backend, where: str, says: str) -> None:
    server = parse_postgres_url(POSTGRES_SERVER).where.rsplit("/", 1)[0]
    with pytest.raises(StoreError) as raised:
        open_store(f"postgresql://postgres@{where.format(server=server)}")
    assert says in str(raised.value)
    assert "Error" not in str(raised.value)


async def test_cancelled_transactions_release_their_row(
    postgres_backend: Backend, pg: Callable[..., PostgresStore], monitor: Any
) -> None:
    """A task cancelled while waiting for the row, or while holding it, writes nothing and
    leaves the row free (a shutting-down worker must not wedge a conversation)."""
    b_name = f"cancel_{postgres_backend.schema}"
    a, b = pg(), pg(application_name=b_name)
    a_in, release_a = asyncio.Event(), asyncio.Event()

    async def hold(version: int) -> None:
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            tx.save(snapshot(version=version))

    async def wait_then_write() -> None:
        async with b.transaction(KEY) as tx:
            tx.save(snapshot(version=99))

    holder = asyncio.create_task(hold(1))
    await a_in.wait()
    waiter = asyncio.create_task(wait_then_write())
    await eventually(lambda: waits_on_lock(monitor, b_name), "B blocked on A's lock")
    waiter.cancel()  # cancelled mid-query, inside SELECT ... FOR UPDATE
    with pytest.raises(asyncio.CancelledError):
        await waiter
    release_a.set()
    await holder

    a_in.clear()
    release_a.clear()
    holder = asyncio.create_task(hold(2))
    await a_in.wait()
    holder.cancel()  # cancelled while holding the row
    with pytest.raises(asyncio.CancelledError):
        await holder
    async with asyncio.timeout(5), b.transaction(KEY) as tx:  # a guard: the row must be free
        assert tx.snapshot is not None and tx.snapshot.version == 1


def test_the_start_up_line_names_the_database_and_never_its_password(
        postgres_backend: Backend) -> None:
    import os
    import re
    import subprocess
    import sys

    url = re.sub(r"://([^:@/]+)@", r"://\1:hunter2@", postgres_backend.url, count=1)
    assert "hunter2" in url  # (trust authentication ignores it)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "LOG_"))},
           "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
           "TELEGRAM_API_URL": "http://127.0.0.1:9"}  # nothing there: it stops once started
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    where = parse_postgres_url(POSTGRES_SERVER).where
    assert f"store: PostgreSQL at {where}, schema {postgres_backend.schema}" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
