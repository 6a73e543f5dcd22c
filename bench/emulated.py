"""The bot as its own process against the e2e Bot API emulator, and creators driving it.

Shared by ``bench/over_http.py`` and ``bench/memory.py``. The emulator
(``tests/support/emulator.py``) and the simulated users run in the benchmark's process; the bot
runs in another, so its CPU time and memory, read from ``/proc/<pid>``, are its own.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ANSWERS, CONFIRM, REVIEW_COMMAND, ROOT, button_data
from bot.store.sqlite import unpack
from tests.support.emulator import BotApiEmulator, User, _update_chat

STEP_TIMEOUT = 60.0  # seconds a user waits for the bot's next step before it counts as an error
HALO_RUN = (sys.executable, "-m", "bot.cli", "run")  # the real CLI, unmodified


def lifted(transport: str = "http11", pool: int = 0, webhook: bool = False) -> tuple[str, ...]:
    """``halo run`` with Telegram's overall flood limit lifted (see ``bench/halo_process.py``)."""
    return (sys.executable, "-m", "bench.halo_process", "--transport", transport,
            "--pool", str(pool), *(("--webhook",) if webhook else ()))


WEBHOOK_SECRET = "bench-webhook-secret-0123456789"
WARMED = "warmed up"  # the bot's log line once its start-up work is done (bot/telegram/app.py)
WEBHOOK_CONNECTIONS = 100  # Telegram's most: each post holds one until the bot answers it


def webhook_env(port: int) -> dict[str, str]:
    """The settings of a webhook worker on ``port`` (Telegram posts to the public HTTPS URL; the
    emulator posts where a TLS proxy would forward, see ``BotProcess.start``)."""
    return {"WEBHOOK_URL": "https://halo.example/telegram", "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
            "WEBHOOK_MAX_CONNECTIONS": str(WEBHOOK_CONNECTIONS)}


@dataclass(frozen=True)
class Reached:
    """The bot's next message with buttons reaching a person, and its way there (perf_counter
    seconds): the update left the emulator (``handed``), the bot's message arrived at the
    emulator (``arrived``), and was accepted after the emulator's delay (``replied``)."""

    replied: float
    message_id: int
    handed: float
    arrived: float


@dataclass(frozen=True)
class Took:
    """One action's wait, in seconds, and where it went."""

    total: float
    queued: float  # in the emulator, until the bot took the update (poll or webhook post)
    bot: float  # the bot's share: the update out to its reply in
    answered: float  # the reply in to its answer (the emulator's delay, on its event loop)


_ARRIVED: contextvars.ContextVar[float] = contextvars.ContextVar("arrived", default=0.0)


class BenchEmulator(BotApiEmulator):
    """The e2e emulator, telling a waiting user when the bot sends them a message with buttons
    (their next step), so that no one scans transcripts.

    It also times the way of each step (``Reached``): the update leaving the emulator (in a
    getUpdates answer or a webhook post), the bot's next message with buttons arriving, and that
    message accepted after the emulator's delay."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.waiters: dict[int, asyncio.Future[Reached]] = {}
        self.answered = 0  # actions answered so far (the bot's next message with buttons)
        self.most_posts = 0  # the most webhook posts in flight at once (Telegram allows 100)
        self.handed: dict[int, float] = {}  # chat -> when its pending update left

    async def _handle(self, request: Any) -> Any:
        _ARRIVED.set(time.perf_counter())  # each request is its own task: its own value
        return await super()._handle(request)

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        updates = await super()._api_getUpdates(params)
        self._hand_out(updates)
        return updates

    def _hand_out(self, updates: list[dict[str, Any]]) -> None:
        now = time.perf_counter()
        for update in updates:
            chat = _update_chat(update)
            if chat is not None:
                self.handed.setdefault(chat, now)

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        result = await super()._api_sendMessage(params)
        if "reply_markup" in result:
            handed = self.handed.pop(result["chat"]["id"], None)
            arrived = _ARRIVED.get()
            waiter = self.waiters.pop(result["chat"]["id"], None)
            if waiter is not None and not waiter.done():
                self.answered += 1
                waiter.set_result(Reached(time.perf_counter(), result["message_id"],
                                          handed or arrived, arrived))
        return result

    async def _post_update(self, session: Any, update: dict[str, Any]) -> None:
        self.most_posts = max(self.most_posts, len(self._busy))
        if self.delay:
            await asyncio.sleep(self.delay)  # Telegram's round trip, as for the bot's own calls
        self._hand_out([update])
        await super()._post_update(session, update)

    def expect(self, chat_id: int) -> asyncio.Future[Reached]:
        """A future for the chat's next message with buttons."""
        waiter: asyncio.Future[Reached] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = waiter
        return waiter


class BotProcess:
    """The bot in a subprocess against the emulator, its output in a log file."""

    def __init__(self, emulator: BotApiEmulator, folder: Path, command: Sequence[str], *,
                 database: Path | None = None, **env: str) -> None:
        self.emulator = emulator
        self.command = list(command)
        self.database = database or folder / "halo.db"
        self.log_path = folder / "bot.log"
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{emulator.port}",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "CHAT_MESSAGES_PER_SECOND": "1000000",  # the per-chat pacer must not sleep here
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.command, cwd=ROOT, env=self.env, stdout=log,
                stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)

    async def start(self) -> None:
        """Spawn the bot and wait until it sits in a long poll (or, a webhook worker, until it
        has set its webhook: updates then go to its port)."""
        port = self.env.get("WEBHOOK_PORT")
        await self.spawn()
        process = self.process
        assert process is not None
        if port:
            self.emulator.deliver_webhooks_to(f"http://127.0.0.1:{port}/telegram")
        await self.emulator.wait_until(
            lambda: (bool(self.emulator.webhook_url) if port else self.emulator.polls_waiting > 0)
            or process.returncode is not None, timeout=60, what="the bot to start")
        if process.returncode is not None:
            raise RuntimeError(f"the bot exited at start:\n{self.log()}")
        # what it does once, at start (templates compiled, currencies read), is not a cost of
        # the updates measured: a bot serves for days
        deadline = time.monotonic() + 60  # (the log file is no state of the emulator's)
        while WARMED not in self.log() and process.returncode is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not warm up within 60 s:\n{self.log()}")
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            process.kill()
            await process.wait()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") \
            if self.log_path.exists() else ""

    def log_problems(self) -> list[str]:
        """Log lines of level WARNING and worse, each with the exception that ended its
        traceback, if any."""
        problems: list[str] = []
        for line in self.log().splitlines():
            if any(level in line for level in (" WARNING ", " ERROR ", " CRITICAL ")):
                problems.append(line)
            elif problems and line[:1].isalpha() and ":" in line and not line.startswith(
                    ("The above", "During handling", "Traceback")):
                problems[-1] = f"{problems[-1].split(' <- ')[0]} <- {line}"  # the last raised
        return problems


async def act(emulator: BenchEmulator, user: User, action: str, shown: int = 0
              ) -> tuple[Took, int]:
    """Type ``action`` (or press the button labelled so on message ``shown``) and wait for the
    bot's next message with buttons; returns how long it took and that message's id.

    Raises ``LookupError`` when the button is not there, ``TimeoutError`` when the bot is silent.
    """
    waiter = emulator.expect(user.id)
    acted = time.perf_counter()
    if action == CONFIRM:
        message = emulator.get_message(user.id, shown)
        data = button_data(message.reply_markup if message else None, action)
        if message is None or data is None:
            raise LookupError(f"user {user.id}: no {action!r} button was shown")
        await emulator.callback_query(user, message, data)
    else:
        await emulator.user_message(user, None, action)
    async with asyncio.timeout(STEP_TIMEOUT):
        reached = await waiter
    took = Took(reached.replied - acted, reached.handed - acted, reached.arrived - reached.handed,
                reached.replied - reached.arrived)
    return took, reached.message_id


@dataclass(frozen=True)
class Pace:
    """A creator who reads before answering: one action per ``every`` seconds from ``start``
    (``time.perf_counter()``), review after review, until ``until``. Actions taken from
    ``measured_from`` on are measured."""

    every: float
    start: float
    measured_from: float
    until: float


async def creator(emulator: BenchEmulator, user_id: int, latencies: list[float],
                  errors: list[str], pace: Pace | None = None,
                  by_step: dict[str, list[float]] | None = None,
                  parts: list[Took] | None = None) -> int:
    """One creator: /review, every answer typed, then the "See my recommendation" button; the
    number of reviews completed.

    Without ``pace``, one review, each action as soon as the bot shows the next step."""
    user = emulator.register_user(User(user_id, f"User{user_id}"))
    shown = 0
    due = pace.start if pace else 0.0
    reviews = 0
    while True:
        for number, step in enumerate([REVIEW_COMMAND, *ANSWERS, CONFIRM], start=1):
            if pace:
                if due >= pace.until:
                    return reviews
                await asyncio.sleep(max(0.0, due - time.perf_counter()))  # a person reading
                due += pace.every
            acted = time.perf_counter()
            try:
                took, shown = await act(emulator, user, step, shown)
            except LookupError as error:
                errors.append(str(error))
                return reviews
            except TimeoutError:
                errors.append(f"user {user_id}: no answer to {step!r} in {STEP_TIMEOUT:.0f} s")
                return reviews
            if pace is None or acted >= pace.measured_from:
                latencies.append(took.total)
                if by_step is not None:
                    by_step.setdefault(f"{number}. {step}", []).append(took.total)
                if parts is not None:
                    parts.append(took)
        reviews += 1
        if pace is None:
            return reviews


def decisions(database: Path) -> int:
    """How many decisions the bot's SQLite file keeps."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


def decided(database: Path) -> int:
    """How many conversations in the bot's SQLite file are at the decision."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT snapshot_json FROM conversations").fetchall()
    return sum(json.loads(unpack(stored))["step"] == "decided" for (stored,) in rows)
