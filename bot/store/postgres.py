"""PostgreSQL backend: for several workers (webhook processes) sharing one database.

Opening
    ``PostgresStore(url)`` (what ``open_store(url)`` returns for ``postgresql://`` and
    ``postgres://``) is synchronous, like ``SQLiteStore``: it connects once, creates the schema
    named by ``?schema=`` if missing, applies the migrations and disconnects, so a bad URL, an
    unreachable server or a database newer than the code fails at start-up. That work runs on a
    helper thread with its own event loop, so the constructor may be called with or without a
    running loop (it blocks the calling thread for a few milliseconds).

    The connection pool belongs to an event loop, so it is created on first use inside the loop
    that then uses the store (``await store.start()`` creates it eagerly, to fail fast). Every
    later call must come from that loop. ``await store.close()`` closes the pool; safe twice.

URL options (removed before the URL reaches the driver)
    ``schema``     the schema holding the tables (created if missing, used as the search_path);
                   without it, the server's default search_path decides (usually ``public``).
    ``pool_size``  the most connections this store opens (default 10).
    Every other query option is passed to asyncpg (``sslmode=``, ``application_name=``, ...), and
    unknown ones become server settings (e.g. ``lock_timeout=30s``).

One update, one commit (issue 16)
    ``transaction(key)`` holds the in-process per-key lock (base class). Its load is one
    statement that takes no lock; what the body staged is saved by one more statement, its own
    commit, carrying everything the update changed: the snapshot, its record (the message showing
    the step and the chat's last message, noted and not written yet, included), the decisions. So no
    connection is held and no database transaction is open while the body runs, and an update
    makes two round trips. The save writes the row only if it is still as loaded (its ``rev``; a
    new row only if there is none): when another worker wrote it meanwhile, nothing is written
    and ``ConflictError`` is raised, and the service runs the update again from the new state.
    That key's next transaction then takes the row lock: ``SELECT ... FOR UPDATE`` from the load
    to the commit (a missing row is created as an uncommitted placeholder, ``INSERT ... ON
    CONFLICT DO NOTHING``, never committed as such), so a retry cannot be refused again; it holds
    a pooled connection for its block, so keep slow I/O (sending to Telegram) out of the block,
    as "save before send" does.

    Where this process alone serves the bot (``serve_alone``: polling, or the one webhook worker
    of ``WORKERS=1``), the last ``KEPT_CONVERSATIONS`` conversations saved are kept as saved,
    for ``KEPT_SECONDS``, and their next update starts from that copy with no query: one round
    trip an update. The save's rev check still refuses the copy if another process wrote the row
    meanwhile (a ``halo db`` command, a second worker during a deploy), and the update runs again
    from the row; an update that saves nothing answers from the copy, which is why it is kept
    only minutes.

    Snapshots are stored deflated (``snapshot``, bytes; rows saved before schema 8 keep their JSON
    text in ``snapshot_json`` until their next save), with the answered lines of the record
    after the JSON in the same bytes (schema 11; rows saved before keep them in ``lines`` until
    their next save): a row in flight stays near the size of a decided one. No index covers a
    column a save changes, and the table's pages keep a fifth free, so a save is a heap-only
    (HOT) update: no index entry to add, no dead index entry to vacuum. ``purge_idle`` walks the
    table by pages instead of an index on idle time, in short transactions that wait for no
    disk, pausing after each four times as long as it took: the first change of a page after a
    checkpoint writes the whole page to the log, and every save's commit waits for the log up to
    its own record to reach the disk.

    ``set_shown`` (the message now showing a step) is kept in memory and read back at once; the
    conversation's next save in this store carries it, or else one statement writes it with
    every other note of that moment (``set_shown`` returns once it is written; once
    ``write_behind``, when polling, it returns at once and the write follows within
    ``BEHIND_SECONDS``, with the journal's ``handled`` marks). ``note_last`` (the chat's last
    message) rides along the same way, without being waited for: with the conversation's save or
    note of the message shown, else with the notes of a moment later (``BEHIND_SECONDS`` when
    polling, ``LAST_SECONDS`` otherwise).

Credentials of the URL never appear in errors or logs: they name the host, port and database.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import asyncpg

from flows.deal.model import Deal
from flows.snapshot import Snapshot

from .base import (
    DECISION_COLUMNS,
    ConflictError,
    ConversationKey,
    Record,
    StoredDecision,
    StoreError,
    Transaction,
    error_retrieved,
    new_rev,
    pack,
    parse_snapshot,
    stored_record,
    unpack,
)
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
from .postgres_errors import explain

log = logging.getLogger("halo.store")

T = TypeVar("T")

DEFAULT_POOL_SIZE = 10
CONNECT_TIMEOUT = 10.0  # seconds to open one connection
ACQUIRE_TIMEOUT = 30.0  # seconds to wait for a free pooled connection
CLOSE_TIMEOUT = 10.0  # seconds close() waits for connections in use before cutting them

# First key of the two-key advisory lock taken while migrating (the second is a hash of the
# schema name, so test runs in different schemas do not wait for each other). "Halo" in ASCII.
MIGRATION_LOCK_CLASS = 0x48616C6F

# Versioned schema steps, applied in order at open; never edit a released step, append a new one.
# The versions match sqlite.py's: version N is the same logical schema on both backends.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """
            CREATE TABLE conversations (
                chat_id       BIGINT      NOT NULL,
                user_id       BIGINT      NOT NULL,
                thread_id     BIGINT      NOT NULL,
                review_id     TEXT        NOT NULL,
                flow          TEXT        NOT NULL,
                snapshot_json TEXT        NOT NULL,
                updated_at    TIMESTAMPTZ NOT NULL,
                rev           BIGINT      NOT NULL,
                PRIMARY KEY (chat_id, user_id, thread_id, review_id)
            )
            """,
            "CREATE INDEX conversations_user ON conversations (user_id)",
            """
            CREATE TABLE decisions (
                id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id      BIGINT      NOT NULL,
                flow         TEXT        NOT NULL,
                title        TEXT        NOT NULL,
                verdict      TEXT        NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                payload_json TEXT        NOT NULL
            )
            """,
            "CREATE INDEX decisions_user_id ON decisions (user_id, id DESC)",
            """
            CREATE TABLE quarantine (
                id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                chat_id        BIGINT      NOT NULL,
                user_id        BIGINT      NOT NULL,
                thread_id      BIGINT      NOT NULL,
                review_id      TEXT        NOT NULL,
                flow           TEXT        NOT NULL,
                snapshot_json  TEXT        NOT NULL,
                updated_at     TIMESTAMPTZ NOT NULL,
                reason         TEXT        NOT NULL,
                quarantined_at TIMESTAMPTZ NOT NULL
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
                update_id    BIGINT      PRIMARY KEY,
                payload_json TEXT        NOT NULL,
                received_at  TIMESTAMPTZ NOT NULL
            )
            """,
        ),
    ),
    (
        3,
        (
            """
            CREATE TABLE handoffs (
                code         TEXT        PRIMARY KEY,
                payload_json TEXT        NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                expires_at   TIMESTAMPTZ NOT NULL,
                claimed_by   BIGINT
            )
            """,
            "CREATE INDEX conversations_updated ON conversations (updated_at)",
        ),
    ),
    (
        4,
        (
            # SQLite's step 4, caught up (rows here are never deflated): the version and the
            # message showing the step in columns of their own
            "ALTER TABLE conversations ADD COLUMN version BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE conversations ADD COLUMN shown_in BIGINT",
            "UPDATE conversations SET"
            " version = COALESCE((snapshot_json::jsonb ->> 'version')::bigint, 0),"
            " shown_in = (snapshot_json::jsonb ->> 'shown_in')::bigint"
            " WHERE snapshot_json <> ''",
        ),
    ),
    (
        5,
        (
            # the transports' bookkeeping leaves the snapshot for columns of its own
            "ALTER TABLE conversations ADD COLUMN applied TEXT",
            "ALTER TABLE conversations ADD COLUMN recorded TEXT",
            "UPDATE conversations SET"
            " applied = COALESCE((SELECT string_agg(value, ',') FROM"
            " jsonb_array_elements_text(snapshot_json::jsonb -> 'applied')), ''),"
            " recorded = snapshot_json::jsonb ->> 'recorded'"
            " WHERE snapshot_json <> ''",
        ),
    ),
    (
        6,
        (
            # who made a hand-off: opening their own link claims nothing, /forget removes it
            "ALTER TABLE handoffs ADD COLUMN made_by BIGINT",
        ),
    ),
    (
        7,
        (
            # deals after a decision, and their reminders: one row each, sent once (deals.py)
            """
            CREATE TABLE deals (
                id         TEXT        PRIMARY KEY,
                chat_id    BIGINT      NOT NULL,
                user_id    BIGINT      NOT NULL,
                stage      TEXT        NOT NULL,
                json       TEXT        NOT NULL,
                tz         TEXT        NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX deals_user ON deals (user_id, updated_at DESC)",
            """
            CREATE TABLE reminders (
                key           TEXT        PRIMARY KEY,
                deal_id       TEXT        NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
                user_id       BIGINT      NOT NULL,
                kind          TEXT        NOT NULL,
                due           TIMESTAMPTZ NOT NULL,
                claimed_until TIMESTAMPTZ,
                attempts      INTEGER     NOT NULL DEFAULT 0,
                sent_at       TIMESTAMPTZ
            )
            """,
            "CREATE INDEX reminders_due ON reminders (due) WHERE sent_at IS NULL",
            "CREATE INDEX reminders_deal ON reminders (deal_id)",
            "CREATE TABLE blocked_users (user_id BIGINT PRIMARY KEY, since TIMESTAMPTZ NOT NULL)",
        ),
    ),
    (
        8,
        (
            # issue 16, no step touches a row: every save changed updated_at, so with it indexed
            # no update could stay on its page (HOT); a purge walks the table by pages instead
            "DROP INDEX conversations_updated",
            # snapshots kept deflated, as SQLite keeps long ones; rows written before keep their
            # text until their next save
            "ALTER TABLE conversations ADD COLUMN snapshot BYTEA",
            "ALTER TABLE conversations ALTER COLUMN snapshot_json DROP NOT NULL",
            # room on each page for a row's next version (pages written from now on)
            "ALTER TABLE conversations SET (fillfactor = 80)",
        ),
    ),
    (
        9,  # issue 18, after issue 16's 8
        (
            # a deal's revision: a write that read an older one is refused (deals.py)
            "ALTER TABLE deals ADD COLUMN rev BIGINT NOT NULL DEFAULT 0",
            # when a reminder may be claimed next (its due time, then the end of a claim or a
            # deferral): the one key a claim reads, so held and claimed rows are never scanned
            "ALTER TABLE reminders ADD COLUMN ready_at TIMESTAMPTZ",
            "UPDATE reminders SET ready_at = GREATEST(due, COALESCE(claimed_until, due))",
            "DROP INDEX reminders_due",
            "CREATE INDEX reminders_ready ON reminders (ready_at) WHERE sent_at IS NULL",
        ),
    ),
    (
        10,
        (
            # issue 15, no row touched: the chat's last message as the bot saw it, and where
            # each answered question's line shows, so that a bot started again still knows
            "ALTER TABLE conversations ADD COLUMN last_message_id BIGINT",
            "ALTER TABLE conversations ADD COLUMN lines TEXT",
        ),
    ),
    (
        11,
        (
            # issue 16, no row touched: a row's answered lines are saved in its deflated
            # snapshot (``LINES_APART``), and they and ``applied`` hold each number after the
            # first as its difference from the one before (``Record.lines_text``,
            # ``Record.applied_text``); ``lines`` is read from rows saved before, until their next
            # save. Code older than this step would misread those rows, so it must refuse the
            # database.
            # (Fill factors of 85 and 90 were measured: no fewer bytes after VACUUM, fewer HOT
            # updates; the table keeps 80.)
        ),
    ),
)
LATEST_VERSION = MIGRATIONS[-1][0]

_WHERE_KEY = "chat_id = $1 AND user_id = $2 AND thread_id = $3 AND review_id = $4"
_STORED = "snapshot, snapshot_json"  # one of the two is set: deflated bytes, or JSON text
_SELECT_ROW = f"SELECT {_STORED} FROM conversations WHERE {_WHERE_KEY}"
_LOAD_ROW = (
    f"SELECT {_STORED}, rev, shown_in, applied, recorded, last_message_id, lines"
    f" FROM conversations WHERE {_WHERE_KEY}"
)
_LOCK_ROW = _LOAD_ROW + " FOR UPDATE"
# The placeholder is never committed (see the module docstring): its values are never read.
_INSERT_PLACEHOLDER = (
    "INSERT INTO conversations"
    " (chat_id, user_id, thread_id, review_id, flow, snapshot_json, updated_at, rev)"
    " VALUES ($1, $2, $3, $4, '', '', now(), 0)"
    " ON CONFLICT DO NOTHING RETURNING true"
)
# A save is one statement and its own commit: the row written only if it is still as loaded
# (its rev; a new row only if there is none), the decisions kept only with it. The chat's last
# message is never lowered: another worker's note may have raised it since the load.
_SET_ROW = (
    "flow = $5, snapshot = $6, snapshot_json = $7, updated_at = now(), rev = $8, version = $9,"
    " shown_in = $10, applied = $11, recorded = $12,"
    " last_message_id = GREATEST(last_message_id, $13), lines = $14"
)
_UPDATE = f"UPDATE conversations SET {_SET_ROW} WHERE {_WHERE_KEY} AND rev = $15"
_INSERT = (
    "INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow, snapshot,"
    " snapshot_json, updated_at, rev, version, shown_in, applied, recorded, last_message_id,"
    " lines) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10, $11, $12, $13, $14)"
    " ON CONFLICT DO NOTHING"
)
# With decisions to keep: the row's write and theirs in one statement (one commit).
_SAVE_WITH_DECISIONS = (
    "WITH saved AS ({write} RETURNING 1), kept AS (INSERT INTO decisions"
    " (user_id, flow, title, verdict, created_at, payload_json)"
    " SELECT u, f, t, v, now(), p FROM unnest(${0}::bigint[], ${1}::text[], ${2}::text[],"
    " ${3}::text[], ${4}::text[]) WITH ORDINALITY AS d(u, f, t, v, p, n)"
    " WHERE EXISTS (SELECT FROM saved) ORDER BY n RETURNING id)"
    " SELECT (SELECT count(*) FROM saved) AS saved, ARRAY(SELECT id FROM kept ORDER BY id) AS ids"
)
_KEEP_DECISIONS = (
    "INSERT INTO decisions (user_id, flow, title, verdict, created_at, payload_json)"
    " SELECT u, f, t, v, now(), p FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],"
    " $5::text[]) WITH ORDINALITY AS d(u, f, t, v, p, n) ORDER BY n RETURNING id"
)
_DELETE = f"DELETE FROM conversations WHERE {_WHERE_KEY}"
# A purge's step, in a transaction of its own: its commit waits for no disk (a crash loses at
# most the last few deletes, which the next purge makes again), and the pages it writes out are
# handed to the disk as it goes, not left for the kernel to write in one burst later.
_PURGE_BEGIN = (
    "BEGIN; SET LOCAL synchronous_commit = off; SET LOCAL backend_flush_after = '256kB'"
)
# ... the idle rows of a range of pages (a TID range scan reads those pages alone).
_PURGE = (
    "DELETE FROM conversations WHERE ctid >= format('(%s,0)', $1::bigint)::tid"
    " AND ctid < format('(%s,0)', $2::bigint)::tid AND updated_at < $3"
)
_QUARANTINE = (
    "INSERT INTO quarantine (chat_id, user_id, thread_id, review_id, flow, snapshot_json,"
    " updated_at, reason, quarantined_at)"
    " SELECT chat_id, user_id, thread_id, review_id, flow,"
    " COALESCE(snapshot_json, 'deflated:' || encode(snapshot, 'base64')), updated_at, $5, now()"
    f" FROM conversations WHERE {_WHERE_KEY} AND rev = $6"
)
# What deliveries noted (the message showing a step, if the conversation is still at that
# version; the chat's last message, if later than the one stored: either may be NULL) and
# updates handled, written in one statement. The rev stays: a note never makes a save of the
# conversation conflict.
_WRITE_NOTES = """
    WITH shown AS (
        UPDATE conversations AS c
        SET shown_in = CASE WHEN c.version = n.version THEN n.shown ELSE c.shown_in END,
            last_message_id = GREATEST(c.last_message_id, n.last)
        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[],
                    $6::bigint[], $7::bigint[]) AS n(chat, usr, thread, review, version, shown,
                                                     last)
        WHERE c.chat_id = n.chat AND c.user_id = n.usr AND c.thread_id = n.thread
          AND c.review_id = n.review
          AND (c.version = n.version OR n.last > COALESCE(c.last_message_id, 0))
        RETURNING 1),
    done AS (DELETE FROM inbox WHERE update_id = ANY($8::bigint[]) RETURNING 1)
    SELECT (SELECT count(*) FROM shown) + (SELECT count(*) FROM done)
"""
# /forget in two statements of one transaction. The first waits for the row locks of open
# transactions on the user's conversations; the second starts after they commit, so it also sees
# the decisions they recorded. (In one statement, its snapshot predates those commits: a decision
# committed by a transaction that forget waited for would survive the forget.)
_FORGET_CONVERSATIONS = "DELETE FROM conversations WHERE user_id = $1"
# A deal's reminders go with it (ON DELETE CASCADE).
_FORGET_THE_REST = """
    WITH d AS (DELETE FROM decisions WHERE user_id = $1 RETURNING 1),
         q AS (DELETE FROM quarantine WHERE user_id = $1 RETURNING 1),
         a AS (DELETE FROM deals WHERE user_id = $1 RETURNING 1),
         b AS (DELETE FROM blocked_users WHERE user_id = $1 RETURNING 1),
         h AS (DELETE FROM handoffs WHERE made_by = $1 OR claimed_by = $1 RETURNING 1)
    SELECT (SELECT count(*) FROM d) + (SELECT count(*) FROM q) + (SELECT count(*) FROM a)
        + (SELECT count(*) FROM b) + (SELECT count(*) FROM h)
"""
# One statement: the rows are locked as they are chosen, and rows another worker holds locked
# (claiming them now) are passed over rather than waited for.
_CLAIM = f"""
    WITH c AS (
        SELECT key FROM reminders
        WHERE ready_at <= $1 AND sent_at IS NULL
          AND user_id NOT IN (SELECT user_id FROM blocked_users)
        ORDER BY ready_at LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE reminders AS r SET claimed_until = $3, ready_at = $3, attempts = r.attempts + 1
    FROM c, deals AS d WHERE r.key = c.key AND d.id = r.deal_id
    RETURNING r.key, r.due, r.attempts, {CLAIMED_DEAL_COLUMNS}
"""

# How often loading a key may find the row gone, or quarantine it, before giving up; each round
# needs another worker to delete or corrupt the row in between, so more than two means trouble.
_LOAD_ATTEMPTS = 5
PURGE_PAGES = 64  # table pages a purge looks through a statement (about 500 rows)
PURGE_PAUSE = 0.002  # seconds a purge waits between its statements, at least
PURGE_SHARE = 4  # ... and this many times as long as the statement took (``_purge_pause``)
CONTENDED_KEPT = 1024  # keys that lately met another worker's save: they take the row lock
# Every snapshot deflated (SQLite keeps those up to PACK_OVER bytes as text): a row that stays
# small all through a review leaves its page room for its next version (bench/README.md)
PACK_OVER_POSTGRES = 0
# Schema 11: a row's answered lines (``Record.lines_text``) are stored in its snapshot's deflated
# bytes, after this character (never in JSON text, so never in a snapshot): their question ids,
# which the snapshot's answers name already, then cost a few bytes each instead of a column's
# dozen. A row in flight carries up to 23 lines; they were the largest part of its growth.
LINES_APART = "\x1e"
KEPT_CONVERSATIONS = 4096  # conversations a lone worker's store keeps as saved (``_kept``)
# ... for this long after their save at most: an update that saves nothing (a press on an old
# button, a redelivered update) answers from the copy without the rev check, so a copy must not
# outlive what another process may do to the row meanwhile (``halo db purge``, a worker overlapping
# during a deploy); a review's next answer comes well within it
KEPT_SECONDS = 300.0
BEHIND_SECONDS = 0.02  # the longest a written-behind note waits for others to join its write
BEHIND_RETRY_SECONDS = 1.0  # after a failed write of the notes
# Without a journal (several webhook workers), the longest a chat's last message waits for a save
# or a note of its conversation to carry it (the sends of one update end in one) before it is
# written with every other such: a statement a second at most, never one per update.
LAST_SECONDS = 1.0

_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_OWN_OPTIONS = ("schema", "pool_size")
_USAGE = "use postgresql://user:password@host:port/database?schema=name"


@dataclass(frozen=True, slots=True)
class PostgresURL:
    """A storage URL taken apart: what goes to the driver, and this module's own options."""

    dsn: str  # for asyncpg, with this module's options removed; holds the credentials
    schema: str | None
    pool_size: int
    where: str  # host:port/database, safe to show (no user name, no password)

    def __repr__(self) -> str:  # the dataclass default would print the DSN and its password
        return f"PostgresURL({self.where!r}, schema={self.schema!r}, pool_size={self.pool_size})"


def parse_postgres_url(url: str) -> PostgresURL:
    """Split ``url``; ValueError (never quoting the URL, which may hold a password) if invalid."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise ValueError(f"malformed PostgreSQL URL; {_USAGE}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL; {_USAGE}")
    if "@" in parts.path or "@" in parts.query or "@" in parts.fragment:
        # A password with an unencoded '/', '?' or '#' moves the rest of it out of the netloc.
        raise ValueError(
            "malformed PostgreSQL URL (percent-encode special characters of the password);"
            f" {_USAGE}"
        )
    if parts.fragment:
        raise ValueError(f"a PostgreSQL URL takes no #fragment; {_USAGE}")
    schema: str | None = None
    pool_size = DEFAULT_POOL_SIZE
    rest: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name == "schema":
            if not _SCHEMA_NAME.fullmatch(value):
                raise ValueError(
                    "the schema option must be letters, digits and '_' (at most 63, not starting"
                    " with a digit)"
                )
            schema = value
        elif name == "pool_size":
            if not value.isdigit() or not 1 <= int(value) <= 1000:
                raise ValueError("the pool_size option must be a whole number from 1 to 1000")
            pool_size = int(value)
        else:
            rest.append((name, value))
    hostinfo = parts.netloc.rpartition("@")[2] or "localhost"
    database = parts.path.lstrip("/") or "(default database)"
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(rest, quote_via=quote), ""))
    return PostgresURL(dsn=dsn, schema=schema, pool_size=pool_size, where=f"{hostinfo}/{database}")


def run_blocking(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine made by ``factory`` to completion on a new thread with its own loop.

    For synchronous callers, with or without an event loop running in their own thread.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(asyncio.run(factory()))
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=target, name="halo-store-blocking", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _server_settings(schema: str | None) -> dict[str, str] | None:
    return None if schema is None else {"search_path": _quote_ident(schema)}




def _decision(row: Any) -> StoredDecision:
    created_at: datetime = row["created_at"]
    return StoredDecision(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        flow=str(row["flow"]),
        title=str(row["title"]),
        verdict=str(row["verdict"]),
        created_at=created_at.astimezone(UTC),
        payload=json.loads(row["payload_json"]),
    )


def _stored_deal(row: Any) -> StoredDeal:
    return StoredDeal(chat_id=int(row["chat_id"]), user_id=int(row["user_id"]),
                      deal=Deal.model_validate_json(row["json"]), tz=str(row["tz"]),
                      rev=int(row["rev"]))


def _connect_error(where: str, error: BaseException) -> StoreError:
    """A connection failure, described without the driver's text (it may name the user)."""
    return StoreError(f"cannot connect to PostgreSQL at {where}: {explain(error)}")


async def _migrate(conn: Any, schema: str | None) -> int:
    """Create ``schema`` if named and missing, and bring it to ``LATEST_VERSION``; returns that.

    Safe when several workers start at once: the advisory lock serialises them, so the second
    finds the steps applied. PostgreSQL DDL is transactional: a failed step leaves nothing.
    """
    async with conn.transaction():
        await conn.execute(
            "SELECT pg_advisory_xact_lock($1, hashtext(coalesce($2::text, current_schema(), '')))",
            MIGRATION_LOCK_CLASS,
            schema,
        )
        if schema is not None:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_quote_ident(schema)}")
            current_schema = await conn.fetchval("SELECT current_schema()")
            if current_schema != schema:
                raise StoreError(f"schema {schema!r} is not usable (search_path: {current_schema})")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version"
            " (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)"
        )
        current = int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        if current > LATEST_VERSION:
            raise StoreError(
                f"the database has schema version {current}, newer than this code knows"
                f" ({LATEST_VERSION}); upgrade the bot"
            )
        for version, steps in MIGRATIONS:
            if version <= current:
                continue
            for sql in steps:
                await conn.execute(sql)
            await conn.execute("INSERT INTO schema_version VALUES ($1, now())", version)
            log.info("applied storage migration %d", version)
    return LATEST_VERSION


def _parse_row(row: Any) -> tuple[Snapshot | None, str, str, str | None]:
    """The stored snapshot (deflated bytes, or JSON text) of ``row``, or why not; its JSON; and
    the answered lines stored with it (schema 11: inside it; before, in ``lines``)."""
    stored = row["snapshot"]
    try:
        text = unpack(row["snapshot_json"] if stored is None else bytes(stored))
    except (ValueError, TypeError, zlib.error) as error:  # TypeError: neither column set
        return None, type(error).__name__, "", None
    text, apart, lines = text.partition(LINES_APART)
    snapshot, reason = parse_snapshot(text)
    return snapshot, reason, text, lines if apart else row.get("lines")


def _with_lines(text: str, lines: str | None) -> str:
    """A snapshot's JSON as stored, with its answered lines (``Record.lines_text``) after it."""
    return text if lines is None else f"{text}{LINES_APART}{lines}"


async def _quarantine(conn: Any, key: ConversationKey, rev: int, reason: str) -> None:
    """Move an unreadable row aside (if still at ``rev``), in the caller's transaction."""
    if await conn.execute(_QUARANTINE, *key.params, reason, rev) != "INSERT 0 0":
        await conn.execute(_DELETE, *key.params)
        log.warning("unreadable snapshot for %r moved to quarantine (%s)", key, reason)


def _last_written(future: asyncio.Future[None]) -> None:
    """A write of last messages alone: a failure is said (the notes wait for the next write)."""
    if not future.cancelled() and future.exception() is not None:
        log.warning("last messages not noted yet (%s)",
                    type(future.exception()).__name__)


class _PostgresTransaction:
    """The usual transaction: the row loaded by one statement that takes no lock, and what the
    body staged saved by one more, its own commit, if the row is still as loaded (else
    ``ConflictError``, and the retry takes the row lock). So no lock is held and no database
    transaction is open while the body runs. A class: one is entered per update."""

    __slots__ = ("_key", "_rev", "_store", "_tx")

    def __init__(self, store: PostgresStore, key: ConversationKey) -> None:
        self._store = store
        self._key = key

    async def __aenter__(self) -> Transaction:
        snapshot, record, self._rev = await self._store._load_for_update(self._key)
        self._tx = Transaction(self._key, snapshot, record)
        return self._tx

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        if exc_type is None and self._tx.has_changes:  # (closed by ``Store.transaction``)
            await self._store._save(self._tx, self._rev)


def _purge_pause(took: float) -> float:
    """Seconds a purge waits after a statement that took ``took``. Its deletes write each page
    they change whole into the log (the first change of a page after a checkpoint: about 440 MB
    at a million rows, a tenth idle), and a save's commit waits until the log up to its own
    record is on disk: paced, the purge writes a fifth as fast and the disk's queue stays short
    (bench/README.md)."""
    return max(PURGE_PAUSE, took * PURGE_SHARE)


async def _rollback_or_cut(conn: Any) -> None:
    """After a failure inside a transaction: roll it back, or cut an unusable connection."""
    try:
        await _rollback(conn)
    except Exception:
        conn.terminate()  # e.g. cancelled mid-query: the server rolls back on disconnect


async def _rollback(conn: Any) -> None:
    """End the connection's transaction, if any, writing nothing."""
    if not conn.is_closed() and conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def _no_reset(conn: Any) -> None:
    """Released connections skip asyncpg's reset query (a round trip per transaction).

    Nothing here changes session state (no SET, LISTEN, cursors or session advisory locks), and
    asyncpg still rolls back a transaction left open before the connection is reused.
    """


class PostgresStore(Store):
    """A ``Store`` in a PostgreSQL database, shared safely by several processes."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        acquire_timeout: float = ACQUIRE_TIMEOUT,
    ) -> None:
        super().__init__()
        self._url = parse_postgres_url(url)
        self.where = self._url.where
        self.schema = self._url.schema
        self.pool_size = self._url.pool_size
        self._connect_timeout = connect_timeout
        self._acquire_timeout = acquire_timeout
        self._pool: Any = None
        self._pool_loop: asyncio.AbstractEventLoop | None = None
        self._starting: asyncio.Lock | None = None
        self._closed = False
        # keys whose last save met another worker's: their next transaction takes the row lock
        self._contended: dict[ConversationKey, None] = {}
        # notes written behind or in groups (see ``set_shown``, ``note_last``): key -> (version,
        # message id), update ids, key -> the chat's last message; those of the write under
        # way; the future of the next write; and the timer of a write of last messages alone
        self._behind = False
        self._shown: dict[ConversationKey, tuple[int, int]] = {}
        self._handled: list[int] = []
        self._last: dict[ConversationKey, int] = {}
        self._writing: dict[ConversationKey, tuple[int, int]] = {}
        self._writing_last: dict[ConversationKey, int] = {}
        self._next_write: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._last_timer: asyncio.TimerHandle | None = None
        # Once ``serve_alone`` (polling, or a lone webhook worker), the conversations lately
        # saved, as saved: key -> (rev, version, JSON, record). A transaction starts from its
        # key's entry without a query; its save's rev check still refuses it if anyone else
        # wrote the row meanwhile (the retry then loads it).
        self._alone = False
        self._kept: OrderedDict[ConversationKey, tuple[int, int, str, Record, float]] = \
            OrderedDict()
        self.schema_version = run_blocking(self._bootstrap)
        log.debug(
            "opened PostgreSQL store at %s (schema %s, version %d)",
            self.where,
            self.schema or "default",
            self.schema_version,
        )

    def __repr__(self) -> str:
        return f"PostgresStore({self.where!r}, schema={self.schema!r})"

    async def _connect(self) -> Any:
        try:
            return await asyncpg.connect(
                self._url.dsn,
                timeout=self._connect_timeout,
                server_settings=_server_settings(self.schema),
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise _connect_error(self.where, error) from None
        except ValueError as error:  # a malformed DSN; asyncpg's text may quote it
            detail = type(error).__name__
            raise StoreError(f"invalid PostgreSQL URL for {self.where}: {detail}") from None

    async def _bootstrap(self) -> int:
        conn = await self._connect()
        try:
            return await _migrate(conn, self.schema)
        finally:
            await conn.close()

    # The pool.

    async def start(self) -> None:
        """Create the connection pool now (it is otherwise created on first use)."""
        await self._get_pool()

    async def _get_pool(self) -> Any:
        if self._closed:
            raise StoreError("the store is closed")
        loop = asyncio.get_running_loop()
        if self._pool is None:
            if self._starting is None:
                self._starting = asyncio.Lock()
            async with self._starting:
                if self._pool is None:
                    self._pool = await self._create_pool()
                    self._pool_loop = loop
            if self._closed:  # closed while the pool was being created
                await self.close()
                raise StoreError("the store is closed")
        if self._pool_loop is not loop:
            raise StoreError("a PostgresStore is used from one event loop: the one that started it")
        return self._pool

    async def _create_pool(self) -> Any:
        try:
            return await asyncpg.create_pool(
                self._url.dsn,
                min_size=1,
                max_size=self.pool_size,
                timeout=self._connect_timeout,
                server_settings=_server_settings(self.schema),
                reset=_no_reset,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise _connect_error(self.where, error) from None

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        pool = await self._get_pool()
        try:
            conn = await pool.acquire(timeout=self._acquire_timeout)
        except TimeoutError:
            raise StoreError(
                f"no database connection free within {self._acquire_timeout:g} s"
                f" (pool_size={self.pool_size})"
            ) from None
        try:
            yield conn
        finally:
            await pool.release(conn)

    async def _run(self, method: str, sql: str, *args: Any) -> Any:
        async with self._connection() as conn:
            call: Callable[..., Awaitable[Any]] = getattr(conn, method)
            return await call(sql, *args)

    # Transactions.

    def _locked_transaction(self, key: ConversationKey) -> AbstractAsyncContextManager[Transaction]:
        if key in self._contended:
            del self._contended[key]
            return self._row_locked_transaction(key)
        return _PostgresTransaction(self, key)

    async def _load_for_update(self, key: ConversationKey
                               ) -> tuple[Snapshot | None, Record, int | None]:
        """The snapshot, its record and its rev (None: no row), as this store kept them or in one
        statement that takes no lock; an unreadable row is moved to quarantine."""
        kept = self._kept.pop(key, None)
        if kept is not None and time.monotonic() - kept[4] < KEPT_SECONDS:
            self._kept[key] = kept  # (the most recently used, last)
            rev, _, text, record, _ = kept
            snapshot, _ = parse_snapshot(text)
            if snapshot is not None:
                return snapshot, replace(record), rev
        params = key.params
        for _ in range(_LOAD_ATTEMPTS):
            row = await self._run("fetchrow", _LOAD_ROW, *params)
            if row is None:
                return None, Record(), None
            snapshot, reason, text, lines = _parse_row(row)
            if snapshot is not None:
                record = stored_record(row["shown_in"], row["applied"], row["recorded"], text,
                                       row["last_message_id"], lines)
                return snapshot, self._noted(key, snapshot, record), int(row["rev"])
            async with self._connection() as conn, conn.transaction():
                await _quarantine(conn, key, int(row["rev"]), reason)
        raise ConflictError(f"conversation {key!r} keeps being replaced while loading; retry")

    async def _save(self, tx: Transaction, loaded_rev: int | None) -> None:
        """What ``tx`` staged, in one statement (its own commit); ``ConflictError`` when another
        worker wrote the row since it was loaded (that key takes the row lock next time)."""
        async with self._connection() as conn:
            written = await self._write(conn, tx, loaded_rev)
        if not written:
            self._kept.pop(tx.key, None)
            self._contended[tx.key] = None
            if len(self._contended) > CONTENDED_KEPT:
                del self._contended[next(iter(self._contended))]
            raise ConflictError(f"conversation {tx.key!r} was changed by another worker; retry")

    async def _write(self, conn: Any, tx: Transaction, loaded_rev: int | None) -> bool:
        """Write what ``tx`` staged if the row is still at ``loaded_rev`` (None: absent); whether
        it was. The decisions are kept only with the row, their ids in ``tx.recorded_ids``."""
        decisions = tx.staged_decisions
        columns = [[d.user_id for d in decisions], [d.flow for d in decisions],
                   [d.title for d in decisions], [d.verdict for d in decisions],
                   [d.payload_json for d in decisions]] if decisions else []
        text = tx.staged_snapshot_json
        if text is None:  # decisions alone
            tx.recorded_ids = [int(row["id"]) for row in await conn.fetch(_KEEP_DECISIONS,
                                                                           *columns)]
            return True
        # the answered lines ride in the deflated snapshot (schema 11), the column left NULL
        stored = pack(_with_lines(text, tx.staged_record.lines_text()), PACK_OVER_POSTGRES)
        # the chat's last message as noted by now (maybe since the load): the save carries it
        record = replace(tx.staged_record,
                         last_message_id=tx.staged_record.seen(self._last.get(tx.key)))
        rev = new_rev()
        row = (*tx.key.params, tx.staged_flow, stored if isinstance(stored, bytes) else None,
               stored if isinstance(stored, str) else None, rev, tx.staged_version,
               record.shown_in, record.applied_text(), record.recorded, record.last_message_id,
               None)
        write, args = (_INSERT, row) if loaded_rev is None else (_UPDATE, (*row, loaded_rev))
        if decisions:
            numbers = range(len(args) + 1, len(args) + 6)
            result = await conn.fetchrow(_SAVE_WITH_DECISIONS.format(*numbers, write=write),
                                         *args, *columns)
            written = bool(result["saved"] == 1)
            tx.recorded_ids = [int(i) for i in result["ids"]]
        else:
            status: str = await conn.execute(write, *args)
            written = status.endswith(" 1")
        if written:
            self._shown.pop(tx.key, None)  # the save carried the note of the message showing it
            if self._last.get(tx.key, 0) <= (record.last_message_id or 0):
                self._last.pop(tx.key, None)  # and the one of the last message
            if self._alone:
                self._kept[tx.key] = (rev, tx.staged_version, text, replace(record),
                                      time.monotonic())
                self._kept.move_to_end(tx.key)
                if len(self._kept) > KEPT_CONVERSATIONS:
                    self._kept.popitem(last=False)
        return written

    @asynccontextmanager
    async def _row_locked_transaction(self, key: ConversationKey) -> AsyncIterator[Transaction]:
        """The transaction of a key another worker wrote meanwhile: its row locked from the load
        to the save, so this attempt cannot meet another save."""
        async with self._connection() as conn:
            try:
                snapshot, record, rev = await self._lock_key(conn, key)
                tx = Transaction(key, snapshot, record)
                yield tx  # an exception in the body propagates from here and nothing is written
                if tx.has_changes:  # (closed by ``Store.transaction``)
                    if tx.staged_snapshot_json is None and rev == 0:
                        await conn.execute(_DELETE, *key.params)  # the placeholder goes
                    if not await self._write(conn, tx, rev):  # never, holding the row
                        raise ConflictError(f"conversation {key!r} changed while locked; retry")
                    await conn.execute("COMMIT")
                else:
                    await conn.execute("ROLLBACK")  # releases the lock (and drops a placeholder)
            except BaseException:
                try:
                    await _rollback(conn)
                except Exception:
                    # Unusable (e.g. cancelled mid-query): the server rolls back on disconnect.
                    conn.terminate()
                raise

    async def _lock_key(self, conn: Any, key: ConversationKey
                        ) -> tuple[Snapshot | None, Record, int]:
        """Begin a transaction holding ``key``'s row; returns the snapshot, its record and its
        rev (0: this transaction's uncommitted placeholder). The caller ends the transaction."""
        params = key.params
        await conn.execute("BEGIN")
        for _ in range(_LOAD_ATTEMPTS):
            row = await conn.fetchrow(_LOCK_ROW, *params)
            if row is None:
                if await conn.fetchval(_INSERT_PLACEHOLDER, *params):
                    return None, Record(), 0
                continue  # another worker committed the row meanwhile: lock that one
            snapshot, reason, text, lines = _parse_row(row)
            if snapshot is not None:
                record = stored_record(row["shown_in"], row["applied"], row["recorded"], text,
                                       row["last_message_id"], lines)
                return snapshot, self._noted(key, snapshot, record), int(row["rev"])
            # Moved aside in its own commit, so it stays moved whatever the body does.
            await _quarantine(conn, key, int(row["rev"]), reason)
            await conn.execute("COMMIT")
            await conn.execute("BEGIN")
        raise ConflictError(f"conversation {key!r} keeps being replaced while loading; retry")

    # Notes: the message showing a step, the updates handled (see ``set_shown``).

    def _noted(self, key: ConversationKey, snapshot: Snapshot, record: Record) -> Record:
        """``record`` as loaded, with the message showing the step if a note of it is not
        written yet."""
        noted = self._shown.get(key) or self._writing.get(key)
        if noted is not None and noted[0] == snapshot.version:
            record.shown_in = noted[1]
        record.last_message_id = record.seen(self._last.get(key) or self._writing_last.get(key))
        return record

    def write_behind(self) -> None:
        """From now on, notes wait up to ``BEHIND_SECONDS`` for others (``set_shown``)."""
        self._behind = True

    def serve_alone(self) -> None:
        """From now on, the conversations lately saved are kept (``KEPT_CONVERSATIONS``), and
        their next update starts without a query."""
        self._alone = True

    async def set_shown(self, key: ConversationKey, version: int, message_id: int) -> None:
        """Noted in memory and read back by this store at once; written by the conversation's
        next save in this store, or with every other note of that moment in one statement: at
        once when nothing is being written (this call returns once it is), or, once
        ``write_behind``, up to ``BEHIND_SECONDS`` later (this call returns at once; a crash
        loses the note, and the journal replays its update)."""
        await self._get_pool()  # refused once closed
        self._shown[key] = (version, message_id)
        kept = self._kept.get(key)
        if kept is not None and kept[1] == version:
            kept[3].shown_in = message_id
        written = self._note()
        if not self._behind:
            await asyncio.shield(written)

    def note_last(self, key: ConversationKey, message_id: int) -> None:
        """Noted in memory and read back by this store at once; written by the conversation's
        next save or note in this store (``set_shown``, usually a moment later in the same
        update), else in one statement with every note of that moment: within ``BEHIND_SECONDS``
        once ``write_behind``, else within ``LAST_SECONDS``. No round trip of its own in an
        update that saves or notes anyway."""
        if self._closed or message_id <= self._last.get(key, 0):
            return
        self._last[key] = message_id
        kept = self._kept.get(key)
        if kept is not None:
            kept[3].last_message_id = kept[3].seen(message_id)
        if self._behind:
            self._note()
        elif self._last_timer is None:
            self._last_timer = asyncio.get_running_loop().call_later(LAST_SECONDS,
                                                                     self._last_due)

    def _last_due(self) -> None:
        """Last messages noted a moment ago and not written since: written now, if any are."""
        self._last_timer = None
        if self._last and not self._closed:
            self._note().add_done_callback(_last_written)

    async def handled(self, update_id: int) -> None:
        if not self._behind:
            await self._run("execute", "DELETE FROM inbox WHERE update_id = $1", update_id)
            return
        await self._get_pool()
        self._handled.append(update_id)
        self._note()

    def _note(self) -> asyncio.Future[None]:
        """The future of the write that will carry the notes kept now (started if need be)."""
        if self._next_write is None:
            self._next_write = asyncio.get_running_loop().create_future()
            self._next_write.add_done_callback(error_retrieved)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_notes())
        return self._next_write

    async def _write_notes(self) -> None:
        """Write the notes kept, each write carrying all those kept while the last one ran."""
        while self._next_write is not None:
            if self._behind:
                await asyncio.sleep(BEHIND_SECONDS)
            if not await self._flush_notes():
                if not self._behind:
                    return  # the callers of set_shown got the error
                log.warning("could not write the notes behind yet; retrying")
                await asyncio.sleep(BEHIND_RETRY_SECONDS)

    async def _flush_notes(self) -> bool:
        """One write of the notes kept now; whether it succeeded (on failure the notes are kept
        for the next, and those waiting for this one get the error)."""
        done, self._next_write = self._next_write, None
        shown, handled, last = self._shown, self._handled, self._last
        self._shown, self._handled, self._writing = {}, [], shown
        self._last, self._writing_last = {}, last
        try:
            if shown or handled or last:
                keys = list({**shown, **last})
                await self._run("fetchval", _WRITE_NOTES, [k.chat_id for k in keys],
                                [k.user_id for k in keys], [k.thread_id for k in keys],
                                [k.review_id for k in keys],
                                [shown[k][0] if k in shown else None for k in keys],
                                [shown[k][1] if k in shown else None for k in keys],
                                [last.get(k) for k in keys], handled)
        except Exception as error:
            self._shown = {**shown, **self._shown}
            self._handled[:0] = handled
            self._last = {k: max(last.get(k, 0), self._last.get(k, 0))
                          for k in {**last, **self._last}}
            if self._next_write is None:
                self._next_write = asyncio.get_running_loop().create_future()
                self._next_write.add_done_callback(error_retrieved)
            if done is not None and not done.done():
                done.set_exception(error)
            return False
        finally:
            self._writing, self._writing_last = {}, {}
        if done is not None and not done.done():
            done.set_result(None)
        return True

    # Reads and admin.

    async def group_keys(self) -> list[ConversationKey]:
        rows = await self._run("fetch", "SELECT chat_id, thread_id, review_id FROM conversations"
                               " WHERE user_id = 0")
        return [ConversationKey.group(row["chat_id"], row["review_id"], row["thread_id"])
                for row in rows]

    async def load(self, key: ConversationKey) -> Snapshot | None:
        row = await self._run("fetchrow", _SELECT_ROW, *key.params)
        if row is None:
            return None
        snapshot, reason, _, _ = _parse_row(row)
        if snapshot is None:
            log.warning("unreadable snapshot for %r left in place (%s)", key, reason)
        return snapshot

    async def history(self, user_id: int, limit: int = 20) -> list[StoredDecision]:
        if limit < 0:
            raise ValueError("limit must not be negative")
        rows = await self._run(
            "fetch",
            f"SELECT {DECISION_COLUMNS} FROM decisions WHERE user_id = $1"
            " ORDER BY id DESC LIMIT $2",
            user_id,
            limit,
        )
        return [_decision(row) for row in rows]

    async def restyle(self, user_id: int, flow: str, style: dict[str, str]) -> None:
        async with self._connection() as conn, conn.transaction():
            row = await conn.fetchrow("SELECT id, payload_json FROM decisions WHERE user_id = $1"
                                      " AND flow = $2 ORDER BY id DESC LIMIT 1 FOR UPDATE",
                                      user_id, flow)
            if row is None:
                return
            payload = {**json.loads(row["payload_json"]), **style}
            await conn.execute("UPDATE decisions SET payload_json = $2 WHERE id = $1", row["id"],
                               json.dumps(payload, ensure_ascii=False))

    async def decision(self, user_id: int, decision_id: int) -> StoredDecision | None:
        row = await self._run(
            "fetchrow",
            f"SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1 AND user_id = $2",
            decision_id,
            user_id,
        )
        return None if row is None else _decision(row)

    async def forget(self, user_id: int) -> int:
        if user_id == 0:
            # 0 is the owner of every group review, not a person.
            raise ValueError("forget() needs a real user id, not 0")
        self._drop_notes_of(user_id)
        async with self._connection() as conn, conn.transaction():
            status: str = await conn.execute(_FORGET_CONVERSATIONS, user_id)
            rest = await conn.fetchval(_FORGET_THE_REST, user_id)
        self._drop_notes_of(user_id)  # and what a save under way put back meanwhile
        return int(status.rsplit(" ", 1)[1]) + int(rest)

    def _drop_notes_of(self, user_id: int) -> None:
        """Nothing of ``user_id``'s stays kept or noted in memory."""
        noted: dict[ConversationKey, Any]
        for noted in (self._kept, self._shown, self._last):
            for key in [key for key in noted if key.user_id == user_id]:
                del noted[key]

    async def journal(self, updates: list[tuple[int, str]]) -> None:
        if not updates:
            return
        await self._run(
            "execute",
            "INSERT INTO inbox (update_id, payload_json, received_at)"
            " SELECT u, p, now() FROM unnest($1::bigint[], $2::text[]) AS t(u, p)"
            " ON CONFLICT (update_id) DO NOTHING",
            [update_id for update_id, _ in updates],
            [payload for _, payload in updates],
        )

    async def unhandled(self) -> list[tuple[int, str]]:
        if self._shown or self._handled or self._last:
            await self._flush_notes()
        done = set(self._handled)  # should that write have failed
        rows = await self._run(
            "fetch", "SELECT update_id, payload_json FROM inbox ORDER BY update_id"
        )
        return [(int(row["update_id"]), str(row["payload_json"])) for row in rows
                if row["update_id"] not in done]

    async def put_handoff(self, code: str, payload: dict[str, Any], expires_at: datetime,
                          made_by: int) -> None:
        await self._run(
            "execute",
            "INSERT INTO handoffs (code, payload_json, created_at, expires_at, made_by)"
            " VALUES ($1, $2, now(), $3, $4)",
            code, json.dumps(payload, ensure_ascii=False), expires_at, made_by)

    async def take_handoff(self, code: str, now: datetime, user_id: int) -> Handoff:
        async with self._connection() as conn, conn.transaction():
            row = await conn.fetchrow("SELECT payload_json, expires_at, claimed_by, made_by"
                                      " FROM handoffs WHERE code = $1 FOR UPDATE", code)
            if row is None:
                return Handoff()
            if row["expires_at"] <= now:
                await conn.execute("DELETE FROM handoffs WHERE code = $1", code)
                return Handoff()
            if row["made_by"] == user_id:
                return Handoff(own=True)
            if row["claimed_by"] not in (None, user_id):
                return Handoff()
            await conn.execute("UPDATE handoffs SET claimed_by = $2 WHERE code = $1", code,
                               user_id)
        payload = json.loads(row["payload_json"])
        return Handoff(payload if isinstance(payload, dict) else None)

    # Deals and reminders.

    async def save_deal(self, chat_id: int, user_id: int, deal: Deal, tz: str,
                        expected: int | None = None) -> int:
        reminders = planned(deal, tz)
        async with self._connection() as conn, conn.transaction():
            if expected is None:
                rev = await conn.fetchval(
                    "INSERT INTO deals (id, chat_id, user_id, stage, json, tz, updated_at, rev)"
                    " VALUES ($1, $2, $3, $4, $5, $6, now(), 1) ON CONFLICT (id) DO UPDATE SET"
                    " stage = excluded.stage, json = excluded.json, tz = excluded.tz,"
                    " updated_at = excluded.updated_at, rev = deals.rev + 1"
                    " WHERE deals.user_id = excluded.user_id RETURNING rev",
                    deal.id, chat_id, user_id, deal.stage, deal.model_dump_json(), tz)
            else:
                # compare-and-set: the row lock makes a concurrent writer wait, then miss
                rev = await conn.fetchval(
                    "UPDATE deals SET stage = $1, json = $2, tz = $3, updated_at = now(),"
                    " rev = rev + 1 WHERE id = $4 AND user_id = $5 AND rev = $6 RETURNING rev",
                    deal.stage, deal.model_dump_json(), tz, deal.id, user_id, expected)
            if rev is None:
                raise ConflictError(f"deal {deal.id} changed since revision {expected}")
            # a reminder still planned keeps its row, and with it a worker's claim on it
            await conn.execute("DELETE FROM reminders WHERE deal_id = $1 AND sent_at IS NULL"
                               " AND key <> ALL($2::text[])", deal.id, [r.key for r in reminders])
            await conn.executemany(
                "INSERT INTO reminders (key, deal_id, user_id, kind, due, ready_at)"
                " VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (key) DO NOTHING",
                [(r.key, deal.id, user_id, r.kind, utc(r.due)) for r in reminders])
        return int(rev)

    async def deal(self, user_id: int, deal_id: str) -> StoredDeal | None:
        row = await self._run("fetchrow", f"SELECT {DEAL_COLUMNS} FROM deals"
                              " WHERE id = $1 AND user_id = $2", deal_id, user_id)
        return None if row is None else _stored_deal(row)

    async def deals_of(self, user_id: int, limit: int | None = 10) -> list[StoredDeal]:
        rows = await self._run(
            "fetch", f"SELECT {DEAL_COLUMNS} FROM deals WHERE user_id = $1"
            " ORDER BY updated_at DESC, id LIMIT $2", user_id, limit)
        return [_stored_deal(row) for row in rows]

    async def open_deals(self, user_id: int, limit: int = 10) -> list[StoredDeal]:
        rows = await self._run(
            "fetch", f"SELECT {DEAL_COLUMNS} FROM deals WHERE user_id = $1"
            " AND stage <> ALL($2::text[]) ORDER BY updated_at DESC, id LIMIT $3",
            user_id, list(DONE_STAGES), limit)
        return [_stored_deal(row) for row in rows]

    async def claim_due(self, now: datetime, limit: int, lease: timedelta
                        ) -> list[ClaimedReminder]:
        until = utc(now + lease)
        rows = await self._run("fetch", _CLAIM, utc(now), limit, until)
        claimed = [ClaimedReminder(key=row["key"], due=row["due"].astimezone(UTC),
                                   attempts=int(row["attempts"]), claimed_until=until,
                                   stored=_stored_deal(row)) for row in rows]
        return sorted(claimed, key=lambda c: c.due)

    async def reminder_sent(self, key: str, now: datetime) -> None:
        await self._run("execute", "UPDATE reminders SET sent_at = $2 WHERE key = $1", key,
                        utc(now))

    async def defer_reminder(self, key: str, until: datetime) -> None:
        await self._run("execute", "UPDATE reminders SET claimed_until = $2, ready_at = $2"
                        " WHERE key = $1"
                        " AND sent_at IS NULL", key, utc(until))

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        async with self._connection() as conn, conn.transaction():
            if blocked:  # their reminders leave the claims' way until they are back
                await conn.execute("INSERT INTO blocked_users VALUES ($1, now())"
                                   " ON CONFLICT (user_id) DO NOTHING", user_id)
                await conn.execute("UPDATE reminders SET ready_at = 'infinity' WHERE user_id = $1"
                                   " AND sent_at IS NULL", user_id)
            elif await conn.fetchval("DELETE FROM blocked_users WHERE user_id = $1"
                                     " RETURNING true", user_id):
                await conn.execute("UPDATE reminders SET ready_at = due WHERE user_id = $1"
                                   " AND sent_at IS NULL", user_id)

    async def purge_idle(self, idle_since: datetime) -> int:
        """A walk through the table, ``PURGE_PAGES`` pages a statement (no index on idle time,
        so no save has one to update), each statement its own short transaction on a pooled
        connection, followed by a pause (``_purge_pause``) so that the bot's saves never queue
        behind the purge's log writes: a row being saved right now is waited for, a moment, and
        stays if that save touched it. The conversations this store keeps are forgotten first (a
        purged one must be loaded again); a worker's own store, when ``halo db purge`` runs in
        another process, keeps none older than ``KEPT_SECONDS``, far less than any retention."""
        self._kept.clear()
        pages = int(await self._run(
            "fetchval", "SELECT pg_relation_size('conversations')"
            " / current_setting('block_size')::bigint"))
        purged = 0
        for start in range(0, pages + 1, PURGE_PAGES):
            began = time.perf_counter()
            async with self._connection() as conn:
                try:
                    await conn.execute(_PURGE_BEGIN)
                    status = await conn.execute(_PURGE, start, start + PURGE_PAGES, idle_since)
                    await conn.execute("COMMIT")
                except BaseException:
                    await _rollback_or_cut(conn)
                    raise
            purged += int(str(status).split()[-1])
            await asyncio.sleep(_purge_pause(time.perf_counter() - began))
        await self._run("execute", "DELETE FROM handoffs WHERE expires_at <= now()")
        return purged

    async def count(self) -> dict[str, int]:
        row = await self._run(
            "fetchrow",
            "SELECT (SELECT count(*) FROM conversations) AS c,"
            " (SELECT count(*) FROM decisions) AS d",
        )
        return {"conversations": int(row["c"]), "decisions": int(row["d"])}

    def transient(self, error: BaseException) -> bool:
        return type(error).__module__.startswith("asyncpg") or super().transient(error)

    async def ping(self) -> None:
        await self._run("fetchval", "SELECT 1")

    async def close(self) -> None:
        if self._last_timer is not None:
            self._last_timer.cancel()
            self._last_timer = None
        if (self._shown or self._handled or self._last) and not self._closed:
            try:
                await self._flush_notes()  # should it fail, the journal replays those updates
            except Exception as error:  # e.g. another loop's pool
                log.warning("notes not written at close (%s)", type(error).__name__)
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self._closed = True
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is None or running is not self._pool_loop:
            pool.terminate()  # cannot wait on another loop's connections: cut them
            return
        try:
            await asyncio.wait_for(pool.close(), CLOSE_TIMEOUT)
        except TimeoutError:
            log.warning("PostgreSQL connections still in use after %g s; cut", CLOSE_TIMEOUT)
            pool.terminate()
