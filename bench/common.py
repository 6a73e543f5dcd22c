"""Shared pieces of the benchmarks: the review a simulated creator types, the in-process Bot API,
figures printed next to their targets, and CPU and memory of a process read from ``/proc``.

Benchmarks are not tests: a missed target is printed, never raised. An error (a user who does not
reach the decision, an exception logged by the bot, a failed API call) makes the run exit 1.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import platform
import sys
import time
from collections import Counter
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


@dataclass
class Figures:
    """Figures with their targets, printed as one table; errors decide the exit code."""

    title: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, figure: str, target: str, measured: str, met: bool | None) -> None:
        verdict = "n/a" if met is None else "yes" if met else "NO"
        self.rows.append((figure, target, measured, verdict))

    def error(self, message: str, *, echo: bool = True) -> None:
        self.errors.append(message)
        if echo:
            print(f"ERROR: {message}", file=sys.stderr, flush=True)

    def print(self) -> None:
        header = ("figure", "target", f"measured ({CORES} cores)", "met?")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(4)]
        line = " | ".join(f"{{:<{w}}}" for w in widths)
        print(f"\n{self.title} -- {machine()}")
        print(line.format(*header))
        print("-+-".join("-" * w for w in widths))
        for row in self.rows:
            print(line.format(*row))
        if self.errors:
            print(f"\n{len(self.errors)} error(s); first: {self.errors[0]}")
        sys.stdout.flush()

    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def finish(self, started: float) -> int:
        """The table, the machine's load and the run's length (from ``started``,
        ``time.perf_counter()``); the exit code."""
        self.print()
        print(f"load average {os.getloadavg()[0]:.2f}; the run took "
              f"{time.perf_counter() - started:.0f} s")
        return self.exit_code()


def announce() -> float:
    """Print the machine and its load before a run; the run's start (``time.perf_counter()``)."""
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}", flush=True)
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
