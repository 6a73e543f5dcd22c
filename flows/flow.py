"""What every flow declares, and what one step of it hands back.

A flow is registered once (``flows/registry.py``) and implements ``Flow``: its name (also its
``prompts/`` folder), the commands that start it, the short code on its buttons, where it runs,
and a pure ``advance(snapshot, event) -> Step``. A ``Step`` is the next snapshot, the replies to
show, and the effects the conversation asks of the world (keep a decision for ``/history``, a
pop-up for the one who pressed, a link for someone else). The bot applies effects; it never digs
them out of the replies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from flows.replies import Actor, Event, Reply
from flows.snapshot import Answer, Snapshot

Scope = Literal["private", "group"]


@dataclass(frozen=True, slots=True)
class RecordDecision:
    """Keep this outcome in the person's ``/history``: its title, its verdict, and what it showed
    (``payload``, the flow's summary, from which ``Flow.present`` shows it again)."""

    title: str
    verdict: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Toast:
    """A short pop-up for the one who pressed a button (never posted to the chat)."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MakeHandoff:
    """Keep ``answers`` under an unguessable code that starts ``flow`` for whoever opens it; the
    reply of this step shows the link (``link`` and ``days`` in its context, ``None`` and 0 when
    the transport cannot make one)."""

    flow: str
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class KeepStyle:
    """The reply kind and tone last chosen for a kept decision (``{"tone": ..., "draft": ...}``),
    so that ``/history`` shows the decision as it was left."""

    style: dict[str, str]


@dataclass(frozen=True, slots=True)
class TrackDeal:
    """Follow a kept decision as a deal (dates, reminders, invoice): the one whose answers give
    ``mark`` (``decision_mark``), the decision the pressed card shows."""

    mark: str


MARK_LENGTH = 16  # hex digits of a decision_mark


def decision_mark(flow: str, answers: object) -> str:
    """What makes two kept decisions the same one: their flow and the answers behind them."""
    raw = json.dumps([flow, answers], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:MARK_LENGTH]


def is_decision_mark(text: str) -> bool:
    """Whether ``text`` has a decision_mark's shape (as a "track" button carries it)."""
    return len(text) == MARK_LENGTH and all(c in "0123456789abcdef" for c in text)


Effect = RecordDecision | Toast | MakeHandoff | KeepStyle | TrackDeal


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a conversation: where it stands now, what to show, what to do."""

    snapshot: Snapshot
    replies: list[Reply]
    effects: tuple[Effect, ...] = field(default=())


class Flow(Protocol):
    """A conversation the bot offers. Everything here is pure: no I/O, no transport."""

    @property
    def name(self) -> str:
        """Its id, kept in snapshots and decisions; also its folder under ``prompts/``."""

    @property
    def code(self) -> str:
        """A short code for its buttons' callback data (unique among flows)."""

    @property
    def commands(self) -> tuple[str, ...]:
        """The commands that start it; the first is also its menu entry."""

    @property
    def scope(self) -> Scope:
        """Where it runs: a person's private chat, or a group."""

    def advance(self, snapshot: Snapshot | None, event: Event) -> Step:
        """Apply one event to a conversation of this flow (``None``: none yet)."""

    def current(self, snapshot: Snapshot) -> list[Reply]:
        """The current step shown again (after a failure, a stale button, a redelivery)."""

    def shown_after(self, snapshot: Snapshot, event: Event) -> list[Reply]:
        """The current step as the turn of ``event``, the one that led to it, showed it (an
        answer's line above the next step): that event delivered again after a crash."""

    def begin_with(self, answers: dict[str, Answer], actor: Actor | None = None) -> Step:
        """A fresh conversation that already holds ``answers`` (someone's hand-off), begun by
        ``actor``."""

    def present(self, summary: dict[str, Any], live: bool) -> list[Reply]:
        """A kept outcome shown again; ``live``: with the buttons of the decided step."""

    def export(self, summary: dict[str, Any]) -> Reply:
        """A kept outcome as a document."""

    def diagram(self) -> str:
        """Its state machine drawn as Mermaid source, from the machine's own declarations."""

    def forget(self, snapshot: Snapshot, user_id: int) -> Snapshot | None:
        """The conversation without what it holds about ``user_id``, someone other than the
        person it belongs to (a member of a group's review); None when it holds nothing of
        theirs. ``/forget`` applies it to every conversation that could mention them."""
