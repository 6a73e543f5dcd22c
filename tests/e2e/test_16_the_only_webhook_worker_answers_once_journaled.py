"""Issue 16: the only webhook worker (``WORKERS=1``) answers Telegram's post once the update is
journaled, before its replies go out, and a crash after that answer loses nothing: the next start
handles what was journaled. Several workers still handle each update before they answer."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser
from tests.support.waiting import eventually

from .conftest import WebhookWorker, free_port


def answered(emulator: BotApiEmulator, update_id: int) -> bool:
    return (update_id, 200) in emulator.webhook_attempts


def journaled(worker: WebhookWorker) -> list[int]:
    with sqlite3.connect(worker.database) as db:
        return [row[0] for row in db.execute("SELECT update_id FROM inbox")]


async def started(emulator: BotApiEmulator, folder: Path, **env: str) -> WebhookWorker:
    worker = WebhookWorker(emulator, folder, "worker", free_port(), **env)
    await worker.start()
    emulator.deliver_webhooks_to(worker.url)
    return worker


async def test_the_post_is_answered_before_the_reply_and_a_crash_then_loses_nothing(
        emulator: BotApiEmulator, maya: TelegramUser, tmp_path: Path) -> None:
    worker = await started(emulator, tmp_path)
    try:
        await maya.send("/review")
        await maya.wait_for_text("Question 1 of")
        sent = len(emulator.calls_to("sendMessage", finished=False))
        released = emulator.hold("sendMessage")  # Telegram slow to take the next reply
        await maya.send("Acme")
        update_id = int(emulator.update_log[-1]["update_id"])
        await emulator.wait_until(lambda: answered(emulator, update_id), what="the post answered")
        # answered while its reply is still on its way, and journaled until it is handled
        assert not any("Question 2 of" in (m.text or "") for m in maya.messages)
        await eventually(lambda: journaled(worker) == [update_id], "only that update journaled")

        await emulator.wait_for_calls("sendMessage", sent + 1, finished=False)  # on its way
        await worker.stop(signal.SIGKILL)  # killed before the reply got through
        released.set()
        await emulator.wait_until(
            lambda: any(c.ok is False for c in emulator.calls_to("sendMessage")),
            what="the dead worker's reply dropped")
        del emulator.holds["sendMessage"]
        worker = await started(emulator, tmp_path)

        asked = await maya.wait_for_text("Question 2 of")  # replayed from the journal
        assert "Acme" in (asked.text or "")
        await eventually(lambda: journaled(worker) == [], "the journal emptied")
        assert sum("Question 2 of" in (m.text or "") for m in maya.messages) == 1
    finally:
        await worker.stop(signal.SIGTERM)
        worker.assert_clean_log()


async def test_one_of_several_workers_answers_once_the_update_is_handled(
        emulator: BotApiEmulator, maya: TelegramUser, tmp_path: Path) -> None:
    worker = await started(emulator, tmp_path, WORKERS="2")
    try:
        await maya.send("/review")
        await maya.wait_for_text("Question 1 of")
        sent = len(emulator.calls_to("sendMessage", finished=False))
        released = emulator.hold("sendMessage")
        await maya.send("Acme")
        update_id = int(emulator.update_log[-1]["update_id"])
        await emulator.wait_for_calls("sendMessage", sent + 1, finished=False)
        assert not answered(emulator, update_id)  # the post waits for the reply
        released.set()
        await maya.wait_for_text("Question 2 of")
        await emulator.wait_until(lambda: answered(emulator, update_id), what="the post answered")
        assert journaled(worker) == []  # several workers keep no journal
    finally:
        await worker.stop(signal.SIGTERM)
        worker.assert_clean_log()


async def test_several_workers_starting_on_a_journal_left_unhandled_say_so(
        emulator: BotApiEmulator, tmp_path: Path) -> None:
    worker = await started(emulator, tmp_path, WORKERS="2")
    await worker.stop(signal.SIGTERM)
    with sqlite3.connect(worker.database) as db:  # what a crash of the only worker would leave
        db.execute("INSERT INTO inbox (update_id, payload_json, received_at) VALUES (?, ?, ?)",
                   (77, "{}", "2026-12-06T00:00:00+00:00"))
    worker = await started(emulator, tmp_path, WORKERS="2")
    try:
        await eventually(lambda: "did not handle: 1;" in worker.log(), "the error logged")
        assert "WORKERS=1" in worker.log()
        assert journaled(worker) == [77]  # left for the one worker or polling to replay
    finally:
        await worker.stop(signal.SIGTERM)
        worker.assert_clean_log()
