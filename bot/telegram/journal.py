"""The update journal: at-least-once delivery for long polling and for the only webhook worker.
Every update taken is journaled before Telegram is told it arrived (the next getUpdates, or the
webhook post's answer: ``bot.telegram.webhook``), and replayed at start-up until it is handled.

python-telegram-bot confirms an update (by asking for the next offset) as soon as it is queued, so
a bot killed between fetching and handling would lose it. The journal closes that gap; applying an
update twice is prevented by the ``applied`` update ids kept with each conversation.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, ExtBot

from bot.conversations import Conversations
from bot.store import Store
from bot.telegram.send import RawSendBot
from bot.telegram.transport import json_bytes

log = logging.getLogger("halo.journal")


class JournalingBot(RawSendBot):
    """The bot, whose ``get_updates`` keeps what it fetched in the store's journal first. It
    carries its ``journal`` and the HTTP clients it was given (``requests``: closed by hand
    when it fails to start, since python-telegram-bot closes only what started)."""

    def __init__(self, *args: Any, journal: Journal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # python-telegram-bot freezes its objects after __init__
            self.journal = journal
            given = (kwargs.get("request"), kwargs.get("get_updates_request"))
            self.requests = tuple(request for n, request in enumerate(given) if request is not None
                                  and all(request is not other for other in given[:n]))
            self._fetched: list[dict[str, Any]] = []  # the last batch, journaled, not yet parsed

    async def _post(self, endpoint: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Every Bot API call passes here; getUpdates' answer is journaled as Telegram sent it,
        before python-telegram-bot parses it (re-serializing parsed ``Update`` objects cost
        more than parsing them)."""
        if endpoint != "getUpdates":
            return await super()._post(endpoint, data, **kwargs)
        self._fetched.clear()  # (a frozen object: the list is changed, never replaced)
        result = updates_only(await super()._post(endpoint, data, **kwargs))
        if result:
            await self.journal.store.journal(
                [(raw["update_id"], json_bytes(raw).decode()) for raw in result])
            self._fetched.extend(result)
        return result

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """A batch that python-telegram-bot cannot parse whole is read update by update: the
        readable ones are handled, each other one becomes an empty ``Update`` of its id (logged),
        which no handler takes and which is confirmed and marked handled like any other.
        Raising instead would fetch the same batch forever. (python-telegram-bot logs the batch
        it could not parse first; ``bot.logs.UpdateContentFilter`` keeps only its size.)"""
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise
        except Exception:
            batch = list(self._fetched)
            self._fetched.clear()
            if not batch:
                raise  # the journal or the network failed: nothing was parsed
            log.warning("a batch of %d updates could not be read whole", len(batch))
            return tuple(read_update(self, raw, int(raw["update_id"]))
                         or Update(update_id=int(raw["update_id"])) for raw in batch)


def updates_only(result: Any) -> list[dict[str, Any]]:
    """The items of a ``getUpdates`` answer that are updates (an object with an integer id);
    the others are skipped with a warning that counts them (their content is never logged).
    Failing the whole batch instead would fetch the same batch forever."""
    if not isinstance(result, list):
        log.warning("skipped a getUpdates answer that is not a list of updates")
        return []
    kept = [item for item in result if isinstance(item, dict)
            and type(item.get("update_id")) is int]
    if len(kept) < len(result):
        log.warning("skipped %d items of a batch that are not updates", len(result) - len(kept))
    return kept


def read_update(bot: ExtBot[Any], raw: Any, update_id: int) -> Update | None:
    """The update as python-telegram-bot reads it; None (with a warning naming only its id)
    when it cannot be read."""
    try:
        update = Update.de_json(raw, bot)
    except Exception:  # python-telegram-bot raises KeyError, TypeError, ... on bad data
        update = None
    if update is None:
        log.warning("dropping unreadable update %s", update_id)
    return update


SEEN_WINDOW = 4096
RETRY_DELAYS = (1.0, 4.0, 15.0)  # seconds before a failed update is tried again in this run


class Journal:
    """The journal's part in handling updates: an update taken twice (replayed, then fetched
    again) is handled once; one handled leaves the journal; one that failed for a reason worth
    another try is tried again. Only where the journal is kept (``keep``: polling, or the only
    webhook worker, which answers Telegram once the update is journaled) are journaled updates
    marked handled and replayed: one of several webhook workers would replay at its start what
    another is handling (Telegram redelivers what those workers did not answer)."""

    def __init__(self, store: Store, conversations: Conversations) -> None:
        self.store = store
        self.conversations = conversations  # which updates failed, and how often
        self.kept = False
        self.seen: dict[int, bool] = {}  # update id -> handled, for the last SEEN_WINDOW

    def keep(self) -> None:
        """Polling, or the only webhook worker: each update taken stays in the journal until
        handled, and what a crash left unhandled is replayed at the next start; so the notes
        after a reply may be written behind (``ConversationStore.write_behind``). This process
        alone serves the bot (``serve_alone``)."""
        self.kept = True
        self.store.write_behind()
        self.store.serve_alone()

    async def skip_seen(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs first (an earlier handler group): an update this process already took (replayed
        from the journal, then fetched again from Telegram) stops here. Fetched again, it was
        journaled again: if its first copy is handled already, this copy is marked handled too
        (one still in flight is marked when it ends), else the next start would replay it a
        second time."""
        if not isinstance(update, Update):
            return
        handled = self.seen.get(update.update_id)
        if handled is not None:
            if handled and self.kept:
                await self.store.handled(update.update_id)
            raise ApplicationHandlerStop
        self.seen[update.update_id] = False
        if len(self.seen) > SEEN_WINDOW:
            del self.seen[next(iter(self.seen))]  # dicts keep insertion order: drop the oldest

    def retry_wanted(self, update_id: int) -> bool:
        """Whether handling ``update_id`` failed for a reason worth another try (the database):
        if so, it is let through again when it is delivered again (by Telegram, or the
        journal)."""
        failed = self.conversations.failed
        if update_id not in failed:
            return False
        failed.discard(update_id)
        self.seen.pop(update_id, None)
        return True

    async def mark_handled(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs after the handlers of an update (a later handler group): drop it from the
        journal, unless handling it failed for a reason worth another try; then it is queued
        again a few times in this run (the person was told it would be), and kept in the journal
        for the next start should every try fail. A try that comes after a newer update of its
        conversation changes nothing there (see ``bot.conversations``)."""
        if not isinstance(update, Update) or not self.kept:
            return
        if self.retry_wanted(update.update_id):
            failures = self.conversations.failures.get(update.update_id, 1)
            if failures <= len(RETRY_DELAYS):
                asyncio.get_running_loop().call_later(
                    RETRY_DELAYS[failures - 1], context.application.update_queue.put_nowait,
                    update)
            return
        await self.store.handled(update.update_id)
        if update.update_id in self.seen:
            self.seen[update.update_id] = True  # handled: a copy fetched again is marked at once

    async def replay(self, application: Application[Any, Any, Any, Any, Any, Any]) -> int:
        """Queue what a previous run journaled but never handled; returns how many."""
        pending = await self.store.unhandled()
        for update_id, payload in pending:
            try:
                raw = json.loads(payload)
            except ValueError:
                raw = None
            update = read_update(application.bot, raw, update_id)
            if update is None:
                await self.store.handled(update_id)
                continue
            await application.update_queue.put(update)
            log.info("replaying update %s", update_id)
        if pending:
            log.info("replaying %d journaled updates", len(pending))
        return len(pending)


def journal_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Journal:
    """The journal of an application built by ``build_application``."""
    bot = application.bot
    assert isinstance(bot, JournalingBot)
    return bot.journal
