"""The persisted state of one conversation: a pydantic ``Snapshot`` stored as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Tone = Literal["warm", "professional", "brief"]


class Money(BaseModel):
    """An amount of money with its ISO currency code."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str = "USD"


Answer = Money | str


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Team(BaseModel):
    """A team review's own state: who leads, who joined, and every member's votes.

    User ids are kept as strings (JSON object keys); names are shown in tallies.
    """

    lead: str
    members: dict[str, str] = Field(default_factory=dict)  # user id -> first name, joined order
    votes: dict[str, dict[str, str]] = Field(default_factory=dict)  # question -> user -> option
    proposal: str | None = None  # the message the lead replied /review to, if any


class Snapshot(BaseModel):
    """Everything a flow needs to continue a conversation, and nothing it can derive.

    ``history`` lists what was answered, in order, so Back can undo the last answer; ``version``
    grows with every change so a button from an older message can be recognised. ``dropped``:
    after "start over", the review it replaced, until the new one moves on (Undo restores it).
    """

    schema_version: int = SCHEMA_VERSION
    flow: str
    step: str
    answers: dict[str, Answer] = Field(default_factory=dict)
    history: list[str] = Field(default_factory=list)
    editing: str | None = None
    picking: list[str] = Field(default_factory=list)  # options ticked so far on a multi question
    tone: Tone = "warm"
    draft: str | None = None
    version: int = 0
    team: Team | None = None  # only in a group's team review
    # a brand's message read at the start: its facts and short quotes, never the message itself
    # (``flows.reading.offer.OfferReading`` as JSON, corrections included); /forget deletes it
    offer: dict[str, Any] | None = None
    fixing: str | None = None  # a fact being corrected: "" the list of facts, else its code
    # a review started over: the one it replaced, which Undo brings back (see flows.engine)
    dropped: Snapshot | None = None
    started_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    def to_json(self) -> str:
        # defaults are left out: a stored conversation stays small (under 1 KB at rest)
        return self.model_dump_json(exclude_defaults=True)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        return cls.model_validate_json(text)
