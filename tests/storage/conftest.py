"""Fixtures for the storage suite: every test that takes ``backend`` runs once per backend.

PostgreSQL: the server is ``HALO_TEST_POSTGRES_URL`` (default: the local trust-auth server).
Each test gets a fresh schema with a random name, dropped when the test ends (and every schema of
this run again when the session ends), so runs and tests never see each other's rows. When the
server cannot be reached the PostgreSQL tests are skipped, except with ``CI=true``: there they
fail, so a CI run cannot pass without testing PostgreSQL.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import secrets
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit, urlunsplit

import asyncpg
import pytest

from bot.store import ConversationKey, Record, Store, open_store
from bot.store.postgres import parse_postgres_url, run_blocking

BACKENDS = ["sqlite", "postgres"]

POSTGRES_SERVER = os.environ.get(
    "HALO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# Every schema this run creates starts with this; the random part keeps concurrent runs apart.
RUN_PREFIX = f"halo_test_{secrets.token_hex(4)}_"
_schema_numbers = itertools.count(1)


class Backdoor(Protocol):
    """Raw access to a backend's tables, for what the Store API rightly does not allow."""

    def put_raw_snapshot(self, key: ConversationKey, text: str) -> None: ...

    def quarantined(self, key: ConversationKey) -> list[str]: ...

    def schema_versions(self) -> list[int]: ...

    def set_schema_version(self, version: int) -> None: ...


class SQLiteBackdoor:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def put_raw_snapshot(self, key: ConversationKey, text: str) -> None:
        self._run(
            "INSERT OR REPLACE INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
            " snapshot_json, updated_at, rev) VALUES (?, ?, ?, ?, 'creator', ?, ?, ?)",
            (
                key.chat_id,
                key.user_id,
                key.thread_id,
                key.review_id,
                text,
                "2024-01-01T00:00:00+00:00",
                random.getrandbits(63),
            ),
        )

    def quarantined(self, key: ConversationKey) -> list[str]:
        rows = self._run(
            "SELECT snapshot_json FROM quarantine WHERE chat_id = ? AND user_id = ?"
            " AND thread_id = ? AND review_id = ? ORDER BY id",
            (key.chat_id, key.user_id, key.thread_id, key.review_id),
        )
        return [str(row[0]) for row in rows]

    def schema_versions(self) -> list[int]:
        return [int(str(row[0])) for row in self._run("SELECT version FROM schema_version")]

    def set_schema_version(self, version: int) -> None:
        self._run("INSERT INTO schema_version VALUES (?, '2099-01-01T00:00:00+00:00')", (version,))


# PostgreSQL.


def with_options(url: str, **options: str) -> str:
    """``url`` with query ``options`` added (replacing any of the same name)."""
    parts = urlsplit(url)
    kept = [
        (name, value)
        for name, value in (p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        if name not in options
    ]
    query = "&".join([f"{n}={v}" for n, v in kept] + [urlencode(options)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


async def pg_connect(schema: str | None = None) -> Any:
    """A plain asyncpg connection to the test server (inside ``schema`` if given)."""
    settings = None if schema is None else {"search_path": f'"{schema}"'}
    return await asyncpg.connect(POSTGRES_SERVER, timeout=5, server_settings=settings)


def pg_sync(sql: str, *args: object, schema: str | None = None) -> list[tuple[object, ...]]:
    """Run one statement on a connection of its own, from sync code (with or without a loop)."""

    async def run() -> list[tuple[object, ...]]:
        conn = await pg_connect(schema)
        try:
            return [tuple(row) for row in await conn.fetch(sql, *args)]
        finally:
            await conn.close()

    return run_blocking(run)


@functools.cache
def postgres_unreachable() -> str | None:
    """Why the test server cannot be used, or None; asked once per session (a 3 s attempt)."""

    async def probe() -> None:
        conn = await asyncpg.connect(POSTGRES_SERVER, timeout=3)
        await conn.close()

    try:
        run_blocking(probe)
    except Exception as error:
        where = parse_postgres_url(POSTGRES_SERVER).where
        return (
            f"PostgreSQL is not reachable at {where} ({type(error).__name__}); start it or point"
            " HALO_TEST_POSTGRES_URL at a server"
        )
    return None


def require_postgres() -> None:
    """Skip the test without a server; fail it instead when ``CI=true``."""
    reason = postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run, not be skipped)")
    pytest.skip(reason)


def drop_schemas(like: str) -> None:
    names = [str(row[0]) for row in pg_sync(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", like
    )]
    for name in names:
        pg_sync(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


class PostgresBackdoor:
    def __init__(self, schema: str) -> None:
        self.schema = schema

    def _run(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        return pg_sync(sql, *args, schema=self.schema)

    def put_raw_snapshot(self, key: ConversationKey, text: str) -> None:
        self._run(
            "INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
            " snapshot_json, updated_at, rev) VALUES ($1, $2, $3, $4, 'creator', $5,"
            " '2024-01-01T00:00:00+00:00', $6)"
            " ON CONFLICT (chat_id, user_id, thread_id, review_id) DO UPDATE"
            " SET snapshot_json = EXCLUDED.snapshot_json, rev = EXCLUDED.rev",
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.review_id,
            text,
            random.getrandbits(63),
        )

    def quarantined(self, key: ConversationKey) -> list[str]:
        rows = self._run(
            "SELECT snapshot_json FROM quarantine WHERE chat_id = $1 AND user_id = $2"
            " AND thread_id = $3 AND review_id = $4 ORDER BY id",
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.review_id,
        )
        return [str(row[0]) for row in rows]

    def schema_versions(self) -> list[int]:
        return [int(str(row[0])) for row in self._run("SELECT version FROM schema_version")]

    def set_schema_version(self, version: int) -> None:
        self._run("INSERT INTO schema_version VALUES ($1, '2099-01-01T00:00:00+00:00')", version)


@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    backdoor: Backdoor
    # True where a concurrent writer from another process is detected at commit (ConflictError)
    # rather than waited for at load (a row lock): both backends since issue 16.
    optimistic: bool
    # How many transactions one Store can hold open at once (None: no limit of its own).
    open_transactions: int | None = None
    # The schema of this test (PostgreSQL only): not created yet, the first Store creates it.
    schema: str = ""


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[Callable[[], str]]:
    """Names fresh schemas for this run; drops whatever is left of them at the end."""
    require_postgres()
    yield lambda: f"{RUN_PREFIX}{next(_schema_numbers)}"
    drop_schemas(RUN_PREFIX)


@pytest.fixture
def postgres_backend(postgres_schemas: Callable[[], str]) -> Iterator[Backend]:
    require_postgres()
    schema = postgres_schemas()
    backend = Backend(
        "postgres",
        with_options(POSTGRES_SERVER, schema=schema),
        PostgresBackdoor(schema),
        optimistic=True,  # a transaction holds no connection: its save is refused
        schema=schema,
    )
    yield backend
    pg_sync(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        path = tmp_path / "data" / "halo.db"
        return Backend("sqlite", f"sqlite:///{path}", SQLiteBackdoor(path), optimistic=True)
    if request.param == "postgres":
        postgres: Backend = request.getfixturevalue("postgres_backend")
        return postgres
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
async def open_new(backend: Backend) -> AsyncIterator[Callable[[], Store]]:
    """Opens another Store on the same database (a restart, or a second process)."""
    opened: list[Store] = []

    def factory() -> Store:
        store = open_store(backend.url)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        await store.close()


@pytest.fixture
def store(open_new: Callable[[], Store]) -> Store:
    return open_new()


async def record_of(store: Store, key: ConversationKey) -> Record:
    """What is kept beside a conversation's snapshot, as its next update loads it."""
    async with store.transaction(key) as tx:
        return tx.record


def sqlite_at_schema(path: Path, version: int) -> sqlite3.Connection:
    """A SQLite file migrated up to schema ``version`` only, as an older bot left it: open, for
    the caller to add rows as that schema stored them (and to close)."""
    from bot.store import sqlite as sqlite_store  # (the backend's own migration steps)

    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
               " applied_at TEXT NOT NULL)")
    for step, steps in sqlite_store.MIGRATIONS[:version]:
        for sql in steps:
            db.execute(sql)
        db.execute("INSERT INTO schema_version VALUES (?, '2026-01-01')", (step,))
    return db


def postgres_at_schema(schema: str, version: int) -> None:
    """A PostgreSQL schema of its own migrated up to ``version`` only, as an older bot left it,
    for the caller to add rows as that version stored them (``pg_sync(..., schema=schema)``)."""
    from bot.store import postgres as postgres_store  # (the backend's own migration steps)

    pg_sync(f'CREATE SCHEMA "{schema}"')
    pg_sync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL)", schema=schema)
    for step, steps in postgres_store.MIGRATIONS[:version]:
        for sql in steps:
            pg_sync(sql, schema=schema)
        pg_sync("INSERT INTO schema_version VALUES ($1, now())", step, schema=schema)
