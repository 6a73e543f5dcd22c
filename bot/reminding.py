"""The reminder loop: due reminders claimed from the store and sent, each once.

Every ``every`` seconds (and at once on start) ``ReminderLoop`` claims up to ``batch`` due
reminders for a lease (``DealStore.claim_due``: another worker gets none of them; a worker that
dies mid-send leaves them to whoever claims after the lease) and sends them one after the other
through ``send``, which the transport paces within Telegram's limits. A reminder no longer owed
(the deal moved on, the creator stopped it) is dropped unsent; one claimed at night for its
creator waits for their morning; a send that fails is tried again later, longer each time; a
user who blocked the bot is marked, and their reminders wait until they write again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.deals import DealMessage, reminder_message
from bot.store import ClaimedReminder, ConflictError, DealStore, StoredDeal
from bot.store.deals import CHANGE_ATTEMPTS
from flows.deal.reminders import Reminder, delivered, sendable_from
from flows.deal.zone import zone

log = logging.getLogger("halo.reminders")

Send = Callable[[StoredDeal, DealMessage], Awaitable[object]]
Clock = Callable[[], datetime]

LEASE = timedelta(minutes=5)  # longer than a batch takes to send, paced
BATCH = 20
EVERY = 30.0  # seconds between claims
RETRY_FIRST = timedelta(minutes=1)
RETRY_MOST = timedelta(hours=6)


def retry_after(attempts: int) -> timedelta:
    """How long a failed send waits: doubling from a minute, at most six hours."""
    return min(RETRY_FIRST * (1 << min(max(attempts - 1, 0), 16)), RETRY_MOST)


class ReminderLoop:
    """Claims and sends due reminders; ``tick`` once, or ``run`` until stopped."""

    def __init__(self, store: DealStore, send: Send, clock: Clock, *,
                 blocked: Callable[[BaseException], bool] = lambda error: False,
                 batch: int = BATCH, lease: timedelta = LEASE, every: float = EVERY) -> None:
        self.store = store
        self.send = send
        self.clock = clock
        self.blocked = blocked
        self.batch = batch
        self.lease = lease
        self.every = every

    async def tick(self) -> int:
        """One claim and its sends; how many reminders went out."""
        return (await self._round())[1]

    async def _round(self) -> tuple[int, int]:
        claimed = await self.store.claim_due(self.clock(), self.batch, self.lease)
        sent = 0
        for one in claimed:
            sent += await self._handle(one)
        return len(claimed), sent

    async def run(self, stopping: asyncio.Event) -> None:
        """``tick`` every ``every`` seconds until ``stopping`` is set, and again at once after
        a full batch (a burst is sent at the pace the transport allows, in small claims, not one
        batch a round); a failed tick is logged (the database may be back at the next one)."""
        while not stopping.is_set():
            claimed = 0
            try:
                claimed, _ = await self._round()
            except Exception:
                log.exception("the reminder loop failed this round")
            if claimed == self.batch:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), self.every)

    async def _handle(self, claimed: ClaimedReminder) -> int:
        now = self.clock()
        stored = claimed.stored
        reminder = claimed.reminder
        if reminder is None:
            await self.store.reminder_sent(claimed.key, now)  # no longer owed: never sent
            return 0
        morning = sendable_from(reminder, now, zone(stored.tz))
        if morning > now:
            await self.store.defer_reminder(claimed.key, morning)
            return 0
        try:
            await self.send(stored, reminder_message(stored, reminder, now))
        except Exception as error:
            if self.blocked(error):
                log.info("user blocked the bot: their reminders wait")
                await self.store.defer_reminder(claimed.key, now)
                await self.store.set_blocked(stored.user_id, True)  # after: it holds them all
            else:
                log.warning("reminder not sent (%s); trying again later", type(error).__name__)
                await self.store.defer_reminder(claimed.key, now + retry_after(claimed.attempts))
            return 0
        await self.store.reminder_sent(claimed.key, now)
        await self._note_delivered(stored, reminder)
        return 1

    async def _note_delivered(self, stored: StoredDeal, reminder: Reminder) -> None:
        """The deal notes the reminder went out, written only over the revision it was read
        at: a press saved meanwhile is read again and kept, never overwritten."""
        for _ in range(CHANGE_ATTEMPTS):
            try:
                await self.store.save_deal(stored.chat_id, stored.user_id,
                                           delivered(stored.deal, reminder), stored.tz,
                                           expected=stored.rev)
                return
            except ConflictError:
                again = await self.store.deal(stored.user_id, stored.deal.id)
                if again is None:
                    return  # forgotten meanwhile
                stored = again
        log.warning("a deal kept changing while its reminder was noted; sent all the same")
