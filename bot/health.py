"""Liveness and readiness over HTTP when polling (a webhook worker serves them on its own port).

Off by default; ``HEALTH_PORT`` turns it on. ``GET /livez`` answers 200 while the process and its
event loop are alive (restart it otherwise); ``GET /healthz`` answers 200 once the bot is started
and its database answers, 503 before that or when the database does not (take it out of service,
do not restart it). ``halo health`` asks ``/healthz`` of this machine, for a container's
HEALTHCHECK. ``bot/metrics.py`` adds ``/metrics`` to the same listener.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from telegram.ext import Application

from bot.settings import Settings
from bot.store import Store

if TYPE_CHECKING:
    from aiohttp import web  # imported where a listener starts: a bot without one starts faster

log = logging.getLogger("halo.health")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
PING_SECONDS = 2.0


async def database_answers(store: Store) -> bool:
    try:
        await asyncio.wait_for(store.ping(), timeout=PING_SECONDS)
    except Exception as error:
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


def health_app(application: AnyApplication, store: Store) -> web.Application:
    """``/livez`` and ``/healthz`` for a polling bot."""
    from aiohttp import web  # see the imports

    async def live(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def ready(request: web.Request) -> web.Response:
        database = await database_answers(store)
        started = application.running
        ok = database and started
        return web.json_response({"ok": ok, "database": database, "started": started},
                                 status=200 if ok else 503)

    app = web.Application()
    app.router.add_get("/livez", live)
    app.router.add_get("/healthz", ready)
    return app


async def with_health(settings: Settings, application: AnyApplication, store: Store,
                      run: Callable[[], Awaitable[None]]) -> None:
    """``run()``, with the health listener beside it while ``HEALTH_PORT`` is set."""
    if settings.health_port is None:
        await run()
        return
    from aiohttp import web  # see the imports

    from bot.metrics import add_metrics  # the listener also serves /metrics

    app = health_app(application, store)
    add_metrics(app, store)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.health_listen, settings.health_port).start()
        log.info("health and metrics on %s:%s", settings.health_listen, settings.health_port)
    except OSError:
        await runner.cleanup()
        await store.close()
        raise
    try:
        await run()
    finally:
        await runner.cleanup()


def local_url(settings: Settings) -> str | None:
    """Where ``halo health`` asks: the webhook worker's port, else ``HEALTH_PORT``'s."""
    if settings.webhook_url:
        listen, port = settings.webhook_listen, settings.webhook_port
    elif settings.health_port is not None:
        listen, port = settings.health_listen, settings.health_port
    else:
        return None
    host = "127.0.0.1" if listen in ("", "0.0.0.0", "::") else listen
    return f"http://{host}:{port}/healthz"
