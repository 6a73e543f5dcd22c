"""Issue 20, defect 6: a team whose votes split never got its result.

The result joined every member's name and listed every dissent: three members voting three ways
on 17 questions made 5,170 characters, over Telegram's 4,096, so rendering raised, the recovery
raised the same, and the group saw "Sorry, something went wrong" with the review stuck. The worst
cases below must fit and still say how much was left out.
"""

from __future__ import annotations

import itertools

import pytest

from flows.machine import DECIDED
from flows.replies import Actor, Event, Reply
from flows.snapshot import Snapshot
from flows.team.flow import QUESTIONS
from flows.team.questions import VOTES
from prompts import render_text
from tests.support.conversation import take

LONGEST_NAME = "W" * 64  # Telegram's longest first name


def act(snapshot: Snapshot | None, verb: str, arg: str, actor: Actor
        ) -> tuple[Snapshot, list[Reply]]:
    snapshot, shown, _ = take("team", snapshot, Event(verb=verb, arg=arg, actor=actor))  # type: ignore[arg-type]
    return snapshot, shown


def team_result(members: int, pick: str) -> str:
    """A team of ``members`` with the longest names votes on every question: ``pick`` "split"
    spreads each question's votes over every option, "worst" votes the most cautious one."""
    people = [Actor(user_id=n + 1, name=f"{LONGEST_NAME[:-2]}{n:02d}") for n in range(members)]
    lead = people[0]
    snapshot, _ = act(None, "begin", "x" * 3000, lead)
    for fact in ("B" * 80, "P" * 120, "few_posts", "$99,999,999", "S" * 40):  # the longest
        snapshot, _ = act(snapshot, "answer", fact, lead)
    for person in people[1:]:
        snapshot, _ = act(snapshot, "join", "", person)
    snapshot, replies = act(snapshot, "start", "", lead)
    for question_id in VOTES:
        options = QUESTIONS.by_id[question_id].option_ids()
        chosen = itertools.cycle(options) if pick == "split" else itertools.repeat(options[-1])
        for person, option in zip(people, chosen, strict=False):
            if snapshot.step == DECIDED:
                break
            snapshot, replies = act(snapshot, "vote", option, person)
    assert snapshot.step == DECIDED
    return "\n".join(render_text(r.template, r.context) for r in replies)


@pytest.mark.parametrize(("members", "pick"), [(3, "split"), (4, "split"), (40, "split"),
                                               (3, "worst"), (40, "worst")])
def test_the_result_of_any_team_fits_one_message(members: int, pick: str) -> None:
    said = team_result(members, pick)
    assert "The team's recommendation" in said
    if members > 6:
        assert f"and {members - 6} more" in said  # names left out are counted, not dropped


def test_a_team_split_three_ways_still_names_where_it_disagreed() -> None:
    said = team_result(3, "split")
    assert "Where the team disagreed" in said
    assert "more disagreements" in said  # the rest are counted; the export has them all
