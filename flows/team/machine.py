"""The team review's own machine: the lead's facts, the team gathering, one vote per question,
then the team's decision.

States name what the review waits for: ``ask_<fact>`` (the lead types the offer's facts),
``ask_gather`` (members join until the lead starts the voting), ``ask_<vote>`` (everyone votes on
one question until it closes), ``decided`` and ``cancelled``. Triggers are what people do:
``answer`` (a fact), ``start`` (the voting), ``close`` (a question: all voted, or Next), ``retone``
(the decided draft), ``cancel``. There is no Back, edit or review step: a team moves forward.
"""

from __future__ import annotations

from typing import Any

from flows.machine import CANCELLED, DECIDED, IS_COMPLETE, ask_state, is_next, machine_of
from flows.team.questions import FACTS, GATHER, QUESTIONS, VOTES


def _following(order: tuple[str, ...], index: int) -> list[str]:
    """The questions that may come after ``order[index]``: each later one asked only on a
    condition, up to the first later one that is always asked."""
    targets = []
    for question_id in order[index + 1:]:
        targets.append(question_id)
        if not QUESTIONS.by_id[question_id].asked_when:
            break
    return targets


def _moves(trigger: str, order: tuple[str, ...], index: int,
           targets: list[str] | None = None) -> list[dict[str, Any]]:
    source = ask_state(order[index])
    return [{"trigger": trigger, "source": source, "dest": ask_state(target),
             "conditions": [is_next(target)]}
            for target in (_following(order, index) if targets is None else targets)]


def team_transitions() -> tuple[list[str], list[dict[str, Any]]]:
    """The team review's states and transitions."""
    facts = (*FACTS, GATHER)
    votes = (GATHER, *VOTES)
    asking = [ask_state(question_id) for question_id in (*FACTS, GATHER, *VOTES)]
    # the facts read from the brand's message are answered already: any later fact may be next
    transitions = [move for index in range(len(FACTS))
                   for move in _moves("answer", facts, index, list(facts[index + 1:]))]
    transitions += _moves("start", votes, 0)
    for index in range(1, len(votes)):
        transitions += _moves("close", votes, index)
        later = votes[index + 1:]
        if all(QUESTIONS.by_id[question_id].asked_when for question_id in later):
            # every question after this one may go unasked: the team may be done here
            transitions.append({"trigger": "close", "source": ask_state(votes[index]),
                                "dest": DECIDED, "conditions": [IS_COMPLETE]})
    transitions += [
        {"trigger": "retone", "source": DECIDED, "dest": None},
        {"trigger": "cancel", "source": asking, "dest": CANCELLED},
    ]
    return [*asking, DECIDED, CANCELLED], transitions


MACHINE = machine_of(*team_transitions())
