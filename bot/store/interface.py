"""The storage interface, by job: conversations, decisions, the update journal, hand-offs,
deals and their reminders.

Each part of the bot depends on the job it uses: the conversation service on
``ConversationStore`` (and on ``DecisionStore`` and ``HandoffStore`` for the effects it applies),
the Telegram layer on ``DecisionStore`` for /history and on ``UpdateJournal`` (polling, the only
webhook worker), the reminder loop on ``DealStore``. A backend (``SQLiteStore``,
``PostgresStore``) is a ``Store``: every job, over one database, and ``tests/storage`` runs one
contract suite over both.
"""

from __future__ import annotations

import abc
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from flows.deal.model import Deal
from flows.snapshot import Snapshot

from .base import (
    ConflictError,
    ConversationKey,
    KeyLocks,
    LockedTransaction,
    StoredDecision,
    StoreError,
    Transaction,
)
from .deals import ClaimedReminder, StoredDeal


class ConversationStore(abc.ABC):
    """Conversations: each one's snapshot and record, loaded and saved under its key's lock."""

    def __init__(self) -> None:
        self.locks = KeyLocks()

    def hold(self, key: ConversationKey) -> AbstractAsyncContextManager[None]:
        """``async with store.hold(key):`` the key's lock, the one a transaction takes, held
        across more than one transaction (a turn: load and save, send, note what shows it)."""
        return self.locks.hold(key)

    def transaction(self, key: ConversationKey) -> AbstractAsyncContextManager[Transaction]:
        """Lock ``key`` in this process, load its snapshot, yield, write the staged changes.

        On an exception nothing is written and the exception propagates. Transactions on one key
        run one after the other in arrival order; different keys do not wait for each other.
        May raise ``ConflictError`` on exit when another process changed the conversation.
        """
        return LockedTransaction(self.locks.hold(key), self._locked_transaction(key))

    @abc.abstractmethod
    def _locked_transaction(self, key: ConversationKey) -> AbstractAsyncContextManager[Transaction]:
        """Load ``key`` (its in-process lock is held), yield, write on a normal exit."""

    @abc.abstractmethod
    async def group_keys(self) -> list[ConversationKey]:
        """The keys of every group conversation (team reviews), for /forget to look through."""

    @abc.abstractmethod
    async def load(self, key: ConversationKey) -> Snapshot | None:
        """The conversation's snapshot, read without the lock: a peek, not for updating."""

    @abc.abstractmethod
    async def set_shown(self, key: ConversationKey, version: int, message_id: int) -> None:
        """Note which message shows the conversation's current step, if it is still at
        ``version`` (one small write instead of a whole transaction). Once ``write_behind`` it may
        be written a moment later; this store's transactions read it back at once."""

    @abc.abstractmethod
    def note_last(self, key: ConversationKey, message_id: int) -> None:
        """Note the last message of the conversation's chat as the bot saw it (the person's or
        the bot's): a transaction of this store reads it back at once
        (``Record.last_message_id``), and a stored one is never lowered. Not awaited: it is
        written with what the store writes next for the conversation (its save, the note of the
        message showing its step) or a moment later with the other notes (each backend says
        when); a crash may lose it, and then a bot started again takes a question that is no
        longer the chat's last message for the last one (or shows it again needlessly)."""

    def write_behind(self) -> None:
        """Allow ``set_shown`` and ``handled`` to be written a moment later, in groups: only
        where a journal replays the updates whose notes a crash would lose (polling, or the only
        webhook worker). Backends
        that write each at once ignore it."""
        return None

    def serve_alone(self) -> None:
        """This process alone serves the bot (polling, or the one webhook worker of
        ``WORKERS=1``): a backend shared by several processes may start a conversation's next
        update from what it saved last, without reading it back (its save still refuses a
        write over anyone else's, and the update then runs again from the row). Backends that
        read in process ignore it."""
        return None

    def transient(self, error: BaseException) -> bool:
        """Whether ``error`` is a failure of the database rather than of the update, so that
        delivering the update again is worth it (a backend adds its driver's errors)."""
        return isinstance(error, (StoreError, ConflictError, OSError))


class DecisionStore(abc.ABC):
    """Decisions kept for /history, and /forget of everything kept about a person."""

    @abc.abstractmethod
    async def history(self, user_id: int, limit: int = 20) -> list[StoredDecision]:
        """``user_id``'s decisions, newest first."""

    @abc.abstractmethod
    async def decision(self, user_id: int, decision_id: int) -> StoredDecision | None:
        """One decision, or None if it does not exist or belongs to someone else."""

    @abc.abstractmethod
    async def restyle(self, user_id: int, flow: str, style: dict[str, str]) -> None:
        """Keep ``style`` (the tone and reply kind last chosen) in ``user_id``'s newest decision
        of ``flow``, the one its decided conversation shows, so /history shows it as left."""

    @abc.abstractmethod
    async def forget(self, user_id: int) -> int:
        """Delete ``user_id``'s private conversations, decisions, deals (with their reminders)
        and the hand-offs they made or opened; return the rows deleted. (Their part in group
        reviews is the service's to anonymise: ``Conversations.forget``.)

        Takes no conversation lock: call it outside a transaction on the user's key (or stage
        nothing in that transaction), else its commit raises ``ConflictError``.
        """


class UpdateJournal(abc.ABC):
    """Updates received while polling (or by the only webhook worker), kept until handled
    (replayed after a crash)."""

    @abc.abstractmethod
    async def journal(self, updates: list[tuple[int, str]]) -> None:
        """Keep received updates (id, raw JSON) durably until they are marked handled."""

    @abc.abstractmethod
    async def unhandled(self) -> list[tuple[int, str]]:
        """Journaled updates not yet marked handled, oldest first (replayed at start-up)."""

    @abc.abstractmethod
    async def handled(self, update_id: int) -> None:
        """Drop a journaled update: it was applied (or deliberately ignored). Once
        ``write_behind`` it may be written a moment later; ``unhandled`` leaves it out at once."""


@dataclass(frozen=True, slots=True)
class Handoff:
    """What opening a hand-off code gives: its payload (None: unknown, expired, or claimed by
    someone else), or ``own`` when its maker opened it, which claims nothing."""

    payload: dict[str, Any] | None = None
    own: bool = False


class HandoffStore(abc.ABC):
    """Hand-offs: what one person handed to another, under an unguessable, expiring code."""

    @abc.abstractmethod
    async def put_handoff(self, code: str, payload: dict[str, Any], expires_at: datetime,
                          made_by: int) -> None:
        """Keep a hand-off's payload, made by ``made_by``, under ``code`` until ``expires_at``."""

    @abc.abstractmethod
    async def take_handoff(self, code: str, now: datetime, user_id: int) -> Handoff:
        """The hand-off under ``code``, opened by ``user_id``: the first user other than its
        maker claims it; an expired code is deleted; its maker opening it claims nothing."""


class DealStore(abc.ABC):
    """Deals after a decision, and their reminders: kept in the database, each sent once.

    ``save_deal`` keeps the deal and replaces its unsent reminders with the ones it now plans
    (``flows.deal.reminders.plan``): one still planned keeps its row (and a claim on it), one
    already sent is never inserted again, whatever the deal's JSON says. Workers ``claim_due``
    reminders for a lease: a claimed reminder is handed to no one else until its lease lapses
    (the worker died mid-send), and once ``reminder_sent`` to no one ever.
    """

    @abc.abstractmethod
    async def save_deal(self, chat_id: int, user_id: int, deal: Deal, tz: str,
                        expected: int | None = None) -> int:
        """Keep ``deal`` (new or changed) for ``user_id`` in ``chat_id``, with its reminders
        planned in the time zone ``tz`` (an IANA name); its new revision. With ``expected``
        (the revision the change was made from) the deal is saved only if it is still at that
        revision, else ``ConflictError``: read it again and redo the change, so a press and the
        reminder loop never overwrite each other."""

    @abc.abstractmethod
    async def deals_of(self, user_id: int, limit: int | None = 10) -> list[StoredDeal]:
        """``user_id``'s deals, whatever their stage, most recently changed first (all of them
        when ``limit`` is None)."""

    @abc.abstractmethod
    async def deal(self, user_id: int, deal_id: str) -> StoredDeal | None:
        """One deal, or None if it does not exist or belongs to someone else."""

    @abc.abstractmethod
    async def open_deals(self, user_id: int, limit: int = 10) -> list[StoredDeal]:
        """``user_id``'s deals not yet paid or closed, most recently changed first."""

    @abc.abstractmethod
    async def claim_due(self, now: datetime, limit: int, lease: timedelta
                        ) -> list[ClaimedReminder]:
        """Up to ``limit`` reminders due by ``now``, unsent, unclaimed (or their claim lapsed),
        of users not blocked, oldest first, claimed until ``now + lease``. Concurrent claims (in
        other processes too) never get the same reminder."""

    @abc.abstractmethod
    async def reminder_sent(self, key: str, now: datetime) -> None:
        """The reminder went out (or is no longer owed): never claimed again."""

    @abc.abstractmethod
    async def defer_reminder(self, key: str, until: datetime) -> None:
        """Not sent now (Telegram failed, or it is night for the creator): claimable again from
        ``until``."""

    @abc.abstractmethod
    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        """Mark a user who blocked the bot (their reminders are skipped), or one who is back."""


class Store(ConversationStore, DecisionStore, UpdateJournal, HandoffStore, DealStore):
    """Every job over one database, and what an operator asks of it."""

    schema_version: int  # set by each backend once its migrations have run

    @abc.abstractmethod
    async def purge_idle(self, idle_since: datetime) -> int:
        """Delete conversations untouched since ``idle_since`` and expired hand-offs: in small
        batches, each a short write of its own, off the event loop's thread, so the bot serves
        meanwhile (a conversation touched meanwhile stays)."""

    @abc.abstractmethod
    async def count(self) -> dict[str, int]:
        """``{"conversations": n, "decisions": m}``."""

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise if the database cannot answer (the health check: no table is read)."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Release the database; safe to call twice."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
