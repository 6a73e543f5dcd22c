"""What the conversation service counts for the operator: updates by flow, decisions kept by
flow and verdict. Transport-free (no Telegram here); ``bot/metrics.py`` serves them with the rest
at ``GET /metrics``. Labels are flow names and verdicts only: never a person or a word."""

from __future__ import annotations

from prometheus_client import Counter

FLOW_UPDATES = Counter("halo_flow_updates", "Updates that reached a flow, by flow", ["flow"])
DECISIONS = Counter("halo_decisions", "Decisions kept for /history, by flow and verdict",
                    ["flow", "verdict"])
