"""What one update costs the store, SQLite against PostgreSQL, in the same run (issue 16, item 1).

Creators go through whole creator reviews through the real conversation service
(``Conversations.handle``), below any transport, 40 at a time (one begins as another ends):
each update is loaded, advanced and saved, and
its delivery answers with a new message id, so every update also notes the message showing its
step (``set_shown``: the most notes an update can make). Runs alternate between the backends.

Printed next to the issue's targets: round trips to PostgreSQL per update (counted on the
driver's connections), CPU per update (this process, plus PostgreSQL's backends serving it, read
from ``/proc``; the server's background writers are left out) against SQLite's in-process CPU,
the share of row updates that were heap-only (HOT), what a decided conversation takes on disk
after a VACUUM (its share of the table's pages that hold rows and of its indexes' pages; the
whole file beside, see ``table_figures``), the snapshot's size
deflated against JSON text and jsonb, and the most
connections seen idle in a transaction. The PostgreSQL server is ``HALO_BENCH_POSTGRES_URL``
(default: the local trust-auth test server); each run has a database of its own, dropped at the
end, and a VACUUM every second plays autovacuum's part.

    python -m bench.store_cost            # 200 creators, 3 runs a backend (about a minute)
    python -m bench.store_cost --quick    # 40 creators, 1 run
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.conversations import Conversations, Inbound, Turn
from bot.store import ConversationKey, PostgresStore, SQLiteStore, Store
from bot.store.base import unpack
from bot.store.postgres import LINES_APART
from flows.replies import Event
from tests.support.offline import A_GOOD_DEAL

SERVER = os.environ.get("HALO_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# /review, a name to sign with, the answers, "See my recommendation"
UPDATES_PER_REVIEW = 1 + 1 + len(A_GOOD_DEAL) + 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VACUUM_EVERY = 1.0  # seconds


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def spread(values: list[float], fmt: str) -> str:
    """min / median / max of ``values`` (one value alone as it is)."""
    if len(values) == 1:
        return format(values[0], fmt)
    return " / ".join(format(v, fmt) for v in (min(values), statistics.median(values),
                                               max(values)))


# --- driving reviews --------------------------------------------------------------------------

async def review(conversations: Conversations, key: ConversationKey,
                 update_ids: Iterator[int], message_ids: Iterator[int]) -> str:
    """One creator's whole review; the step it ends at."""
    last: list[Turn] = []

    async def deliver(turn: Turn) -> int:
        last[:] = [turn]
        return next(message_ids)  # a new message shows each step

    async def send(event: Event, **more: Any) -> None:
        await conversations.handle(Inbound(key, event, next(update_ids), **more), deliver)

    await send(Event(verb="begin"), flow="creator")
    for text in ("Sam", *A_GOOD_DEAL):  # the name to sign with, then the review's answers
        await send(Event(verb="answer", arg=text))
    version = last[0].snapshot.version if last and last[0].snapshot else None
    await send(Event(verb="confirm"), flow="creator", pressed=version)
    snapshot = last[0].snapshot if last else None
    return snapshot.step if snapshot else "none"


AT_ONCE = 40  # creators in the middle of a review at any moment; the others come after them


async def reviews(store: Store, first_user: int, users: int) -> None:
    """``users`` whole reviews, ``AT_ONCE`` at a time: one begins as another ends."""
    conversations = Conversations(store)
    update_ids = itertools.count(first_user * 100)
    message_ids = itertools.count(1)
    waiting = iter(range(first_user, first_user + users))
    steps: list[str] = []

    async def creators_one_after_another() -> None:
        for user in waiting:
            key = ConversationKey.private(user, user)
            steps.append(await review(conversations, key, update_ids, message_ids))

    await asyncio.gather(*(creators_one_after_another() for _ in range(AT_ONCE)))
    undecided = sum(step != "decided" for step in steps)
    if undecided:
        raise SystemExit(f"{undecided} of {users} reviews did not reach the decision")


# --- counting round trips -----------------------------------------------------------------------

ROUND_TRIPS = [0]
UNCOUNTED: set[int] = set()  # the bench's own connections (ids), watching the server
_COUNTED = ("execute", "executemany", "fetch", "fetchrow", "fetchval")


@contextmanager
def counting_round_trips() -> Iterator[None]:
    """Count each query call on asyncpg's connections (one round trip each, prepared statements
    being cached after their first use)."""
    originals = {name: getattr(asyncpg.Connection, name) for name in _COUNTED}

    def counted(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if id(self) not in UNCOUNTED:
                ROUND_TRIPS[0] += 1
            return await method(self, *args, **kwargs)
        return call

    for name, method in originals.items():
        setattr(asyncpg.Connection, name, counted(method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(asyncpg.Connection, name, method)


# --- PostgreSQL's side --------------------------------------------------------------------------

def process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


async def backends(admin: Any, name: str) -> dict[int, float]:
    rows = await admin.fetch("SELECT pid FROM pg_stat_activity WHERE application_name = $1", name)
    return {row["pid"]: process_seconds(row["pid"]) for row in rows}


async def watch_idle_in_transaction(admin: Any, name: str, seen: list[int],
                                    stop: asyncio.Event) -> None:
    while not stop.is_set():
        count = await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE"
                                     " application_name = $1 AND state LIKE 'idle in trans%'", name)
        seen.append(int(count))
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.01)


def in_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


async def vacuum_now_and_then(admin: Any, table: str, stop: asyncio.Event) -> None:
    """Autovacuum's part: it looks at a table every minute, and this run is shorter."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), VACUUM_EVERY)
        except TimeoutError:
            await admin.execute(f"VACUUM {table}")


async def postgres_run(users: int, behind: bool, alone: bool) -> dict[str, float]:
    """One run in a database of its own: what other sessions of the server do (other databases'
    open transactions) cannot keep its dead row versions from being cleaned."""
    database = f"halo_bench_{secrets.token_hex(4)}"
    server = await asyncpg.connect(SERVER)
    await server.execute(f'CREATE DATABASE "{database}"')
    try:
        return await postgres_run_in(in_database(SERVER, database), users, behind, alone)
    finally:
        await server.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        await server.close()


async def postgres_run_in(url: str, users: int, behind: bool, alone: bool
                          ) -> dict[str, float]:
    schema = "halo"
    name = "halo_bench"
    admin = await asyncpg.connect(url)
    try:
        store = PostgresStore(f"{url}?schema={schema}&application_name={name}")
        if behind:
            store.write_behind()
        if alone:
            store.serve_alone()
        await store.start()
        seen: list[int] = []
        stop = asyncio.Event()
        watch, vacuum = await asyncpg.connect(url), await asyncpg.connect(url)
        UNCOUNTED.update((id(admin), id(watch), id(vacuum)))
        # autovacuum's part from the start, as a server's autovacuum runs all along (this test
        # server's is off)
        vacuumer = asyncio.create_task(vacuum_now_and_then(vacuum, f"{schema}.conversations",
                                                           stop))
        await reviews(store, 10_000_000, users)  # warm: every pooled connection open
        before = await backends(admin, name)
        watcher = asyncio.create_task(watch_idle_in_transaction(watch, name, seen, stop))
        ROUND_TRIPS[0] = 0
        cpu = time.process_time()
        with counting_round_trips():
            await reviews(store, 1, users)
        cpu = time.process_time() - cpu
        trips = ROUND_TRIPS[0]
        after = await backends(admin, name)
        stop.set()
        await asyncio.gather(watcher, vacuumer)
        await watch.close()
        await vacuum.close()
        await store.close()  # the backends exit, and send their statistics
        server = sum(after[pid] - before.get(pid, 0.0) for pid in after)
        figures = await table_figures(admin, schema)
    finally:
        await admin.close()
    updates = users * UPDATES_PER_REVIEW
    return {"worker_ms": cpu / updates * 1000, "server_ms": server / updates * 1000,
            "round_trips": trips / updates, "idle_in_transaction": max(seen, default=0),
            **figures}


async def table_figures(admin: Any, schema: str) -> dict[str, float]:
    """HOT share, bytes per decided conversation after a VACUUM, snapshot sizes."""
    table = f'"{schema}".conversations'
    deadline = time.monotonic() + 10
    while True:  # the exited backends' statistics arrive a moment later
        await admin.execute("SELECT pg_stat_clear_snapshot()")
        row = await admin.fetchrow("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                                   " WHERE schemaname = $1 AND relname = 'conversations'", schema)
        if (row and row["n_tup_upd"]) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    await admin.execute(f"VACUUM {table}")
    # the table's pages holding a row and its indexes' pages, without what a table has whatever
    # its rows (the free space and visibility maps, each index's metapage), and without empty
    # pages: PostgreSQL adds them ahead in bursts and fills them before growing the table again
    # (bench/README.md, the journal: "bytes on disk"); the whole file is shown beside
    indexes = await admin.fetchval(
        "SELECT sum(pg_relation_size(indexrelid) - 8192) FROM pg_index"
        " WHERE indrelid = $1::regclass", table)
    heap = await admin.fetchval("SELECT pg_relation_size($1::regclass)", table)
    holding = await admin.fetchval(
        f"SELECT count(DISTINCT (ctid::text::point)[0]) * 8192 FROM {table}")
    size, whole = holding + indexes, heap + indexes
    await admin.execute(f"VACUUM FULL {table}")  # at rest: the room in-flight reviews took, back
    rested = await admin.fetchval(
        "SELECT pg_relation_size($1::regclass) + sum(pg_relation_size(indexrelid) - 8192)"
        " FROM pg_index WHERE indrelid = $1::regclass", table)
    rows = await admin.fetch(f"SELECT snapshot, snapshot_json FROM {table}"
                             " WHERE user_id < 10000000")
    texts = [unpack(bytes(r["snapshot"]) if r["snapshot"] is not None
                    else r["snapshot_json"]).partition(LINES_APART)[0] for r in rows]
    jsonb = await admin.fetchval("SELECT avg(pg_column_size(t::jsonb)) FROM unnest($1::text[]) t",
                                 texts)
    deflated = [len(r["snapshot"]) for r in rows if r["snapshot"] is not None]
    total = await admin.fetchval(f"SELECT count(*) FROM {table}")
    upd, hot = (row["n_tup_upd"], row["n_tup_hot_upd"]) if row else (0, 0)
    return {"hot_pct": 100 * hot / upd if upd else 0.0, "bytes": float(size / total),
            "whole": float(whole / total), "rested": float(rested / total),
            "deflated": statistics.mean(deflated) if deflated else 0.0,
            "text": statistics.mean(len(t.encode()) for t in texts), "jsonb": float(jsonb)}


async def sqlite_run(users: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "halo.db")
        store.write_behind()
        await reviews(store, 10_000_000, users)
        cpu = time.process_time()
        await reviews(store, 1, users)
        cpu = time.process_time() - cpu
        await store.close()
    return {"worker_ms": cpu / (users * UPDATES_PER_REVIEW) * 1000}


# --- the figures --------------------------------------------------------------------------------

def report(users: int, runs: int, sqlite: list[dict[str, float]],
           variants: dict[str, list[dict[str, float]]], load: str) -> None:
    def col(rows: list[dict[str, float]], key: str) -> list[float]:
        return [r[key] for r in rows]

    def total(rows: list[dict[str, float]]) -> list[float]:
        return [r["worker_ms"] + r["server_ms"] for r in rows]

    base = statistics.median(col(sqlite, "worker_ms"))
    polled = next(iter(variants.values()))
    print(f"bench.store_cost: {users} creators x {UPDATES_PER_REVIEW} updates, {runs} run(s) a"
          f" backend, alternating; min / median / max; {load} at the start,"
          f" {load_average()} at the end")
    print(f"{'figure':58} {'target':>12}  measured")
    print(f"{'SQLite: CPU per update (in process)':58} {'':>12}  "
          f"{spread(col(sqlite, 'worker_ms'), '.3f')} ms")
    for label, rows in variants.items():
        ratio = statistics.median(total(rows)) / base
        print(label)
        trips = spread(col(rows, "round_trips"), ".2f")
        print(f"{'  round trips per update':58} {'<= 3':>12}  {trips}")
        print(f"{'  CPU per update: worker + PostgreSQL backends':58} {'':>12}  "
              f"{spread(col(rows, 'worker_ms'), '.3f')} + {spread(col(rows, 'server_ms'), '.3f')}"
              f" ms")
        print(f"{'  ... against SQLite (medians)':58} {'<= 1.5x':>12}  {ratio:.2f}x"
              f" {'(met)' if ratio <= 1.5 else '(MISSED)'}")
        hot = statistics.median(col(rows, "hot_pct"))
        print(f"{'  row updates heap-only (HOT)':58} {'>= 90%':>12}  "
              f"{spread(col(rows, 'hot_pct'), '.1f')}% {'(met)' if hot >= 90 else '(MISSED)'}")
        size = statistics.median(col(rows, "bytes"))
        print(f"{'  on disk per decided conversation, after VACUUM':58} {'<= 1,536 B':>12}  "
              f"{spread(col(rows, 'bytes'), ',.0f')} B {'(met)' if size <= 1536 else '(MISSED)'}")
        print(f"{'  ... the whole file, empty pages added ahead included':58} {'':>12}  "
              f"{spread(col(rows, 'whole'), ',.0f')} B")
        print(f"{'  ... the table rewritten at rest (VACUUM FULL)':58} {'':>12}  "
              f"{spread(col(rows, 'rested'), ',.0f')} B")
        print(f"{'  most connections idle in a transaction':58} {'0':>12}  "
              f"{max(col(rows, 'idle_in_transaction')):.0f}")
    print(f"{'a decided snapshot: deflated (stored) / JSON text / jsonb':58} {'':>12}  "
          f"{statistics.median(col(polled, 'deflated')):,.0f} / "
          f"{statistics.median(col(polled, 'text')):,.0f} / "
          f"{statistics.median(col(polled, 'jsonb')):,.0f} B")


# how a store is used: (notes written behind, this process alone serves the bot)
# (the only webhook worker keeps the journal as polling does, so its store path is polling's)
VARIANTS = {
    "PostgreSQL, polling or the only webhook worker (notes written behind; kept conversations)":
        (True, True),
    "PostgreSQL, one of several webhook workers (notes at once; each update loads)":
        (False, False),
}


async def main(users: int, runs: int) -> None:
    load = load_average()
    sqlite: list[dict[str, float]] = []
    variants: dict[str, list[dict[str, float]]] = {label: [] for label in VARIANTS}
    for _ in range(runs):
        sqlite.append(await sqlite_run(users))
        for label, (behind, alone) in VARIANTS.items():
            variants[label].append(await postgres_run(users, behind, alone))
    report(users, runs, sqlite, variants, load)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="40 creators, 1 run")
    args = parser.parse_args()
    asyncio.run(main(40 if args.quick else args.users, 1 if args.quick else args.runs))
