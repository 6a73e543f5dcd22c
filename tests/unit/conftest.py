"""Helpers that let the unit tests read like a conversation with the creator review.

``walk("Acme", "Protein bar", "one_post", ...)`` starts a review and types each answer (a plain
string is typed text or a pressed option's id; an ``Event`` is any other action, see ``BACK``,
``edit(...)``, ``change(...)``, ``tone(...)``). It returns a ``Talk``: the last snapshot, the
replies to the last event and every message rendered as a person reads it.
``review(**overrides)`` answers the whole review with sensible defaults, so a test names only the
answers it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flows.creator.flow import SPEC
from flows.machine import DECIDED, REVIEW, question_of
from flows.replies import Actor, Event, Reply
from flows.snapshot import Snapshot
from prompts import label, render, render_text
from tests.support.conversation import take

FLOW = SPEC.name

# as on Telegram, the person's first name comes with the event: replies are signed with it
BEGIN = Event(verb="begin", actor=Actor(user_id=1, name="Maya"))
BACK = Event(verb="back")
SKIP = Event(verb="skip")
CANCEL = Event(verb="cancel")
RESTART = Event(verb="restart")
CONFIRM = Event(verb="confirm")
EXPORT = Event(verb="export")


def edit(question: str) -> Event:
    return Event(verb="edit", arg=question)


def change(part: str = "") -> Event:
    """The review step's "Change an answer" (its parts), or one part's answers."""
    return Event(verb="change", arg=part)


def tone(name: str) -> Event:
    return Event(verb="tone", arg=name)


def draft(kind: str) -> Event:
    return Event(verb="draft", arg=kind)


Step = str | Event


def event_of(step: Step) -> Event:
    return step if isinstance(step, Event) else Event(verb="answer", arg=step)


def text_of(reply: Reply) -> str:
    """What a person reads of one reply."""
    return render_text(reply.template, reply.context)


def opened(card: Reply) -> Reply:
    """A decision card with its details open, as the Details button shows it."""
    return card.model_copy(update={"context": {**card.context, "details": True}})


def html_of(reply: Reply) -> str:
    """The Telegram HTML the bot sends for one reply."""
    return render(reply.template, reply.context)


def button_labels(reply: Reply) -> list[str]:
    """The texts on a reply's buttons, row after row."""
    return [label(FLOW, button.label) for row in reply.buttons for button in row]


@dataclass
class Talk:
    """A conversation so far: where it stands and everything the bot said."""

    snapshot: Snapshot
    replies: list[Reply]  # the replies to the last event
    texts: list[str] = field(default_factory=list)  # every message, as read, in order

    @property
    def step(self) -> str:
        return self.snapshot.step

    @property
    def answers(self) -> dict[str, Any]:
        return self.snapshot.answers

    @property
    def last(self) -> str:
        """The replies to the last event, as read, in one string."""
        return "\n".join(text_of(reply) for reply in self.replies)

    @property
    def everything(self) -> str:
        return "\n".join(self.texts)

    @property
    def asking(self) -> str | None:
        """The id of the question the bot waits for, if any."""
        return question_of(self.snapshot.step)

    def then(self, *steps: Step) -> Talk:
        """Continue the conversation with more steps."""
        return _run(self.snapshot, steps, list(self.texts))

    # --- the decided step: the card and the draft ---------------------------------------------

    def _reply(self, template: str) -> Reply:
        for reply in reversed(self.replies):
            if reply.template == template:
                return reply
        raise AssertionError(f"no {template} among the last replies: {self.last}")

    @property
    def card(self) -> str:
        """The decision card with its details open (all it says)."""
        return text_of(opened(self._reply("creator/decision.j2")))

    @property
    def glance(self) -> str:
        """The decision card as it first shows: what matters most."""
        return text_of(self._reply("creator/decision.j2"))

    @property
    def draft(self) -> str:
        return text_of(self._reply("creator/draft.j2"))

    @property
    def decision(self) -> dict[str, Any]:
        """The decision as the card shows it (and as history and ``--json`` keep it)."""
        decision: dict[str, Any] = self._reply("creator/decision.j2").context["decision"]
        return decision

    @property
    def verdict(self) -> str:
        return str(self.decision["verdict"])

    @property
    def reason_codes(self) -> list[str]:
        return [reason["code"] for reason in self.decision["reasons"]]

    @property
    def flag_codes(self) -> list[str]:
        return [flag["code"] for flag in self.decision["flags"]]


def advance(snapshot: Snapshot | None, event: Event) -> tuple[Snapshot, list[Reply]]:
    """One event of the creator review: the next snapshot and its replies."""
    snapshot, replies, _ = take(FLOW, snapshot, event)
    return snapshot, replies


def _run(snapshot: Snapshot | None, steps: Iterable[Step], texts: list[str]) -> Talk:
    replies: list[Reply] = []
    if snapshot is None:
        snapshot, replies = advance(None, BEGIN)
        texts += [text_of(reply) for reply in replies]
    for step in steps:
        snapshot, replies = advance(snapshot, event_of(step))
        texts += [text_of(reply) for reply in replies]
    return Talk(snapshot, replies, texts)


def walk(*steps: Step) -> Talk:
    """Start a creator review and take ``steps`` in order."""
    return _run(None, steps, [])


# A paid, long-term offer of a product the creator uses, on fair terms: every answer is a good one.
GOOD: dict[str, str] = {
    "brand": "Acme",
    "product": "Protein bar",
    "category": "none",
    "ask": "ongoing",
    "deliverables": "exact",
    "pay": "$1,500",
    "usual_rate": "$1,200",
    "money_pressure": "none",
    "warning_signs": "none",
    "tried": "regularly",
    "can_try_first": "yes",
    "use_unpaid": "yes",
    "recommend_friend": "yes",
    "community_fit": "yes",
    "voice": "own_words",
    "relationship": "lasting",
    "community_value": "real",
    "buyers_glad": "yes",
    "existing_customers": "same_brand",
    "label": "clear",
    "usage_rights": "organic",
    "exclusivity": "none",
    "payment_terms": "net30",
    "revisions": "two_or_fewer",
    "claims": "none",
    "signature": "Maya",
}


def answer_until(talk: Talk, stop: str | None = None, **overrides: Step) -> Talk:
    """Answer whatever is asked (``overrides`` first, else ``GOOD``) until ``ask_<stop>``,
    the review or a decision."""
    for _ in range(60):
        asking = talk.asking
        if asking is None or asking == stop:
            return talk
        talk = talk.then(overrides.get(asking, GOOD[asking]))
    raise AssertionError(f"the review never settled: stuck at {talk.step}")


# answers that open a question ``GOOD``'s path skips (an ongoing partnership settles "one post
# or more?", regular use settles "would you use it unpaid")
OPENS: dict[str, dict[str, Step]] = {
    "relationship": {"ask": "one_post"},
    "use_unpaid": {"tried": "once"},
    "can_try_first": {"tried": "not_yet"},
}


def reach(question: str, **overrides: Step) -> Talk:
    """A review that now asks ``question``."""
    talk = answer_until(walk(), question, **{**OPENS.get(question, {}), **overrides})
    assert talk.asking == question, f"{question} was not reached: at {talk.step}"
    return talk


def review(**overrides: Step) -> Talk:
    """Answer every question this path asks; returns at the review step (or a decision)."""
    return answer_until(walk(), None, **overrides)


def decided(**overrides: Step) -> Talk:
    """A whole review, confirmed: the bot shows its recommendation and a draft."""
    talk = review(**overrides)
    if talk.step == REVIEW:
        talk = talk.then(CONFIRM)
    assert talk.step == DECIDED, talk.last
    return talk


_PROGRESS = re.compile(r"Question (\d+) of (\d+)")


def progress_lines(texts: Iterable[str]) -> list[tuple[int, int]]:
    """Every "Question n of total" the bot showed, in order."""
    return [(int(n), int(total)) for text in texts for n, total in _PROGRESS.findall(text)]
