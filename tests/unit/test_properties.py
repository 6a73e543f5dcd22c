"""Properties over random input: whatever a person (or a broken client) sends, the review never
crashes, every message can be sent, and the snapshot stays one the bot can continue from."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.creator.decision import BANDS, decide, total
from flows.creator.flow import MACHINE, SPEC
from flows.creator.questions import QUESTIONS
from flows.machine import DECIDED, REVIEW, REVIEW_MARK, question_of
from flows.questions import MAX_AMOUNT, SKIPPED, Question, clean_text
from flows.replies import Event, Verb
from flows.snapshot import Answer, Money, Snapshot
from prompts import MESSAGE_LIMIT, label, render, visible_length
from tests.unit.conftest import BEGIN, advance, decided, reach, review, walk

VERBS: list[str] = list(get_args(Verb))
WORDS = sorted({
    *QUESTIONS.by_id, *(o.id for q in QUESTIONS.questions for o in q.options),
    *(label(SPEC.name, f"{q.id}.{o.id}") for q in QUESTIONS.questions for o in q.options),
    "warm", "professional", "brief", *SPEC.drafts, "yes", "no", "not sure", "skip", "back",
    "$1,500", "1500 EUR", "€2k", "1.5k usd", "0", "1", "2", "9", "99", "-1", "",
})
GARBAGE = st.text(max_size=200) | st.sampled_from([
    "\u200b", "\u202e", " \n\t ", "<b>x</b>", "&amp;", "🔥" * 60, "x" * 5000, "9" * 400,
    "\x00\x07", "﷽", "1e309", "NaN", "Infinity", "$-5", "1,2,3,4", "....", "1.000.000.000",
])


@cache
def starts() -> dict[str, Snapshot]:
    """Places to start from, so the random walk reaches every step of the review."""
    return {
        "fresh": walk().snapshot,
        "midway": reach("tried").snapshot,
        "review": review().snapshot,
        "gifted review": review(ask="gifted_only").snapshot,
        "decided": decided().snapshot,
        "gate": walk("Acme", "Bar", "one_post", "$9", "$9", "a_lot", "disliked").snapshot,
        "cancelled": walk("Acme").then(Event(verb="cancel")).snapshot,
    }


ANYTHING = st.builds(lambda verb, arg: Event(verb=verb, arg=arg), st.sampled_from(VERBS),
                     st.sampled_from(WORDS) | GARBAGE)
ODD = st.builds(lambda arg: Event(verb="answer", arg=arg), GARBAGE | st.sampled_from(WORDS))


@cache
def events(step: str) -> st.SearchStrategy[Event]:
    """Mostly a fitting answer, often something odd, sometimes any verb at all."""
    asking = QUESTIONS.by_id.get(question_of(step) or "")
    fitting: list[str] = []
    if asking is not None:
        fitting = [o.id for o in asking.options] + [str(n + 1) for n in range(len(asking.options))]
        fitting += {"text": ["Acme", "شركة 🌿"], "money": ["$1,500", "2k EUR", "800"]}.get(
            asking.kind, [])
    answer = st.builds(lambda arg: Event(verb="answer", arg=arg),
                       st.sampled_from(fitting or WORDS))
    return st.one_of(answer, answer, answer, ODD, ANYTHING, ANYTHING)


def valid_answer(question: Question, value: Answer) -> bool:
    if value == SKIPPED:
        return question.optional
    if isinstance(value, Money):
        return (question.kind == "money" and Decimal(0) < value.amount <= MAX_AMOUNT
                and len(value.currency) == 3 and value.currency.isupper())
    if question.kind == "text":
        return 0 < len(value) <= question.max_length and clean_text(value) == value
    if question.kind == "multi":  # ticked options, in the question's order
        ticked = value.split(",")
        return bool(ticked) and [o for o in question.option_ids() if o in ticked] == ticked
    return value in question.option_ids()


def assert_valid(snapshot: Snapshot) -> None:
    assert snapshot.flow == SPEC.name
    assert snapshot.step in MACHINE.states
    for question_id, value in snapshot.answers.items():
        question = QUESTIONS.by_id.get(question_id)
        assert question is not None, question_id
        assert valid_answer(question, value), (question_id, value)
    asking = question_of(snapshot.step)
    if asking is not None:
        assert QUESTIONS.by_id[asking].is_asked(snapshot.answers), snapshot.step
    if snapshot.step == REVIEW:
        assert QUESTIONS.next_unanswered(snapshot.answers) is None
    assert all(mark == REVIEW_MARK or mark in QUESTIONS.by_id for mark in snapshot.history)
    assert Snapshot.from_json(snapshot.to_json()) == snapshot


def assert_sendable(replies: list[Any]) -> None:
    assert replies
    for reply in replies:
        markup = render(reply.template, reply.context)
        assert markup.strip()
        assert visible_length(markup) <= MESSAGE_LIMIT
        for row in reply.buttons:
            for button in row:
                assert label(SPEC.name, button.label)


@settings(max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_any_sequence_of_events_never_raises_and_keeps_the_snapshot_valid(data: Any) -> None:
    start = data.draw(st.sampled_from(sorted(starts())), label="start")
    snapshot = starts()[start]
    for _ in range(data.draw(st.integers(min_value=1, max_value=40), label="length")):
        event = data.draw(events(snapshot.step), label="event")
        snapshot, replies = advance(snapshot, event)
        assert_valid(snapshot)
        if event.verb == "track" and snapshot.step == DECIDED:
            continue  # the decision shown, followed: the deal's card is the service's to show
        assert_sendable(replies)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.sampled_from(["begin", "answer", "back", "cancel", "restart", "confirm"]),
                max_size=15),
       st.text(max_size=30))
def test_a_snapshot_round_trip_never_changes_what_happens_next(verbs: list[str],
                                                               arg: str) -> None:
    snapshot, _ = advance(None, BEGIN)
    for verb in verbs:
        event = Event(verb=verb, arg=arg)  # type: ignore[arg-type]
        live, live_replies = advance(snapshot, event)
        again, again_replies = advance(Snapshot.from_json(snapshot.to_json()), event)
        clock = {"started_at", "updated_at"}  # begin and restart start the clock again
        assert again.model_dump(exclude=clock) == live.model_dump(exclude=clock)
        assert again_replies == live_replies
        snapshot = live


ANSWER_SETS = st.fixed_dictionaries({
    question.id: st.sampled_from(question.option_ids())
    for question in QUESTIONS.questions if question.kind == "choice"
}, optional={
    "pay": st.sampled_from(["product_only"]) | st.builds(
        lambda n: Money(amount=Decimal(n)), st.integers(1, 10**6)),
    "usual_rate": st.builds(lambda n: Money(amount=Decimal(n)), st.integers(1, 10**6)),
})


@settings(max_examples=200, deadline=None, database=None)
@given(ANSWER_SETS)
def test_the_score_is_0_to_100_its_parts_add_up_and_it_is_deterministic(
        answers: dict[str, Answer]) -> None:
    decision = decide(answers)

    assert 0 <= decision.score <= 100
    scored = [part for part in decision.breakdown if part.points is not None]
    assert all(0 <= (part.points or 0) <= part.out_of for part in scored)
    low, high = BANDS[decision.verdict]
    assert low <= decision.score <= high  # the score agrees with the verdict
    if decision.verdict in ("accept", "negotiate"):
        assert decision.score == total(decision.breakdown)  # the parts shown add up to it
    if decision.verdict == "decline":
        assert decision.score < 50
    assert decide(dict(reversed(list(answers.items())))) == decision
    if decision.gate is not None:
        assert decision.verdict == "decline"
