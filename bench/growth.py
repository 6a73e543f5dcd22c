"""How the store holds up as it grows (issue 16, item 4): load, save, history and a purge at 10
thousand, 100 thousand and 1 million stored conversations.

Each size starts from a fresh database filled with decided creator reviews (the snapshot, record
and decision of a real one, under a key of their own), a tenth of them idle for longer than the
retention. Then, on random keys: ``load`` (a transaction that loads and saves nothing),
``save`` (a transaction that saves), ``history`` (a person's decisions). Then the purge of the
idle tenth, while updates (saves of random active conversations, one every
``UPDATE_EVERY`` seconds) go on: how long each update took, and how late the event loop woke
(a store call blocking it delays every update, not only its own). p50 and p99 are printed next to
the targets, with the machine's load average: on a busy machine the figures are noisy, so the
same updates are first timed for 3 s without a purge (what the machine itself adds). The fill is
put on disk (a CHECKPOINT, the kernel's ``sync``) before anything is timed: left to the kernel,
its writing out lands in the middle of the timings and stalls every commit (``settle``).

    python -m bench.growth                # SQLite 10k, 100k, 1M; PostgreSQL 10k, 100k (3-5 min)
    python -m bench.growth --full         # PostgreSQL at 1M as well (about 2 min more)
    python -m bench.growth --quick        # 10k on each, fewer operations (~20 s)
    python -m bench.growth --sizes 10000 --backends sqlite

PostgreSQL: ``HALO_BENCH_POSTGRES_URL`` (default: the local trust-auth test server), a database
of its own per size, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.store_cost import SERVER, in_database, load_average, review
from bot.conversations import Conversations
from bot.store import ConversationKey, PostgresStore, SQLiteStore, Store
from bot.store.base import pack

UPDATE_EVERY = 0.002  # seconds between updates during the purge
QUIET_SECONDS = 3.0  # the same updates without a purge, first
IDLE_SHARE = 0.1
TARGET_P99_MS = 2.0  # the per-update p99 the bot aims at (README: throughput)
TARGET_STALL_MS = 50.0  # issue 16: no update waits longer during a purge


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


async def sample_conversation() -> tuple[str, dict[str, Any], str]:
    """The stored JSON of one decided creator review, its record's columns and a decision's
    payload, made by the real service."""
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "sample.db")
        key = ConversationKey.private(1, 1)
        await review(Conversations(store), key, itertools.count(1), itertools.count(1))
        async with store.transaction(key) as tx:
            assert tx.snapshot is not None
            text, record = tx.snapshot.to_json(), tx.record
        payload = (await store.history(1))[0].payload
        await store.close()
    import json
    return text, {"shown_in": record.shown_in, "applied": record.applied_text(),
                  "recorded": record.recorded}, json.dumps(payload)


def idle_users(size: int) -> set[int]:
    """The users (and keys) of the idle tenth."""
    return set(random.Random(size).sample(range(1, size + 1), int(size * IDLE_SHARE)))


def rows_of(size: int, now: datetime) -> list[tuple[int, datetime]]:
    """(user, updated_at) of each conversation: a tenth idle for 200 days."""
    idle = idle_users(size)
    return [(user, now - timedelta(days=200) if user in idle else now - timedelta(hours=1))
            for user in range(1, size + 1)]


# --- filling a database -----------------------------------------------------------------------

async def fill_sqlite(path: Path, size: int, sample: tuple[str, dict[str, Any], str]) -> None:
    await SQLiteStore(path).close()  # opened for its schema
    text, record, payload = sample
    stored = pack(text)
    now = datetime.now(UTC)
    db = sqlite3.connect(path, isolation_level=None)
    # filled alone: no log, no sync, a large cache (then back to WAL, as the bot keeps it)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow, snapshot_json,"
        " updated_at, rev, version, shown_in, applied, recorded)"
        " VALUES (?, ?, 0, '', 'creator', ?, ?, ?, 30, ?, ?, ?)",
        ((user, user, stored, at.isoformat(), random.getrandbits(63), record["shown_in"],
          record["applied"], record["recorded"]) for user, at in rows_of(size, now)))
    created, packed = now.isoformat(), pack(payload)
    db.executemany(
        "INSERT INTO decisions (user_id, flow, title, verdict, created_at, payload_json)"
        " VALUES (?, 'creator', 'Acme', 'accept', ?, ?)",
        ((user, created, packed) for user in range(1, size + 1)))
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    settle()


async def fill_postgres(url: str, size: int, sample: tuple[str, dict[str, Any], str]) -> None:
    await PostgresStore(url).close()  # opened for its schema
    text, record, payload = sample
    stored = pack(text)
    now = datetime.now(UTC)
    conn = await asyncpg.connect(url.split("?")[0], server_settings={"search_path": "halo"})
    try:
        await conn.copy_records_to_table(
            "conversations",
            columns=["chat_id", "user_id", "thread_id", "review_id", "flow", "snapshot",
                     "snapshot_json", "updated_at", "rev", "version", "shown_in", "applied",
                     "recorded"],
            records=[(user, user, 0, "", "creator",
                      stored if isinstance(stored, bytes) else None,
                      stored if isinstance(stored, str) else None, at, random.getrandbits(63),
                      30, record["shown_in"], record["applied"], record["recorded"])
                     for user, at in rows_of(size, now)])
        await conn.copy_records_to_table(
            "decisions", columns=["user_id", "flow", "title", "verdict", "created_at",
                                  "payload_json"],
            records=[(user, "creator", "Acme", "accept", now, payload)
                     for user in range(1, size + 1)])
        await conn.execute("VACUUM ANALYZE conversations")
        await conn.execute("VACUUM ANALYZE decisions")
        await conn.execute("CHECKPOINT")  # the fill's pages out of the server's memory
    finally:
        await conn.close()
    settle()


def settle() -> None:
    """The fill on disk before anything is timed. It leaves gigabytes of written pages in the
    kernel's memory, which it writes out in bursts (once they are 30 s old, or once they are a
    tenth of the memory): that burst filled the disk's queue for a second or so, and every commit
    meanwhile waited for its log to reach the disk (100-300 ms), whatever the store was doing. A
    bot does not serve right after loading a million rows at once."""
    os.sync()


# --- measuring --------------------------------------------------------------------------------

async def timed(ops: int, call: Callable[[int], Awaitable[Any]], users: list[int]
                ) -> list[float]:
    """Milliseconds of each of ``ops`` calls, on random ``users``."""
    pick = random.Random(ops).choice
    took = []
    for _ in range(ops):
        user = pick(users)
        start = time.perf_counter()
        await call(user)
        took.append((time.perf_counter() - start) * 1000)
    return took


def key_of(user: int) -> ConversationKey:
    return ConversationKey.private(user, user)


async def measure(store: Store, size: int, ops: int) -> dict[str, list[float]]:
    async def load(user: int) -> None:
        async with store.transaction(key_of(user)):
            pass

    async def save(user: int) -> None:
        async with store.transaction(key_of(user)) as tx:
            if tx.snapshot is not None:
                tx.save(tx.snapshot.model_copy(update={"version": tx.snapshot.version + 1}))

    async def history(user: int) -> None:
        await store.history(user)

    everyone = list(range(1, size + 1))
    idle = idle_users(size)
    active = [user for user in everyone if user not in idle]  # a save would make one not idle
    await timed(ops // 10, save, active)  # warm: prepared statements, the first pages
    return {"load": await timed(ops, load, everyone), "save": await timed(ops, save, active),
            "history": await timed(ops, history, everyone)}


async def serving_while(store: Store, size: int, work: Awaitable[int]) -> dict[str, float]:
    """Updates going on while ``work`` runs: their times, and how late the loop woke."""
    waits: list[float] = []
    lags: list[float] = [0.0]
    idle = idle_users(size)
    active = [user for user in range(1, size + 1) if user not in idle]
    pick = random.Random(size).choice
    running = asyncio.ensure_future(work)

    async def updates() -> None:
        while not running.done():
            key = key_of(pick(active))
            start = time.perf_counter()
            async with store.transaction(key) as tx:
                if tx.snapshot is not None:
                    tx.save(tx.snapshot.model_copy(update={"version": tx.snapshot.version + 1}))
            waits.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(UPDATE_EVERY)

    async def loop_lag() -> None:
        while not running.done():
            start = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append((time.perf_counter() - start - 0.001) * 1000)

    start = time.perf_counter()
    await asyncio.gather(updates(), loop_lag())
    done = await running
    return {"seconds": time.perf_counter() - start, "updates": len(waits), "done": done,
            "p50": percentile(waits, 50), "p99": percentile(waits, 99), "worst": max(waits),
            "lag": max(lags)}


async def purge_while_serving(store: Store, size: int) -> dict[str, float]:
    """The same updates without a purge for ``QUIET_SECONDS`` (what the machine itself adds),
    then while the idle tenth is purged."""
    async def quiet() -> int:
        await asyncio.sleep(QUIET_SECONDS)
        return 0

    alone = await serving_while(store, size, quiet())
    cutoff = datetime.now(UTC) - timedelta(days=90)
    purge = await serving_while(store, size, store.purge_idle(cutoff))
    if purge["done"] != int(size * IDLE_SHARE):
        raise SystemExit(f"the purge removed {purge['done']:.0f} of {int(size * IDLE_SHARE)}"
                         " idle rows")
    return {**purge, "alone_worst": alone["worst"], "alone_lag": alone["lag"]}


async def measure_then_purge(store: Store, size: int, ops: int
                             ) -> tuple[dict[str, list[float]], dict[str, float]]:
    """The timed loads, saves and history reads on ``store``, then its purge while updates go on;
    the store closed either way."""
    try:
        return await measure(store, size, ops), await purge_while_serving(store, size)
    finally:
        await store.close()


async def run_sqlite(size: int, ops: int, sample: tuple[str, dict[str, Any], str]
                     ) -> tuple[dict[str, list[float]], dict[str, float], float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "halo.db"
        start = time.perf_counter()
        await fill_sqlite(path, size, sample)
        filled = time.perf_counter() - start
        times, purge = await measure_then_purge(SQLiteStore(path), size, ops)
    return times, purge, filled


async def run_postgres(size: int, ops: int, sample: tuple[str, dict[str, Any], str]
                       ) -> tuple[dict[str, list[float]], dict[str, float], float]:
    database = f"halo_growth_{secrets.token_hex(4)}"
    server = await asyncpg.connect(SERVER)
    await server.execute(f'CREATE DATABASE "{database}"')
    try:
        url = f"{in_database(SERVER, database)}?schema=halo"
        start = time.perf_counter()
        await fill_postgres(url, size, sample)
        filled = time.perf_counter() - start
        times, purge = await measure_then_purge(PostgresStore(url), size, ops)
    finally:
        await server.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        await server.close()
    return times, purge, filled


# --- the figures --------------------------------------------------------------------------------

def report(backend: str, size: int, times: dict[str, list[float]], purge: dict[str, float],
           filled: float) -> None:
    print(f"{backend} at {size:,} conversations (filled in {filled:.0f} s; {load_average()})")
    for name, took in times.items():
        p99 = percentile(took, 99)
        print(f"  {name:36} p50 {percentile(took, 50):6.2f} ms  p99 {p99:6.2f} ms"
              f"   target p99 < {TARGET_P99_MS:g} ms: {'met' if p99 < TARGET_P99_MS else 'MISSED'}")
    worst = max(purge["worst"], purge["lag"])
    print(f"  {'purge of the idle tenth':36} {purge['seconds']:.1f} s, {purge['updates']:,.0f}"
          f" updates meanwhile: p50 {purge['p50']:.2f} ms  p99 {purge['p99']:.2f} ms"
          f"  worst {purge['worst']:.1f} ms, event loop late by {purge['lag']:.1f} ms at most"
          f"   target worst <= {TARGET_STALL_MS:g} ms:"
          f" {'met' if worst <= TARGET_STALL_MS else 'MISSED'}")
    print(f"  {'the same updates, no purge':36} {QUIET_SECONDS:.1f} s: worst"
          f" {purge['alone_worst']:.1f} ms, event loop late by {purge['alone_lag']:.1f} ms at most"
          " (what the machine itself adds)")


async def main(sizes: dict[str, list[int]], ops: int) -> None:
    print(f"bench.growth: {ops:,} operations of each kind on random keys a size; {load_average()}"
          " at the start")
    sample = await sample_conversation()
    for backend, runner in (("SQLite", run_sqlite), ("PostgreSQL", run_postgres)):
        for size in sizes.get(backend, []):
            report(backend, size, *await runner(size, ops, sample))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k on each backend, fewer ops")
    parser.add_argument("--full", action="store_true", help="PostgreSQL at 1 million as well")
    parser.add_argument("--sizes", type=int, nargs="+", help="these sizes only")
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    parser.add_argument("--ops", type=int, help="operations of each kind a size")
    args = parser.parse_args()
    chosen = {"SQLite": [10_000, 100_000, 1_000_000],
              "PostgreSQL": [10_000, 100_000, *([1_000_000] if args.full else [])]}
    if args.quick:
        chosen = {"SQLite": [10_000], "PostgreSQL": [10_000]}
    if args.sizes:
        chosen = {name: args.sizes for name in chosen}
    chosen = {name: sizes for name, sizes in chosen.items()
              if ("sqlite" if name == "SQLite" else "postgres") in args.backends}
    asyncio.run(main(chosen, args.ops or (300 if args.quick else 2000)))
