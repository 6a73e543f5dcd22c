"""Issue 15: "Question n of total" jumped as branches resolved (a creator saw 23, 22, 23, 22 on
consecutive questions; an apology 10, then 11). The total now counts every question the path may
still ask, so it only falls, when an answer closes a branch, and ends at the count asked."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from flows.machine import question_of
from flows.registry import FLOWS
from prompts import render_text
from tests.support.conversation import Chat
from tests.unit.conftest import progress_lines

FORM_FLOWS = ("creator", "apology", "proposal")
TYPED = {"text": "Acme", "money": "$1,500"}


def options(flow: str, question: str) -> list[str]:
    asked = FLOWS[flow].questions.by_id[question]
    gate = getattr(asked, "gate", None) or ()
    return [o.id for o in asked.options if o.id not in gate] or list(asked.option_ids())


def walk(flow: str, chosen: dict[str, str]) -> list[tuple[int, int]]:
    """A whole path, answering ``chosen`` where given, else the first option that goes on."""
    chat = Chat(flow).do("begin")
    shown: list[tuple[int, int]] = []
    while (asking := question_of(chat.snapshot.step if chat.snapshot else "")) is not None:
        shown += progress_lines(render_text(r.template, r.context) for r in chat.replies
                                if r.template == "common/ask.j2")
        kind = FLOWS[flow].questions.by_id[asking].kind
        chat.say(chosen.get(asking) or (options(flow, asking) or [TYPED[kind]])[0])
        assert len(shown) < 60, shown
    return shown


def paths(flow: str) -> Iterator[dict[str, str]]:
    """One path per option of every question: each branch of the flow is taken once."""
    yield {}
    for question in FLOWS[flow].questions.questions:
        for option in options(flow, question.id)[1:]:
            yield {question.id: option}
    yield {"pay": "$90", "usual_rate": "$1,500"}


@pytest.mark.parametrize("flow", FORM_FLOWS)
def test_the_total_never_rises_and_ends_at_the_questions_asked(flow: str) -> None:
    for chosen in paths(flow):
        shown = walk(flow, chosen)
        totals = [total for _, total in shown]
        assert all(later <= earlier for earlier, later in pairwise(totals)), \
            (chosen, totals)
        assert [n for n, _ in shown] == list(range(1, len(shown) + 1)), (chosen, shown)
        assert shown and shown[-1][1] == len(shown), (chosen, shown)

