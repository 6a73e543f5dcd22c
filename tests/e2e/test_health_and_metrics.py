"""Liveness, readiness and Prometheus metrics, as an operator scrapes them: a polling bot on
``HEALTH_PORT``, a webhook worker on its own port, and ``halo health`` for a container."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import ROOT, BotProcess, WebhookWorker, free_port


def samples(text: str) -> dict[str, float]:
    """Prometheus' text format, as ``{'name{labels}': value}``."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status, await answer.text()


def halo_health(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "HEALTH_"))}
    return subprocess.run([sys.executable, "-m", "bot", "health"], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60, check=False)


async def test_a_polling_bot_serves_liveness_readiness_and_metrics(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    port = free_port()
    bot = BotProcess(emulator, tmp_path, HEALTH_PORT=str(port))
    await bot.start()
    base = f"http://127.0.0.1:{port}"
    try:
        await maya.send("/start")
        await maya.wait_for_text("Halo Coach")
        emulator.outage("getUpdates", 1)  # Telegram fails one poll: retried, and counted
        await maya.send("/help")
        await maya.wait_for_text("/review", timeout=20)
        assert await get(f"{base}/livez") == (200, '{"ok": true}')
        assert (await get(f"{base}/healthz"))[0] == 200
        assert halo_health({"HEALTH_PORT": str(port)}).returncode == 0
        status, text = await get(f"{base}/metrics")
        assert status == 200
        metrics = samples(text)
        assert metrics['halo_updates_total{kind="message"}'] >= 2
        assert metrics["halo_update_seconds_count"] >= 2
        assert metrics['halo_bot_api_calls_total{method="sendMessage"}'] >= 2
        assert metrics['halo_bot_api_calls_total{method="getUpdates"}'] >= 1
        assert metrics['halo_bot_api_failures_total{error="502",method="getUpdates"}'] == 1
        assert "halo_journal_backlog" in metrics
        assert "Maya" not in text and "maya" not in text  # no names, no words
    finally:
        await bot.stop(signal.SIGTERM)
        bot.assert_clean_log()
    down = halo_health({"HEALTH_PORT": str(port)})
    assert down.returncode == 1 and "Not healthy" in down.stderr


async def test_a_webhook_worker_serves_metrics_on_its_port(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    worker = WebhookWorker(emulator, tmp_path, "worker", free_port())
    await worker.start()
    emulator.deliver_webhooks_to(worker.url)
    try:
        await maya.send("/start")
        await maya.wait_for_text("Halo Coach")
        status, text = await get(f"http://127.0.0.1:{worker.port}/metrics")
        metrics = samples(text)
        assert status == 200
        assert metrics['halo_updates_total{kind="message"}'] >= 1
        assert metrics['halo_bot_api_calls_total{method="setWebhook"}'] == 1
        assert halo_health({"WEBHOOK_URL": "https://halo.example/telegram",
                            "WEBHOOK_PORT": str(worker.port)}).returncode == 0
    finally:
        await worker.stop(signal.SIGTERM)
        worker.assert_clean_log()


def test_halo_health_with_nothing_to_check_says_so() -> None:
    result = halo_health({})
    assert result.returncode == 2 and "set HEALTH_PORT" in result.stderr
