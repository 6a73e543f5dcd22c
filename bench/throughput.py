"""Throughput of the Telegram layer: simulated creators each complete a whole review.

Real Telegram JSON comes in through ``getUpdates`` (so python-telegram-bot parses it into real
``Update`` objects, and the bot journals it and marks each handled, as ``halo run`` polls), goes
into the real ``Application`` with the real ``SQLiteStore`` on a temporary file, every template
is rendered, and every API call is answered in process by ``bench.common.BenchApi``
(``tests.support.offline.OfflineRequest``) with Telegram-shaped JSON. A bare python-telegram-bot
echo bot runs under the same harness as the baseline.

Users go in waves: each step of a wave is one getUpdates batch holding one update per user of the
wave, as Telegram hands a busy bot its backlog. The time of an update is its share of the batch's
getUpdates call plus its ``process_update``; the Telegram side (building the updates, checking
the decisions) is outside the clock.

    .venv/bin/python -m bench.throughput [--users N] [--wave N] [--breakdown-users N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ExtBot, MessageHandler, filters

from bench.common import (
    ANSWERS,
    CONFIRM,
    CORES,
    REVIEW_COMMAND,
    UPDATES_PER_REVIEW,
    BenchApi,
    ErrorLog,
    Figures,
    UpdateFeed,
    announce,
    button_data,
    ms,
    percentile,
    rate,
    us,
)
from bot.settings import Settings
from bot.store import ConversationKey, SQLiteStore, Transaction, open_store
from bot.telegram import delivery, handlers
from bot.telegram.app import build_application, settle_memory
from bot.telegram.journal import journal_of
from bot.telegram.send import RawSendBot
from flows.registry import FLOWS
from tests.support.offline import TOKEN

App = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Run:
    """What one bot did under the harness."""

    name: str
    updates: int = 0
    wall: float = 0.0  # on the clock: getUpdates + process_update
    cpu: float = 0.0
    gc_pause: float = 0.0
    gc_max: float = 0.0
    latencies: list[float] = field(default_factory=list)  # wall clock
    cpu_latencies: list[float] = field(default_factory=list)  # CPU time of the process
    breakdown: dict[str, float] = field(default_factory=dict)
    api_calls: int = 0

    @property
    def per_second(self) -> float:
        return self.updates / self.wall if self.wall else 0.0


class GcClock:
    """Total time the cyclic garbage collector paused the program."""

    def __init__(self) -> None:
        self.total = 0.0
        self.longest = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            pause = time.perf_counter() - self._start
            self.total += pause
            self.longest = max(self.longest, pause)

    @contextmanager
    def running(self) -> Iterator[GcClock]:
        gc.callbacks.append(self)
        try:
            yield self
        finally:
            gc.callbacks.remove(self)


# --- where the time goes -------------------------------------------------------------------


class Attribution:
    """Exclusive time per category: a timed call's time goes to its category minus the time of
    timed calls inside it. Valid here because updates are processed one at a time."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[list[Any]] = []
        self._undo: list[Callable[[], None]] = []

    def enter(self, category: str) -> None:
        self._stack.append([category, time.perf_counter(), 0.0])

    def leave(self) -> None:
        category, start, inner = self._stack.pop()
        spent = time.perf_counter() - start
        self.totals[category] += spent - inner
        if self._stack:
            self._stack[-1][2] += spent

    def sync(self, category: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(category)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        return timed

    def coroutine(self, category: str, fn: Callable[..., Awaitable[Any]]
                  ) -> Callable[..., Awaitable[Any]]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(category)
            try:
                return await fn(*args, **kwargs)
            finally:
                self.leave()
        return timed

    def context(self, category: str, fn: Callable[..., AbstractAsyncContextManager[Any]]
                ) -> Callable[..., AbstractAsyncContextManager[Any]]:
        """An async context manager factory whose enter and exit are timed, not its body."""
        @asynccontextmanager
        async def timed(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            self.enter(category)
            try:
                manager = fn(*args, **kwargs)
                value = await manager.__aenter__()
            finally:
                self.leave()
            try:
                yield value
            except BaseException as error:
                self.enter(category)
                try:
                    if not await manager.__aexit__(type(error), error, error.__traceback__):
                        raise
                finally:
                    self.leave()
            else:
                self.enter(category)
                try:
                    await manager.__aexit__(None, None, None)
                finally:
                    self.leave()
        return timed

    def patch(self, owner: Any, name: str, wrapper: Callable[..., Any]) -> None:
        """Replace ``owner.name`` until ``restore()`` (frozen dataclasses included)."""
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        if original is None:
            return
        setter = object.__setattr__ if _is_frozen(owner) else setattr
        setter(owner, name, wrapper)
        self._undo.append(lambda: setter(owner, name, original))

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


def _is_frozen(owner: Any) -> bool:
    params = getattr(type(owner), "__dataclass_params__", None)
    return bool(params and params.frozen)


PTB_API = "PTB: Bot API methods (request building, response parsing)"
PTB_DISPATCH = "PTB: dispatch (handlers, filters, contexts)"
PTB_UPDATES = "PTB: getUpdates (Update.de_json)"
HARNESS = "harness: in-process Bot API (outside the bot)"
GLUE = "bot: conversation service and Telegram handlers (locks, pacer, checks)"
FLOW = "flow: advance, summaries (flows/)"
RENDER = "rendering: templates, keyboards (prompts/, render.py)"
STORE = "store: SQLite + snapshot JSON + journal"
HANDLER = "echo handler"


def instrument_ptb(attribution: Attribution, application: App, api: BenchApi,
                   handler_category: str) -> None:
    """Time PTB's API methods, the stand-in Bot API and the registered handler callbacks."""
    for method in ("send_message", "edit_message_text", "answer_callback_query",
                   "send_document"):
        if method in ExtBot.__dict__:
            attribution.patch(ExtBot, method,
                              attribution.coroutine(PTB_API, ExtBot.__dict__[method]))
    attribution.patch(api, "do_request", attribution.coroutine(HARNESS, api.do_request))
    for group in application.handlers.values():
        for handler in group:
            handler.callback = attribution.coroutine(  # type: ignore[assignment]
                handler_category, handler.callback)


def instrument_halo(attribution: Attribution, application: App, api: BenchApi,
                    store: SQLiteStore) -> None:
    instrument_ptb(attribution, application, api, GLUE)
    # the bot's own sends and edits enter PTB at ``RawSendBot.call`` (the rate limiter's door)
    attribution.patch(RawSendBot, "call",
                      attribution.coroutine(PTB_API, RawSendBot.__dict__["call"]))
    for flow_class in {type(flow) for flow in FLOWS.values()}:
        for name in ("advance", "current", "begin_with"):
            if name in flow_class.__dict__:  # an inherited one is timed where it is defined
                attribution.patch(flow_class, name,
                                  attribution.sync(FLOW, flow_class.__dict__[name]))
    for spec in FLOWS.values():
        for name in ("summarize", "present", "draft", "export", "handoff"):
            if callable(getattr(spec, name, None)):
                attribution.patch(spec, name, attribution.sync(FLOW, getattr(spec, name)))
    for module in (delivery, handlers):
        for name in ("message_html", "keyboard", "menu_keyboard", "document_bytes", "render",
                     "label"):
            if hasattr(module, name):
                attribution.patch(module, name,
                                  attribution.sync(RENDER, getattr(module, name)))
    for name in ("load", "handled", "journal", "history", "decision", "forget", "set_shown"):
        attribution.patch(store, name, attribution.coroutine(STORE, getattr(store, name)))
    attribution.patch(store, "transaction", attribution.context(STORE, store.transaction))
    for name in ("save", "record_decision"):
        attribution.patch(Transaction, name, attribution.sync(STORE, Transaction.__dict__[name]))


# --- the two bots ----------------------------------------------------------------------------


def settings_for(folder: str) -> Settings:
    return Settings(telegram_bot_token=SecretStr(TOKEN),
                    database_url=f"sqlite:///{folder}/halo.db",
                    chat_messages_per_second=1e9,  # the per-chat pacer never sleeps here
                    _env_file=None)  # type: ignore[call-arg]


async def echo(update: Update, context: Any) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


STEPS = [REVIEW_COMMAND, *ANSWERS, CONFIRM]


class Harness:
    """One bot under the harness: feeds it waves of users through getUpdates, on the clock."""

    def __init__(self, run: Run, application: App, api: BenchApi, figures: Figures, *,
                 press: bool, attribution: Attribution | None = None) -> None:
        self.run = run
        self.figures = figures
        self.application = application
        self.api = api
        self.press = press  # press "See my recommendation"; the echo bot gets its label typed
        self.attribution = attribution
        self.feed = UpdateFeed()
        self.offset = 0
        self.step_times: dict[int, list[float]] = defaultdict(list)

    def _timed(self, category: str) -> None:
        if self.attribution:
            self.attribution.enter(category)

    def _untimed(self) -> None:
        if self.attribution:
            self.attribution.leave()

    async def wave(self, ids: list[int], steps: int = len(STEPS)) -> None:
        """Every user of ``ids`` goes through the review (its first ``steps`` updates), one
        getUpdates batch a step."""
        run = self.run
        for number, step in enumerate(STEPS[:steps]):
            batch = []
            for user in ids:
                if step == CONFIRM and self.press:
                    message_id, markup = self.api.keyboards.get(user, (0, None))
                    data = button_data(markup, CONFIRM)
                    if data is None:
                        self.figures.error(f"user {user}: no {CONFIRM!r} button was shown")
                        continue
                    batch.append(self.feed.press(user, data, message_id))
                else:
                    batch.append(self.feed.text(user, step))
            if not batch:
                continue
            self.api.inbox = batch
            wall, cpu = time.perf_counter(), time.process_time()
            self._timed(PTB_UPDATES)
            updates = await self.application.bot.get_updates(offset=self.offset, timeout=0)
            self._untimed()
            share = (time.perf_counter() - wall) / len(updates)
            cpu_share = (time.process_time() - cpu) / len(updates)
            for update in updates:
                start, start_cpu = time.perf_counter(), time.process_time()
                self._timed(PTB_DISPATCH)
                await self.application.process_update(update)
                self._untimed()
                spent = time.perf_counter() - start + share
                run.latencies.append(spent)
                run.cpu_latencies.append(time.process_time() - start_cpu + cpu_share)
                self.step_times[number].append(spent)
            run.wall += time.perf_counter() - wall
            run.cpu += time.process_time() - cpu
            run.updates += len(updates)
            self.offset = updates[-1].update_id + 1
        run.api_calls = sum(n for method, n in self.api.counts.items() if method != "getUpdates")

    def slowest_steps(self, count: int) -> list[tuple[str, float]]:
        medians = [(STEPS[n] if n else REVIEW_COMMAND, percentile(times, 50))
                   for n, times in self.step_times.items()]
        return sorted(medians, key=lambda item: -item[1])[:count]


@asynccontextmanager
async def halo_bot(figures: Figures, *, breakdown: bool = False, folder: str | None = None
                   ) -> AsyncIterator[Harness]:
    """Halo Coach as built by ``build_application``, its store on a SQLite file in ``folder``
    (a temporary one by default)."""
    with tempfile.TemporaryDirectory(prefix="halo-bench-") as temporary:
        folder = folder or temporary
        store = open_store(settings_for(folder).database_url)
        assert isinstance(store, SQLiteStore)
        api = BenchApi()
        application = build_application(settings_for(folder), store, request=api,
                                        rate_limit=False)
        journal_of(application).keep()  # as ``halo run`` polls
        await application.initialize()
        attribution = Attribution() if breakdown else None
        if attribution:
            instrument_halo(attribution, application, api, store)
        harness = Harness(Run("Halo Coach"), application, api, figures, press=True,
                          attribution=attribution)
        users = 0
        original_wave = harness.wave

        async def wave(ids: list[int], steps: int = len(STEPS)) -> None:
            nonlocal users
            await original_wave(ids, steps)
            if steps < len(STEPS):
                return
            users += len(ids)
            for user in ids:  # off the clock: did every user reach the decision?
                snapshot = await store.load(ConversationKey.private(user, user))
                step = None if snapshot is None else snapshot.step
                if step != "decided":
                    figures.error(f"user {user} ended at step {step!r}, not 'decided'")

        harness.wave = wave  # type: ignore[method-assign]
        try:
            yield harness
        finally:
            if attribution:
                attribution.restore()
                harness.run.breakdown = dict(attribution.totals)
            await application.shutdown()
            counts = await store.count()
            await store.close()
        if counts["decisions"] != users:
            figures.error(f"{counts['decisions']} decisions stored for {users} users")


@asynccontextmanager
async def echo_bot(figures: Figures, *, breakdown: bool = False) -> AsyncIterator[Harness]:
    """A bare python-telegram-bot echo bot: one MessageHandler, reply_text(the same text)."""
    api = BenchApi()
    application = (ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api)
                   .build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    attribution = Attribution() if breakdown else None
    if attribution:
        instrument_ptb(attribution, application, api, HANDLER)
    harness = Harness(Run("echo bot"), application, api, figures, press=False,
                      attribution=attribution)
    try:
        yield harness
    finally:
        if attribution:
            attribution.restore()
            harness.run.breakdown = dict(attribution.totals)
        await application.shutdown()
    if api.counts["sendMessage"] != harness.run.updates:
        figures.error(f"the echo bot answered {api.counts['sendMessage']} of "
                      f"{harness.run.updates} updates")


async def race(users: int, wave: int, figures: Figures) -> tuple[Run, Run, Harness]:
    """Both bots, wave by wave in turn, so a change in the machine's load hits both alike."""
    async with echo_bot(figures) as echo_harness, halo_bot(figures) as halo_harness:
        for first in range(1, users + 1, wave):
            ids = list(range(first, min(first + wave, users + 1)))
            for harness in (echo_harness, halo_harness):
                with GcClock().running() as clock:
                    await harness.wave(ids)
                harness.run.gc_pause += clock.total
                harness.run.gc_max = max(harness.run.gc_max, clock.longest)
    return echo_harness.run, halo_harness.run, halo_harness


async def detail(users: int, wave: int, figures: Figures) -> list[Run]:
    """The instrumented runs, one bot after the other (the patches are process-wide)."""
    runs = []
    for bot in (echo_bot, halo_bot):
        async with bot(figures, breakdown=True) as harness:
            for first in range(1, users + 1, wave):
                await harness.wave(list(range(first, min(first + wave, users + 1))))
        runs.append(harness.run)
    return runs


# --- the report --------------------------------------------------------------------------------


def print_breakdown(runs: list[Run]) -> None:
    print(f"\nWhere the time goes (exclusive time per update, instrumented run; {CORES} cores)")
    for run in runs:
        total = sum(run.breakdown.values())
        print(f"  {run.name}: {us(total / run.updates)} per update on the clock "
              f"(instrumentation included), {run.api_calls / run.updates:.2f} API calls per update")
        for category, spent in sorted(run.breakdown.items(), key=lambda item: -item[1]):
            print(f"    {spent / run.updates * 1e6:8.0f} µs  {100 * spent / total:5.1f}%  "
                  f"{category}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=400,
                        help="simulated creators, each completes a whole review (default 400)")
    parser.add_argument("--wave", type=int, default=100,
                        help="users in progress at once: one getUpdates batch (default 100)")
    parser.add_argument("--breakdown-users", type=int, default=100,
                        help="users of the instrumented run for the breakdown (0: skip it)")
    args = parser.parse_args()
    figures = Figures("bench/throughput.py")
    errors = ErrorLog.install()
    settle_memory()  # the collector as the bot process sets it (both bots share this process)
    started = announce()
    print(f"{args.users} users x {UPDATES_PER_REVIEW} updates, waves of {args.wave}, "
          "echo bot and Halo Coach in turn wave by wave", flush=True)

    echo_run, halo, halo_harness = await race(args.users, args.wave, figures)
    for run in (echo_run, halo):
        print(f"  {run.name}: {run.updates} updates, {run.wall:.1f} s on the clock, "
              f"{run.cpu:.1f} s CPU, {run.api_calls / run.updates:.2f} API calls per update; "
              f"GC paused {us(run.gc_pause / run.updates)} per update on average, "
              f"longest pause {ms(run.gc_max)}")
    slowest = ", ".join(f"{step!r} {ms(t)}" for step, t in halo_harness.slowest_steps(4))
    print(f"  Halo Coach slowest steps (median time per update): {slowest}", flush=True)

    echo_rate, halo_rate = echo_run.per_second, halo.per_second
    figures.add(f"echo bot: updates per second ({CORES} cores)", "", rate(echo_rate), None)
    figures.add("echo bot: CPU time per update", "", ms(echo_run.cpu / echo_run.updates), None)
    figures.add("echo bot: p50 time per update", "", ms(percentile(echo_run.latencies, 50)),
                None)
    figures.add("echo bot: p99 time per update", "", ms(percentile(echo_run.latencies, 99)),
                None)
    figures.add("echo bot: p99 CPU time per update", "",
                ms(percentile(echo_run.cpu_latencies, 99)), None)
    figures.add(f"Halo Coach: updates per second ({CORES} cores)",
                f">= 40% of echo = {rate(0.4 * echo_rate)}", rate(halo_rate),
                halo_rate >= 0.4 * echo_rate)
    figures.add("Halo Coach: CPU time per update", "", ms(halo.cpu / halo.updates), None)
    figures.add("Halo Coach: p50 time per update", "", ms(percentile(halo.latencies, 50)), None)
    p99 = percentile(halo.latencies, 99)
    figures.add("Halo Coach: p99 time per update", "< 2 ms", ms(p99), p99 < 0.002)
    p99_cpu = percentile(halo.cpu_latencies, 99)
    figures.add("Halo Coach: p99 CPU time per update", "< 2 ms", ms(p99_cpu), p99_cpu < 0.002)
    ratio = halo_rate / echo_rate
    figures.add("Halo / echo throughput (wall clock)", ">= 40%", f"{ratio:.0%}", ratio >= 0.40)
    cpu_ratio = (echo_run.cpu / echo_run.updates) / (halo.cpu / halo.updates)
    figures.add("Halo / echo throughput (by CPU time per update)", ">= 40%", f"{cpu_ratio:.0%}",
                cpu_ratio >= 0.40)

    if args.breakdown_users > 0:
        users = min(args.users, args.breakdown_users)
        print_breakdown(await detail(users, min(args.wave, users), figures))

    for record in errors.records:
        figures.error(f"logged: {record}")
    return figures.finish(started)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
