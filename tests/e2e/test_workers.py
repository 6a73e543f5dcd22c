"""Two webhook workers behind a round-robin load balancer, sharing one PostgreSQL database.

The load balancer is the test's own (nginx is not installed on a fresh machine): like nginx with
``proxy_next_upstream error``, it alternates between workers and skips a dead one.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.store.base import stored_record, unpack
from bot.store.postgres import LINES_APART
from tests.storage.conftest import POSTGRES_SERVER, pg_sync, require_postgres, with_options
from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser, visible_text

from .conftest import BotProcess, WebhookWorker, free_port


class RoundRobin:
    """A tiny HTTP load balancer on loopback: next worker each request, skipping dead ones."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self.hits = {target: 0 for target in targets}
        self._next = itertools.cycle(range(len(targets)))
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/telegram"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-")}
        first = next(self._next)
        async with aiohttp.ClientSession() as session:
            for offset in range(len(self.targets)):
                target = self.targets[(first + offset) % len(self.targets)]
                try:
                    async with session.post(target, data=body, headers=headers) as answer:
                        self.hits[target] += 1
                        return web.Response(status=answer.status)
                except aiohttp.ClientConnectionError:
                    continue  # that worker is down: the next one takes the update
        return web.Response(status=502)


@pytest.fixture
async def shared_database() -> AsyncIterator[str]:
    require_postgres()
    schema = f"halo_e2e_{secrets.token_hex(4)}"
    yield with_options(POSTGRES_SERVER, schema=schema)
    pg_sync(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
async def workers(emulator: BotApiEmulator, tmp_path: Path, shared_database: str
                  ) -> AsyncIterator[list[WebhookWorker]]:
    pair = [WebhookWorker(emulator, tmp_path, f"worker{n}", free_port(),
                          DATABASE_URL=shared_database, WORKERS="2") for n in (1, 2)]
    await asyncio.gather(*(worker.start() for worker in pair))  # both migrate at once
    try:
        yield pair
    finally:
        await asyncio.gather(*(worker.stop(signal.SIGTERM) for worker in pair))
        for worker in pair:
            worker.assert_clean_log()


def stored(database: str, user: int) -> dict[str, object]:
    """The user's conversation as stored: its snapshot, and the update ids it applied."""
    schema = database.rsplit("schema=", 1)[1]
    rows = pg_sync("SELECT snapshot, snapshot_json, applied FROM conversations"
                   " WHERE user_id = $1", user, schema=schema)
    if not rows:
        return {}
    deflated, text, applied = rows[0]
    # the JSON, then (schema 11) the record's answered lines after LINES_APART
    snapshot = unpack(bytes(deflated) if isinstance(deflated, bytes) else str(text))
    snapshot = snapshot.partition(LINES_APART)[0]
    return {**json.loads(snapshot),
            "applied": list(stored_record(None, str(applied), None, snapshot).applied)}


CAUTIONARY = ["/review", "FitFuel", "Chalk protein", "health", "A few posts", "exact", "$500",
              "skip", "A lot, I need it", "none"]


async def review(user: TelegramUser, after: asyncio.Event | None = None) -> None:
    for number, text in enumerate(CAUTIONARY, start=1):
        if after is not None and number == 4:
            await after.wait()
        await user.send(text)
        await user.wait_for_text(f"Question {number} of", timeout=20)
    await user.send("Tried it, didn't like it")
    await user.wait_for_text("Your reply: decline", timeout=20)


async def test_reviews_complete_across_two_workers_and_survive_one_dying(
        emulator: BotApiEmulator, workers: list[WebhookWorker], shared_database: str) -> None:
    balancer = RoundRobin([worker.url for worker in workers])
    await balancer.start()
    try:
        emulator.deliver_webhooks_to(balancer.url)
        users = [TelegramUser(emulator, 3000 + n, f"Creator{n}") for n in range(4)]
        halfway = asyncio.Event()
        running = [asyncio.create_task(review(user, halfway)) for user in users]
        await emulator.wait_until(lambda: all(len(u.messages) >= 3 for u in users),
                                  timeout=20, what="every review under way")
        assert all(hits > 0 for hits in balancer.hits.values()), balancer.hits
        await workers[0].stop(signal.SIGKILL)  # mid-run; the other worker carries on
        halfway.set()
        await asyncio.wait_for(asyncio.gather(*running), timeout=90)
    finally:
        await balancer.stop()
    for user in users:
        snapshot = stored(shared_database, user.id)
        assert snapshot["step"] == "decided"
        assert snapshot["answers"]["brand"] == "FitFuel"  # type: ignore[index]
        assert snapshot["answers"]["tried"] == "disliked"  # type: ignore[index]
        card = next(m for m in user.messages if "My recommendation" in visible_text(m))
        assert "decline" in visible_text(card)


async def test_one_conversation_posted_to_both_workers_at_once_applies_both(
        emulator: BotApiEmulator, workers: list[WebhookWorker], shared_database: str,
        maya: TelegramUser) -> None:
    """Telegram posts one chat's updates one at a time; if two arrive together anyway (a retry
    racing the next update), they are applied one after the other (a save that meets the other's
    is refused and run again holding the row): in order, both taken; or, when the newer one is
    saved first, the older one is never applied to the later question (it was given for an
    earlier one) and the person is told so."""
    emulator.deliver_webhooks_to(workers[0].url)
    await maya.send("/review")
    await maya.wait_for_text("Question 1 of", timeout=20)
    emulator.webhook_target = ""  # hold Telegram's posts: the test delivers the next two itself
    await maya.send("Acme")
    await maya.send("Serum")
    first, second = emulator.updates[-2:]
    emulator.updates = emulator.updates[:-2]
    headers = {"X-Telegram-Bot-Api-Secret-Token": WebhookWorker.secret}
    async with aiohttp.ClientSession() as session:
        answers = await asyncio.gather(*(
            session.post(worker.url, json=update, headers=headers)
            for worker, update in zip(workers, (first, second), strict=True)))
        assert [answer.status for answer in answers] == [200, 200]
        for answer in answers:
            answer.release()
    snapshot = stored(shared_database, maya.id)
    answers_given = snapshot["answers"]
    assert isinstance(answers_given, dict)
    if answers_given["brand"] == "Acme":  # in order: both taken
        assert answers_given["product"] == "Serum"
        assert snapshot["step"] == "ask_category"
        assert {first["update_id"], second["update_id"]} <= set(snapshot["applied"])  # type: ignore[arg-type]
    else:  # "Serum" first: "Acme" is not taken as the product, and Maya hears why
        assert {k: v for k, v in answers_given.items() if k != "signature"} == {"brand": "Serum"}
        assert snapshot["step"] == "ask_product"
        await maya.wait_for_text("reached me only now", timeout=20)


async def test_polling_mode_on_postgres_survives_a_kill(
        emulator: BotApiEmulator, tmp_path: Path, shared_database: str,
        maya: TelegramUser) -> None:
    polling = BotProcess(emulator, tmp_path, "polling", DATABASE_URL=shared_database)
    await polling.start()
    try:
        await maya.send("/review")
        await maya.wait_for_text("Question 1 of", timeout=20)
        await maya.send("Acme")
        await maya.wait_for_text("Question 2 of", timeout=20)
        await polling.stop(signal.SIGKILL)
        await maya.send("Serum")  # sent while the bot is down
        await polling.start()
        await maya.wait_for_text("Question 3 of", timeout=20)
        answers = stored(shared_database, maya.id)["answers"]
        assert isinstance(answers, dict)
        assert {k: answers[k] for k in ("brand", "product")} == {"brand": "Acme",
                                                                 "product": "Serum"}
    finally:
        await polling.stop(signal.SIGTERM)
    polling.assert_clean_log()
