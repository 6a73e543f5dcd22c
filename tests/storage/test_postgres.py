"""What only the PostgreSQL backend promises: workers racing for a conversation lose nothing (a
save that meets another is refused, its retry holds the row), concurrent migration,
its URL options, and no credentials in its errors. Runs against a real server (see conftest.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.settings import Settings
from bot.store import (
    ConflictError,
    ConversationKey,
    PostgresStore,
    Store,
    StoreError,
    open_store,
    postgres,
)
from bot.store.postgres import (
    DEFAULT_POOL_SIZE,
    MIGRATION_LOCK_CLASS,
    MIGRATIONS,
    parse_postgres_url,
    run_blocking,
)
from bot.telegram.app import build_application
from bot.telegram.webhook import Webhook
from flows.snapshot import Snapshot
from tests.support.offline import TOKEN
from tests.support.waiting import eventually

from .conftest import POSTGRES_SERVER, Backend, PostgresBackdoor, pg_connect, with_options
from .test_store import ALICE, bumped, increment, snapshot

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


async def contend(first: Store, second: Store, key: ConversationKey) -> None:
    """Make ``first``'s save of ``key`` meet ``second``'s: ``first``'s next transaction of
    ``key`` then takes the row lock."""
    with pytest.raises(ConflictError):
        async with first.transaction(key) as tx:
            async with second.transaction(key) as other:
                other.save(bumped(other.snapshot))
            tx.save(snapshot(version=999))


async def test_16_two_workers_racing_for_one_key_lose_no_update(
    pg: Callable[..., PostgresStore],
) -> None:
    """Issue 16: a transaction holds no lock while its body runs, so two workers may both load
    the same state; the second save is refused (nothing of it written) and its retry, holding
    the row, cannot be refused again."""
    first, second = pg(), pg()
    most_in_a_row: list[int] = []

    async def increment_counting(store: Store) -> None:
        for _ in range(50):
            in_a_row = 0
            while True:
                try:
                    async with store.transaction(KEY) as tx:
                        loaded = tx.snapshot
                        await asyncio.sleep(0)  # let the other worker run between load and save
                        tx.save(bumped(loaded))
                    break
                except ConflictError:
                    in_a_row += 1
            most_in_a_row.append(in_a_row)

    await asyncio.gather(increment_counting(first), increment_counting(second))
    loaded = await second.load(KEY)
    assert loaded is not None and loaded.version == 100
    assert max(most_in_a_row) <= 1  # refused once at most: the retry holds the row


@pytest.mark.parametrize(
    ("existing", "a_stages"),
    [
        (True, "save"),
        (False, "save"),
        (False, "nothing"),
        (True, "decision"),
    ],
    ids=["existing-row", "new-row", "new-row-a-saves-nothing", "a-records-only"],
)
async def test_16_an_open_transaction_holds_no_lock_and_a_save_meeting_another_is_refused(
    pg: Callable[..., PostgresStore], existing: bool, a_stages: str,
) -> None:
    """Issue 16: no connection sits idle in a transaction holding the row while the bot works:
    B's transaction on the key runs to its end while A's is open, and A's save, which loaded the
    state before B's, is refused whole (``ConflictError``) rather than overwriting it."""
    a, b = pg(), pg()
    if existing:
        async with a.transaction(KEY) as tx:
            tx.save(snapshot(version=1))
    a_in, release_a = asyncio.Event(), asyncio.Event()

    async def worker_a() -> None:
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            if a_stages == "save":
                tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 10))
                tx.record_decision(KEY.user_id, "creator", "Acme", "decline", {})
            elif a_stages == "decision":
                tx.record_decision(KEY.user_id, "creator", "Acme", "decline", {})

    task_a = asyncio.create_task(worker_a())
    await a_in.wait()
    async with asyncio.timeout(5):  # a guard only: B must not wait for A
        async with b.transaction(KEY) as tx:
            tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 1))
    release_a.set()
    if a_stages == "save":
        with pytest.raises(ConflictError):
            await task_a
    else:
        await task_a
    final = await a.load(KEY)
    assert final is not None and final.version == (2 if existing else 1)  # B's, whole
    counts = await a.count()
    assert counts == {"conversations": 1, "decisions": 1 if a_stages == "decision" else 0}


@pytest.mark.parametrize("existing", [True, False], ids=["existing-row", "new-row"])
async def test_16_after_a_refused_save_the_retry_holds_the_row(
    postgres_backend: Backend, pg: Callable[..., PostgresStore], monitor: Any, existing: bool,
) -> None:
    """A key whose save met another worker's takes the row lock on its next transaction: a
    third worker's transaction then waits for it, and loads what it committed."""
    b_name = f"b_{postgres_backend.schema}"
    a, b = pg(), pg(application_name=b_name)
    if existing:
        async with a.transaction(KEY) as tx:
            tx.save(snapshot(version=1))
    else:
        await a.forget(KEY.user_id)
    await contend(a, pg(), KEY)
    if not existing:  # the row the other worker made goes: A's retry creates it anew
        await a.forget(KEY.user_id)
    a_in, release_a = asyncio.Event(), asyncio.Event()
    seen_by_b: list[Snapshot | None] = []

    async def worker_a() -> None:
        async with a.transaction(KEY) as tx:
            a_in.set()
            await release_a.wait()
            tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 10))

    async def worker_b() -> None:
        for _ in range(2):  # B's own save meets A's at most once
            try:
                async with b.transaction(KEY) as tx:
                    seen_by_b.append(tx.snapshot)
                    tx.save(snapshot(version=(tx.snapshot.version if tx.snapshot else 0) + 1))
                return
            except ConflictError:
                continue

    task_a = asyncio.create_task(worker_a())
    await a_in.wait()
    await eventually(lambda: held_row(monitor, postgres_backend.schema), "A holding the row")
    task_b = asyncio.create_task(worker_b())
    await eventually(lambda: waits_on_lock(monitor, b_name), "B's save waiting for A's row")
    release_a.set()
    await asyncio.gather(task_a, task_b)
    assert [s.version if s else None for s in seen_by_b][-1] == (12 if existing else 10)
    final = await a.load(KEY)
    base = 2 if existing else 0
    assert final is not None and final.version == base + 11  # both, A's first: nothing lost


async def held_row(monitor: Any, schema: str) -> bool:
    """True once a transaction holds a row lock on the schema's conversations."""
    held = await monitor.fetchval(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = 'conversations' AND l.granted"
        " AND l.mode IN ('RowShareLock', 'RowExclusiveLock')",
        schema,
    )
    return bool(held)


async def test_16_forget_does_not_wait_for_an_open_transaction_which_then_writes_nothing(
    pg: Callable[..., PostgresStore],
) -> None:
    """/forget meets an update of the same person in flight: it deletes what was committed, and
    the update's save (its decision with it) is refused, so nothing of the person is left."""
    a, b = pg(), pg()
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
    async with asyncio.timeout(5):  # a guard only: forget must not wait for A
        assert await b.forget(KEY.user_id) == 1  # the conversation as committed
    release_a.set()
    with pytest.raises(ConflictError):
        await holder
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
        async with store._connection():  # what the pool hands out, held
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
    """A task cancelled while waiting for the row, or while in a transaction, writes nothing and
    leaves the row free (a shutting-down worker must not wedge a conversation)."""
    b_name = f"cancel_{postgres_backend.schema}"
    a, b = pg(), pg(application_name=b_name)
    await contend(a, pg(), KEY)  # A's next transaction holds the row
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
    waiter.cancel()  # cancelled mid-query: its save waits for A's row
    with pytest.raises(asyncio.CancelledError):
        await waiter
    release_a.set()
    await holder

    a_in.clear()
    release_a.clear()
    holder = asyncio.create_task(hold(2))
    await a_in.wait()
    holder.cancel()  # cancelled inside its transaction
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


@pytest.mark.parametrize("behind", [True, False], ids=["polling", "lone-webhook-worker"])
async def test_16_a_lone_workers_store_starts_from_what_it_saved_yet_loses_no_other_write(
    pg: Callable[..., PostgresStore], behind: bool,
) -> None:
    """Serving alone (polling, or the one webhook worker), a store starts a conversation's next
    update from what it saved, without a query; should another process have written the row
    meanwhile (a second worker during a deploy, an operator's command), the save is refused and
    the retry loads that write."""
    polling, other = pg(), pg()
    if behind:
        polling.write_behind()
    polling.serve_alone()
    assert await increment(polling, KEY, 3) == 0
    assert await increment(other, KEY, 2) == 0  # written behind the polling store's back
    assert await increment(polling, KEY, 1) == 1  # its first save refused, then run again
    loaded = await other.load(KEY)
    assert loaded is not None and loaded.version == 6
    await other.forget(KEY.user_id)
    assert await increment(polling, KEY, 1) == 1  # the row was gone: refused, then made anew
    loaded = await other.load(KEY)
    assert loaded is not None and loaded.version == 1


@pytest.mark.parametrize(("workers", "alone"), [(1, True), (3, False)])
async def test_16_a_webhook_worker_starts_from_what_it_saved_only_when_it_is_the_only_one(
    pg: Callable[..., PostgresStore], workers: int, alone: bool,
) -> None:
    """``WORKERS=1``: the webhook worker's store keeps what it saved (an update makes one round
    trip), and a write by another process is still never lost. Several workers: each update
    reads the row, since the others write it too."""
    store, other = pg(), pg()
    settings = Settings(telegram_bot_token=TOKEN, webhook_url="https://halo.example/telegram",
                        webhook_secret="a-long-enough-secret-123", workers=workers,
                        _env_file=None)  # type: ignore[call-arg]
    Webhook(build_application(settings, store), store, settings)
    assert await increment(store, KEY, 1) == 0
    assert await increment(other, KEY, 1) == 0  # the row written behind this worker's back
    assert await increment(store, KEY, 1) == (1 if alone else 0)  # its kept copy refused once
    loaded = await other.load(KEY)
    assert loaded is not None and loaded.version == 3


async def test_16_a_kept_copy_is_read_again_once_older_than_kept_seconds(
    pg: Callable[..., PostgresStore], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker's kept copy answers only for minutes (``KEPT_SECONDS``): an update that saves
    nothing would answer from it unchecked, so an older one is read from the row again (after a
    ``halo db purge`` in another process, say, it must not show a purged conversation)."""
    store, other = pg(), pg()
    store.serve_alone()
    assert await increment(store, KEY, 1) == 0
    assert await increment(other, KEY, 1) == 0  # the row written behind this worker's back
    monkeypatch.setattr(postgres, "KEPT_SECONDS", 0.0)  # the copy is now too old
    assert await increment(store, KEY, 1) == 0  # read from the row, not refused
    await other.forget(KEY.user_id)
    assert await store.load(KEY) is None
    async with store.transaction(KEY) as tx:  # the purged conversation is not brought back
        assert tx.snapshot is None
