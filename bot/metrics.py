"""Prometheus metrics, served at ``GET /metrics``: by a webhook worker on its own port, and when
polling on ``HEALTH_PORT`` (``bot/health.py``). Every name is in the README (Operations).

Nothing here carries a chat, a user or a word anyone wrote: labels are update types, Bot API
method names and error kinds only.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client import generate_latest as exposition
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.counters import counter_of
from bot.store import Store
from bot.telegram.subscription import HANDLED_UPDATES
from bot.telegram.transport import WrappedRequest

if TYPE_CHECKING:
    from aiohttp import web  # imported where a listener starts: a bot without one starts faster

UPDATES = Counter("halo_updates", "Updates handled, by type", ["kind"])
UPDATE_SECONDS = Histogram(
    "halo_update_seconds", "Time to handle one update, its replies sent",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
API_CALLS = Counter("halo_bot_api_calls", "Bot API calls made, by method", ["method"])
API_FAILURES = Counter(
    "halo_bot_api_failures",
    "Bot API calls that failed, by method and error: the HTTP status Telegram answered"
    " (429: asked to wait, retried), or timeout or network", ["method", "error"])
JOURNAL_BACKLOG = Gauge("halo_journal_backlog",
                        "Updates journaled but not yet handled (polling), read at each scrape")


def update_kind(update: object) -> str:
    """``message``, ``callback_query``, ...: the type of an update the bot subscribes to
    (``other`` for anything else), read without serialising the update."""
    if isinstance(update, Update):
        for kind in HANDLED_UPDATES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


class MeteredApplication(Application[Any, Any, Any, Any, Any, Any]):
    """python-telegram-bot's ``Application``, counting and timing each update it handles."""

    async def process_update(self, update: object) -> None:
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            UPDATE_SECONDS.observe(time.perf_counter() - started)
            counter_of(UPDATES, update_kind(update)).inc()


class MeteredRequest(WrappedRequest):
    """A Bot API client that counts the calls and failures of the one it wraps."""

    __slots__ = ()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]  # the method's name (the token is before it)
        counter_of(API_CALLS, endpoint).inc()
        try:
            status, body = await self.inner.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout)
        except TimedOut:
            counter_of(API_FAILURES, endpoint, "timeout").inc()
            raise
        except NetworkError:
            counter_of(API_FAILURES, endpoint, "network").inc()
            raise
        if status >= 400:
            counter_of(API_FAILURES, endpoint, str(status)).inc()
        return status, body


def add_metrics(app: web.Application, store: Store) -> None:
    """Serve ``GET /metrics`` from ``app``."""
    from aiohttp import web  # see the imports

    async def scrape(request: web.Request) -> web.Response:
        # the database down: /healthz says so, and the rest still counts
        with contextlib.suppress(Exception):
            JOURNAL_BACKLOG.set(len(await store.unhandled()))
        return web.Response(body=exposition(REGISTRY),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/metrics", scrape)
