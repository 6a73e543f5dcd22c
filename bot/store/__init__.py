"""Storage: conversations under a per-key lock, decisions, the update journal, hand-offs,
deals and their reminders.

``open_store(url)`` picks the backend from the storage URL of the settings: a SQLite file
(``sqlite:///...`` or a path) or a PostgreSQL database (``postgresql://`` or ``postgres://``).
Either way it is synchronous and returns a migrated, ready store; use it inside one event loop
and ``await store.close()`` at the end (``PostgresStore`` creates its pool on first use; see
``bot/store/postgres.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import (
    ConflictError,
    ConversationKey,
    KeyLocks,
    PendingDecision,
    Record,
    StoredDecision,
    StoreError,
    Transaction,
)
from .deals import ClaimedReminder, StoredDeal
from .interface import (
    ConversationStore,
    DealStore,
    DecisionStore,
    Handoff,
    HandoffStore,
    Store,
    UpdateJournal,
)
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .postgres import PostgresStore

__all__ = [
    "ClaimedReminder",
    "ConflictError",
    "ConversationKey",
    "ConversationStore",
    "DealStore",
    "DecisionStore",
    "Handoff",
    "HandoffStore",
    "KeyLocks",
    "PendingDecision",
    "PostgresStore",
    "Record",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoredDeal",
    "StoredDecision",
    "Transaction",
    "UpdateJournal",
    "open_store",
    "sqlite_path",
]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
_USAGE = (
    "use sqlite:///relative/path.db, sqlite:////absolute/path.db, a plain file path"
    " or postgresql://user:password@host:port/database?schema=name"
)
_POSTGRES_SCHEMES = ("postgresql", "postgres")
POSTGRES_DRIVER_MISSING = (
    "PostgreSQL needs its driver, which this install lacks: pip install 'halo-coach[postgres]'"
)


def __getattr__(name: str) -> Any:
    # asyncpg (~0.1 s to import) is loaded only when PostgreSQL is used.
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return None if match is None else match.group(1).lower()


def sqlite_path(url: str) -> str:
    """The SQLite file named by ``url``; ValueError if ``url`` is not a SQLite URL or path.

    Error messages name at most the scheme: the rest of a URL may hold a password.
    """
    if not url.strip():
        raise ValueError(f"empty storage URL; {_USAGE}")
    match = _SCHEME.match(url)
    if match is None:
        if "://" in url:
            raise ValueError(f"unrecognised storage URL; {_USAGE}")
        return str(Path(url).expanduser())
    scheme = match.group(1).lower()
    if scheme == "sqlite":
        rest = url[match.end() :]
        if not rest.startswith("/"):
            raise ValueError(f"a sqlite URL takes no host; {_USAGE}")
        path = rest[1:]
        if not path:
            raise ValueError(f"the sqlite URL names no file; {_USAGE}")
        if "?" in path or "#" in path:
            raise ValueError(f"sqlite URL options are not supported; {_USAGE}")
        return path
    if scheme in _POSTGRES_SCHEMES:
        raise ValueError(f"storage URL scheme {scheme!r} names PostgreSQL, not a SQLite file")
    raise ValueError(f"unsupported storage URL scheme {scheme!r}; {_USAGE}")


def open_store(url: str) -> Store:
    """Open the store named by ``url`` (creating the file, its folder and its schema if needed).

    Errors never quote the URL beyond its scheme (PostgreSQL's name host, port and database):
    it may hold a password.
    """
    if _scheme(url.strip()) in _POSTGRES_SCHEMES:
        try:
            from .postgres import PostgresStore
        except ModuleNotFoundError as missing:  # asyncpg comes with the [postgres] extra
            raise StoreError(POSTGRES_DRIVER_MISSING) from missing

        return PostgresStore(url)
    return SQLiteStore(sqlite_path(url))
