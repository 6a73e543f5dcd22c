"""One start and one stop for the bot, whichever way its updates come in (polling, a webhook).

``run_until_stopped(application, store, intake)`` initialises the application (a failure there
closes what was opened and is raised for the command line to report in one line), runs its
start-up, lets the ``Intake`` take updates until SIGTERM or SIGINT, then stops taking them, lets
the updates in flight finish, and closes the application and the store, whatever failed. The
application's reminder loop (``bot_data[REMINDERS]``), if any, runs from the start until the stop
(every worker runs one: the store's claims send each reminder once).
"""

from __future__ import annotations

import asyncio
import signal
from typing import Any, Protocol

from telegram.ext import Application

from bot.reminding import ReminderLoop
from bot.store import Store
from bot.telegram.journal import JournalingBot

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
REMINDERS = "reminders"  # the application's ``bot_data`` key of its ``ReminderLoop``


class Intake(Protocol):
    """How updates reach the application: long polling, or a webhook's HTTP server."""

    async def prepare(self) -> None:
        """Once initialised, before anything runs (a failure stops the start)."""

    async def take(self, stopping: asyncio.Event) -> None:
        """Take updates into the application until ``stopping`` is set."""

    async def stop_taking(self) -> None:
        """Take no more updates (those in flight still finish); safe to call twice."""

    async def finish(self) -> None:
        """Once the updates in flight have finished, on a clean stop."""


async def run_until_stopped(application: AnyApplication, store: Store, intake: Intake) -> None:
    """Start, take updates until SIGTERM/SIGINT, then stop and close everything."""
    try:
        await application.initialize()
        await intake.prepare()
    except BaseException:
        bot = application.bot
        for request in bot.requests if isinstance(bot, JournalingBot) else ():
            await request.shutdown()  # nothing was started: close what was opened, then report
        await store.close()
        raise
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # from here on, a stop is a clean one
        loop.add_signal_handler(sig, stopping.set)
    reminding: asyncio.Task[None] | None = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        loop_of_reminders = application.bot_data.get(REMINDERS)
        if isinstance(loop_of_reminders, ReminderLoop):
            reminding = asyncio.create_task(loop_of_reminders.run(stopping), name="reminders")
        await intake.take(stopping)
        stopping.set()  # the reminder loop stops with the intake
        await intake.stop_taking()
        await application.stop()  # the updates in flight finish first
        await intake.finish()
    finally:
        stopping.set()
        if reminding is not None:
            await reminding  # its round in flight finishes (each send is claimed, then noted)
        await intake.stop_taking()
        if application.running:
            await application.stop()
        await application.shutdown()
        await store.close()
