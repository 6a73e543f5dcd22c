"""The flow diagrams in docs/ are the live machines' own drawings, never stale."""

from __future__ import annotations

from bot.diagrams import expected
from flows.machine import REVIEW, ask_state
from flows.registry import FLOWS


def test_every_diagram_in_docs_matches_the_live_machine() -> None:
    stale = [str(path) for path, text in expected().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `make diagrams`: {stale}"


def test_the_creator_diagram_shows_its_branches() -> None:
    text = expected()[next(p for p in expected() if p.name == "creator.md")]
    # the gifted-only branch skips the pay questions; disliking the product ends it early
    skip_pay = (f"{ask_state('ask')} --> {ask_state('money_pressure')}: "
                "answer [is_next_money_pressure]")
    assert skip_pay in text
    assert f"{ask_state('tried')} --> decided: answer [has_closed_gate]" in text
    assert f"{REVIEW} --> decided: confirm" in text
    assert {*FLOWS, "deal"} == {p.stem for p in expected()}


def test_the_team_diagram_shows_only_what_a_team_does() -> None:
    text = expected()[next(p for p in expected() if p.name == "team.md")]
    assert f"{ask_state('pay')} --> {ask_state('signature')}: answer [is_next_signature]" in text
    assert f"{ask_state('signature')} --> {ask_state('gather')}: answer [is_next_gather]" in text
    assert f"{ask_state('gather')} --> {ask_state('use_unpaid')}: start" in text
    assert f"{ask_state('claims')} --> decided: close [is_complete]" in text
    # a team moves forward: no review step, no Back, no edits
    assert REVIEW not in text and ": back" not in text and ": edit" not in text
