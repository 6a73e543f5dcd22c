"""Issue 16: the only webhook worker answers a post once its update is journaled and handles it
after. One chat's updates are still handled one after the other, in the order they came (the
next may be posted as soon as the first is answered); other chats' go at once; past the limit of
updates handled behind their answers a post waits for its own; a journal that cannot be written
takes nothing (500: Telegram posts it again).

The webhook's HTTP side runs for real on a free port; the application and the store are stand-ins
that record what reaches them and hold each update until the test lets it finish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from telegram import Bot

from bot.telegram.webhook import SECRET_HEADER, HandledBehind, webhook_app
from tests.support.offline import TOKEN

SECRET = "webhook-secret-0123456789"
MAYA, LEO = 501, 502


class Application:
    """Records when each update starts and ends; an update ends once its gate is opened."""

    def __init__(self) -> None:
        self.bot = Bot(TOKEN)
        self.events: list[tuple[str, int]] = []
        self.gates: dict[int, asyncio.Event] = {}
        self.changed = asyncio.Condition()

    def gate(self, update_id: int) -> asyncio.Event:
        return self.gates.setdefault(update_id, asyncio.Event())

    async def process_update(self, update: Any) -> None:
        await self._note("start", update.update_id)
        await self.gate(update.update_id).wait()
        await self._note("end", update.update_id)

    async def _note(self, what: str, update_id: int) -> None:
        async with self.changed:
            self.events.append((what, update_id))
            self.changed.notify_all()

    async def started(self, update_id: int) -> None:
        async with asyncio.timeout(5), self.changed:
            await self.changed.wait_for(lambda: ("start", update_id) in self.events)


class Journal:
    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.written: list[list[int]] = []

    async def journal(self, updates: list[tuple[int, str]]) -> None:
        if self.fails:
            raise OSError("disk full")
        self.written.append([update_id for update_id, _ in updates])

    async def unhandled(self) -> list[tuple[int, str]]:
        return []


def update(update_id: int, chat: int) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "Maya"}, "text": "Acme"}}


@asynccontextmanager
async def serving(application: Application, journal: Journal, most_behind: int = 10
                  ) -> AsyncIterator[tuple[aiohttp.ClientSession, str, HandledBehind]]:
    behind = HandledBehind(application, most_behind)  # type: ignore[arg-type]
    app = webhook_app(application, journal, SECRET, "/telegram", behind)  # type: ignore[arg-type]
    async with TestServer(app) as server, aiohttp.ClientSession() as session:
        try:
            yield session, str(server.make_url("/telegram")), behind
        finally:
            for gate in application.gates.values():
                gate.set()
            await behind.finish()


async def post(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> int:
    async with session.post(url, json=body, headers={SECRET_HEADER: SECRET}) as response:
        return response.status


async def test_a_chats_next_update_waits_for_the_one_before_and_other_chats_do_not() -> None:
    application, journal = Application(), Journal()
    async with serving(application, journal) as (session, url, _):
        # all three answered at once, none handled yet: each was journaled first
        posted = [(1, MAYA), (2, MAYA), (3, LEO)]
        assert [await post(session, url, update(*each)) for each in posted] == [200, 200, 200]
        assert [one for written in journal.written for one in written] == [1, 2, 3]
        await application.started(3)  # Leo's goes at once
        assert ("start", 2) not in application.events  # Maya's second waits for her first
        application.gate(1).set()
        await application.started(2)
        assert application.events.index(("end", 1)) < application.events.index(("start", 2))


async def test_past_the_limit_a_post_waits_for_its_update() -> None:
    application = Application()
    async with serving(application, Journal(), most_behind=1) as (session, url, _):
        assert await post(session, url, update(1, MAYA)) == 200  # answered, handled behind
        second = asyncio.ensure_future(post(session, url, update(2, LEO)))
        await application.started(2)
        assert not second.done()  # one is already handled behind its answer: this one waits
        application.gate(2).set()
        assert await second == 200


async def test_an_update_that_cannot_be_journaled_is_not_taken() -> None:
    application = Application()
    async with serving(application, Journal(fails=True)) as (session, url, behind):
        assert await post(session, url, update(1, MAYA)) == 500  # Telegram posts it again
        assert application.events == [] and not behind.tasks
