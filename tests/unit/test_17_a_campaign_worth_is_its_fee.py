"""Issue 17, a fee missed in review: "a paid campaign worth $9,000" was not read as the fee, as
"worth" marks a product's value ("a set worth $200"), so the review asked for a fee the message
had stated. What a campaign, deal or partnership is worth is what it pays; what a product is
worth is still no fee."""

from __future__ import annotations

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def fees_shown(text: str) -> list[str]:
    shown = html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))
    return [line.split('"')[0].strip() for line in shown.splitlines()
            if line.startswith("• Fee:")]


def test_what_a_campaign_is_worth_is_its_fee() -> None:
    assert fees_shown("Hi Ana! Lumen Tea has a paid campaign worth $2,000 for 2 reels.") == [
        "• Fee: $2,000"]


def test_a_scams_campaign_worth_is_read_as_the_fee_it_dangles() -> None:
    reading = read_offer("Dear Creator, Gucci has chosen you for a paid campaign worth $9,000! "
                         "Pay the $99 onboarding fee via CashApp to secure your spot.")
    assert reading.is_scam
    assert [fact.detail for fact in reading.of("pay")] == ["9000 USD"]


def test_what_a_product_is_worth_is_still_no_fee() -> None:
    assert fees_shown("We'll send you a skincare set worth $200 for 2 stories.") == []
