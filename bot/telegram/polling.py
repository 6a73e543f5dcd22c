"""Long polling: the next getUpdates leaves as soon as a batch arrives, before it is handled.

python-telegram-bot's ``run_polling`` asks for the next batch only once its network loop gets the
event loop back, which is after every update of the batch has run its first (and costliest)
step. A busy bot then waits for a whole batch's CPU time before it even asks for the next one,
and each update waits for the batch before it (bench/over_http.py: half the latency at 600 updates a
second with Telegram's round trip). Here the request for the next batch goes out first, and the
updates are queued for the application while it waits.

Delivery stays at least once: ``JournalingBot`` journals a batch before the next getUpdates tells
Telegram it arrived (see ``journal.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TimedOut
from telegram.ext import Application

from bot.telegram.subscription import HANDLED_UPDATES

log = logging.getLogger("halo.telegram")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

LONG_POLL = 30  # seconds Telegram holds a getUpdates open while there is nothing new
RETRY_FIRST, RETRY_MOST = 1.0, 30.0  # seconds between attempts after a failed getUpdates


class Poller:
    """Fetches updates into ``application.update_queue`` until ``stop()``."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.offset: int | None = None  # the first update not yet fetched
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    def _fetch(self) -> asyncio.Future[tuple[Update, ...]]:
        fetched: asyncio.Future[tuple[Update, ...]] = asyncio.ensure_future(
            self.application.bot.get_updates(offset=self.offset, timeout=LONG_POLL,
                                             allowed_updates=HANDLED_UPDATES))
        return fetched

    async def run(self) -> None:
        stopping = asyncio.ensure_future(self._stopping.wait())
        fetching = self._fetch()
        pause = 0.0
        timed_out = False  # the last poll outlived its timeout
        try:
            while True:
                await asyncio.wait((fetching, stopping), return_when=asyncio.FIRST_COMPLETED)
                if stopping.done():
                    return
                try:
                    updates = fetching.result()
                except InvalidToken:
                    raise  # revoked while running: nothing to retry
                except Exception as error:
                    if isinstance(error, TimedOut) and not timed_out:
                        # a long poll that outlived its timeout: ask again at once; a second in
                        # a row (Telegram unreachable) is a failure like the others below
                        timed_out = True
                        fetching = self._fetch()
                        continue
                    # Telegram unreachable or asking us to slow down, another instance polling,
                    # or the journal's database failing: nothing was confirmed, so the same
                    # updates come again after a pause
                    pause = min(max(pause * 2, RETRY_FIRST), RETRY_MOST)
                    if isinstance(error, RetryAfter):
                        wait = error.retry_after
                        pause = max(pause, wait if isinstance(wait, (int, float))
                                    else wait.total_seconds())
                    log.warning("getUpdates failed (%s); retrying in %.0f s",
                                type(error).__name__, pause)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(stopping), pause)
                    if stopping.done():
                        return
                    fetching = self._fetch()
                    continue
                pause, timed_out = 0.0, False
                if updates:
                    self.offset = updates[-1].update_id + 1
                fetching = self._fetch()  # on its way before this batch is handled
                for update in updates:
                    self.application.update_queue.put_nowait(update)
        finally:
            stopping.cancel()
            fetching.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await fetching

    async def confirm(self) -> None:
        """Tell Telegram what was fetched, so the next start does not fetch it again (it is
        journaled: a batch not handled yet is replayed from there)."""
        if self.offset is None:
            return
        try:
            await self.application.bot.get_updates(offset=self.offset, timeout=0, limit=1)
        except Exception as error:
            log.info("could not confirm the last updates at shutdown (%s)",
                     type(error).__name__)


class Polling:
    """Long polling as the bot's ``Intake`` (``bot.telegram.running``)."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.poller = Poller(application)

    async def prepare(self) -> None:
        # polling and a webhook exclude each other: a webhook left behind would refuse us
        await self.application.bot.delete_webhook(drop_pending_updates=False)

    async def take(self, stopping: asyncio.Event) -> None:
        log.info("polling for updates")
        stop = asyncio.ensure_future(stopping.wait())
        stop.add_done_callback(lambda _: self.poller.stop())
        try:
            await self.poller.run()
        finally:
            stop.cancel()

    async def stop_taking(self) -> None:
        self.poller.stop()  # (``take`` has returned by then)

    async def finish(self) -> None:
        await self.poller.confirm()
