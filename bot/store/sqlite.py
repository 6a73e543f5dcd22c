"""SQLite backend: the embedded default, one WAL file under the data dir.

Snapshots and decision payloads longer than ``PACK_OVER`` bytes are stored as raw-deflate BLOBs
(``pack``/``unpack``): their JSON repeats its keys and option ids, and compressed a decided
conversation takes about half the bytes, under 1 KB at rest with its row and indexes
(bench/memory.py). Shorter ones (most of a review) stay JSON text: deflating every save cost
a noticeable share of an update (bench/README.md), and a row of up to ``PACK_OVER`` bytes is
still under 1 KB with its row, its record and its index (about 270 bytes). The snapshot's
version and its record (the message showing the current step, the update ids applied, the
decision kept) have columns of their own, so a note of the message is one small UPDATE.

What an update notes once its replies are out (``set_shown``: the message now showing its step;
``note_last``: the chat's last message; ``handled``: its journal entry may go) is written behind
when polling (``write_behind``), in groups: kept in memory and read back by this process at once,
then written ``BEHIND_SECONDS`` later in one transaction with every other note of that moment (or
with the next journaled batch, or at ``close``). Written one by one, each note rewrote a page of its
own (the conversation's, the journal's), a tenth of an update under load (bench/README.md). A save
of the conversation writes its notes itself. A crash loses at most those last notes, and the journal
replays their updates at the next start: the record's ``applied`` ids turn each into showing the
current step again, as a crash just before the note did already. Without a journal (one of
several webhook workers) the notes are written at once, yet together: in one transaction once
every update running in that turn of the event loop has noted its own (``_write_soon``); the
message showing a step before its update is answered. One process polls a bot, so no other
process writes these rows meanwhile; one reading the file sees a note that moment later.

The stdlib ``sqlite3`` module is called directly on the event loop thread: every query here is a
primary-key or index lookup that takes microseconds, while a hop to a worker thread (what aiosqlite
does per query) cost more than a whole update here (bench/README.md).
A side effect we rely on: a write transaction (BEGIN ... COMMIT) never spans an ``await``, so the
one connection is never shared by two coroutines mid-transaction. The exception is what is long by
nature: ``purge_idle`` runs on a thread with a connection of its own, in writes of about a
millisecond with pauses between them, so the bot's own writes (which wait for the file's write
lock on the event loop's thread) never wait long (bench/growth.py measures it at a million rows).
Migrations run at open, before the bot serves; schemas 8, 10 and 11 change no row here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from os import PathLike, fspath
from pathlib import Path
from types import TracebackType
from typing import Any

from flows.deal.model import Deal
from flows.snapshot import Snapshot

from .base import (
    DECISION_COLUMNS,
    ConflictError,
    ConversationKey,
    PendingDecision,
    Record,
    StoredDecision,
    StoreError,
    Transaction,
    error_retrieved,
    new_rev,
    parse_snapshot,
    stored_record,
)

# pack and unpack lived here before base.py: tests and benchmarks import them from here
from .base import pack as pack
from .base import unpack as unpack
from .deals import (
    CLAIMED_DEAL_COLUMNS,
    DEAL_COLUMNS,
    DONE_STAGES,
    ClaimedReminder,
    StoredDeal,
    planned,
    utc,
)
from .interface import Handoff, Store

log = logging.getLogger("halo.store")

# Waits for another process's write lock block the event loop, but writes last well under a
# millisecond; the timeout only bounds pathological cases (a stuck process, a slow disk).
BUSY_TIMEOUT_MS = 5000
PURGE_BATCH = 500  # rowids a purge looks through a write (about a millisecond of the lock)
CHECKPOINT_SECONDS = 0.5  # how often the log is copied back into the file (``Checkpoints``)
PURGE_PAUSE = 0.002  # seconds a purge leaves the write lock to others between its writes, at least
PURGE_SHARE = 4  # ... and this many times as long as its write took

# Versioned schema steps, applied in order at open; never edit a released step, append a new one.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """
            CREATE TABLE conversations (
                chat_id       INTEGER NOT NULL,
                user_id       INTEGER NOT NULL,
                thread_id     INTEGER NOT NULL,
                review_id     TEXT    NOT NULL,
                flow          TEXT    NOT NULL,
                snapshot_json TEXT    NOT NULL,
                updated_at    TEXT    NOT NULL,
                rev           INTEGER NOT NULL,
                PRIMARY KEY (chat_id, user_id, thread_id, review_id)
            )
            """,
            "CREATE INDEX conversations_user ON conversations (user_id)",
            """
            CREATE TABLE decisions (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id      INTEGER NOT NULL,
                flow         TEXT    NOT NULL,
                title        TEXT    NOT NULL,
                verdict      TEXT    NOT NULL,
                created_at   TEXT    NOT NULL,
                payload_json TEXT    NOT NULL
            )
            """,
            "CREATE INDEX decisions_user_id ON decisions (user_id, id DESC)",
            """
            CREATE TABLE quarantine (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id        INTEGER NOT NULL,
                user_id        INTEGER NOT NULL,
                thread_id      INTEGER NOT NULL,
                review_id      TEXT    NOT NULL,
                flow           TEXT    NOT NULL,
                snapshot_json  TEXT    NOT NULL,
                updated_at     TEXT    NOT NULL,
                reason         TEXT    NOT NULL,
                quarantined_at TEXT    NOT NULL
            )
            """,
            "CREATE INDEX quarantine_user ON quarantine (user_id)",
        ),
    ),
    (
        2,
        (
            """
            CREATE TABLE inbox (
                update_id    INTEGER PRIMARY KEY,
                payload_json TEXT    NOT NULL,
                received_at  TEXT    NOT NULL
            )
            """,
        ),
    ),
    (
        3,
        (
            """
            CREATE TABLE handoffs (
                code         TEXT PRIMARY KEY,
                payload_json TEXT NOT NULL,
                created_at   TEXT NOT NULL,
                expires_at   TEXT NOT NULL,
                claimed_by   INTEGER
            )
            """,
            "CREATE INDEX conversations_updated ON conversations (updated_at)",
        ),
    ),
    (
        4,
        (
            "ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE conversations ADD COLUMN shown_in INTEGER",
            # rows of earlier versions hold JSON text: their values come from it
            "UPDATE conversations SET"
            " version = COALESCE(json_extract(snapshot_json, '$.version'), 0),"
            " shown_in = json_extract(snapshot_json, '$.shown_in')"
            " WHERE json_valid(snapshot_json)",
            # every save rewrote this index's entry: purging idle rows (an operator's command)
            # scans the table instead
            "DROP INDEX conversations_updated",
        ),
    ),
    (
        5,
        (
            # the transports' bookkeeping leaves the snapshot for columns of its own; a deflated
            # row keeps it in its JSON (applied NULL) until its next save
            "ALTER TABLE conversations ADD COLUMN applied TEXT",
            "ALTER TABLE conversations ADD COLUMN recorded TEXT",
            "UPDATE conversations SET"
            " applied = COALESCE((SELECT group_concat(value) FROM"
            " json_each(snapshot_json, '$.applied')), ''),"
            " recorded = json_extract(snapshot_json, '$.recorded')"
            " WHERE json_valid(snapshot_json)",
        ),
    ),
    (
        6,
        (
            # who made a hand-off: opening their own link claims nothing, /forget removes it
            "ALTER TABLE handoffs ADD COLUMN made_by INTEGER",
        ),
    ),
    (
        7,
        (
            # deals after a decision, and their reminders: one row each, sent once (deals.py)
            """
            CREATE TABLE deals (
                id         TEXT    PRIMARY KEY,
                chat_id    INTEGER NOT NULL,
                user_id    INTEGER NOT NULL,
                stage      TEXT    NOT NULL,
                json       TEXT    NOT NULL,
                tz         TEXT    NOT NULL,
                updated_at TEXT    NOT NULL
            )
            """,
            "CREATE INDEX deals_user ON deals (user_id, updated_at DESC)",
            """
            CREATE TABLE reminders (
                key           TEXT    PRIMARY KEY,
                deal_id       TEXT    NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
                user_id       INTEGER NOT NULL,
                kind          TEXT    NOT NULL,
                due           TEXT    NOT NULL,
                claimed_until TEXT,
                attempts      INTEGER NOT NULL DEFAULT 0,
                sent_at       TEXT
            )
            """,
            "CREATE INDEX reminders_due ON reminders (due) WHERE sent_at IS NULL",
            "CREATE INDEX reminders_deal ON reminders (deal_id)",
            "CREATE TABLE blocked_users (user_id INTEGER PRIMARY KEY, since TEXT NOT NULL)",
        ),
    ),
    (
        8,
        # PostgreSQL's step 8 (compact rows, updated in place, no index on idle time): SQLite
        # keeps them so already (schema 4), so here the step changes nothing
        (),
    ),
    (
        9,  # issue 18, after issue 16's 8
        (
            # a deal's revision: a write that read an older one is refused (deals.py)
            "ALTER TABLE deals ADD COLUMN rev INTEGER NOT NULL DEFAULT 0",
            # when a reminder may be claimed next (its due time, then the end of a claim or a
            # deferral): the one key a claim reads, so held and claimed rows are never scanned
            "ALTER TABLE reminders ADD COLUMN ready_at TEXT",
            "UPDATE reminders SET ready_at = MAX(due, COALESCE(claimed_until, due))",
            "DROP INDEX reminders_due",
            "CREATE INDEX reminders_ready ON reminders (ready_at) WHERE sent_at IS NULL",
        ),
    ),
    (
        10,
        (
            # issue 15, no row touched: the chat's last message as the bot saw it, and where
            # each answered question's line shows, so that a bot started again still knows
            "ALTER TABLE conversations ADD COLUMN last_message_id INTEGER",
            "ALTER TABLE conversations ADD COLUMN lines TEXT",
        ),
    ),
    (
        11,
        # issue 16, no row touched: ``applied`` and ``lines`` hold each number after the first
        # as its difference from the one before (``Record.applied_text``, ``Record.lines_text``;
        # rows saved before read as they are). Code older than this step would take those for
        # ids, so it must refuse the database. (PostgreSQL's step also moves the lines into the
        # deflated snapshot.)
        (),
    ),
)
LATEST_VERSION = MIGRATIONS[-1][0]

_WHERE_KEY = "chat_id = ? AND user_id = ? AND thread_id = ? AND review_id = ?"
_SELECT_ROW = (
    "SELECT snapshot_json, rev, shown_in, applied, recorded, last_message_id, lines"
    f" FROM conversations WHERE {_WHERE_KEY}"
)
_SELECT_SNAPSHOT = f"SELECT snapshot_json FROM conversations WHERE {_WHERE_KEY}"
_INSERT = (
    "INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow, snapshot_json,"
    " updated_at, rev, version, shown_in, applied, recorded, last_message_id, lines)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# A stored last message is never lowered (a note of another process may have raised it since
# the row was loaded): the greater of the two, either being NULL.
_LATER = "COALESCE(max(last_message_id, ?), last_message_id, ?)"
# the rev loaded must still be there: another process may have written the row meanwhile
_UPDATE = (
    "UPDATE conversations SET flow = ?, snapshot_json = ?, updated_at = ?, rev = ?, version = ?,"
    f" shown_in = ?, applied = ?, recorded = ?, last_message_id = {_LATER}, lines = ?"
    f" WHERE {_WHERE_KEY} AND rev = ?"
)
_DELETE = f"DELETE FROM conversations WHERE {_WHERE_KEY}"
# a new rev: a transaction of another process that loaded the row before must not overwrite it
_SET_SHOWN = f"UPDATE conversations SET shown_in = ?, rev = ? WHERE {_WHERE_KEY} AND version = ?"
# the rev stays: no save lowers the note (``_LATER``), so it need not make one conflict
_NOTE_LAST = (
    f"UPDATE conversations SET last_message_id = ? WHERE {_WHERE_KEY}"
    " AND (last_message_id IS NULL OR last_message_id < ?)"
)
_DELETE_INBOX = "DELETE FROM inbox WHERE update_id = ?"
_QUARANTINE = (
    "INSERT INTO quarantine (chat_id, user_id, thread_id, review_id, flow, snapshot_json,"
    " updated_at, reason, quarantined_at)"
    " SELECT chat_id, user_id, thread_id, review_id, flow, snapshot_json, updated_at, ?, ?"
    f" FROM conversations WHERE {_WHERE_KEY} AND rev = ?"
)
_INSERT_DECISION = (
    "INSERT INTO decisions (user_id, flow, title, verdict, created_at, payload_json)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
# How often a transaction re-reads a row that another process keeps replacing while it is being
# quarantined; more than one retry means something is badly wrong.
_QUARANTINE_ATTEMPTS = 3


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _moment(at: datetime) -> str:
    """A reminder's time as stored: UTC, one fixed width, so text order is time order."""
    return utc(at).strftime("%Y-%m-%d %H:%M:%S.%f")


def _read_moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)  # the fixed width: no strptime


def _stored_deal(row: tuple[Any, ...]) -> StoredDeal:
    _id, chat_id, user_id, text, tz, rev = row
    return StoredDeal(chat_id=int(chat_id), user_id=int(user_id),
                      deal=Deal.model_validate_json(text), tz=str(tz), rev=int(rev))


_CLAIMABLE = (
    "SELECT r.key FROM reminders AS r WHERE r.ready_at <= ? AND r.sent_at IS NULL"
    " AND r.user_id NOT IN (SELECT user_id FROM blocked_users) ORDER BY r.ready_at LIMIT ?"
)
NEVER = "9999-12-31 00:00:00.000000"  # the ready time of a blocked user's reminders


BEHIND_SECONDS = 0.02  # the longest a written-behind note waits for a transaction to join
BEHIND_RETRY_SECONDS = 1.0  # after a failed write of the notes (the database locked, full)

def _parse(stored: str | bytes) -> tuple[Snapshot | None, str, str]:
    """The stored value's snapshot (``parse_snapshot``) or why not, and its JSON."""
    try:
        text = unpack(stored)
    except (ValueError, zlib.error) as error:
        return None, type(error).__name__, ""
    snapshot, reason = parse_snapshot(text)
    return snapshot, reason, text


def _decision(row: tuple[Any, ...]) -> StoredDecision:
    id_, user_id, flow, title, verdict, created_at, payload_json = row
    return StoredDecision(
        id=id_,
        user_id=user_id,
        flow=flow,
        title=title,
        verdict=verdict,
        created_at=datetime.fromisoformat(created_at).astimezone(UTC),
        payload=json.loads(unpack(payload_json)),
    )


class SQLiteStore(Store):
    """A ``Store`` in one SQLite file (or ``":memory:"``, for throwaway use)."""

    def __init__(self, path: str | PathLike[str]) -> None:
        super().__init__()
        self.path = fspath(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode (isolation_level=None): this module issues BEGIN/COMMIT itself.
            conn = sqlite3.connect(self.path, isolation_level=None)
            conn.execute("PRAGMA schema_version")  # opens the file now, not at the first write
        except (OSError, sqlite3.Error) as error:
            reason = (f"{error.filename} is not a folder"
                      if isinstance(error, (FileExistsError, NotADirectoryError))
                      else error.strerror if isinstance(error, OSError) and error.strerror
                      else error)
            raise StoreError(f"the SQLite database at {self.path} cannot be opened ({reason})"
                             ) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn, self.path)
            # NORMAL under WAL: a commit survives a killed process (only an OS crash or power
            # loss may lose the last commits), without an fsync per update.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self.schema_version = _migrate(conn)
            # the write-ahead log is copied back into the file by a thread of its own (a copy
            # after a purge's writes took the bot's event loop a third of a second)
            if self.path != ":memory:":
                conn.execute("PRAGMA wal_autocheckpoint = 0")
        except BaseException:
            conn.close()
            raise
        self._conn: sqlite3.Connection | None = conn
        self._checkpoints = None if self.path == ":memory:" else Checkpoints(self.path)
        # written behind once ``write_behind()`` (see the module's docstring): key -> (version,
        # message id); update ids; key -> the chat's last message
        self._behind = False
        self._shown: dict[ConversationKey, tuple[int, int]] = {}
        self._handled: list[int] = []
        self._last: dict[ConversationKey, int] = {}
        self._behind_timer: asyncio.TimerHandle | None = None
        self._soon: asyncio.Future[None] | None = None  # without write_behind: the next write
        log.debug("opened SQLite store (schema version %d)", self.schema_version)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is closed")
        return self._conn

    # Transactions.

    def _locked_transaction(self, key: ConversationKey) -> AbstractAsyncContextManager[Transaction]:
        return _SQLiteTransaction(self, key)

    def _load_for_update(
        self, db: sqlite3.Connection, key: ConversationKey
    ) -> tuple[Snapshot | None, Record, int | None]:
        params = key.params
        for _ in range(_QUARANTINE_ATTEMPTS):
            row = db.execute(_SELECT_ROW, params).fetchone()
            if row is None:
                return None, Record(), None
            stored, rev, shown_in, applied, recorded, last, lines = row
            snapshot, reason, text = _parse(stored)
            if snapshot is not None:
                record = stored_record(shown_in, applied, recorded, text, last, lines)
                return snapshot, self._noted(key, snapshot, record), rev
            if _quarantine(db, key, rev, reason):
                return None, Record(), None
        raise ConflictError(f"conversation {key!r} keeps changing while being quarantined")

    def _commit(self, db: sqlite3.Connection, tx: Transaction, loaded_rev: int | None) -> None:
        # Cross-process safety by an optimistic check: the row's rev must still be the one we
        # loaded. BEGIN IMMEDIATE held across the body would block every other key's writes, and
        # without decisions to add the conditional write is one statement: its own transaction.
        # the chat's last message as noted by now (maybe since the load): the save carries it
        last = tx.staged_record.seen(self._last.get(tx.key))
        if tx.staged_decisions:
            with _immediate(db):
                written = self._write(db, tx, loaded_rev, last)
                if written:
                    tx.recorded_ids = [self._insert_decision(db, d) for d in tx.staged_decisions]
        else:
            written = self._write(db, tx, loaded_rev, last)
        if not written:
            raise ConflictError(f"conversation {tx.key!r} was changed by another process; retry")
        if tx.staged_snapshot_json is not None:
            self._shown.pop(tx.key, None)  # the save wrote shown_in itself
            if self._last.get(tx.key, 0) <= (last or 0):
                self._last.pop(tx.key, None)  # and the last message

    @staticmethod
    def _write(db: sqlite3.Connection, tx: Transaction, loaded_rev: int | None,
               last: int | None) -> bool:
        """The staged snapshot written if the row is still at ``loaded_rev``, with ``last``
        as the chat's last message; False when another process changed it meanwhile."""
        params = tx.key.params
        text = tx.staged_snapshot_json
        if text is None:
            return True
        record = tx.staged_record
        if loaded_rev is None:
            try:
                written = db.execute(_INSERT, (*params, tx.staged_flow, pack(text), _now(),
                                               new_rev(), tx.staged_version, record.shown_in,
                                               record.applied_text(), record.recorded, last,
                                               record.lines_text())).rowcount
            except sqlite3.IntegrityError:
                written = 0  # created meanwhile by another process
        else:
            written = db.execute(_UPDATE, (tx.staged_flow, pack(text), _now(), new_rev(),
                                           tx.staged_version, record.shown_in,
                                           record.applied_text(), record.recorded, last, last,
                                           record.lines_text(), *params,
                                           loaded_rev)).rowcount
        return bool(written == 1)

    # Written behind (see the module's docstring).

    def _noted(self, key: ConversationKey, snapshot: Snapshot, record: Record) -> Record:
        """``record`` as loaded, with the message showing the step and the chat's last message
        if notes of them are behind."""
        noted = self._shown.get(key)
        if noted is not None and noted[0] == snapshot.version:
            record.shown_in = noted[1]
        record.last_message_id = record.seen(self._last.get(key))
        return record

    def transient(self, error: BaseException) -> bool:
        return isinstance(error, sqlite3.Error) or super().transient(error)

    def write_behind(self) -> None:
        """From now on, write the notes behind (see the module's docstring). Only where a journal
        replays the updates whose notes a crash would lose: polling, or the only webhook worker.
        One of several webhook workers has answered Telegram by then, and nothing would bring a
        lost note back."""
        self._behind = True

    def _note(self) -> None:
        """A note was kept: a write comes within ``BEHIND_SECONDS`` at the latest."""
        if self._behind_timer is None:
            self._behind_timer = asyncio.get_running_loop().call_later(
                BEHIND_SECONDS, self._on_timer)

    def _on_timer(self) -> None:
        self._behind_timer = None
        self._flush_behind()

    def _flush_behind(self) -> None:
        """Write the notes kept now, in a transaction of their own; on failure, log and try
        again ``BEHIND_RETRY_SECONDS`` later."""
        if self._conn is None or not (self._shown or self._handled or self._last):
            return
        try:
            with _immediate(self._conn):
                self._write_behind(self._conn)
        except sqlite3.Error as error:
            log.warning("could not write the notes behind yet (%s); retrying",
                        type(error).__name__)
            if self._behind_timer is None:
                self._behind_timer = asyncio.get_running_loop().call_later(
                    BEHIND_RETRY_SECONDS, self._on_timer)
            return
        self._behind_written()

    def _write_behind(self, db: sqlite3.Connection) -> None:
        """The notes kept, written in the caller's transaction."""
        if self._shown:
            db.executemany(_SET_SHOWN, [(message_id, new_rev(), *key.params, version)
                                        for key, (version, message_id) in self._shown.items()])
        if self._handled:
            db.executemany(_DELETE_INBOX, [(update_id,) for update_id in self._handled])
        if self._last:
            db.executemany(_NOTE_LAST, [(last, *key.params, last)
                                        for key, last in self._last.items()])

    def _behind_written(self) -> None:
        """The transaction holding the notes committed: they are no longer behind."""
        self._shown.clear()
        self._handled.clear()
        self._last.clear()
        if self._behind_timer is not None:
            self._behind_timer.cancel()
            self._behind_timer = None

    @staticmethod
    def _insert_decision(db: sqlite3.Connection, decision: PendingDecision) -> int:
        d = decision
        cursor = db.execute(_INSERT_DECISION, (d.user_id, d.flow, d.title, d.verdict, _now(),
                                               pack(d.payload_json)))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    # Reads and admin.

    async def group_keys(self) -> list[ConversationKey]:
        rows = self._db().execute("SELECT chat_id, thread_id, review_id FROM conversations"
                                  " WHERE user_id = 0").fetchall()
        return [ConversationKey.group(chat_id, review_id, thread_id)
                for chat_id, thread_id, review_id in rows]

    async def load(self, key: ConversationKey) -> Snapshot | None:
        row = self._db().execute(_SELECT_SNAPSHOT, key.params).fetchone()
        if row is None:
            return None
        snapshot, reason, _ = _parse(row[0])
        if snapshot is None:
            log.warning("unreadable snapshot for %r left in place (%s)", key, reason)
        return snapshot

    async def history(self, user_id: int, limit: int = 20) -> list[StoredDecision]:
        if limit < 0:
            raise ValueError("limit must not be negative")
        rows = self._db().execute(
            f"SELECT {DECISION_COLUMNS} FROM decisions WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        )
        return [_decision(row) for row in rows]

    async def restyle(self, user_id: int, flow: str, style: dict[str, str]) -> None:
        db = self._db()
        with _immediate(db):
            row = db.execute("SELECT id, payload_json FROM decisions WHERE user_id = ? AND"
                             " flow = ? ORDER BY id DESC LIMIT 1", (user_id, flow)).fetchone()
            if row is None:
                return
            payload = {**json.loads(unpack(row[1])), **style}
            db.execute("UPDATE decisions SET payload_json = ? WHERE id = ?",
                       (pack(json.dumps(payload, ensure_ascii=False)), row[0]))

    async def decision(self, user_id: int, decision_id: int) -> StoredDecision | None:
        row = (
            self._db()
            .execute(
                f"SELECT {DECISION_COLUMNS} FROM decisions WHERE id = ? AND user_id = ?",
                (decision_id, user_id),
            )
            .fetchone()
        )
        return None if row is None else _decision(row)

    async def forget(self, user_id: int) -> int:
        if user_id == 0:
            # 0 is the owner of every group review, not a person.
            raise ValueError("forget() needs a real user id, not 0")
        db = self._db()
        deleted = 0
        for noted in (self._shown, self._last):  # nothing noted before is written after
            for key in [key for key in noted if key.user_id == user_id]:
                del noted[key]
        with _immediate(db):
            # a deal's reminders go with it (ON DELETE CASCADE)
            for table in ("conversations", "decisions", "quarantine", "deals", "blocked_users"):
                deleted += db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,)).rowcount
            deleted += db.execute("DELETE FROM handoffs WHERE made_by = ? OR claimed_by = ?",
                                  (user_id, user_id)).rowcount
        return deleted

    async def journal(self, updates: list[tuple[int, str]]) -> None:
        if not updates:
            return
        db = self._db()
        now = _now()
        with _immediate(db):
            self._write_behind(db)
            db.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, payload_json, received_at)"
                " VALUES (?, ?, ?)",
                [(update_id, payload, now) for update_id, payload in updates],
            )
        self._behind_written()

    async def unhandled(self) -> list[tuple[int, str]]:
        self._flush_behind()
        done = set(self._handled)  # should that write have failed
        rows = self._db().execute("SELECT update_id, payload_json FROM inbox ORDER BY update_id")
        return [(int(update_id), str(payload)) for update_id, payload in rows
                if update_id not in done]

    async def handled(self, update_id: int) -> None:
        db = self._db()  # refused once closed
        if not self._behind:
            db.execute(_DELETE_INBOX, (update_id,))
            return
        self._handled.append(update_id)
        self._note()

    async def set_shown(self, key: ConversationKey, version: int, message_id: int) -> None:
        """Once ``write_behind``, with the other notes; else written before this returns, in
        one transaction with the notes of every update of this turn of the event loop
        (``_write_soon``)."""
        self._db()  # refused once closed
        self._shown[key] = (version, message_id)
        if self._behind:
            self._note()
            return
        await self._written_soon()

    def note_last(self, key: ConversationKey, message_id: int) -> None:
        """Once ``write_behind`` with the other notes, else with the notes of this turn of the
        event loop (``_write_soon``); a save of the conversation meanwhile writes it itself."""
        if self._conn is None:
            return  # closed: a message seen while shutting down changes nothing
        if message_id <= self._last.get(key, 0):
            return
        self._last[key] = message_id
        if self._behind:
            self._note()
        else:
            self._written_soon()

    def _written_soon(self) -> asyncio.Future[None]:
        """Without ``write_behind`` (one of several webhook workers, which answers Telegram once
        an update's notes are written): the write that takes the notes kept now, once every
        update running in this turn of the event loop has noted its own. Written one statement
        each, every note was a commit of its own: an eighth of a webhook worker's CPU under
        load."""
        if self._soon is None:
            loop = asyncio.get_running_loop()
            self._soon = loop.create_future()
            self._soon.add_done_callback(error_retrieved)
            loop.call_soon(self._write_soon)
        return self._soon

    def _write_soon(self) -> None:
        written, self._soon = self._soon, None
        assert written is not None
        try:
            if self._conn is not None:  # (closed: ``close`` wrote them)
                with _immediate(self._conn):
                    self._write_behind(self._conn)
        except Exception as error:  # as a note written alone: not kept, the caller told
            log.warning("notes not written (%s)", type(error).__name__)
            written.set_exception(error)
        else:
            written.set_result(None)
        finally:
            self._behind_written()

    async def put_handoff(self, code: str, payload: dict[str, Any], expires_at: datetime,
                          made_by: int) -> None:
        self._db().execute(
            "INSERT INTO handoffs (code, payload_json, created_at, expires_at, made_by)"
            " VALUES (?, ?, ?, ?, ?)",
            (code, json.dumps(payload, ensure_ascii=False), _now(),
             expires_at.astimezone(UTC).isoformat(), made_by))

    async def take_handoff(self, code: str, now: datetime, user_id: int) -> Handoff:
        db = self._db()
        with _immediate(db):
            row = db.execute("SELECT payload_json, expires_at, claimed_by, made_by FROM handoffs"
                             " WHERE code = ?", (code,)).fetchone()
            if row is None:
                return Handoff()
            if datetime.fromisoformat(row[1]) <= now:
                db.execute("DELETE FROM handoffs WHERE code = ?", (code,))
                return Handoff()
            if row[3] == user_id:
                return Handoff(own=True)
            if row[2] not in (None, user_id):
                return Handoff()
            db.execute("UPDATE handoffs SET claimed_by = ? WHERE code = ?", (user_id, code))
        payload = json.loads(row[0])
        return Handoff(payload if isinstance(payload, dict) else None)

    # Deals and reminders.

    async def save_deal(self, chat_id: int, user_id: int, deal: Deal, tz: str,
                        expected: int | None = None) -> int:
        reminders = planned(deal, tz)
        db = self._db()
        with _immediate(db):
            if expected is None:
                row = db.execute(
                    "INSERT INTO deals (id, chat_id, user_id, stage, json, tz, updated_at, rev)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET"
                    " stage = excluded.stage, json = excluded.json, tz = excluded.tz,"
                    " updated_at = excluded.updated_at, rev = deals.rev + 1"
                    " WHERE deals.user_id = excluded.user_id RETURNING rev",
                    (deal.id, chat_id, user_id, deal.stage, deal.model_dump_json(), tz,
                     _now())).fetchall()
            else:
                row = db.execute(
                    "UPDATE deals SET stage = ?, json = ?, tz = ?, updated_at = ?, rev = rev + 1"
                    " WHERE id = ? AND user_id = ? AND rev = ? RETURNING rev",
                    (deal.stage, deal.model_dump_json(), tz, _now(), deal.id, user_id,
                     expected)).fetchall()
            if not row:
                raise ConflictError(f"deal {deal.id} changed since revision {expected}")
            # a reminder still planned keeps its row, and with it a worker's claim on it
            keys = [r.key for r in reminders]
            db.execute("DELETE FROM reminders WHERE deal_id = ? AND sent_at IS NULL"
                       f" AND key NOT IN ({','.join('?' * len(keys))})", (deal.id, *keys))
            db.executemany(
                "INSERT INTO reminders (key, deal_id, user_id, kind, due, ready_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (key) DO NOTHING",
                [(r.key, deal.id, user_id, r.kind, _moment(r.due)) for r in reminders])
        return int(row[0][0])

    async def deal(self, user_id: int, deal_id: str) -> StoredDeal | None:
        row = self._db().execute(f"SELECT {DEAL_COLUMNS} FROM deals WHERE id = ? AND user_id = ?",
                                 (deal_id, user_id)).fetchone()
        return None if row is None else _stored_deal(row)

    async def deals_of(self, user_id: int, limit: int | None = 10) -> list[StoredDeal]:
        rows = self._db().execute(
            f"SELECT {DEAL_COLUMNS} FROM deals WHERE user_id = ?"
            " ORDER BY updated_at DESC, id LIMIT ?", (user_id, -1 if limit is None else limit))
        return [_stored_deal(row) for row in rows]

    async def open_deals(self, user_id: int, limit: int = 10) -> list[StoredDeal]:
        rows = self._db().execute(
            f"SELECT {DEAL_COLUMNS} FROM deals WHERE user_id = ? AND stage NOT IN (?, ?)"
            " ORDER BY updated_at DESC, id LIMIT ?", (user_id, *DONE_STAGES, limit))
        return [_stored_deal(row) for row in rows]

    async def claim_due(self, now: datetime, limit: int, lease: timedelta
                        ) -> list[ClaimedReminder]:
        at, until = _moment(now), _moment(now + lease)
        db = self._db()
        # BEGIN IMMEDIATE: one writer at a time, so two processes never claim the same row
        with _immediate(db):
            keys = [row[0] for row in db.execute(_CLAIMABLE, (at, limit))]
            marks = ",".join("?" * len(keys))
            db.execute(f"UPDATE reminders SET claimed_until = ?1, ready_at = ?1,"
                       f" attempts = attempts + 1 WHERE key IN ({marks})", (until, *keys))
            rows = db.execute(
                f"SELECT r.key, r.due, r.attempts, {CLAIMED_DEAL_COLUMNS}"
                f" FROM reminders AS r JOIN deals AS d ON d.id = r.deal_id"
                f" WHERE r.key IN ({marks}) ORDER BY r.due", keys).fetchall()
        return [ClaimedReminder(key=row[0], due=_read_moment(row[1]), attempts=int(row[2]),
                                claimed_until=utc(now + lease), stored=_stored_deal(row[3:]))
                for row in rows]

    async def reminder_sent(self, key: str, now: datetime) -> None:
        self._db().execute("UPDATE reminders SET sent_at = ? WHERE key = ?", (_moment(now), key))

    async def defer_reminder(self, key: str, until: datetime) -> None:
        self._db().execute("UPDATE reminders SET claimed_until = ?1, ready_at = ?1 WHERE key = ?2"
                           " AND sent_at IS NULL", (_moment(until), key))

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        db = self._db()
        with _immediate(db):
            if blocked:  # their reminders leave the claims' way until they are back
                db.execute("INSERT OR IGNORE INTO blocked_users VALUES (?, ?)", (user_id, _now()))
                db.execute("UPDATE reminders SET ready_at = ? WHERE user_id = ?"
                           " AND sent_at IS NULL", (NEVER, user_id))
            elif db.execute("DELETE FROM blocked_users WHERE user_id = ?", (user_id,)).rowcount:
                db.execute("UPDATE reminders SET ready_at = due WHERE user_id = ?"
                           " AND sent_at IS NULL", (user_id,))

    async def purge_idle(self, idle_since: datetime) -> int:
        """Off the event loop's thread, on a connection of its own (``purge``), so the bot goes
        on serving meanwhile (an in-memory database has one connection: there, on it)."""
        cutoff = idle_since.astimezone(UTC).isoformat()
        if self.path == ":memory:":
            return purge(self._db(), cutoff, pause=0)
        self._db()  # refused once closed
        return await asyncio.to_thread(self._purge_apart, cutoff)

    def _purge_apart(self, cutoff: str) -> int:
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return purge(conn, cutoff)
        finally:
            conn.close()

    async def count(self) -> dict[str, int]:
        conversations, decisions = (
            self._db()
            .execute(
                "SELECT (SELECT COUNT(*) FROM conversations), (SELECT COUNT(*) FROM decisions)"
            )
            .fetchone()
        )
        return {"conversations": conversations, "decisions": decisions}

    async def ping(self) -> None:
        self._db().execute("SELECT 1").fetchone()

    async def close(self) -> None:
        self._flush_behind()  # should it fail (logged), the journal replays those updates
        if self._behind_timer is not None:
            self._behind_timer.cancel()
            self._behind_timer = None
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if self._checkpoints is not None:
            self._checkpoints.stop()
        try:
            conn.execute("PRAGMA optimize")
        finally:
            conn.close()  # the last connection to the file copies the log back in


class Checkpoints:
    """A thread that copies the write-ahead log back into the database file every
    ``CHECKPOINT_SECONDS`` (a PASSIVE checkpoint: it waits for no reader or writer), so that the
    bot's commits, on the event loop's thread, never do it."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="halo-sqlite-checkpoints",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            while not self._stopping.wait(CHECKPOINT_SECONDS):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as error:
                    log.warning("SQLite checkpoint failed (%s)", type(error).__name__)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()


class _SQLiteTransaction:
    """Load the row, yield its ``Transaction``, write what it staged on a normal exit (an
    exception in the body propagates and nothing is written). A class rather than a generator:
    one is entered per update."""

    __slots__ = ("_db", "_key", "_rev", "_store", "_tx")

    def __init__(self, store: SQLiteStore, key: ConversationKey) -> None:
        self._store = store
        self._key = key

    async def __aenter__(self) -> Transaction:
        self._db = self._store._db()
        snapshot, record, self._rev = self._store._load_for_update(self._db, self._key)
        self._tx = Transaction(self._key, snapshot, record)
        return self._tx

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        if exc_type is None and self._tx.has_changes:  # (closed by ``Store.transaction``)
            self._store._commit(self._db, self._tx, self._rev)


@contextmanager
def _immediate(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: the write lock first (BEGIN IMMEDIATE), COMMIT or ROLLBACK."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def purge(db: sqlite3.Connection, cutoff: str, pause: float = PURGE_PAUSE) -> int:
    """Delete conversations untouched since ``cutoff`` and expired hand-offs: a walk through the
    table by rowid, ``PURGE_BATCH`` rowids a write (each holds the write lock for about a
    millisecond), each followed by a pause of at least ``pause`` and ``PURGE_SHARE`` times the
    write's own time, so that other writers, whose waits for the lock back off up to 100 ms,
    find it free nearly every time they look (no index on idle time, so no save has one to
    update). A conversation touched meanwhile stays."""
    last = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM conversations").fetchone()[0]
    purged = 0
    for start in range(0, last + 1, PURGE_BATCH):
        began = time.perf_counter()
        with _immediate(db):
            purged += db.execute(
                "DELETE FROM conversations WHERE rowid >= ? AND rowid < ? AND updated_at < ?",
                (start, start + PURGE_BATCH, cutoff)).rowcount
        if pause:  # on a thread of its own (SQLiteStore.purge_idle)
            time.sleep(max(pause, (time.perf_counter() - began) * PURGE_SHARE))
    with _immediate(db):
        db.execute("DELETE FROM handoffs WHERE expires_at <= ?", (_now(),))
    return purged


def _quarantine(db: sqlite3.Connection, key: ConversationKey, rev: int, reason: str) -> bool:
    """Move an unreadable row aside; False if another process changed it since it was read."""
    params = key.params
    with _immediate(db):
        moved = db.execute(_QUARANTINE, (reason, _now(), *params, rev)).rowcount
        if moved:
            db.execute(_DELETE, params)
    if moved:
        log.warning("unreadable snapshot for %r moved to quarantine (%s)", key, reason)
    return bool(moved)


def _use_wal(db: sqlite3.Connection, path: str) -> None:
    """Switch the file to WAL mode (it stays so: later opens only check)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError:
            # Switching needs an exclusive lock and SQLite fails at once, without the busy
            # handler, while another process opening the new file holds it: wait and retry.
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
    if mode != "wal" and path != ":memory:":
        log.warning("SQLite refused WAL mode (journal_mode=%s)", mode)


def _migrate(db: sqlite3.Connection) -> int:
    """Bring the schema to ``LATEST_VERSION``; returns it. Safe when processes open at once.

    BEGIN IMMEDIATE takes the write lock before reading the version, so a second process waits and
    then sees the steps already applied. SQLite DDL is transactional: a failed step leaves nothing.
    """
    with _immediate(db):
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version"
            " (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        current: int = db.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version"
        ).fetchone()[0]
        if current > LATEST_VERSION:
            raise StoreError(
                f"the database has schema version {current}, newer than this code knows"
                f" ({LATEST_VERSION}); upgrade the bot"
            )
        for version, steps in MIGRATIONS:
            if version <= current:
                continue
            for sql in steps:
                db.execute(sql)
            db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
            log.info("applied storage migration %d", version)
    return LATEST_VERSION
