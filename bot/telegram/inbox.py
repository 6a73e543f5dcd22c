"""At-least-once delivery for long polling: every fetched update is journaled before Telegram
is told it arrived, and replayed at start-up until it has been handled.

python-telegram-bot confirms an update (by asking for the next offset) as soon as it is queued, so
a bot killed between fetching and handling would lose it. The journal closes that gap; applying an
update twice is prevented by the snapshot's ``applied`` update ids.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, ExtBot
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # not exported; see call()

from bot.store import Store

log = logging.getLogger("halo.inbox")


class JournalingBot(ExtBot[Any]):
    """An ``ExtBot`` whose ``get_updates`` keeps what it fetched in the store's inbox first, and
    which sends the bot's own messages raw (``call``)."""

    def __init__(self, *args: Any, inbox: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # python-telegram-bot freezes its objects after __init__
            self.inbox = inbox
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
            await self.inbox.journal([(raw["update_id"], json.dumps(raw, separators=(",", ":")))
                                      for raw in result])
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

    async def call(self, endpoint: str, fields: dict[str, Any]) -> Any:
        """One Bot API method with its fields exactly as Telegram takes them (camelCase
        ``endpoint``, JSON values: numbers, text, keyboards as dicts); the raw answer. Through
        the rate limiter as ``ExtBot`` would, but without the defaults and argument handling
        that ``send_message`` and ``do_api_request`` redo on every call."""
        if self.rate_limiter is None:
            return await self._post_fields(endpoint, fields)
        return await self.rate_limiter.process_request(
            callback=self._post_fields, args=(endpoint, fields), kwargs={}, endpoint=endpoint,
            data=fields, rate_limit_args=None)

    async def _post_fields(self, endpoint: str, fields: dict[str, Any]) -> Any:
        """``Bot._do_post`` for fields that are JSON values already. python-telegram-bot checks
        each field for files, dates and its own objects to convert (``RequestParameter
        .from_input``), which cost as much as the rest of building the request
        (bench/throughput.py); these fields have none."""
        request_data = RequestData([RequestParameter(name=name, value=value, input_files=None)
                                    for name, value in fields.items()])
        return await self.request.post(url=f"{self.base_url}/{endpoint}",
                                       request_data=request_data)


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


async def skip_seen(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs first (an earlier handler group): an update this process already took (replayed
    from the journal, then fetched again from Telegram) stops here. Fetched again, it was
    journaled again: if its first copy is handled already, this copy is marked handled too (one
    still in flight is marked when it ends), else the next start would replay it a second time."""
    if not isinstance(update, Update):
        return
    seen: dict[int, bool] = context.application.bot_data.setdefault("seen", {})
    handled = seen.get(update.update_id)
    if handled is not None:
        if handled and context.application.bot_data.get("journaling"):
            await context.application.bot_data["store"].handled(update.update_id)
        raise ApplicationHandlerStop
    seen[update.update_id] = False
    if len(seen) > SEEN_WINDOW:
        del seen[next(iter(seen))]  # dicts keep insertion order: drop the oldest


def retry_wanted(application: Application[Any, Any, Any, Any, Any, Any], update_id: int) -> bool:
    """Whether handling ``update_id`` failed for a reason worth another try (the database): if
    so, it is let through again when it is delivered again (by Telegram, or the journal)."""
    coach = application.bot_data["coach"]
    if update_id not in coach.failed:
        return False
    coach.failed.discard(update_id)
    application.bot_data.get("seen", {}).pop(update_id, None)
    return True


RETRY_DELAYS = (1.0, 4.0, 15.0)  # seconds before a failed update is tried again in this run


async def mark_handled(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs after the handlers of an update (a later handler group): drop it from the inbox,
    unless handling it failed for a reason worth another try; then it is queued again a few
    times in this run (the person was told it would be), and kept in the journal for the next
    start should every try fail. A try that comes after a newer update of its conversation
    changes nothing there (see ``Coach._advance_and_save``)."""
    application = context.application
    store: Store = application.bot_data["store"]
    if not isinstance(update, Update) or not application.bot_data.get("journaling"):
        return
    if retry_wanted(application, update.update_id):
        failures = application.bot_data["coach"].failures.get(update.update_id, 1)
        if failures <= len(RETRY_DELAYS):
            asyncio.get_running_loop().call_later(
                RETRY_DELAYS[failures - 1], application.update_queue.put_nowait, update)
        return
    await store.handled(update.update_id)
    seen = context.application.bot_data.get("seen", {})
    if update.update_id in seen:
        seen[update.update_id] = True  # handled: a copy fetched again is marked at once


async def replay_unhandled(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Queue what a previous run journaled but never handled; returns how many."""
    store: Store = application.bot_data["store"]
    pending = await store.unhandled()
    for update_id, payload in pending:
        try:
            raw = json.loads(payload)
        except ValueError:
            raw = None
        update = read_update(application.bot, raw, update_id)
        if update is None:
            await store.handled(update_id)
            continue
        await application.update_queue.put(update)
        log.info("replaying update %s", update_id)
    if pending:
        log.info("replaying %d journaled updates", len(pending))
    return len(pending)
