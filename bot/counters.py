"""What the conversation service counts for the operator: updates by flow, decisions kept by
flow and verdict. Transport-free (no Telegram here); ``bot/metrics.py`` serves them with the rest
at ``GET /metrics``. Labels are flow names and verdicts only: never a person or a word."""

from __future__ import annotations

from functools import cache
from typing import Any

from prometheus_client import Counter

FLOW_UPDATES = Counter("halo_flow_updates", "Updates that reached a flow, by flow", ["flow"])
DECISIONS = Counter("halo_decisions", "Decisions kept for /history, by flow and verdict",
                    ["flow", "verdict"])


@cache
def counter_of(counter: Counter, *labels: str) -> Any:
    """``counter.labels(*labels)``, looked up once: ``labels`` takes a lock and builds a key
    on every call, and the bot counts several times an update. Labels come from short fixed
    sets (flows, verdicts, update types, Bot API methods, error kinds), so this stays small."""
    return counter.labels(*labels)
