"""Issue 17, products misread in review: "our SPF 50 mineral sunscreen" read as the product
"SPF" (a draft about "your SPF"), and "a YouTube video featuring their oat milk" named no product
at all, so the review asked the creator what the brand had already said. A number inside a
product's name is part of it; a video "featuring" a product names it."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def products_shown(text: str) -> list[str]:
    shown = html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))
    return [line.split('"')[0].strip() for line in shown.splitlines()
            if line.startswith("• Product:")]


@pytest.mark.parametrize(("said", "product"), [
    ("Hi Noor! The team at Saltwater Skin would love to send you our SPF 50 mineral sunscreen. "
     "No posting required.", "SPF 50 mineral sunscreen"),
    ("We're Kettle & Pine and we'd love to send you our Trail 2 hiking boots. Would you post 1 "
     "reel for $650?", "Trail 2 hiking boots"),
    ("They'd like one YouTube video featuring their oat milk. Fee: €3,200.", "oat milk"),
    ("We'd love one Instagram reel featuring our oat milk latte mix, $350.", "oat milk latte mix"),
])
def test_the_product_is_shown_by_its_whole_name(said: str, product: str) -> None:
    assert products_shown(said) == [f"• Product: {product}"]


def test_a_count_after_the_product_is_no_part_of_its_name() -> None:
    assert products_shown("We'd love to send you our skillet 2 reels for $500.") == [
        "• Product: skillet"]


def test_what_a_product_is_worth_is_no_part_of_its_name() -> None:
    assert products_shown("We'll send you a skincare set worth $200 for 2 stories.") == [
        "• Product: skincare set"]
