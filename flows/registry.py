"""Every flow the bot offers, by name."""

from __future__ import annotations

from flows.creator.flow import SPEC as CREATOR
from flows.engine import FlowSpec

FLOWS: dict[str, FlowSpec] = {CREATOR.name: CREATOR}
DEFAULT_FLOW = CREATOR.name
