"""Build a flow's one shared ``transitions`` machine from its questions, and fire events on it.

States name what the bot waits for: ``ask_<question>``, ``review``, ``decided``, ``cancelled``.
Triggers are the user's verbs (``answer``, ``back``, ``edit``, ``confirm``, ``cancel``,
``restart``, ``retone``); conditions are named predicates over a throwaway ``Holder`` restored from
the snapshot, so one module-level machine serves every conversation (no ``add_model``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from transitions import EventData, Machine, MachineError

from flows.questions import QuestionSet
from flows.snapshot import Answer

REVIEW = "review"
DECIDED = "decided"
CANCELLED = "cancelled"
REVIEW_MARK = "@review"  # pushed on history when leaving the review step


def ask_state(question_id: str) -> str:
    return f"ask_{question_id}"


def question_of(state: str) -> str | None:
    return state[4:] if state.startswith("ask_") else None


@dataclass(slots=True)
class Holder:
    """The model a trigger runs on: restored from a snapshot, thrown away afterwards."""

    state: str
    answers: dict[str, Answer]
    editing: str | None = None
    back_to: str | None = None
    questions: QuestionSet | None = field(default=None, repr=False)


Predicate = Callable[[EventData], bool]


def _named(name: str, test: Callable[[Holder], bool]) -> Predicate:
    def predicate(event: EventData) -> bool:
        holder = event.model
        assert isinstance(holder, Holder)
        return test(holder)

    predicate.__name__ = name
    predicate.__qualname__ = name
    return predicate


def is_next(question_id: str) -> Predicate:
    def test(holder: Holder) -> bool:
        assert holder.questions is not None
        following = holder.questions.next_unanswered(holder.answers)
        return following is not None and following.id == question_id

    return _named(f"is_next_{question_id}", test)


def _came_from(mark: str) -> Predicate:
    return _named(f"came_from_{mark.lstrip('@')}", lambda h: h.back_to == mark)


def _is_editing(question_id: str) -> Predicate:
    return _named(f"is_editing_{question_id}", lambda h: h.editing == question_id)


def _has_closed_gate(holder: Holder) -> bool:
    assert holder.questions is not None
    return holder.questions.closed_gate(holder.answers) is not None


def _is_complete(holder: Holder) -> bool:
    assert holder.questions is not None
    return holder.questions.next_unanswered(holder.answers) is None


HAS_CLOSED_GATE = _named("has_closed_gate", _has_closed_gate)
IS_COMPLETE = _named("is_complete", _is_complete)


def transitions_for(questions: QuestionSet) -> tuple[list[str], list[dict[str, Any]]]:
    """The states and transitions of a question flow, derived from its declared questions."""
    order = questions.questions
    states = [ask_state(q.id) for q in order] + [REVIEW, DECIDED, CANCELLED]
    forward: list[tuple[str, str, list[Predicate]]] = []
    for index, question in enumerate(order):
        source = ask_state(question.id)
        if question.gate:
            forward.append((source, DECIDED, [HAS_CLOSED_GATE]))
        # the next question is the first unanswered one that is asked, which can be any later
        # one: answers given in advance (a brand's hand-off) or kept from an edit fill the gaps
        for target in order[index + 1:]:
            forward.append((source, ask_state(target.id), [is_next(target.id)]))
        forward.append((source, REVIEW, [IS_COMPLETE]))
    transitions: list[dict[str, Any]] = [
        {"trigger": "answer", "source": s, "dest": d, "conditions": c} for s, d, c in forward
    ]
    # back undoes the last answer: the reverse of every forward step, told apart by history
    for source, dest, _ in forward:
        mark = question_of(source) or source
        transitions.append(
            {"trigger": "back", "source": dest, "dest": source, "conditions": [_came_from(mark)]}
        )
    for question in order:
        state = ask_state(question.id)
        transitions.append({"trigger": "back", "source": REVIEW, "dest": state,
                            "conditions": [_came_from(question.id)]})
        transitions.append({"trigger": "back", "source": state, "dest": REVIEW,
                            "conditions": [_came_from(REVIEW_MARK)]})
        transitions.append({"trigger": "edit", "source": REVIEW, "dest": state,
                            "conditions": [_is_editing(question.id)]})
    transitions += [
        {"trigger": "confirm", "source": REVIEW, "dest": DECIDED},
        {"trigger": "back", "source": DECIDED, "dest": REVIEW,
         "conditions": [_came_from(REVIEW_MARK)]},
        {"trigger": "retone", "source": DECIDED, "dest": None},
        {"trigger": "cancel", "source": states[:-1], "dest": CANCELLED},
        {"trigger": "restart", "source": states, "dest": states[0]},
    ]
    return states, _unique(transitions)


def _unique(transitions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str | None, tuple[str, ...]]] = set()
    kept = []
    for t in transitions:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        key = (t["trigger"], ",".join(sources), t["dest"],
               tuple(c.__name__ for c in t.get("conditions", [])))
        if key not in seen:
            seen.add(key)
            kept.append(t)
    return kept


def build_machine(questions: QuestionSet) -> Machine:
    """A question flow's one machine, for every conversation of the flow."""
    return machine_of(*transitions_for(questions))


def machine_of(states: list[str], transitions: list[dict[str, Any]],
               machine_class: type[Machine] = Machine, **options: Any) -> Machine:
    """One machine for every conversation of a flow (``model=None``, no auto transitions), its
    first state the initial one; ``machine_class`` and ``options`` draw it (``flows.diagram``)."""
    return machine_class(model=None, states=states, transitions=transitions, initial=states[0],
                         auto_transitions=False, send_event=True, **options)


def fire(machine: Machine, trigger: str, holder: Holder) -> bool:
    """Fire ``trigger`` on ``holder``; False when no transition of that trigger may run now."""
    event = machine.events.get(trigger)
    if event is None:
        return False
    try:
        return bool(event.trigger(holder))
    except MachineError:
        return False
