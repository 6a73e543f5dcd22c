"""Issue 17, payment links misread in review: "send a $150 registration deposit through our
PayPal link" and "pay the $49 starter kit through the link below" were not read as a link to pay
through (the second message, no deposit by its words, was not called a scam at all, and its $49
was shown as the creator's fee), while a brand paying the creator "via PayPal link" is how a
real deal may pay. A link is a scam's "pay us" sign when the creator is asked to pay through it,
whatever the link; the brand's own payment through one is a payment term."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer


@pytest.mark.parametrize("said", [
    "Hi, we're Bolt. $500 for 1 reel. Pay via PayPal link within 30 days.",
    "Hi, we're Bolt. $500 for 1 reel. We'll send a PayPal link for your fee once it's live.",
    "We're Bolt: we pay $500 via PayPal link on delivery for 1 reel.",
    "We're Bolt. $500 for 1 reel, and your followers can buy the $30 kit through your link.",
])
def test_a_brand_paying_through_a_link_is_no_scam(said: str) -> None:
    reading = read_offer(said)
    assert not reading.scams and not reading.is_scam
    assert [f.detail for f in reading.of("pay")] == ["500 USD"]


@pytest.mark.parametrize("said", [
    "You've been chosen as a Glow Society ambassador! To join, pay the $49 starter kit "
    "through the link below.",
    "Adidas selected you! To confirm, send a $150 registration deposit through our PayPal "
    "link today.",
    "We're Bolt. Please pay the shipping fee through this PayPal link and we'll ship the kit.",
    "Buy your $35 starter kit with our payment link to activate your ambassador account.",
])
def test_being_asked_to_pay_through_any_link_is_a_scam(said: str) -> None:
    reading = read_offer(said)
    codes = {scam.code for scam in reading.scams}
    assert {"scam_deposit", "scam_payment_link"} <= codes
    assert reading.is_scam and not reading.can_vouch
    assert not reading.of("pay")  # what the creator is asked to pay is no fee
    assert set(str(reading.answers()["warning_signs"]).split(",")) >= {
        "upfront_payment", "payment_link"}


@pytest.mark.parametrize(("said", "fee"), [
    ("We love your tutorials and would pay $2,000 for 2 reels in April.", "2000 USD"),
    ("We're Bolt and we'd be happy to pay your $500 fee for 1 reel.", "500 USD"),
])
def test_a_fee_the_brand_offers_is_no_request_to_pay(said: str, fee: str) -> None:
    reading = read_offer(said)
    assert not reading.scams
    assert [f.detail for f in reading.of("pay")] == [fee]


def test_a_fee_the_creator_will_pay_is_still_a_request_to_pay() -> None:
    reading = read_offer("Once approved, you will pay a $50 onboarding fee via the link below.")
    assert {"scam_deposit", "scam_payment_link"} <= {scam.code for scam in reading.scams}


@pytest.mark.parametrize("said", [
    "We're Bolt. $500 for 1 reel, and your followers can buy the starter kit through your link.",
    "We're Bolt. $500 for 1 reel. Say: use my link to buy the starter kit!",
])
def test_a_starter_kit_the_audience_buys_is_no_request_to_pay(said: str) -> None:
    assert not read_offer(said).scams
