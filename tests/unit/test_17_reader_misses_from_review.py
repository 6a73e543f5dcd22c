"""Issue 17, reader misses found in review: "share an honest YouTube review" was not read as a
video, "usage on our website for 6 months" not as organic use (the brand's own channels), and
"ship the samples" gave the product "samples". The facts message now lists the video and the
usage, and names no product from a word for whatever a brand ships, so the review asks for the
product instead of drafting a reply about "your samples"."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


@pytest.mark.parametrize("said", [
    "We'd like you to test out our Pulse headphones and then share an honest YouTube review.",
    "Could you post an honest review on your YouTube channel of the Ridge 40 pack? $900.",
])
def test_a_review_on_youtube_is_read_as_a_video(said: str) -> None:
    assert "• Deliverables: 1 video" in facts_shown(said)


@pytest.mark.parametrize(("said", "term"), [
    ("$2,000 for one reel. We'd also like usage on our website for 6 months.", "6 months"),
    ("$600 for 1 reel. We'd like to use the reel on our website and in our newsletter for 12 "
     "months.", "12 months"),
    ("Fee: $1,100\nUsage: our site and product pages, 6 months", "6 months"),
])
def test_use_on_the_brands_own_website_is_organic_use(said: str, term: str) -> None:
    shown = facts_shown(said)
    assert f"• Usage: their own channels, {term}" in shown
    assert "Product:" not in shown  # the brand's website is no product


@pytest.mark.parametrize("said", [
    "Hi Lou! We're Crumb & Co. We'll ship the samples next week, and we'd love 2 TikToks for $700.",
    "Hey! Moss & Fern here, we would send a few goodies from our spring range for 1 reel, $500.",
    "We're Dune Supply and we'll send you the products once you confirm 3 stories for $450.",
    "We'll ship our items to you for 1 TikTok, $300. Love, Kiln Studio",
])
def test_a_generic_word_for_what_is_shipped_is_no_product(said: str) -> None:
    assert "Product:" not in facts_shown(said)


def test_a_named_product_shipped_is_still_read() -> None:
    assert "• Product: cast iron skillet" in facts_shown(
        "We're Ember Cookware and we'd love to send you our cast iron skillet for 1 reel, $900.")
