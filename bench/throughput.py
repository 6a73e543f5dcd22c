"""Throughput of the Telegram layer: simulated creators each complete a whole review.

Real Telegram JSON comes in through ``getUpdates`` (so python-telegram-bot parses it into real
``Update`` objects, and the bot journals it and marks each handled, as ``halo run`` polls), goes
into the real ``Application`` with the real ``SQLiteStore`` on a temporary file, every template
is rendered, and every API call is answered in process by ``bench.common.BenchApi``
(``tests.support.offline.OfflineRequest``) with Telegram-shaped JSON.

Two baselines run under the same harness, wave by wave in turn with Halo Coach. A bare
python-telegram-bot echo bot makes one API call per update and keeps no state, so "percent of
echo" compares different work: Halo Coach also locks the conversation, loads and saves it (one
SQLite commit), journals the update, advances the flow and renders its templates, and makes two
API calls an update. The second baseline is the same echo bot saving one row per update in SQLite
(WAL, ``synchronous = NORMAL``, one commit, as Halo's store): the least a bot that keeps each
answer durably does.

The whole race runs ``--runs`` times (default 3) and every figure is printed as
min – median – max with the machine's load average before and after.

Users go in waves: each step of a wave is one getUpdates batch holding one update per user of the
wave, as Telegram hands a busy bot its backlog. The time of an update is its share of the batch's
getUpdates call plus its ``process_update``; the Telegram side (building the updates, checking
the decisions) is outside the clock.

    .venv/bin/python -m bench.throughput [--runs 3] [--users N] [--wave N] [--breakdown-users N]
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
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
    Sample,
    UpdateFeed,
    announce,
    button_data,
    interleaved,
    ms,
    percentile,
    rate,
    us,
)
from bot import loop
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


class RowPerUpdate:
    """The second baseline's store: one row per chat, replaced by each update in one commit
    (SQLite in WAL mode, ``synchronous = NORMAL``, as ``SQLiteStore`` opens its file)."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("CREATE TABLE seen (chat INTEGER PRIMARY KEY, update_id INTEGER, "
                        "text TEXT)")

    async def echo(self, update: Update, context: Any) -> None:
        message = update.effective_message
        if message is not None and message.text:
            self.db.execute("INSERT INTO seen VALUES (?, ?, ?) ON CONFLICT (chat) DO UPDATE "
                            "SET update_id = excluded.update_id, text = excluded.text",
                            (message.chat_id, update.update_id, message.text))
            await message.reply_text(message.text)


@asynccontextmanager
async def saving_echo_bot(figures: Figures) -> AsyncIterator[Harness]:
    """The echo bot saving one row per update before it answers (``RowPerUpdate``)."""
    with tempfile.TemporaryDirectory(prefix="halo-bench-echo-") as folder:
        store = RowPerUpdate(f"{folder}/echo.db")
        api = BenchApi()
        application = (ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api)
                       .build())
        application.add_handler(MessageHandler(filters.TEXT, store.echo))
        await application.initialize()
        harness = Harness(Run("echo bot saving a row"), application, api, figures, press=False)
        try:
            yield harness
        finally:
            await application.shutdown()
            saved = store.db.execute("SELECT COUNT(*) FROM seen").fetchone()[0]
            store.db.close()
        if api.counts["sendMessage"] != harness.run.updates or not saved:
            figures.error(f"the saving echo bot answered {api.counts['sendMessage']} of "
                          f"{harness.run.updates} updates, saved {saved} rows")


async def race(users: int, wave: int, figures: Figures) -> tuple[list[Run], Harness]:
    """The bots (echo, echo saving a row, Halo Coach), wave by wave in turn, so that a change
    in the machine's load hits them alike."""
    async with echo_bot(figures) as echo_harness, saving_echo_bot(figures) as saving_harness, \
            halo_bot(figures) as halo_harness:
        harnesses = (echo_harness, saving_harness, halo_harness)
        for first in range(1, users + 1, wave):
            ids = list(range(first, min(first + wave, users + 1)))
            for harness in harnesses:
                with GcClock().running() as clock:
                    await harness.wave(ids)
                harness.run.gc_pause += clock.total
                harness.run.gc_max = max(harness.run.gc_max, clock.longest)
    return [harness.run for harness in harnesses], halo_harness


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


def figures_of(runs: list[Run], halo_harness: Harness) -> dict[str, float]:
    """One race's figures by name: ``echo_*``, ``saving_*``, ``halo_*`` and the ratios."""
    result: dict[str, float] = {}
    for prefix, run in zip(("echo", "saving", "halo"), runs, strict=True):
        print(f"    {run.name}: {run.updates} updates, {run.wall:.1f} s on the clock, "
              f"{run.cpu:.1f} s CPU, {run.api_calls / run.updates:.2f} API calls per update; "
              f"GC paused {us(run.gc_pause / run.updates)} per update, longest "
              f"{ms(run.gc_max)}")
        result.update({f"{prefix}_rate": run.per_second, f"{prefix}_cpu": run.cpu / run.updates,
                       f"{prefix}_p50": percentile(run.latencies, 50),
                       f"{prefix}_p99": percentile(run.latencies, 99),
                       f"{prefix}_p99_cpu": percentile(run.cpu_latencies, 99)})
    slowest = ", ".join(f"{step!r} {ms(t)}" for step, t in halo_harness.slowest_steps(3))
    print(f"    Halo Coach slowest steps (median time per update): {slowest}", flush=True)
    result["ratio"] = result["halo_rate"] / result["echo_rate"]
    result["cpu_ratio"] = result["echo_cpu"] / result["halo_cpu"]
    result["saving_ratio"] = result["saving_cpu"] / result["halo_cpu"]
    return result


def report(samples: list[Sample], figures: Figures) -> None:
    for prefix, name in (("echo", "echo bot (1 API call, no state)"),
                         ("saving", "echo bot saving a row (1 API call, 1 commit)"),
                         ("halo", "Halo Coach (2 API calls, the whole review's work)")):
        figures.spread(f"{name}: updates per second · CPU per update", "", samples,
                       (f"{prefix}_rate", f"{prefix}_cpu"),
                       lambda v: ms(v) if v < 1 else rate(v))
    figures.spread("Halo Coach: p50 · p99 time per update", "p99 < 2 ms", samples,
                   ("halo_p50", "halo_p99"), ms, lambda v: v < 0.002)
    figures.spread("Halo Coach: p99 CPU time per update", "< 2 ms", samples, "halo_p99_cpu", ms,
                   lambda v: v < 0.002)
    figures.spread("Halo / echo: by updates per second · by CPU per update (different work: "
                   "see bench/README.md)", ">= 40%", samples, ("ratio", "cpu_ratio"),
                   lambda v: f"{v:.0%}", lambda v: v >= 0.40)
    figures.spread("Halo / echo saving a row, by CPU per update", "", samples, "saving_ratio",
                   lambda v: f"{v:.0%}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3,
                        help="races of the three bots, one after the other (default 3)")
    parser.add_argument("--users", type=int, default=400,
                        help="simulated creators, each completes a whole review (default 400)")
    parser.add_argument("--wave", type=int, default=100,
                        help="users in progress at once: one getUpdates batch (default 100)")
    parser.add_argument("--breakdown-users", type=int, default=100,
                        help="users of the instrumented run for the breakdown (0: skip it)")
    args = parser.parse_args()
    figures = Figures("bench/throughput.py")
    errors = ErrorLog.install()
    settle_memory()  # the collector as the bot process sets it (all bots share this process)
    started = announce()
    print(f"{args.users} users x {UPDATES_PER_REVIEW} updates, waves of {args.wave}; the echo "
          "bot, the echo bot saving a row and Halo Coach in turn wave by wave", flush=True)
    samples = await measure(args.runs, args.users, args.wave, figures)
    report(samples, figures)
    if args.breakdown_users > 0:
        users = min(args.users, args.breakdown_users)
        print_breakdown(await detail(users, min(args.wave, users), figures))
    for record in errors.records:
        figures.error(f"logged: {record}")
    return figures.finish(started)


RACE = "in process: echo, echo saving a row, Halo Coach"


def racer(users: int, wave: int, figures: Figures) -> Callable[[], Awaitable[dict[str, float]]]:
    """One race with fresh bots and stores, its figures by name."""
    async def run() -> dict[str, float]:
        return figures_of(*await race(users, wave, figures))
    return run


async def measure(runs: int, users: int, wave: int, figures: Figures) -> list[Sample]:
    """``runs`` races; each race's figures."""
    return (await interleaved({RACE: racer(users, wave, figures)}, runs))[RACE]


if __name__ == "__main__":
    raise SystemExit(loop.run(main(), Settings().event_loop))  # the bot's event loop
