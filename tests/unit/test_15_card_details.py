"""Issue 15: the decision card's details read on a phone: each thing said once, the reasons by
relationship with their points beside them (no breakdown packed into one line), the terms with
what to ask instead."""

from __future__ import annotations

import pytest

from .conftest import decided

CROWDED = dict(  # a negotiation that trips a reason and a flag on the same answers
    ask="one_post", relationship="one_off", pay="$800", usual_rate="$1,500",
    usage_rights="perpetual", exclusivity="long_vague", payment_terms="net60_plus",
    label="not_discussed", voice="scripted", community_value="some", buyers_glad="unsure")


def lines(card: str) -> list[str]:
    return [line for line in card.splitlines() if line.strip()]


@pytest.mark.parametrize("answers", [{}, CROWDED, dict(tried="once", use_unpaid="unsure",
                                                          money_pressure="a_lot")],
                         ids=["accept", "negotiate", "use_longer"])
def test_no_line_of_the_details_is_said_twice(answers: dict[str, str]) -> None:
    card = decided(**answers).card
    said = lines(card)

    assert len(said) == len(set(said))
    assert "you said:" not in card  # the reasons say what was answered already
    assert card.count("below your usual rate") + card.count("below what you usually charge") <= 1
    assert card.count("influencer advertising") <= 1
    assert card.count("unsure you'd use it unpaid") + card.count("use it without the money") <= 1


def test_the_score_is_one_line_and_each_part_shows_beside_its_reasons() -> None:
    card = decided(**CROWDED).card

    assert "Score: " in card and "community 3" not in card  # no packed breakdown
    assert "\nYou and your community · " in card
    assert "\nYou and Acme · " in card
    assert "\nThe terms · " in card
    brand = card.split("\nYou and Acme · ")[1].split("\n\n")[0]
    assert "The fee is below what you usually charge. Ask for your usual rate." in brand
    terms = card.split("\nThe terms · ")[1].split("\n\n")[0]
    assert "Perpetual or unlimited usage rights. Ask for" in terms
    assert "Ad labelling hasn't been discussed" in terms


def test_details_without_a_score_show_no_points() -> None:
    card = decided(tried="once", use_unpaid="unsure").card
    assert "No score yet" in card
    assert " · " not in card.split("\n", 2)[2]  # the brand's line aside


def test_the_crowded_details_are_a_fifth_shorter_than_before() -> None:
    assert len(decided(**CROWDED).card) < 1650  # 2,022 characters before issue 15's review
