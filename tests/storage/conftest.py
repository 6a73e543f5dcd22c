"""Fixtures for the storage suite: every test that takes ``backend`` runs once per backend.

To add PostgreSQL, append ``"postgres"`` to ``BACKENDS`` and build its ``Backend`` (a server URL
from the environment, a fresh schema per test, a ``Backdoor`` speaking SQL to that server); the
tests themselves do not change.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from bot.store import ConversationKey, Store, open_store

BACKENDS = ["sqlite"]


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


@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    backdoor: Backdoor
    # True where a concurrent writer from another process is detected at commit (ConflictError)
    # rather than waited for at load (a row lock).
    optimistic: bool


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        path = tmp_path / "data" / "halo.db"
        return Backend("sqlite", f"sqlite:///{path}", SQLiteBackdoor(path), optimistic=True)
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
