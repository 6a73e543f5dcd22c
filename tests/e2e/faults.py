"""A fault-injecting HTTP proxy in front of the Bot API emulator (``emulator.py``).

The bot's ``TELEGRAM_API_URL`` points here; each call is forwarded to the emulator unless the
seeded plan gives it a fault:

- ``429``: "Too Many Requests" with a ``retry_after``, not forwarded (Telegram's flood control);
- ``5xx``: 500, 502 or 503, not forwarded (Telegram's front end failing);
- ``reset``: the connection is cut before the call is forwarded (not applied);
- ``lost``: forwarded and applied, then the connection is cut before the answer (applied, the
  bot never learns it);
- ``late``: forwarded and applied, the answer held ``late_seconds`` (beyond the bot's read
  timeout, it is a lost answer that the bot gives up on).

Whether a call gets a fault is drawn from ``(seed, method, chat, how many calls of that method
that chat had)``, so one person's faults do not depend on how the people's calls interleave: a
run is repeatable. ``getUpdates`` passes untouched unless a mix names it (the polling loop's own
back-off is seconds long).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.emulator import BotApiEmulator

KINDS = ("429", "5xx", "reset", "lost", "late")


@dataclass(frozen=True)
class FaultMix:
    """What share of calls fail, and how (each kind in ``kinds`` equally likely)."""

    name: str
    rate: float
    kinds: tuple[str, ...] = KINDS
    methods: frozenset[str] | None = None  # None: every method but getUpdates
    late_seconds: float = 1.0
    retry_after: float = 1.0  # what a 429 asks the bot to wait (Telegram sends whole seconds)

    def covers(self, method: str) -> bool:
        return method != "getUpdates" if self.methods is None else method in self.methods


@dataclass
class Injected:
    """One fault the proxy injected."""

    method: str
    chat: int
    kind: str


def _draw(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts`` (the same on every run and platform)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class FaultProxy:
    """``http://127.0.0.1:<port>`` forwarding to ``emulator`` with the faults of ``mix``."""

    def __init__(self, emulator: BotApiEmulator, mix: FaultMix, seed: int = 0) -> None:
        self.emulator = emulator
        self.mix = mix
        self.seed = seed
        self.port = 0
        self.injected: list[Injected] = []
        self.calls: Counter[tuple[str, int]] = Counter()  # (method, chat) -> calls so far
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def counts(self) -> Counter[str]:
        return Counter(fault.kind for fault in self.injected)

    async def __aenter__(self) -> FaultProxy:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    def _chat(self, method: str, body: bytes, content_type: str) -> int:
        params: Any = {}
        if content_type == "application/json" and body:
            try:
                params = json.loads(body)
            except ValueError:
                params = {}
        if not isinstance(params, dict):
            return 0
        if method == "answerCallbackQuery":
            query = self.emulator.callback_queries.get(str(params.get("callback_query_id")))
            return query.chat_id if query is not None else 0
        try:
            return int(params.get("chat_id") or 0)
        except (TypeError, ValueError):
            return 0

    def _fault(self, method: str, chat: int) -> str | None:
        n = self.calls[(method, chat)]
        self.calls[(method, chat)] += 1
        if not self.mix.covers(method) or _draw(self.seed, method, chat, n) >= self.mix.rate:
            return None
        kinds = self.mix.kinds
        return kinds[int(_draw(self.seed, method, chat, n, "kind") * len(kinds))]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        method = request.path.rsplit("/", 1)[-1]
        chat = self._chat(method, body, request.content_type)
        kind = self._fault(method, chat)
        if kind is not None:
            self.injected.append(Injected(method, chat, kind))
        if kind == "429":
            wait = self.mix.retry_after
            return web.json_response({
                "ok": False, "error_code": 429, "parameters": {"retry_after": wait},
                "description": f"Too Many Requests: retry after {wait:g}"}, status=429)
        if kind == "5xx":
            status = (500, 502, 503)[int(_draw(self.seed, method, chat, "status") * 3)]
            return web.json_response({"ok": False, "error_code": status,
                                      "description": "Internal Server Error"}, status=status)
        if kind == "reset":
            return self._cut(request)
        assert self._session is not None
        headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}
        async with self._session.request(
                request.method, f"http://127.0.0.1:{self.emulator.port}{request.path_qs}",
                data=body, headers=headers) as upstream:
            payload, status = await upstream.read(), upstream.status
        if kind == "lost":
            return self._cut(request)
        if kind == "late":
            await asyncio.sleep(self.mix.late_seconds)  # the fault itself: a late answer
        return web.Response(body=payload, status=status, content_type="application/json")

    @staticmethod
    def _cut(request: web.Request) -> web.StreamResponse:
        """Drop the connection without an answer (the client sees it reset)."""
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=204)  # never written: the connection is gone
