"""Issue 17, an exclusivity missed in review: an "Exclusivity:" heading alone on its line, with
the clause under it in plain words that never say "exclusive" ("You won't work with other
skincare brands for 60 days"), was shown as "Not in the message", so the review asked about a
term the brand had stated. The clause under the heading is read as the exclusivity when it
restrains the creator; a heading over anything else still states nothing."""

from __future__ import annotations

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


def test_the_clause_under_an_exclusivity_heading_is_the_exclusivity() -> None:
    text = ("Fee: $900 for 1 reel\nExclusivity:\nYou won't work with other skincare brands for "
            "60 days after posting.\nPayment: net 30")
    shown = facts_shown(text)
    assert ('• Exclusivity: broad, 60 days "You won\'t work with other skincare brands for 60 '
            in shown)
    assert "exclusivity," not in shown.split("Not in the message:")[-1]
    assert read_offer(text).answers()["exclusivity"] == "long_vague"


def test_named_brands_under_the_heading_are_a_named_exclusivity() -> None:
    reading = read_offer("Exclusivity:\nCreator shall not promote Glossier or Milk Makeup "
                         "(named competitors) for 30 days.\nFee: $500 for one reel.")
    assert [(f.value, f.term) for f in reading.of("exclusivity")] == [("short_named", "30 days")]


def test_a_heading_over_another_term_still_states_no_exclusivity() -> None:
    for text in ("Exclusivity:\nFee: $500 for one reel.",
                 "Exclusivity:\nWe'd love 2 reels for $800, live by May 2."):
        shown = facts_shown(text)
        assert "• Exclusivity" not in shown
        assert "exclusivity," in shown.split("Not in the message:")[-1]
