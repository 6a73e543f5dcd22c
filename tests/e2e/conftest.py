"""End-to-end fixtures: the Bot API emulator, and the real ``halo run`` process polling it.

The bot runs as a separate process over HTTP, exactly as it would against api.telegram.org; a
test can kill it (SIGKILL included) and start it again on the same database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

ROOT = Path(__file__).resolve().parents[2]
# how long a bot process may take to start: a deadline, not a wait; generous because a 2-core
# machine under load (two workers importing and migrating at once) has taken over 20 s
STARTUP = 60


class BotProcess:
    """``python -m bot.cli run`` against the emulator, with its log in a file."""

    args: tuple[str, ...] = ("run",)

    def __init__(self, emulator: BotApiEmulator, data_dir: Path, name: str = "bot",
                 **env: str) -> None:
        self.emulator = emulator
        self.database = data_dir / "halo.db"
        self.log_path = data_dir / f"{name}.log"
        self.env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{emulator.port}",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "CHAT_MESSAGES_PER_SECOND": "200",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        before = self.readiness()
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", *self.args, cwd=ROOT, env=self.env,
                stdout=log, stderr=asyncio.subprocess.STDOUT, stdin=asyncio.subprocess.DEVNULL)
        process = self.process
        ready = asyncio.create_task(self.emulator.wait_until(
            lambda: self.readiness() > before, timeout=STARTUP, what="the bot to start"))
        died = asyncio.create_task(process.wait())
        await asyncio.wait({ready, died}, return_when=asyncio.FIRST_COMPLETED)
        if died.done():
            ready.cancel()
            self.process = None
            raise RuntimeError(f"the bot exited at start ({process.returncode}):\n{self.log()}")
        died.cancel()
        ready.result()

    def readiness(self) -> int:
        """Grows when the bot is ready: in polling mode, once it has asked for updates."""
        return len(self.emulator.calls_to("getUpdates", finished=False))

    async def stop(self, sig: int = signal.SIGKILL) -> None:
        """Signal the bot and wait for it to exit (the emulator keeps serving meanwhile)."""
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            process.send_signal(sig)
            await asyncio.wait_for(process.wait(), timeout=20)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") \
            if self.log_path.exists() else ""

    def assert_clean_log(self) -> None:
        """Once stopped: the bot token never reached its log, and nothing crashed."""
        log = self.log()
        assert self.emulator.token.split(":", 1)[1] not in log, "the bot token reached the log"
        assert "Traceback" not in log, log


class WebhookWorker(BotProcess):
    """``python -m bot.cli run --webhook``: ready once it has registered its webhook."""

    args = ("run", "--webhook")
    secret = "e2e-webhook-secret-0123456789"

    def __init__(self, emulator: BotApiEmulator, data_dir: Path, name: str, port: int,
                 **env: str) -> None:
        settings = {"WEBHOOK_URL": "https://halo.example/telegram", "WEBHOOK_SECRET": self.secret,
                    "WEBHOOK_PORT": str(port), "WEBHOOK_LISTEN": "127.0.0.1", **env}
        super().__init__(emulator, data_dir, name, **settings)
        self.port = port
        self.url = f"http://127.0.0.1:{port}/telegram"

    def readiness(self) -> int:
        return len(self.emulator.calls_to("setWebhook"))

    async def start(self) -> None:
        # another worker's setWebhook may have satisfied the wait: also wait for our own port
        await super().start()
        deadline = asyncio.get_running_loop().time() + STARTUP
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as answer:
                        if answer.status == 200:
                            return
                except aiohttp.ClientConnectionError:
                    pass
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(f"worker on port {self.port} never became healthy")
                await asyncio.sleep(0.05)  # a poll interval under a deadline, not a guess


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
async def bot(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(emulator, tmp_path)
    await process.start()
    try:
        yield process
    finally:
        await process.stop(signal.SIGTERM)
        process.assert_clean_log()


@pytest.fixture
def maya(emulator: BotApiEmulator) -> TelegramUser:
    return TelegramUser(emulator, 1001, "Maya", username="maya_fit")


@pytest.fixture
def leo(emulator: BotApiEmulator) -> TelegramUser:
    return TelegramUser(emulator, 1002, "Leo")
