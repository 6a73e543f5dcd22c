"""What every storage backend shares: keys, records, transactions, the per-key locks.

The interfaces by job are in ``interface.py``. The per-key locking and the staging of changes
live here, so every backend serialises a conversation the same way and a transaction's body
cannot tell which backend it runs on.
"""

from __future__ import annotations

import asyncio
import json
import random
import zlib
from collections.abc import Hashable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from types import TracebackType
from typing import Any

from pydantic import BaseModel, Field

from flows.snapshot import SCHEMA_VERSION, Snapshot


class StoreError(Exception):
    """A storage failure the caller can act on (closed store, database from a newer version)."""


class ConflictError(StoreError):
    """The conversation changed after this transaction loaded it, outside the in-process lock.

    Nothing of the transaction was written. Run the transaction again: it will load the new state.
    Raised by the SQLite backend when another process (or another Store on the same file) wrote
    the key, or when ``forget()`` deleted it mid-transaction; one Store alone never sees it.
    """


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Which conversation a snapshot belongs to.

    A private chat is ``(chat_id, user_id)``; a team review in a group is
    ``(chat_id, thread_id, review_id)`` with ``user_id`` 0, so a member's private work is never
    stored under a group key.
    """

    chat_id: int
    user_id: int = 0
    thread_id: int = 0
    review_id: str = ""

    @classmethod
    def private(cls, chat_id: int, user_id: int, thread_id: int = 0) -> ConversationKey:
        if user_id == 0:
            raise ValueError("a private conversation needs the user's id")
        return cls(chat_id=chat_id, user_id=user_id, thread_id=thread_id)

    @classmethod
    def group(cls, chat_id: int, review_id: str, thread_id: int = 0) -> ConversationKey:
        if not review_id:
            raise ValueError("a group review needs a review id")
        return cls(chat_id=chat_id, thread_id=thread_id, review_id=review_id)

    @property
    def params(self) -> tuple[int, int, int, str]:
        """The key's columns, in the order every backend's queries take them."""
        return (self.chat_id, self.user_id, self.thread_id, self.review_id)


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """A recommendation kept for ``/history`` and export, deleted by ``/forget``."""

    id: int
    user_id: int
    flow: str
    title: str
    verdict: str
    created_at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PendingDecision:
    """A decision staged by a transaction, already serialised so a bad payload fails early."""

    user_id: int
    flow: str
    title: str
    verdict: str
    payload_json: str


APPLIED_WINDOW = 8  # recent update ids kept per conversation: a redelivery comes soon after


@dataclass(slots=True)
class Record:
    """What is kept beside a conversation's snapshot for its transports: the message that shows
    its current step, the update ids it applied lately (so none applies twice), a fingerprint
    of the decision it last kept for /history (so "change my answers" and the same answers
    confirmed again keep it once), the last message of its chat as the bot saw it (so that a
    bot started again knows whether the step is still the chat's last message) and where each
    answered question's line shows (so that Back can say the answer was taken back)."""

    shown_in: int | None = None
    applied: tuple[int, ...] = ()
    recorded: str | None = None
    last_message_id: int | None = None  # message ids only grow: a later note never lowers it
    lines: tuple[tuple[str, int], ...] = ()  # (question id, message showing its answered line)

    def applied_with(self, update_id: int) -> tuple[int, ...]:
        """The recent update ids, with ``update_id`` added (a short window is enough)."""
        return (*self.applied[-(APPLIED_WINDOW - 1):], update_id)

    def applied_text(self) -> str:
        """``applied`` as stored: ids separated by commas, each after the first as its
        difference from the one before (``1000000000,+3,+1``: a conversation's updates come
        close together, so a few digits instead of ten; schema 11)."""
        return ",".join(_differences(self.applied))

    def lines_text(self) -> str | None:
        """``lines`` as stored: ``question:message`` pairs separated by commas, each message
        after the first written as its difference from the one before (``brand:+2``: lines
        show in nearby messages, so a few digits instead of a message id; schema 11). None:
        none. The question ids stay as they are, so the text reads the same whatever becomes
        of the flow's questions."""
        messages = _differences(message for _, message in self.lines)
        return ",".join(f"{question}:{message}" for (question, _), message
                        in zip(self.lines, messages, strict=True)) or None

    def seen(self, message_id: int | None) -> int | None:
        """The chat's last message once ``message_id`` is seen too (None: nothing seen)."""
        if message_id is None or (self.last_message_id or 0) >= message_id:
            return self.last_message_id
        return message_id


def _differences(numbers: Iterable[int]) -> list[str]:
    """``numbers`` as stored in a record: the first as it is, each other as its difference from
    the one before, with its sign (``_numbers`` reads them back)."""
    texts: list[str] = []
    before: int | None = None
    for number in numbers:
        texts.append(str(number) if before is None else f"{number - before:+d}")
        before = number
    return texts


def _numbers(texts: Iterable[str]) -> list[int]:
    """The numbers of ``_differences``: one with a sign is the difference from the one before;
    without, the number itself (every number of a record saved before schema 11)."""
    numbers: list[int] = []
    for text in texts:
        number = int(text)
        numbers.append(number + numbers[-1] if numbers and text[:1] in ("+", "-") else number)
    return numbers


def stored_record(shown_in: int | None, applied: str | None, recorded: str | None,
                  snapshot_json: str, last_message_id: int | None = None,
                  lines: str | None = None) -> Record:
    """A record from its columns. A row saved before the record had columns of its own
    (``applied`` NULL) keeps it in its snapshot's JSON, where it is read once."""
    if applied is None:
        legacy = _LegacyRecord.model_validate_json(snapshot_json)
        return Record(legacy.shown_in if shown_in is None else shown_in, tuple(legacy.applied),
                      legacy.recorded, last_message_id)
    return Record(shown_in, tuple(_numbers(applied.split(","))) if applied else (),
                  recorded, last_message_id, _lines(lines))


def _lines(text: str | None) -> tuple[tuple[str, int], ...]:
    """``Record.lines`` from their stored text (``Record.lines_text``): a message with a sign
    is the difference from the one before; without, the message itself (every message of a
    row saved before schema 11)."""
    pairs = [part.rpartition(":") for part in text.split(",")] if text else []
    messages = _numbers(message for _, _, message in pairs)
    return tuple((question, message)
                 for (question, _, _), message in zip(pairs, messages, strict=True))


class _LegacyRecord(BaseModel):
    shown_in: int | None = None
    applied: list[int] = Field(default_factory=list)
    recorded: str | None = None


class Transaction:
    """What ``Store.transaction(key)`` yields: the loaded snapshot and its record, and the changes
    to write.

    Changes are only staged here; the store writes them in one database transaction when the
    ``async with`` block ends without an exception, and drops them otherwise.
    """

    __slots__ = (
        "_decisions",
        "_flow",
        "_open",
        "_record",
        "_snapshot_json",
        "_version",
        "key",
        "record",
        "recorded_ids",
        "snapshot",
    )

    def __init__(self, key: ConversationKey, snapshot: Snapshot | None,
                 record: Record | None = None) -> None:
        self.key = key
        self.snapshot = snapshot
        self.record = record or Record()
        # Ids of the decisions recorded by this transaction, in order; filled on commit.
        self.recorded_ids: list[int] = []
        self._snapshot_json: str | None = None
        self._version = 0
        self._record = Record()
        self._flow = ""
        self._decisions: list[PendingDecision] = []
        self._open = True

    def save(self, snapshot: Snapshot, record: Record | None = None) -> None:
        """Stage ``snapshot`` as the conversation's new state, with its ``record`` (by default
        the one loaded); the last save wins."""
        self._check_open()
        if not isinstance(snapshot, Snapshot):
            raise TypeError(f"save() takes a Snapshot, not {type(snapshot).__name__}")
        # Serialised now, so later changes to the object are not written by surprise.
        self._snapshot_json = snapshot.to_json()
        self._version = snapshot.version
        self._record = replace(record or self.record)
        self._flow = snapshot.flow

    def record_decision(
        self, user_id: int, flow: str, title: str, verdict: str, payload: dict[str, Any]
    ) -> None:
        """Stage a decision for ``user_id``'s history; its id is in ``recorded_ids`` after commit.

        ``payload`` must be JSON-serialisable (use ``model_dump(mode="json")`` for models).
        """
        self._check_open()
        if not isinstance(payload, dict):
            raise TypeError(f"payload must be a dict, not {type(payload).__name__}")
        payload_json = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        self._decisions.append(PendingDecision(user_id, flow, title, verdict, payload_json))

    # What the backend reads when committing.

    @property
    def staged_snapshot_json(self) -> str | None:
        return self._snapshot_json

    @property
    def staged_version(self) -> int:
        return self._version

    @property
    def staged_record(self) -> Record:
        return self._record

    @property
    def staged_flow(self) -> str:
        return self._flow

    @property
    def staged_decisions(self) -> list[PendingDecision]:
        return self._decisions

    @property
    def has_changes(self) -> bool:
        return self._snapshot_json is not None or bool(self._decisions)

    def close(self) -> None:
        """Refuse further changes: anything staged after the block ends would be lost silently."""
        self._open = False

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("the transaction has ended; stage changes inside `async with`")


PACK_OVER = 700  # bytes of JSON (UTF-8); longer values are stored deflated


def pack(text: str, over: int = PACK_OVER) -> str | bytes:
    """JSON as stored: as it is when ``over`` bytes or shorter, else raw deflate with a 2 KB
    window (a snapshot compresses as well as with the default 32 KB, and its state is quicker to
    set up)."""
    data = text.encode("utf-8")
    if len(data) <= over:
        return text
    return zlib.compress(data, 6, -11)


def unpack(stored: str | bytes) -> str:
    """The JSON of a stored value: deflated (``pack``), or text."""
    if isinstance(stored, str):
        return stored
    return zlib.decompress(stored, -15).decode("utf-8")


DECISION_COLUMNS = "id, user_id, flow, title, verdict, created_at, payload_json"


def error_retrieved(future: asyncio.Future[Any]) -> None:
    """A done-callback for a write that may fail with nobody waiting for it (its writer logs the
    failure, or its waiters got it): asyncio then does not report the error a second time as
    never retrieved."""
    if not future.cancelled():
        future.exception()


def new_rev() -> int:
    """A row's new revision: a random token rather than a counter, so a row deleted (/forget)
    and created again never gets back a rev that a stale transaction of another process holds."""
    return random.getrandbits(63)


def parse_snapshot(text: str) -> tuple[Snapshot | None, str]:
    """The stored JSON's snapshot, or None and why not (an error class name: never the text,
    which is user data)."""
    try:
        snapshot = Snapshot.from_json(text)
    except (ValueError, TypeError) as error:
        return None, type(error).__name__
    if snapshot.schema_version > SCHEMA_VERSION:
        return None, f"future schema_version {snapshot.schema_version}"
    return snapshot, ""


class _Entry:
    __slots__ = ("lock", "owner", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0
        self.owner: asyncio.Task[Any] | None = None  # the task holding the lock


class KeyLocks:
    """One ``asyncio.Lock`` per key, dropped as soon as no task holds or waits for it.

    ``asyncio.Lock`` wakes waiters in arrival order, so transactions on one key run FIFO. The task
    holding a key may hold it again (a transaction inside a turn of the conversation service): the
    inner hold waits for nothing and releases nothing.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def users(self, key: Hashable) -> int:
        """How many tasks hold or wait for ``key``'s lock."""
        entry = self._entries.get(key)
        return 0 if entry is None else entry.users

    def hold(self, key: Hashable) -> _Held:
        """``async with locks.hold(key):`` runs its body holding ``key``'s lock."""
        return _Held(self._entries, key)


class _Held:
    """One hold of a key's lock (a class, not a generator: it is entered twice per update)."""

    __slots__ = ("_entries", "_entry", "_key", "_outer")

    def __init__(self, entries: dict[Hashable, _Entry], key: Hashable) -> None:
        self._entries = entries
        self._key = key
        self._entry: _Entry | None = None
        self._outer = True

    async def __aenter__(self) -> None:
        task = asyncio.current_task()
        entry = self._entries.get(self._key)
        if entry is not None and entry.owner is task and task is not None:
            self._outer = False  # held already by this task, further out
            return
        if entry is None:
            entry = self._entries[self._key] = _Entry()
        entry.users += 1
        try:
            await entry.lock.acquire()
        except BaseException:
            self._leave(entry)  # cancelled while waiting
            raise
        entry.owner = task
        self._entry = entry

    async def __aexit__(self, *exc_info: object) -> None:
        if not self._outer:
            return
        entry, self._entry = self._entry, None
        assert entry is not None
        entry.owner = None
        entry.lock.release()
        self._leave(entry)

    def _leave(self, entry: _Entry) -> None:
        entry.users -= 1
        if entry.users == 0:
            del self._entries[self._key]


class LockedTransaction:
    """A backend's transaction run holding the key's lock in this process; the transaction is
    closed to further changes before the backend writes it. (A class: entered on every update,
    where nested generator-based context managers cost more than the lock itself.)"""

    __slots__ = ("_held", "_inner", "_tx")

    def __init__(self, held: _Held, inner: AbstractAsyncContextManager[Transaction]) -> None:
        self._held = held
        self._inner = inner  # not entered yet: nothing is loaded before the lock is held
        self._tx: Transaction | None = None

    async def __aenter__(self) -> Transaction:
        await self._held.__aenter__()
        try:
            self._tx = await self._inner.__aenter__()
        except BaseException:
            await self._held.__aexit__(None, None, None)
            raise
        return self._tx

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> bool:
        try:
            assert self._tx is not None
            self._tx.close()
            return bool(await self._inner.__aexit__(exc_type, exc, traceback))
        finally:
            await self._held.__aexit__(None, None, None)
