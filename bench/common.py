"""Shared pieces of the benchmarks: the review a simulated creator types, the in-process Bot API,
figures printed next to their targets, runs repeated in turn (``interleaved``) and printed as
min / median / max with the machine's load average beside them (``Figures.spread``), and CPU and
memory of a process read from ``/proc``.

Benchmarks are not tests: a missed target is printed, never raised. An error (a user who does not
reach the decision, an exception logged by the bot, a failed API call) makes the run exit 1.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import telegram

from tests.support.offline import A_GOOD_DEAL, BOT_USER, OfflineRequest

ROOT = Path(__file__).resolve().parents[1]
CORES = os.cpu_count() or 1

# One creator review, typed (the script), then the "See my recommendation" button.
REVIEW_COMMAND = "/review"
ANSWERS = A_GOOD_DEAL  # every answer of a creator review, typed (as the bot tests type them)
CONFIRM = "✅ See my recommendation"
UPDATES_PER_REVIEW = 1 + len(ANSWERS) + 1


def machine() -> str:
    return (f"{CORES} cores (os.cpu_count), {platform.machine()}, Python "
            f"{platform.python_version()}, python-telegram-bot {telegram.__version__}")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0-100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def button_data(markup: Any, label: str) -> str | None:
    """The callback data of the button ``label`` in a reply_markup (a dict or its JSON)."""
    if markup is None:
        return None
    rows = (json.loads(markup) if isinstance(markup, str) else markup).get("inline_keyboard", [])
    for row in rows:
        for button in row:
            if button.get("text") == label:
                return str(button.get("callback_data"))
    return None


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One run's figures (name -> value), with the machine's 1-minute load average just before
    and just after the run (the after includes the run's own processes)."""

    figures: dict[str, float]
    load_before: float
    load_after: float


def load_average() -> float:
    """The machine's 1-minute load average."""
    return os.getloadavg()[0]


async def interleaved(variants: Mapping[str, Callable[[], Awaitable[dict[str, float]]]],
                      runs: int) -> dict[str, list[Sample]]:
    """Each variant ``runs`` times, in turn (A B A B ..., never A A B B), so that a change in
    the machine's load falls on every variant alike; each run's figures with its load."""
    samples: dict[str, list[Sample]] = {name: [] for name in variants}
    for number in range(1, runs + 1):
        for name, run in variants.items():
            before = load_average()
            started = time.perf_counter()
            figures = await run()
            samples[name].append(Sample(figures, before, load_average()))
            print(f"  run {number}/{runs} {name}: {time.perf_counter() - started:.1f} s, "
                  f"load {before:.2f} -> {load_average():.2f}", flush=True)
    return samples


def spread(values: list[float], show: Callable[[float], str]) -> str:
    """``min – median – max`` of ``values``, each shown by ``show``."""
    return " – ".join(show(value) for value in
                      (min(values), statistics.median(values), max(values)))


def loads(samples: list[Sample]) -> str:
    """The load averages of ``samples``: the lowest and highest before, then after, the runs."""
    before = [sample.load_before for sample in samples]
    after = [sample.load_after for sample in samples]
    return f"{min(before):.2f}–{max(before):.2f} → {min(after):.2f}–{max(after):.2f}"


@dataclass
class Figures:
    """Figures with their targets, printed as one table; errors decide the exit code.

    ``add`` takes one measured value; ``spread`` takes one figure of several runs and prints it
    as min – median – max with the load averages around those runs, the verdict on the median.
    """

    title: str
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    runs: int = 1

    def add(self, figure: str, target: str, measured: str, met: bool | None,
            load: str = "") -> None:
        verdict = "n/a" if met is None else "yes" if met else "NO"
        self.rows.append((figure, target, measured, load, verdict))

    def spread(self, figure: str, target: str, samples: list[Sample], key: str | tuple[str, ...],
               show: Callable[[float], str], met: Callable[[float], bool] | None = None) -> None:
        """The figure ``key`` of every sample that has it, as min – median – max (several keys:
        each so, joined by " · ", the verdict on the last)."""
        keys = (key,) if isinstance(key, str) else key
        having = [sample for sample in samples if all(k in sample.figures for k in keys)]
        if not having:
            return
        columns = [[sample.figures[k] for sample in having] for k in keys]
        self.runs = max(self.runs, len(having))
        self.add(figure, target, " · ".join(spread(values, show) for values in columns),
                 None if met is None else met(statistics.median(columns[-1])), loads(having))

    def error(self, message: str, *, echo: bool = True) -> None:
        self.errors.append(message)
        if echo:
            print(f"ERROR: {message}", file=sys.stderr, flush=True)

    def print(self) -> None:
        measured = f"measured ({CORES} cores)" if self.runs == 1 else \
            f"min – median – max of {self.runs} runs"
        header = ("figure", "target", measured, "load before → after", "met? (median)")
        shown = [i for i in range(5) if i != 3 or any(row[3] for row in self.rows)]
        widths = {i: max(len(r[i]) for r in [header, *self.rows]) for i in shown}
        line = " | ".join(f"{{{i}:<{widths[i]}}}" for i in shown)
        print(f"\n{self.title} -- {machine()}")
        print(line.format(*header))
        print("-+-".join("-" * widths[i] for i in shown))
        for row in self.rows:
            print(line.format(*row))
        if self.errors:
            print(f"\n{len(self.errors)} error(s); first: {self.errors[0]}")
        sys.stdout.flush()

    def markdown(self) -> None:
        """The same rows as a Markdown table (the README's)."""
        print(f"\n| figure | target | min – median – max of {self.runs} runs "
              "| load before → after | met? (median) |")
        print("| --- | --- | --- | --- | --- |")
        for figure, target, measured, load, met in self.rows:
            verdict = {"NO": "**no**", "n/a": ""}.get(met, met)
            print(f"| {figure.strip()} | {target} | {measured} | {load} | {verdict} |")
        sys.stdout.flush()

    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def finish(self, started: float) -> int:
        """The table, the machine's load and the run's length (from ``started``,
        ``time.perf_counter()``); the exit code."""
        self.print()
        print(f"load average {load_average():.2f}; the run took "
              f"{time.perf_counter() - started:.0f} s")
        return self.exit_code()


def announce() -> float:
    """Print the machine and its load before a run; the run's start (``time.perf_counter()``)."""
    print(f"machine: {machine()}; load average {load_average():.2f} (1 minute; the machine is "
          "shared: compare runs taken in turn, not single figures)", flush=True)
    return time.perf_counter()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


class ErrorLog(logging.Handler):
    """Counts WARNING and worse from any logger (the bot logs every failed update)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")

    @classmethod
    def install(cls) -> ErrorLog:
        handler = cls()
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        return handler


# --- the in-process Bot API -------------------------------------------------------------------


@dataclass
class BenchApi(OfflineRequest):
    """``tests.support.offline.OfflineRequest`` without the call log (it would grow with the run),
    answering getUpdates from ``inbox`` and remembering each chat's newest keyboard."""

    record: bool = False
    inbox: list[dict[str, Any]] = field(default_factory=list)
    keyboards: dict[int, tuple[int, Any]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        self.counts[api_method] += 1
        if api_method == "getUpdates":
            batch, self.inbox = self.inbox, []
            return batch
        result = super()._result(api_method, params)
        if isinstance(result, dict) and params.get("reply_markup") is not None:
            self.keyboards[result["chat"]["id"]] = (result["message_id"], params["reply_markup"])
        return result


class UpdateFeed:
    """Raw updates as Telegram sends them in getUpdates (the shapes of ``offline.Updates``)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._messages = itertools.count(1)

    @staticmethod
    def _user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._messages), "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id), "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return {"update_id": next(self._ids), "message": message}

    def press(self, user_id: int, data: str, message_id: int) -> dict[str, Any]:
        update_id = next(self._ids)
        query = {
            "id": f"q{update_id}", "from": self._user(user_id), "chat_instance": "c",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                        "chat": {"id": user_id, "type": "private"}, "text": "question"},
        }
        return {"update_id": update_id, "callback_query": query}


# --- another process, from /proc ---------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of process ``pid`` in KiB, from /proc/<pid>/status."""
    values: dict[str, int] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])
    return values
