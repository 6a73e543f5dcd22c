"""The bot over real HTTP: creators review offers at once against the Bot API emulator.

The bot is its own process (``bench/halo_process.py``: ``halo run`` with Telegram's overall flood
limit lifted, see there), long-polling the emulator of ``tests/support/emulator.py`` on 127.0.0.1.
The emulator and the simulated users share this process, so the bot's CPU time (read from
``/proc/<pid>/stat``) is the bot's alone. Each user types the whole review and presses
"See my recommendation"; the time of an action is from the update entering the emulator to the
bot's next message with buttons being accepted.

Seven variants, each ``--runs`` times (default 3) in turn (A B C ... A B C ...), every figure
printed as min – median – max with the machine's load average before and after the runs:
- without delay, every user acting as soon as the bot shows the next step: what the bot can do
  per core. The bot is saturated, so latencies there are queueing (``users / throughput``).
- with the emulator holding every API call for ``--delay-ms``, as Telegram's round trip would,
  and the users pacing themselves (a person reads a question before answering) to ``--offered``
  actions a second in all, review after review. Their starts are spread over one review's
  length, and the ``--seconds`` after that ramp are measured: the steady state of 200 people
  at every step of a review at once (started together, all 200 would press "See my
  recommendation" within the same third of a second). The bot must keep up with that load,
  concurrently across conversations, and the latency is what a person waits. (With no pacing,
  200 users who never pause would need 1,000 updates a second for a p99 under 200 ms, by
  Little's law.)

The paced run goes twice: the bot long polling (``halo run``, the default), then as a webhook
worker (``halo run --webhook``, the deployment guide's mode under load), to which the emulator
posts each update as Telegram would, after the same delay. The fourth variant is the same delay
at a realistic rate (``--realistic``, 100 actions a second, long polling): there the fixed costs
of each API call and poll are shared by fewer updates, so the bot's CPU per update is higher
than saturated; both are printed.

Three more saturated runs put the store's cost on a whole update (issue 16): long polling with
the store on PostgreSQL, and a webhook worker with the store on SQLite and on PostgreSQL (a
database of its own per run, on ``HALO_BENCH_POSTGRES_URL``, default the local test server). For
those, the CPU of PostgreSQL's backends serving the bot (read from ``/proc``, as
``bench/store_cost.py`` does) is added to the bot's, and the sum is compared with the same mode
on SQLite. The store path alone, without python-telegram-bot and HTTP, is
``bench/store_cost.py``'s.

The bot's CPU per update is its process's user + system CPU time over the updates it handled (in
the paced runs, over the measured steady state only). The benchmark's own CPU (the emulator and
the users, this process) is printed as a share of the bot's: above 100% the benchmark, not the
bot, would be the bottleneck.

Each action's wait is split three ways: in the emulator until the bot takes the update (the
getUpdates answer or webhook post it leaves in), the bot's share (update out, reply in), and the
reply held for the delay. This process collects no garbage while a run loads the bot
(``quiet_collector``): the emulator and the users keep every call and message, and collections
over those records had stalled every post and every reply held for its delay, a p99 of the
harness rather than of the bot.

``http11`` is the bot's own client (``bot/telegram/http11.py``); ``--transport aiohttp`` runs
everything with aiohttp's client (``bot/telegram/transport.py``), ``--transport httpx`` with
python-telegram-bot's default ``HTTPXRequest``. ``--probe`` first measures each transport alone,
per API call (``bench/transport_probe.py``). ``--pool N`` handles N updates at once (and opens N
API connections) instead of the bot's own choice.

    .venv/bin/python -m bench.over_http [--runs 3] [--users 200] [--delay-ms 50] [--offered 600]
                                   [--realistic 100] [--seconds 10]
                                   [--transport http11|aiohttp|httpx] [--pool N] [--probe]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import secrets
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import (
    CORES,
    ROOT,
    UPDATES_PER_REVIEW,
    Figures,
    Sample,
    announce,
    cpu_seconds,
    interleaved,
    loads,
    ms,
    percentile,
    rate,
)
from bench.emulated import (
    WEBHOOK_CONNECTIONS,
    BenchEmulator,
    BotProcess,
    Pace,
    Took,
    creator,
    decisions,
    lifted,
    webhook_env,
)
from bench.store_cost import SERVER, backends, in_database
from bot import loop
from bot.settings import Settings
from bot.telegram.app import settle_memory
from tests.support.emulator import User


@dataclass
class Load:
    """One run: a transport, a delay, the users at once."""

    transport: str
    delay: float
    users: int
    webhook: bool = False  # a webhook worker rather than long polling
    updates: int = 0
    wall: float = 0.0
    bot_cpu: float = 0.0
    harness_cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    calls_per_update: float = 0.0  # Bot API calls (getUpdates aside) per update
    most_posts: int = 0  # webhook: the most posts in flight at once (the connections in use)
    by_step: dict[str, list[float]] = field(default_factory=dict)  # latencies per action
    parts: list[Took] = field(default_factory=list)  # where each measured action's wait went
    offered: float = 0.0  # actions a second the users pace themselves to (0: as fast as served)
    postgres: bool = False  # the store on the PostgreSQL server rather than a SQLite file
    server_cpu: float = 0.0  # PostgreSQL: its backends' CPU serving the bot

    @property
    def name(self) -> str:
        paced = f", users paced to {self.offered:,.0f}/s" if self.offered else ""
        mode = "webhook" if self.webhook else "polling"
        store = ", PostgreSQL" if self.postgres else ""
        return f"{self.transport}, {mode}{store}, {self.delay * 1000:.0f} ms delay{paced}"


async def run_load(transport: str, delay: float, users: int, pool: int = 0,
                   offered: float = 0.0, seconds: float = 10.0, webhook: bool = False,
                   postgres: bool = False) -> Load:
    """Without ``offered``: every user reviews once, each action as soon as served. With it:
    the users pace themselves to ``offered`` actions a second in all, review after review; their
    starts are spread over one review's length, so that in the measured ``seconds`` (after that
    ramp) they are at every step of a review at once, as 200 people would be."""
    load = Load(transport, delay, users, webhook=webhook, offered=offered, postgres=postgres)
    async with AsyncExitStack() as stack:
        stack.enter_context(quiet_collector())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="halo-http-")))
        server = await stack.enter_async_context(PostgresDatabase()) if postgres else None
        emulator = BenchEmulator(delay=delay)
        await emulator.start()
        env = webhook_env(free_port()) if webhook else {}
        if server is not None:
            env["DATABASE_URL"] = server.url
        bot = BotProcess(emulator, folder, lifted(transport, pool, webhook), **env)
        reviews: list[int] = []
        try:
            await bot.start()
            if server is not None:
                await server.watch()
            if offered:
                every = users / offered
                begin = time.perf_counter() + 0.2
                ramp = every * UPDATES_PER_REVIEW
                window = (begin + ramp, begin + ramp + seconds)
                paces = [Pace(every, begin + ramp * n / users, *window) for n in range(users)]
                sample = asyncio.ensure_future(sample_window(bot.pid, emulator, window, server))
            else:
                paces = [None] * users
            bot_cpu, own_cpu, wall = cpu_seconds(bot.pid), time.process_time(), \
                time.perf_counter()
            server_cpu = await server.cpu() if server is not None else 0.0
            reviews = await asyncio.gather(*(
                creator(emulator, 1_000_000 + n, load.latencies, load.errors, pace, load.by_step,
                        load.parts)
                for n, pace in enumerate(paces)))
            load.wall = time.perf_counter() - wall
            load.bot_cpu = cpu_seconds(bot.pid) - bot_cpu
            load.harness_cpu = time.process_time() - own_cpu
            if server is not None:
                load.server_cpu = await server.cpu() - server_cpu
            load.updates = len(load.latencies)
            if offered:  # the steady state only
                (load.wall, load.bot_cpu, load.harness_cpu, load.updates,
                 load.server_cpu) = await sample
            calls = sum(1 for call in emulator.calls if call.method != "getUpdates")
            load.calls_per_update = calls / max(1, len(emulator.update_log))
            load.most_posts = emulator.most_posts
        finally:
            await bot.stop()
            await emulator.stop()
        failed = emulator.failed_calls()
        load.errors += [f"API call {call.method} failed: {call.error}" for call in failed]
        load.errors += [f"bot log: {line}" for line in bot.log_problems()]
        if offered and min(reviews, default=0) < 1:
            load.errors.append("a user completed no review in the run")
        stored = await server.decisions() if server is not None else decisions(bot.database)
        if stored != sum(reviews):
            load.errors.append(f"{stored} decisions stored for {sum(reviews)} completed reviews")
    return load


@contextmanager
def quiet_collector() -> Iterator[None]:
    """No garbage collection in this process (the emulator and the users) while a run loads the
    bot; what the run left is collected after it. The emulator and the users keep every call,
    message and update they saw, and the collector's passes over those records stalled this
    process: with the bot's own policy (``settle_memory``) its full passes took 106–329 ms, once
    or more in every run of 10 s (2026-12-06), the emulator late by as much with every post and
    every reply it held for its delay, a p99 of the harness rather than of the bot. The bot's
    process keeps its own policy; a run leaves at most a few hundred MB here."""
    gc.collect()  # what the previous run left
    settle_memory()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def sample_window(pid: int, emulator: BenchEmulator, window: tuple[float, float],
                        server: PostgresDatabase | None = None
                        ) -> tuple[float, float, float, int, float]:
    """(seconds, the bot's CPU seconds, this process's CPU seconds, updates answered,
    PostgreSQL's CPU seconds serving the bot) over ``window``: the CPU and the updates it went
    to are counted over the same seconds (the actions measured are those started in the window,
    some answered after it)."""
    await asyncio.sleep(max(0.0, window[0] - time.perf_counter()))  # the run's own clock
    start, bot_cpu, own_cpu = time.perf_counter(), cpu_seconds(pid), time.process_time()
    server_cpu = await server.cpu() if server is not None else 0.0
    answered = emulator.answered
    await asyncio.sleep(max(0.0, window[1] - time.perf_counter()))
    return (time.perf_counter() - start, cpu_seconds(pid) - bot_cpu,
            time.process_time() - own_cpu, emulator.answered - answered,
            (await server.cpu() - server_cpu) if server is not None else 0.0)


class PostgresDatabase:
    """A database of its own on the benchmark's PostgreSQL server for one run (dropped after),
    and the CPU its backends spend serving the bot (``/proc``; the server's background writers
    are left out, as in ``bench/store_cost.py``)."""

    APPLICATION = "halo_http_bench"

    def __init__(self) -> None:
        self.name = f"halo_http_{secrets.token_hex(4)}"
        self.url = f"{in_database(SERVER, self.name)}?application_name={self.APPLICATION}"
        self._admin: Any = None
        self._seen: dict[int, float] = {}

    async def __aenter__(self) -> PostgresDatabase:
        server = await asyncpg.connect(SERVER)
        try:
            await server.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await server.close()
        self._admin = await asyncpg.connect(in_database(SERVER, self.name))
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._admin.close()
        server = await asyncpg.connect(SERVER)
        try:
            await server.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
        finally:
            await server.close()

    async def watch(self) -> None:
        """From now on, the bot's backends are known to ``cpu``."""
        await self.cpu()

    async def cpu(self) -> float:
        """CPU seconds of the bot's backends so far: those seen before count until they exit."""
        for pid, seconds in (await backends(self._admin, self.APPLICATION)).items():
            self._seen[pid] = seconds
        return sum(self._seen.values())

    async def decisions(self) -> int:
        return int(await self._admin.fetchval("SELECT count(*) FROM decisions"))


async def transport_costs(transports: list[str], figures: Figures) -> None:
    """CPU per API call of each transport alone (``bench/transport_probe.py``, its own process),
    one call at a time and 64 in flight."""
    emulator = BenchEmulator()
    await emulator.start()
    chat = emulator.chat_for(emulator.register_user(User(42, "Probe"))).id
    try:
        for transport in transports:
            for lanes in (1, 64):
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bench.transport_probe",
                    "--transport", transport, "--url", f"{emulator.base_url}{emulator.token}",
                    "--chat", str(chat), "--lanes", str(lanes), cwd=ROOT,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                out, err = await process.communicate()
                if process.returncode != 0:
                    figures.error(f"transport probe {transport} failed: {err.decode()[-500:]}")
                    continue
                result = json.loads(out)
                figures.add(f"transport CPU per API call [{transport}, {lanes} in flight]",
                            "", ms(result["cpu"] / result["calls"]), None)
    finally:
        await emulator.stop()
    failed = emulator.failed_calls()
    if failed:
        figures.error(f"transport probe: {len(failed)} API calls failed: {failed[0].error}")


def figures_of(load: Load, figures: Figures) -> dict[str, float]:
    """One run's figures by name (see ``FIGURES``); its errors go to ``figures``."""
    for number, error in enumerate(load.errors):
        figures.error(f"{load.name}: {error}", echo=number < 5)
    if len(load.errors) > 5:
        print(f"ERROR: {load.name}: ... and {len(load.errors) - 5} more", file=sys.stderr)
    result = {"errors": float(len(load.errors))}
    if not load.updates:
        return result
    result.update({
        "per_second": load.updates / load.wall,
        "per_core": load.updates / load.bot_cpu,
        "cpu": load.bot_cpu / load.updates,
        "harness_cpu": load.harness_cpu / load.updates,
        "harness_share": load.harness_cpu / load.bot_cpu,
        "p50": percentile(load.latencies, 50),
        "p99": percentile(load.latencies, 99),
        "calls": load.calls_per_update,
        "server_cpu": load.server_cpu / load.updates,
        "all_cpu": (load.bot_cpu + load.server_cpu) / load.updates,
    })
    if load.webhook:
        result["most_posts"] = float(load.most_posts)
    for part in ("queued", "bot", "answered"):
        times = [getattr(took, part) for took in load.parts]
        if times:
            result[f"{part}_p50"] = percentile(times, 50)
            result[f"{part}_p99"] = percentile(times, 99)
    print(f"    {load.updates} updates in {load.wall:.1f} s, {load.calls_per_update:.2f} API "
          f"calls each; bot CPU {load.bot_cpu:.1f} s, emulator + users CPU "
          f"{load.harness_cpu:.1f} s"
          + (f"; PostgreSQL CPU {load.server_cpu:.1f} s" if load.postgres else "")
          + f"; p99 {ms(result['p99'])}"
          + (f"; at most {load.most_posts} webhook posts in flight (of "
             f"{WEBHOOK_CONNECTIONS})" if load.webhook else ""), flush=True)
    return result


@dataclass(frozen=True)
class Variant:
    """One way of loading the bot: its name in the table, and its ``run_load`` arguments."""

    name: str
    delay: float
    users: int
    offered: float = 0.0
    webhook: bool = False
    postgres: bool = False

    @property
    def saturated(self) -> bool:
        return not self.offered

    @property
    def on_sqlite(self) -> str:
        """The name of the same variant with the store on SQLite."""
        return self.name.replace(", PostgreSQL", "")


def variants(args: argparse.Namespace) -> list[Variant]:
    """The saturated run, the paced 600/s runs (polling, webhook) and the realistic rate."""
    delay = args.delay_ms / 1000
    paced = f"{args.offered:,.0f}/s, {args.delay_ms:.0f} ms a call"
    realistic = f"{args.realistic:,.0f}/s (realistic), {args.delay_ms:.0f} ms a call"
    return [
        Variant("saturated, no delay, polling", 0.0, args.users),
        Variant(f"{paced}, polling", delay, args.users, args.offered),
        Variant(f"{paced}, webhook", delay, args.users, args.offered, webhook=True),
        Variant(f"{realistic}, polling", delay, args.realistic_users, args.realistic),
        # the store's cost on a whole update: the same saturated runs with SQLite and PostgreSQL
        Variant("saturated, no delay, polling, PostgreSQL", 0.0, args.users, postgres=True),
        Variant("saturated, no delay, webhook", 0.0, args.users, webhook=True),
        Variant("saturated, no delay, webhook, PostgreSQL", 0.0, args.users, webhook=True,
                postgres=True),
    ]


def report(variant: Variant, samples: list[Sample], figures: Figures,
           measured: dict[str, list[Sample]] | None = None) -> None:
    """The rows of one variant, over its runs (``measured``: every variant's samples by name,
    for a PostgreSQL variant's ratio to the same runs on SQLite)."""
    tag = f"[{variant.name}]"
    if variant.postgres:
        report_store(variant, samples, figures, (measured or {}).get(variant.on_sqlite, []))
        return
    if variant.saturated:  # the target is long polling's (a webhook worker serves HTTP too)
        figures.spread(f"updates per second per core of the bot (its CPU) {tag}",
                       "" if variant.webhook else ">= 1,000/s", samples, "per_core", rate,
                       None if variant.webhook else (lambda v: v >= 1000))
        figures.spread(f"updates per second, wall clock {tag}", "", samples, "per_second", rate)
    else:
        figures.spread(f"updates per second {tag}", f">= {variant.offered * 0.95:,.0f}/s",
                       samples, "per_second", rate, lambda v: v >= variant.offered * 0.95)
    figures.spread(f"bot CPU per update (user + sys / updates) {tag}", "", samples, "cpu", ms)
    figures.spread(f"p50 · p99 user action -> bot's reply {tag}",
                   "" if variant.saturated else "p99 < 200 ms", samples, ("p50", "p99"), ms,
                   None if variant.saturated else (lambda v: v < 0.2))
    if not variant.saturated:
        for part, name in (("queued", "in the emulator until the bot takes it"),
                           ("bot", "the bot's share, update out -> reply in"),
                           ("answered", "the reply held for the delay")):
            figures.spread(f"  {name}: p50 · p99 {tag}", "", samples,
                           (f"{part}_p50", f"{part}_p99"), ms)
    if variant.webhook:  # saturated, every post Telegram allows is in flight by design
        figures.spread(f"webhook posts in flight at most (each holds a connection for the delay "
                       f"and until the bot answers it) {tag}",
                       "" if variant.saturated else f"< {WEBHOOK_CONNECTIONS}", samples,
                       "most_posts", lambda v: f"{v:.0f}",
                       None if variant.saturated else (lambda v: v < WEBHOOK_CONNECTIONS))
    figures.spread(f"the benchmark's own CPU (emulator + users) / the bot's {tag}", "< 100%",
                   samples, "harness_share", lambda v: f"{v:.0%}", lambda v: v < 1.0)
    figures.spread(f"errors {tag}", "0", samples, "errors", lambda v: f"{v:.0f}",
                   lambda v: v == 0)


def runner(args: argparse.Namespace, variant: Variant, figures: Figures
           ) -> Callable[[], Awaitable[dict[str, float]]]:
    """One run of ``variant``, its figures by name."""
    async def run() -> dict[str, float]:
        load = await run_load(args.transport, variant.delay, variant.users, args.pool,
                              variant.offered, args.seconds, variant.webhook, variant.postgres)
        return figures_of(load, figures)
    return run


STORE_RATIO = 1.5  # issue 16: the bot and PostgreSQL's CPU per update, against SQLite's


def report_store(variant: Variant, samples: list[Sample], figures: Figures,
                 on_sqlite: list[Sample]) -> None:
    """A PostgreSQL variant: its CPU per update, the bot's and the server's, and against the
    same runs on SQLite."""
    tag = f"[{variant.name}]"
    figures.spread(f"updates per second per core of the bot (its CPU) {tag}", "", samples,
                   "per_core", rate)
    figures.spread(f"CPU per update: the bot · PostgreSQL's backends {tag}", "", samples,
                   ("cpu", "server_cpu"), ms)
    both = [sample for sample in samples if "all_cpu" in sample.figures]
    alone = [sample for sample in on_sqlite if "cpu" in sample.figures]
    if both and alone:
        ratio = (statistics.median(sample.figures["all_cpu"] for sample in both)
                 / statistics.median(sample.figures["cpu"] for sample in alone))
        figures.add(f"  the bot + PostgreSQL against the bot on SQLite, CPU per update (medians;"
                    f" the store path alone: bench/store_cost.py) {tag}", f"<= {STORE_RATIO}x",
                    f"{ratio:.2f}x", ratio <= STORE_RATIO, loads([*both, *alone]))
    figures.spread(f"p50 · p99 user action -> bot's reply {tag}", "", samples, ("p50", "p99"),
                   ms)
    figures.spread(f"the benchmark's own CPU (emulator + users) / the bot's {tag}", "< 100%",
                   samples, "harness_share", lambda v: f"{v:.0%}", lambda v: v < 1.0)
    figures.spread(f"errors {tag}", "0", samples, "errors", lambda v: f"{v:.0f}",
                   lambda v: v == 0)


async def measure(args: argparse.Namespace, figures: Figures) -> dict[Variant, list[Sample]]:
    """Every variant ``args.runs`` times, in turn; each run's figures."""
    chosen = [variant for variant in variants(args)
              if not args.only or any(word in variant.name for word in args.only)]
    samples = await interleaved(
        {variant.name: runner(args, variant, figures) for variant in chosen}, args.runs)
    return {variant: samples[variant.name] for variant in chosen}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of every variant, taken in turn (default 3)")
    parser.add_argument("--users", type=int, default=200,
                        help="users reviewing at once, each one whole review (default 200)")
    parser.add_argument("--delay-ms", type=float, default=50.0,
                        help="what the emulator adds to every API call (default 50)")
    parser.add_argument("--transport", choices=("http11", "aiohttp", "httpx"), default="http11",
                        help="the bot's HTTP client: aiohttp (the bot's own) or httpx (PTB's)")
    parser.add_argument("--pool", type=int, default=0,
                        help="connections of the bot's API request pool (default: the bot's own)")
    parser.add_argument("--offered", type=float, default=600.0,
                        help="the paced runs: actions a second the users offer in all "
                             "(default 600)")
    parser.add_argument("--realistic", type=float, default=100.0,
                        help="the realistic-rate run: actions a second (default 100)")
    parser.add_argument("--realistic-users", type=int, default=40,
                        help="users of the realistic-rate run (default 40)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="how long the steady state of a paced run is measured (default 10)")
    parser.add_argument("--only", nargs="+", default=[], metavar="WORD",
                        help="only the variants whose name has one of these words "
                             "(saturated, polling, webhook, realistic)")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments(parser)
    parser.add_argument("--probe", action="store_true",
                        help="first, CPU per API call of each transport alone")
    args = parser.parse_args()
    figures = Figures("bench/over_http.py")
    started = announce()
    print(f"{args.users} users at once x {UPDATES_PER_REVIEW} updates; the bot in its own "
          f"process, the emulator and the users in this one ({CORES} cores)", flush=True)
    if args.probe:
        await transport_costs(["httpx", "aiohttp", "http11"], figures)
    measured = await measure(args, figures)
    by_name = {variant.name: samples for variant, samples in measured.items()}
    for variant, samples in measured.items():
        report(variant, samples, figures, by_name)
    return figures.finish(started)


if __name__ == "__main__":
    raise SystemExit(loop.run(main(), Settings().event_loop))  # the bot's event loop
