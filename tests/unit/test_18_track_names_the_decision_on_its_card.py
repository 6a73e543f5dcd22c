"""Issue 18: "Track this deal" on a decided review names the decision its card shows (an effect
of the flow, applied by the conversation service), never "the latest one in /history"."""

from __future__ import annotations

from flows.creator.flow import SPEC, summary
from flows.flow import TrackDeal, decision_mark
from flows.replies import Event, Reply
from tests.unit.conftest import decided, review


def _track_button(replies: list[Reply]) -> Event:
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                if button.label == "track":
                    return button.event
    raise LookupError("track")


def test_the_decided_step_asks_to_follow_the_decision_it_shows() -> None:
    talk = decided()
    step = SPEC.advance(talk.snapshot, Event(verb="track"))
    mark = decision_mark("creator", summary(talk.snapshot)["answers"])
    assert step.effects == (TrackDeal(mark),)
    assert step.snapshot is talk.snapshot and step.replies == []  # the conversation stays


def test_each_card_names_its_own_decision() -> None:
    acme, glow = decided(), decided(brand="Glow")
    acme_button, glow_button = _track_button(acme.replies), _track_button(glow.replies)
    assert acme_button.arg == decision_mark("creator", summary(acme.snapshot)["answers"])
    assert acme_button.arg != glow_button.arg
    assert len(acme_button.arg) == 16  # fits the callback data with room to spare


def test_before_the_decision_there_is_nothing_to_follow() -> None:
    talk = review()
    step = SPEC.advance(talk.snapshot, Event(verb="track"))
    assert not any(isinstance(e, TrackDeal) for e in step.effects)
    assert "not_now" in str(step.replies[0].context.get("notice"))
