"""The review step's answers, by part, and "Change an answer" as short lists of buttons.

The step lists every answer under the part of the flow it belongs to (``Question.group``) and
offers four buttons: the recommendation, "Change an answer", Back and Cancel. "Change an answer"
turns the same message into a short list: the parts, then the answers of the part chosen (a flow
with few answers lists them at once, and a part of a single answer opens its question at once).
Choosing an answer opens its question to change it (the engine's ``edit``); once answered, the
review comes back. No list is longer than ``SHORT_LIST`` buttons, the way back included.
"""

from __future__ import annotations

from typing import Any

from flows.outcome import shown
from flows.questions import SIGNATURE, Question, QuestionSet
from flows.replies import Button, Event
from flows.snapshot import Answer

SHORT_LIST = 8  # buttons a phone shows without scrolling, the way back included
CHANGE = Button(label="change", event=Event(verb="change"))
TO_SUMMARY = Button(label="to_summary", event=Event(verb="resume"))
TO_PARTS = Button(label="to_parts", event=Event(verb="change"))


def answered(questions: QuestionSet, answers: dict[str, Answer]) -> list[Question]:
    """The questions this path asks that hold an answer, in the order they were asked; the name
    replies are signed with last (its own part: it is about the reply, not the offer)."""
    listed = [q for q in questions.asked(answers) if q.id in answers]
    return sorted(listed, key=lambda q: q.group == SIGNATURE)


def parts(listed: list[Question]) -> dict[str, list[Question]]:
    """The answered questions by part, the parts in the order they first come."""
    by_part: dict[str, list[Question]] = {}
    for question in listed:
        by_part.setdefault(question.group, []).append(question)
    return by_part


def rows(listed: list[Question], answers: dict[str, Answer]) -> list[dict[str, Any]]:
    """What the review step's message lists: each answer with its question and part."""
    return [{"question": q.id, "kind": q.kind, "group": q.group, "answer": shown(answers[q.id])}
            for q in listed]


def _change_to(question: Question) -> Button:
    return Button(label=f"change.{question.id}", event=Event(verb="edit", arg=question.id))


def choices(listed: list[Question], part: str | None) -> tuple[str, list[list[Button]]] | None:
    """What "Change an answer" offers: ``("parts", ...)`` a button a part, or ``("part", ...)``
    a button an answer (of ``part``, or of every part when they fit one short list), then the
    way back. None when ``part`` is no part with an answer."""
    by_part = parts(listed)
    if part:
        if part not in by_part:
            return None
        return "part", [[_change_to(q)] for q in by_part[part]] + [[TO_PARTS]]
    if len(listed) < SHORT_LIST:
        return "part", [[_change_to(q)] for q in listed] + [[TO_SUMMARY]]
    # a part of one answer opens its question at once
    buttons = [[Button(label=f"part.{name}", event=Event(verb="edit", arg=members[0].id)
                       if len(members) == 1 else Event(verb="change", arg=name))]
               for name, members in by_part.items()]
    return "parts", [*buttons, [TO_SUMMARY]]
