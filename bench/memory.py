"""Memory and start-up: bytes stored per conversation and per decision, the bot's resident memory
with 1,000 and with 100,000 stored conversations, and the time from process start to the first
handled update.

1. Real conversations: creators review through the offline harness of ``bench/throughput.py``
   (some finish, some stop halfway) on a SQLite file made by the real store.
2. Stored populations: those finished conversations and their decisions, copied under new user
   ids into fresh stores of 1,000 and of 100,000 conversations. Bytes per row come from SQLite's
   ``dbstat`` (table and index pages, as allocated).
3. Resident memory: the bot as its own process (``bench/halo_process.py``) on each population
   serves the same work (new creators review, stored users come back for /start and /history);
   then VmRSS is read from ``/proc/<pid>/status``.
4. Start-up: the unmodified ``python -m bot.cli run`` starts with a /start already waiting at
   the emulator; the clock runs from spawning the process to the bot's reply.

    .venv/bin/python -m bench.memory [--small 1000] [--large 100000] [--starts 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.common import ErrorLog, Figures, announce, memory_kib
from bench.emulated import HALO_RUN, BenchEmulator, BotProcess, act, creator, decided, lifted
from bench.throughput import halo_bot
from bot.store import open_store
from bot.store.base import PACK_OVER
from bot.store.sqlite import unpack
from tests.support.emulator import User

FIRST_STORED = 10_000_000  # user ids of the stored population
FIRST_NEW = 20_000_000  # user ids of creators reviewing during the memory run
KIB = 1024


# --- 1 and 2: real rows, then populations of them ----------------------------------------------


async def real_conversations(folder: Path, figures: Figures, finished: int, halfway: int) -> Path:
    """A store with ``finished`` decided reviews and ``halfway`` stopped after 12 answers."""
    async with halo_bot(figures, folder=str(folder)) as harness:
        await harness.wave(list(range(1, finished + 1)))
        await harness.wave(list(range(finished + 1, finished + halfway + 1)), steps=13)
    return folder / "halo.db"


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def populate(source: Path, target: Path, count: int) -> None:
    """A fresh store (schema by the real code) with ``count`` decided conversations and their
    decisions, copied round-robin from ``source`` under new user ids."""
    with sqlite3.connect(source) as db:
        conversation_columns = columns(db, "conversations")
        decision_columns = [c for c in columns(db, "decisions") if c != "id"]
        stored = conversation_columns.index("snapshot_json")
        conversations = [row for row in db.execute(
            f"SELECT {', '.join(conversation_columns)} FROM conversations ORDER BY user_id")
            if json.loads(unpack(row[stored]))["step"] == "decided"]
        decisions = {row[decision_columns.index("user_id")]: row for row in db.execute(
            f"SELECT {', '.join(decision_columns)} FROM decisions")}
    chat, user = conversation_columns.index("chat_id"), conversation_columns.index("user_id")
    owner = decision_columns.index("user_id")

    def conversation_rows() -> Iterator[list[object]]:
        for n in range(count):
            row = list(conversations[n % len(conversations)])
            row[chat] = row[user] = FIRST_STORED + n
            yield row

    def decision_rows() -> Iterator[list[object]]:
        for n in range(count):
            row = list(decisions[conversations[n % len(conversations)][user]])
            row[owner] = FIRST_STORED + n
            yield row

    with sqlite3.connect(target, isolation_level=None) as db:
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO conversations ({', '.join(conversation_columns)}) VALUES"
                       f" ({', '.join('?' * len(conversation_columns))})",
                       conversation_rows())
        db.executemany(f"INSERT INTO decisions ({', '.join(decision_columns)}) VALUES"
                       f" ({', '.join('?' * len(decision_columns))})",
                       decision_rows())
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def bytes_per_row(database: Path) -> dict[str, tuple[int, int]]:
    """{table: (rows, bytes of its pages and its indexes' pages)}."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        sizes = dict(db.execute(
            "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat AS s"
            " JOIN sqlite_master AS m ON m.name = s.name GROUP BY m.tbl_name").fetchall())
        return {table: (db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0],
                        int(sizes.get(table, 0))) for table in ("conversations", "decisions")}


def json_lengths(database: Path) -> dict[str, float]:
    """Average bytes of the stored values (deflated) and of their JSON, by kind."""
    found: dict[str, list[int]] = defaultdict(list)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        for (stored,) in db.execute("SELECT snapshot_json FROM conversations"):
            text = unpack(stored).encode()
            kind = "decided" if json.loads(text)["step"] == "decided" else "halfway"
            found[kind].append(len(text))
            found[f"{kind} stored"].append(len(stored))
        for (stored,) in db.execute("SELECT payload_json FROM decisions"):
            found["decision payload"].append(len(unpack(stored).encode()))
            found["decision payload stored"].append(len(stored))
    return {kind: sum(sizes) / len(sizes) for kind, sizes in found.items()}


# --- 3: resident memory under the same work -------------------------------------------------------


@dataclass
class Resident:
    stored: int
    rss_kib: int
    peak_kib: int
    errors: list[str]


async def resident(database: Path, stored: int, creators: int, returning: int) -> Resident:
    """The bot on ``database``: ``creators`` new reviews and ``returning`` stored users sending
    /start then /history, all at once; then its resident memory."""
    errors: list[str] = []
    latencies: list[float] = []
    emulator = BenchEmulator()
    await emulator.start()
    bot = BotProcess(emulator, database.parent, lifted(), database=database)
    try:
        await bot.start()

        async def come_back(n: int) -> None:
            user = emulator.register_user(User(FIRST_STORED + n, f"User{n}"))
            for command in ("/start", "/history"):
                try:
                    await act(emulator, user, command)
                except TimeoutError:
                    errors.append(f"stored user {user.id}: no answer to {command}")
                    return

        spread = max(1, stored // max(returning, 1))
        await asyncio.gather(
            *(creator(emulator, FIRST_NEW + n, latencies, errors) for n in range(creators)),
            *(come_back(n * spread) for n in range(returning)))
        memory = memory_kib(bot.pid)
    finally:
        await bot.stop()
        await emulator.stop()
    errors += [f"API call {call.method} failed: {call.error}" for call in emulator.failed_calls()]
    errors += [f"bot log: {line}" for line in bot.log_problems()]
    if decided(database) != stored + creators:
        errors.append(f"{decided(database) - stored} of {creators} new creators decided")
    return Resident(stored, memory["VmRSS"], memory["VmHWM"], errors)


# --- 4: start-up -----------------------------------------------------------------------------


@dataclass
class StartUp:
    """Seconds from spawning the process: to its first Bot API call (interpreter, imports, the
    store opened), to its first getUpdates (getMe, command menus, replay), to its reply."""

    first_call: float
    first_poll: float
    reply: float


async def start_up(database: Path, stored_user: int, errors: list[str]) -> StartUp | None:
    """``python -m bot.cli run`` started with a /start from ``stored_user`` already waiting."""
    emulator = BenchEmulator()
    await emulator.start()
    user = emulator.register_user(User(stored_user, "Returning"))
    waiter = emulator.expect(user.id)
    await emulator.user_message(user, None, "/start")  # waiting before the bot exists
    bot = BotProcess(emulator, database.parent, HALO_RUN, database=database,
                     CHAT_MESSAGES_PER_SECOND="1")  # the default pace: the bot as it ships
    try:
        started, monotonic = time.perf_counter(), time.monotonic()  # the emulator's clock
        await bot.spawn()
        async with asyncio.timeout(60):
            replied = (await waiter).replied
        polls = emulator.calls_to("getUpdates", finished=False)
        return StartUp(first_call=emulator.calls[0].time - monotonic,
                       first_poll=polls[0].time - monotonic if polls else float("nan"),
                       reply=replied - started)
    except TimeoutError:
        errors.append(f"start-up: no reply to /start within 60 s:\n{bot.log()[-2000:]}")
        return None
    finally:
        await bot.stop()
        await emulator.stop()
        errors.extend(f"start-up log: {line}" for line in bot.log_problems())


# --- the run ---------------------------------------------------------------------------------


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000, help="stored conversations, small")
    parser.add_argument("--large", type=int, default=100_000,
                        help="stored conversations, large")
    parser.add_argument("--creators", type=int, default=50,
                        help="new creators reviewing during each memory run")
    parser.add_argument("--returning", type=int, default=200,
                        help="stored users sending /start and /history during each memory run")
    parser.add_argument("--starts", type=int, default=3, help="start-ups timed per population")
    args = parser.parse_args()
    figures = Figures("bench/memory.py")
    errors = ErrorLog.install()
    started = announce()

    with tempfile.TemporaryDirectory(prefix="halo-memory-") as temporary:
        folder = Path(temporary)
        (folder / "real").mkdir()
        real = await real_conversations(folder / "real", figures, finished=200, halfway=100)
        lengths = json_lengths(real)
        populations = {}
        for count in (args.small, args.large):
            (folder / str(count)).mkdir()
            database = folder / str(count) / "halo.db"
            await open_store(f"sqlite:///{database}").close()  # the schema, by the real store
            clock = time.perf_counter()
            populate(real, database, count)
            populations[count] = database
            size = database.stat().st_size / 2**20
            print(f"  stored {count:,} conversations and decisions in "
                  f"{time.perf_counter() - clock:.1f} s ({size:.0f} MiB)", flush=True)
        rows = bytes_per_row(populations[args.large])

        # start-ups first: both populations as stored, before the memory runs add to them
        starts: dict[int, list[float]] = {}
        start_errors: list[str] = []
        for count, database in populations.items():
            starts[count] = []
            for n in range(args.starts):
                start = await start_up(database, FIRST_STORED + n, start_errors)
                if start is None:
                    continue
                starts[count].append(start.reply)
                print(f"  start-up with {count:,} stored: first API call {start.first_call:.2f} s"
                      f" (interpreter, imports, store), first getUpdates {start.first_poll:.2f} s,"
                      f" reply {start.reply:.2f} s", flush=True)

        residents = {}
        for count, database in populations.items():
            residents[count] = await resident(database, count, args.creators, args.returning)
            print(f"  resident memory with {count:,} stored, after {args.creators} reviews and "
                  f"{args.returning} returning users: {residents[count].rss_kib / KIB:.1f} MiB "
                  f"(peak {residents[count].peak_kib / KIB:.1f} MiB)", flush=True)

    conversations, conversation_bytes = rows["conversations"]
    decisions, decision_bytes = rows["decisions"]
    per_conversation = conversation_bytes / conversations
    figures.add(f"stored bytes per decided conversation at rest ({conversations:,} stored)",
                "< 1 KB (1,024 B)", f"{per_conversation:,.0f} B", per_conversation < 1024)
    figures.add("  of which its snapshot, deflated", "",
                f"{lengths.get('decided stored', 0):,.0f} B", None)
    figures.add("  (its snapshot as JSON)", "", f"{lengths.get('decided', 0):,.0f} B", None)
    figures.add("snapshot of a conversation halfway through a review, stored (JSON)", "",
                f"{lengths.get('halfway stored', 0):,.0f} B ({lengths.get('halfway', 0):,.0f} B)",
                None)
    # a snapshot is kept as JSON text up to PACK_OVER bytes: the longest such row, with the
    # overhead of a row and its index entries as measured on the decided ones above
    overhead = per_conversation - lengths.get("decided stored", 0)
    longest = PACK_OVER + overhead
    figures.add(f"the longest conversation kept as JSON text ({PACK_OVER} B + {overhead:,.0f} B "
                "of row and index)", "< 1 KB (1,024 B)", f"{longest:,.0f} B", longest < 1024)
    figures.add(f"stored bytes per decision ({decisions:,} stored)", "",
                f"{decision_bytes / decisions:,.0f} B", None)
    figures.add("  of which its payload, deflated (JSON)", "",
                f"{lengths['decision payload stored']:,.0f} B"
                f" ({lengths['decision payload']:,.0f} B)", None)
    small, large = residents[args.small], residents[args.large]
    figures.add(f"bot resident memory, {args.small:,} stored conversations", "",
                f"{small.rss_kib / KIB:.1f} MiB", None)
    figures.add(f"bot resident memory, {args.large:,} stored conversations", "",
                f"{large.rss_kib / KIB:.1f} MiB", None)
    growth = (large.rss_kib - small.rss_kib) / KIB
    figures.add(f"resident growth from {args.small:,} to {args.large:,} stored", "< 10 MB",
                f"{growth:+.1f} MiB", growth < 10 * 1e6 / 2**20)
    for count, times in starts.items():
        if times:
            worst = max(times)
            figures.add(f"start-up to first handled update, {count:,} stored "
                        f"(median / worst of {len(times)})", "< 1 s",
                        f"{statistics.median(times):.2f} s / {worst:.2f} s", worst < 1.0)
    for problem in [*start_errors, *small.errors, *large.errors]:
        figures.error(problem)
    for record in errors.records:
        figures.error(f"logged: {record}")
    return figures.finish(started)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
