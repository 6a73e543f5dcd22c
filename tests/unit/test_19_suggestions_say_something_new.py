"""Issue 19: the proposal check's "Suggestions for your terms" repeated "What's weak in it"
almost word for word, and suggested terms the better pitch already states ("#ad" under a
rewrite that says 'A clear "#ad" label up front')."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_more_coaches import proposal
from tests.unit.test_pitches import PITCHES, name_of

HEADING = "Suggestions for your terms"


def suggestions_in(draft: str) -> list[str]:
    if HEADING not in draft:
        return []
    listed = draft.split(HEADING, 1)[1].splitlines()[1:]
    return [line[2:] for line in listed if line.startswith("• ")]


def runs(text: str, length: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w#']+", text.casefold())
    return {tuple(words[i:i + length]) for i in range(len(words) - length + 1)}


@pytest.mark.parametrize("case", sorted(c for c in PITCHES if not PITCHES[c].scams))
def test_no_suggestion_repeats_what_the_rep_has_just_read(case: str) -> None:
    chat = proposal(PITCHES[case].text, creator_name=name_of(case))
    read = runs(chat.text("proposal/pitch_check.j2") + "\n" + chat.text("proposal/likely.j2"))
    for suggestion in suggestions_in(chat.text("proposal/draft.j2")):
        assert not runs(suggestion) & read, (suggestion, runs(suggestion) & read)


def test_a_rewrite_that_labels_the_post_is_not_told_to_label_it() -> None:
    chat = proposal("Hi Maya, we love your quick weeknight recipes. We'd pay $900 for two reels "
                    "in May, organic usage for 12 months, no exclusivity, net 30.",
                    label="Yes, clearly labelled #ad", creator_used="yes", product_first="yes",
                    ask="A few posts", voice="Their own words", claims="No claims",
                    community_value="Real value")
    draft = chat.text("proposal/draft.j2")
    assert '- A clear "#ad" label up front' in draft
    assert not [s for s in suggestions_in(draft) if "#ad" in s]


def test_what_is_left_to_suggest_is_still_suggested() -> None:
    chat = proposal(PITCHES["euros per video, net 60"].text, creator_name="Lena")
    assert suggestions_in(chat.text("proposal/draft.j2")) == [
        "Send the product first, with no obligation to post.",
        "Leave the door open to a longer partnership."]
