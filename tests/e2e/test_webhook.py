"""Webhook mode: the real worker process, Telegram's posts (emulated), the secret, the health check.

The emulator posts updates to the worker as Telegram posts to the public HTTPS URL that a proxy
forwards; unanswered posts are retried, as Telegram retries them.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.telegram.retrying import DELAYS
from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import ROOT, WebhookWorker, free_port


@pytest.fixture
async def worker(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[WebhookWorker]:
    process = WebhookWorker(emulator, tmp_path, "worker", free_port())
    await process.start()
    emulator.deliver_webhooks_to(process.url)
    try:
        yield process
    finally:
        await process.stop(signal.SIGTERM)
        process.assert_clean_log()


async def test_a_review_runs_over_the_webhook(worker: WebhookWorker, maya: TelegramUser,
                                              emulator: BotApiEmulator) -> None:
    assert emulator.webhook_url == "https://halo.example/telegram"
    assert emulator.webhook_secret == WebhookWorker.secret
    await maya.send("/review")
    await maya.wait_for_text("Question 1 of")
    await maya.send("Acme")
    await maya.wait_for_text("Question 2 of")
    await maya.press("✖️ Cancel", maya.last())
    await maya.wait_for_text("Review cancelled")
    assert all(status == 200 for _, status in emulator.webhook_attempts)


async def test_a_post_without_the_secret_is_refused_and_changes_nothing(
        worker: WebhookWorker) -> None:
    forged = {"update_id": 999, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 77, "type": "private"},
        "from": {"id": 77, "is_bot": False, "first_name": "Mallory"}, "text": "/review"}}
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-123456789"}):
            async with session.post(worker.url, json=forged, headers=headers) as response:
                assert response.status == 403
        async with session.post(worker.url, data=b"{not json", headers={
                "X-Telegram-Bot-Api-Secret-Token": WebhookWorker.secret}) as response:
            assert response.status == 400
    with sqlite3.connect(worker.database) as db:
        assert db.execute("SELECT COUNT(*) FROM conversations").fetchone() == (0,)


async def test_the_health_endpoint_reports_the_database(worker: WebhookWorker) -> None:
    async with aiohttp.ClientSession() as session, session.get(
            f"http://127.0.0.1:{worker.port}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "database": True}


async def test_missing_webhook_settings_are_one_line_and_exit_code_2(
        emulator: BotApiEmulator, tmp_path: Path) -> None:
    process = WebhookWorker(emulator, tmp_path, "bad", free_port(), WEBHOOK_SECRET="short")
    with pytest.raises(RuntimeError, match=r"\(2\):\nWEBHOOK_SECRET must be 16 to 256"):
        await process.start()


async def test_a_webhook_telegram_refuses_ends_the_worker_cleanly_with_one_line(
        emulator: BotApiEmulator, tmp_path: Path) -> None:
    worker = WebhookWorker(emulator, tmp_path, "refused", free_port())
    # Telegram's front end fails the registration, every time the bot tries (a passing 5xx
    # is tried again: see retrying.py)
    emulator.outage("setWebhook", len(DELAYS) + 1)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *WebhookWorker.args, cwd=ROOT, env=worker.env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    said = err.decode().strip().splitlines()  # the log (INFO here), then the one line
    assert "Telegram" in said[-1] and "INFO" not in said[-1], said
    everything = out.decode() + err.decode()
    assert "Traceback" not in everything and emulator.token.split(":", 1)[1] not in everything
    assert "not shut down properly" not in everything and "destroyed" not in everything
    with sqlite3.connect(worker.database) as db:  # the store was closed: nothing half-written
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
