"""The bot over real HTTP: creators review offers at once against the Bot API emulator.

The bot is its own process (``bench/halo_process.py``: ``halo run`` with Telegram's overall flood
limit lifted, see there), long-polling the emulator of ``tests/support/emulator.py`` on 127.0.0.1.
The emulator and the simulated users share this process, so the bot's CPU time (read from
``/proc/<pid>/stat``) is the bot's alone. Each user types the whole review and presses
"See my recommendation"; the time of an action is from the update entering the emulator to the
bot's next message with buttons being accepted.

The bot's own transport (aiohttp) runs twice, python-telegram-bot's httpx (the "before") only
the first way:
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
posts each update as Telegram would, after the same delay.

Each action's wait is split three ways: in the emulator until the bot takes the update (the
getUpdates answer or webhook post it leaves in), the bot's share (update out, reply in), and the
reply held for the delay. This process gets the bot's collector policy (``quiet_collector``): the
emulator and the users keep every call and message, and full collections of those records had
stalled every reply held for its delay, a p99 of the harness rather than of the bot.

``aiohttp`` is the bot's own client (``bot/telegram/transport.py``); ``httpx`` is
python-telegram-bot's default ``HTTPXRequest`` (``TELEGRAM_HTTP_CLIENT=httpx``). First,
``bench/transport_probe.py`` measures each transport alone, per API call. ``--pool N`` handles N
updates at once (and opens N API connections) instead of the bot's own choice.

    .venv/bin/python -m bench.over_http [--users 200] [--delay-ms 50] [--transport httpx aiohttp]
                                   [--pool N] [--offered 600] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    CORES,
    ROOT,
    UPDATES_PER_REVIEW,
    Figures,
    announce,
    cpu_seconds,
    ms,
    percentile,
    rate,
)
from bench.emulated import (
    BenchEmulator,
    BotProcess,
    Pace,
    Took,
    creator,
    decisions,
    lifted,
    webhook_env,
)
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
    by_step: dict[str, list[float]] = field(default_factory=dict)  # latencies per action
    parts: list[Took] = field(default_factory=list)  # where each measured action's wait went
    offered: float = 0.0  # actions a second the users pace themselves to (0: as fast as served)

    @property
    def name(self) -> str:
        paced = f", users paced to {self.offered:,.0f}/s" if self.offered else ""
        mode = "webhook" if self.webhook else "polling"
        return f"{self.transport}, {mode}, {self.delay * 1000:.0f} ms delay{paced}"


async def run_load(transport: str, delay: float, users: int, pool: int = 0,
                   offered: float = 0.0, seconds: float = 10.0, webhook: bool = False) -> Load:
    """Without ``offered``: every user reviews once, each action as soon as served. With it:
    the users pace themselves to ``offered`` actions a second in all, review after review; their
    starts are spread over one review's length, so that in the measured ``seconds`` (after that
    ramp) they are at every step of a review at once, as 200 people would be."""
    load = Load(transport, delay, users, webhook=webhook, offered=offered)
    quiet_collector()
    with tempfile.TemporaryDirectory(prefix="halo-http-") as folder:
        emulator = BenchEmulator(delay=delay)
        await emulator.start()
        bot = BotProcess(emulator, Path(folder), lifted(transport, pool, webhook),
                         **(webhook_env(free_port()) if webhook else {}))
        reviews: list[int] = []
        try:
            await bot.start()
            if offered:
                every = users / offered
                begin = time.perf_counter() + 0.2
                ramp = every * UPDATES_PER_REVIEW
                window = (begin + ramp, begin + ramp + seconds)
                paces = [Pace(every, begin + ramp * n / users, *window) for n in range(users)]
                sample = asyncio.ensure_future(sample_window(bot.pid, window))
            else:
                paces = [None] * users
            bot_cpu, own_cpu, wall = cpu_seconds(bot.pid), time.process_time(), \
                time.perf_counter()
            reviews = await asyncio.gather(*(
                creator(emulator, 1_000_000 + n, load.latencies, load.errors, pace, load.by_step,
                        load.parts)
                for n, pace in enumerate(paces)))
            load.wall = time.perf_counter() - wall
            load.bot_cpu = cpu_seconds(bot.pid) - bot_cpu
            load.harness_cpu = time.process_time() - own_cpu
            if offered:  # the steady state only
                load.wall, load.bot_cpu, load.harness_cpu = await sample
            load.updates = len(load.latencies)
            calls = sum(1 for call in emulator.calls if call.method != "getUpdates")
            load.calls_per_update = calls / max(1, len(emulator.update_log))
        finally:
            await bot.stop()
            await emulator.stop()
        failed = emulator.failed_calls()
        load.errors += [f"API call {call.method} failed: {call.error}" for call in failed]
        load.errors += [f"bot log: {line}" for line in bot.log_problems()]
        if offered and min(reviews, default=0) < 1:
            load.errors.append("a user completed no review in the run")
        stored = decisions(bot.database)
        if stored != sum(reviews):
            load.errors.append(f"{stored} decisions stored for {sum(reviews)} completed reviews")
    return load


def quiet_collector() -> None:
    """The collector's policy of the bot process (``settle_memory``) in this one too. The
    emulator and the users keep every call, message and update they saw, and the collector's
    full passes over those records stalled this process for up to 130 ms, late by as much every
    reply the emulator held for its delay: a p99 of the harness, not of the bot."""
    gc.collect()  # what the previous run left
    settle_memory()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def sample_window(pid: int, window: tuple[float, float]) -> tuple[float, float, float]:
    """(seconds, the bot's CPU seconds, this process's CPU seconds) over ``window``."""
    await asyncio.sleep(max(0.0, window[0] - time.perf_counter()))  # the run's own clock
    start, bot_cpu, own_cpu = time.perf_counter(), cpu_seconds(pid), time.process_time()
    await asyncio.sleep(max(0.0, window[1] - time.perf_counter()))
    return (time.perf_counter() - start, cpu_seconds(pid) - bot_cpu,
            time.process_time() - own_cpu)


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


def report(loads: list[Load], figures: Figures) -> None:
    for load in loads:
        print(f"  {load.name}: {load.updates} updates in {load.wall:.1f} s, "
              f"{load.calls_per_update:.2f} API calls per update; bot CPU "
              f"{load.bot_cpu:.1f} s, emulator + users CPU {load.harness_cpu:.1f} s "
              f"({load.harness_cpu / load.wall:.0%} of a core)")
        slowest = sorted(((percentile(times, 99), step) for step, times in load.by_step.items()),
                         reverse=True)[:4]
        print("    slowest actions (p99): " + ", ".join(f"{step!r} {ms(p99)}"
                                                      for p99, step in slowest))
        for number, error in enumerate(load.errors):
            figures.error(f"{load.name}: {error}", echo=number < 5)
        if len(load.errors) > 5:
            print(f"ERROR: {load.name}: ... and {len(load.errors) - 5} more", file=sys.stderr)
    for load in loads:
        if not load.updates:
            continue
        per_second = load.updates / load.wall
        cpu = load.bot_cpu / load.updates
        p50, p99 = percentile(load.latencies, 50), percentile(load.latencies, 99)
        tag = f"[{load.name}]"
        if load.delay == 0:
            per_core = load.updates / load.bot_cpu
            figures.add(f"updates per second per core of the bot {tag}", ">= 1,000/s",
                        rate(per_core), per_core >= 1000)
            figures.add(f"updates per second, wall clock {tag}", "", rate(per_second), None)
        else:
            if load.offered:
                figures.add(f"actions per second the users offer {tag}", "",
                            rate(load.offered), None)
            figures.add(f"updates per second {tag}", ">= 500/s", rate(per_second),
                        per_second >= 500)
        figures.add(f"bot CPU per update {tag}", "", ms(cpu), None)
        figures.add(f"p50 user action -> bot's reply {tag}", "", ms(p50), None)
        figures.add(f"p99 user action -> bot's reply {tag}", "< 200 ms" if load.delay else "",
                    ms(p99), p99 < 0.2 if load.delay else None)
        if load.delay and load.parts:
            for what, name in (("queued", "waiting in the emulator for the bot to take it"),
                               ("bot", "the bot's share, update out -> reply in"),
                               ("answered", "the reply's delay and the emulator's loop")):
                times = [getattr(took, what) for took in load.parts]
                figures.add(f"  {name}: p50 / p99 {tag}", "",
                            f"{ms(percentile(times, 50))} / {ms(percentile(times, 99))}", None)
        figures.add(f"errors {tag}", "0", str(len(load.errors)), not load.errors)
    by_transport = {(load.transport, load.delay): load for load in loads if load.updates}
    before, after = by_transport.get(("httpx", 0.0)), by_transport.get(("aiohttp", 0.0))
    if before and after:
        saved = before.bot_cpu / before.updates - after.bot_cpu / after.updates
        figures.add("bot CPU per update saved by aiohttp over httpx (no delay)", "",
                    ms(saved), None)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200,
                        help="users reviewing at once, each one whole review (default 200)")
    parser.add_argument("--delay-ms", type=float, default=50.0,
                        help="what the emulator adds to every API call (default 50)")
    parser.add_argument("--transport", nargs="+", choices=("httpx", "aiohttp"),
                        default=["httpx", "aiohttp"],
                        help="the bot's HTTP client: httpx (before) or aiohttp (the bot's own)")
    parser.add_argument("--pool", type=int, default=0,
                        help="connections of the bot's API request pool (default: the bot's own)")
    parser.add_argument("--offered", type=float, default=600.0,
                        help="with the delay, the users pace themselves to this many actions a "
                             "second in all (default 600; 0: each acts as soon as served)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="with the delay, how long the steady state is measured (default 10)")
    args = parser.parse_args()
    figures = Figures("bench/over_http.py")
    started = announce()
    print(f"{args.users} users at once x {UPDATES_PER_REVIEW} updates; the bot in its own "
          f"process, the emulator and the users in this one ({CORES} cores)", flush=True)
    await transport_costs(args.transport, figures)
    loads = []
    for transport in args.transport:
        # httpx is the "before" of the transport choice, compared without the delay: at a
        # tenth of the rate it could not keep up with the paced users at all
        delays = (0.0,) if transport == "httpx" and len(args.transport) > 1 else \
            (0.0, args.delay_ms / 1000)
        for delay in delays:
            # with the delay, long polling and then a webhook worker (the deployment guide's
            # mode under load: Telegram posts each update at once, no poll to wait for)
            for webhook in (False, True) if delay else (False,):
                load = await run_load(transport, delay, args.users, args.pool,
                                      args.offered if delay else 0.0, args.seconds, webhook)
                print(f"  done: {load.name} ({load.wall:.1f} s)", flush=True)
                loads.append(load)
    report(loads, figures)
    return figures.finish(started)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
