"""Every flow the bot offers, by name."""

from __future__ import annotations

from flows.apology.flow import SPEC as APOLOGY
from flows.creator.flow import SPEC as CREATOR
from flows.engine import FlowSpec
from flows.proposal.flow import SPEC as PROPOSAL
from flows.team.flow import SPEC as TEAM

FLOWS: dict[str, FlowSpec] = {spec.name: spec for spec in (CREATOR, APOLOGY, PROPOSAL, TEAM)}
PRIVATE_FLOWS = (CREATOR.name, APOLOGY.name, PROPOSAL.name)  # what a person runs on their own
DEFAULT_FLOW = CREATOR.name
