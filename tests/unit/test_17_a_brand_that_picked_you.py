"""Issue 17, a brand missed in review: "Adidas selected you for a sponsorship deal" named the
brand as the one who chose the creator, and the review asked which brand it was. A brand that
selected, picked or chose "you" is read as the brand; "we" or "our team" is no brand's name."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer


@pytest.mark.parametrize(("said", "brand"), [
    ("Congratulations! Adidas selected you for a sponsorship deal worth $12,000.", "Adidas"),
    ("Hi Jade! Solstice Rings picked you for our autumn campaign, $1,500 for 1 reel.",
     "Solstice Rings"),
    ("Good news: Kiln Studio chose you as one of five creators for 2 TikToks.", "Kiln Studio"),
])
def test_the_brand_that_chose_you_is_the_brand(said: str, brand: str) -> None:
    assert read_offer(said).answers()["brand"] == brand


@pytest.mark.parametrize("said", [
    "Hi! We selected you for our summer campaign, $500 for 1 reel.",
    "Our team picked you for 2 stories, $300.",
])
def test_we_chose_you_names_no_brand(said: str) -> None:
    assert "brand" not in read_offer(said).answers()
