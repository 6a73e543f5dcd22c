"""Issue 20, defect 1: a review opened from a brand's hand-off link could never be finished.

The link pre-fills twelve facts, among them ``voice`` and ``community_value``; the machine let
each question move on only to the first unconditional question after it, so once ``proud`` was
answered the next question (``relationship``, after the pre-filled ``voice``) was unreachable and
every answer got "That doesn't apply at this step".
"""

from __future__ import annotations

from flows.creator.flow import SPEC
from flows.creator.questions import QUESTIONS
from flows.machine import DECIDED, REVIEW, question_of
from flows.proposal.questions import HANDED_OVER
from flows.replies import Event, Reply
from flows.snapshot import Answer, Money, Snapshot
from tests.support.conversation import take

HANDED: dict[str, object] = {
    "brand": "GreenPan", "product": "Ceramic skillet", "ask": "ongoing",
    "pay": Money(amount=2000, currency="USD"), "label": "clear", "usage_rights": "organic",
    "exclusivity": "none", "payment_terms": "net30", "revisions": "two_or_fewer",
    "claims": "none", "voice": "own_words", "community_value": "real",
}


def _begun(answers: dict[str, Answer]) -> tuple[Snapshot, list[Reply]]:
    step = SPEC.begin_with(answers)
    return step.snapshot, step.replies


def _advance(snapshot: Snapshot, event: Event) -> tuple[Snapshot, list[Reply]]:
    snapshot, replies, _ = take("creator", snapshot, event)
    return snapshot, replies


def test_the_handed_over_facts_are_the_twelve_a_link_carries() -> None:
    assert set(HANDED) == set(HANDED_OVER)


def test_a_review_from_a_handoff_link_reaches_its_decision() -> None:
    given = {**HANDED, "signature": "Maya"}  # Telegram gives the first name
    snapshot, replies = _begun(given)  # type: ignore[arg-type]
    asked = [question_of(snapshot.step)]
    # the reproduction ("$1,500", "somewhat", "I use it regularly", then "yes"), with
    # the questions the review asks since (the category, the dates, the warning signs)
    typed = iter(["none", "exact", "$1,500", "somewhat", "none", "I use it regularly", "yes",
                  "yes", "yes"])
    rest = {"existing_customers": "same brand"}
    for _ in range(20):
        if snapshot.step == REVIEW:
            break
        text = next(typed, None) or rest[question_of(snapshot.step) or ""]
        snapshot, replies = _advance(snapshot, Event(verb="answer", arg=text))
        assert all(r.context.get("notice") != "not_now" for r in replies), (
            f"{text!r} was refused at {snapshot.step}")
        asked.append(question_of(snapshot.step))
    assert snapshot.step == REVIEW, f"stuck at {snapshot.step}"
    assert not set(HANDED) & {q for q in asked if q}, "a handed-over fact was asked again"
    snapshot, replies = _advance(snapshot, Event(verb="confirm"))
    assert snapshot.step == DECIDED
    assert replies[0].context["decision"]["verdict"] in ("accept", "negotiate")


def test_after_any_question_the_next_unanswered_one_is_asked_however_far_on() -> None:
    # the class of the bug: answers given in advance (or kept from an edit) may fill any stretch
    # of questions, so after answering one the machine must reach whichever is next
    full = _answers_for_a_full_path()
    order = [q.id for q in QUESTIONS.questions if q.id in full]
    for i, first in enumerate(order):
        for second in order[i + 1:]:
            given = {k: v for k, v in full.items() if k not in (first, second)}
            snapshot, _ = _begun(given)  # type: ignore[arg-type]
            assert question_of(snapshot.step) == first
            snapshot, _ = _advance(snapshot, Event(verb="answer", arg=_typed(first)))
            assert question_of(snapshot.step) == second, (first, second, snapshot.step)


def _typed(question_id: str) -> str:
    from tests.unit.conftest import GOOD

    return GOOD[question_id]


def _answers_for_a_full_path() -> dict[str, object]:
    from flows.questions import parse_answer
    from tests.unit.conftest import GOOD

    answers: dict[str, object] = {}
    for question in QUESTIONS.questions:
        if question.is_asked(answers):  # type: ignore[arg-type]
            answers[question.id] = parse_answer(
                question, GOOD[question.id], answers)  # type: ignore[arg-type]
    return answers
