"""Webhook mode: an aiohttp server that commits each update before it answers Telegram.

python-telegram-bot's own webhook server answers 200 as soon as an update is queued, so a worker
killed right after would lose it. Here, one of several workers (``WORKERS`` > 1) applies the
update (and commits its snapshot) first; a crash before the answer means Telegram delivers it
again, and the snapshot's applied update ids keep a redelivered answer from applying twice.

The only worker (``WORKERS=1``) keeps the update journal as polling does: the update is
journaled (committed), Telegram is answered, then it is handled, and what a crash left unhandled
is replayed at the next start. A post then lasts a journal write instead of the whole update with
its replies' round trips to Telegram, so Telegram's posts in flight (``WEBHOOK_MAX_CONNECTIONS``,
at most 100) no longer hold updates back under load. One chat's updates are handled one after
the other, in the order they came (its next update may be posted as soon as one is answered).
Past ``CONCURRENT_UPDATES`` updates handled behind their answers a post waits for its own, so
Telegram posts no faster than the worker handles. (Several workers keep no journal: one would
replay at its start what another is still handling.) Every request must carry the secret token.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable
from functools import partial
from typing import Any

import orjson
from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.metrics import add_metrics
from bot.settings import Settings
from bot.store import Store
from bot.store.base import error_retrieved
from bot.telegram.journal import journal_of
from bot.telegram.subscription import HANDLED_UPDATES

log = logging.getLogger("halo.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
BODY_SECONDS = 5.0  # Telegram's posts arrive whole at once; a body still missing then never will
# at a stop, the longest the posts in flight are waited for (within a container's or systemd's
# 30 s grace; what the only worker has answered is waited for after, and is journaled anyway)
SHUTDOWN_SECONDS = 10.0


def webhook_app(application: AnyApplication, store: Store, secret: str, path: str,
                behind: HandledBehind | None = None) -> web.Application:
    """The HTTP side: ``POST <path>`` for updates, ``GET /healthz`` for the load balancer.
    ``behind``: the only worker's, where updates are handled after their answer (journaled
    first); None: each update is handled before its answer."""

    async def receive(request: web.Request) -> web.Response:
        # a header's bytes as sent (aiohttp keeps undecodable ones as surrogates)
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            async with asyncio.timeout(BODY_SECONDS):  # (wait_for would make a task a post)
                body = await request.read()
        except TimeoutError:
            return web.Response(status=408, text="body not received")
        update = _parse_update(body, application)
        if update is None:
            return web.Response(status=400, text="not an update")
        if behind is not None:
            return await journaled_then_handled(update, body)
        await application.process_update(update)  # applied and saved before Telegram hears 200
        if journal_of(application).retry_wanted(update.update_id):
            return web.Response(status=500, text="try again")  # Telegram will redeliver it
        return web.Response(status=200)

    journal = JournalWrites(store)

    async def journaled_then_handled(update: Update, body: bytes) -> web.Response:
        assert behind is not None
        try:
            await journal.add(update.update_id, _journal_text(body))
        except Exception as error:  # the database: Telegram posts it again later
            log.warning("update %s not journaled (%s): not taken", update.update_id,
                        type(error).__name__)
            return web.Response(status=500, text="try again")
        handling = behind.start(update)
        if behind.full():  # more than are handled at once: this post waits for its update
            await asyncio.wait([handling])
        return web.Response(status=200)  # journaled: a crash from here on replays it

    async def health(request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(store.ping(), timeout=2)
        except Exception as error:
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return web.json_response({"ok": False, "database": False}, status=503)
        return web.json_response({"ok": True, "database": True})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    add_metrics(app, store)
    return app


class HandledBehind:
    """The only worker's updates handled after their answers, at most ``most`` at once before a
    post waits. One chat's are handled one after the other, in the order they came: its next
    update may be posted as soon as the one before is answered."""

    def __init__(self, application: AnyApplication, most: int) -> None:
        self.application = application
        self.most = most
        self.tasks: set[asyncio.Task[None]] = set()
        self.latest: dict[int, asyncio.Task[None]] = {}  # chat -> its last update

    def start(self, update: Update) -> asyncio.Task[None]:
        chat = update.effective_chat
        before = self.latest.get(chat.id) if chat is not None else None
        handling = asyncio.ensure_future(
            _after(before, self.application.process_update(update)))
        self.tasks.add(handling)
        handling.add_done_callback(_handled)
        handling.add_done_callback(self.tasks.discard)
        if chat is not None:
            self.latest[chat.id] = handling
            handling.add_done_callback(partial(self._no_longer_latest, chat.id))
        return handling

    def full(self) -> bool:
        return len(self.tasks) > self.most

    async def finish(self) -> None:
        """Once every update taken is handled (at a stop, after the server closed)."""
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _no_longer_latest(self, chat: int, done: asyncio.Task[None]) -> None:
        if self.latest.get(chat) is done:
            del self.latest[chat]


class JournalWrites:
    """The only worker's journal writes, one at a time: the updates posted while one is being
    written go into the journal together in the next (one commit for all of them), each post
    answered once its own is in. An idle worker writes each at once; a busy one, on PostgreSQL,
    makes one round trip for many posts instead of one each."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[tuple[int, str]] = []
        self.next: asyncio.Future[None] | None = None  # the write that takes what is pending
        self.writing: asyncio.Task[None] | None = None

    async def add(self, update_id: int, text: str) -> None:
        """Once the update is journaled (the write's error, if it failed: were all its posts
        gone, nothing was answered, and Telegram posts those updates again)."""
        self.pending.append((update_id, text))
        if self.next is None:
            self.next = asyncio.get_running_loop().create_future()
            self.next.add_done_callback(error_retrieved)
        mine = self.next
        if self.writing is None:
            self.writing = asyncio.ensure_future(self._write())
        await asyncio.shield(mine)

    async def _write(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                done, self.next = self.next, None
                assert done is not None
                try:
                    await self.store.journal(batch)
                except Exception as error:
                    done.set_exception(error)
                else:
                    done.set_result(None)
        finally:
            self.writing = None


def _journal_text(body: bytes) -> str:
    """A post's update as the journal keeps it: the JSON Telegram sent (read as JSON already;
    a byte order mark before it dropped, as the journal's reader would refuse it)."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:  # JSON the standard library read leniently: written again
        return json.dumps(json.loads(body))


async def _after(before: asyncio.Task[None] | None, handling: Awaitable[None]) -> None:
    """``handling`` once ``before`` (the chat's update before, whatever became of it) is done."""
    if before is not None:
        await asyncio.wait([before])
    await handling


def _handled(task: asyncio.Task[None]) -> None:
    """An update handled after its answer: python-telegram-bot's error handler has reported
    what its handlers raised; anything else is logged (by type: never the update)."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("an update failed outside its handlers (%s)",
                    type(task.exception()).__name__)


def _parse_update(body: bytes, application: AnyApplication) -> Update | None:
    """The update a request body holds, or None for anything else (any JSON that is not an
    update object, nesting too deep to read, bytes that are not JSON)."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:  # also what orjson refuses and json reads (a lone surrogate)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except Exception:  # python-telegram-bot raises KeyError, TypeError, ... on bad data
        return None


class Webhook:
    """A webhook worker as the bot's ``Intake`` (``bot.telegram.running``): its HTTP server
    takes Telegram's posts."""

    def __init__(self, application: AnyApplication, store: Store, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.secret = settings.webhook_secret_value()
        # the only worker keeps the journal (and no other process writes its conversations)
        self.behind = HandledBehind(application, settings.concurrent_updates) \
            if settings.workers == 1 else None
        if self.behind is not None:
            journal_of(application).keep()
        self.store = store
        self.runner = web.AppRunner(
            webhook_app(application, store, self.secret, settings.webhook_path(), self.behind),
            access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        self._serving = False

    async def prepare(self) -> None:
        if self.behind is None:  # one of several: the journal an earlier run left stays as is
            left = len(await self.store.unhandled())
            if left:
                log.error("updates an earlier run journaled and did not handle: %d; start one "
                          "worker alone (WORKERS=1) or polling once, and it replays them", left)

    async def take(self, stopping: asyncio.Event) -> None:
        settings = self.settings
        self._serving = True
        await self.runner.setup()
        site = web.TCPSite(self.runner, settings.webhook_listen, settings.webhook_port)
        await site.start()  # listening before Telegram is told where to post
        await self.application.bot.set_webhook(
            url=settings.webhook_url or "", secret_token=self.secret,
            allowed_updates=HANDLED_UPDATES, max_connections=settings.webhook_max_connections)
        log.info("webhook worker listening on %s:%s", settings.webhook_listen,
                 settings.webhook_port)
        await stopping.wait()

    async def stop_taking(self) -> None:
        if self._serving:
            self._serving = False
            await self.runner.cleanup()  # stop taking updates; those in flight finish first
        if self.behind is not None:  # and those answered already
            await self.behind.finish()

    async def finish(self) -> None:
        return None
