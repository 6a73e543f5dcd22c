"""Storage: conversation snapshots under a per-key lock, and each user's decisions.

``open_store(url)`` picks the backend from the storage URL of the settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import (
    ConflictError,
    ConversationKey,
    KeyLocks,
    PendingDecision,
    Scope,
    Store,
    StoredDecision,
    StoreError,
    Transaction,
)
from .sqlite import SQLiteStore

__all__ = [
    "ConflictError",
    "ConversationKey",
    "KeyLocks",
    "PendingDecision",
    "SQLiteStore",
    "Scope",
    "Store",
    "StoreError",
    "StoredDecision",
    "Transaction",
    "open_store",
    "sqlite_path",
]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
_USAGE = "use sqlite:///relative/path.db, sqlite:////absolute/path.db or a plain file path"


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
    if scheme in ("postgresql", "postgres"):
        raise ValueError(
            f"storage URL scheme {scheme!r} (PostgreSQL) is not supported yet; {_USAGE}"
        )
    raise ValueError(f"unsupported storage URL scheme {scheme!r}; {_USAGE}")


def open_store(url: str) -> Store:
    """Open the store named by ``url`` (creating the file, its folder and its schema if needed)."""
    return SQLiteStore(sqlite_path(url))
