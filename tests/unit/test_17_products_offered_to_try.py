"""Issue 17: a product the brand invites the creator to try ("we'd love you to try our retinol
night cream") went unread, so the review asked for it again. Any of the usual ways of offering
a product to try is read as the product; "try our best" and the like are not products."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer

FEE = " We can offer $500 for one Instagram reel."


def product(text: str) -> str | None:
    return next((fact.detail for fact in read_offer(text).facts if fact.code == "product"), None)


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Maya! We're Glow Lab, and we'd love you to try our retinol night cream.",
     "retinol night cream"),
    ("We're Lumen Audio. Would you test out our Pulse headphones for a week?", "Pulse headphones"),
    ("hey we're Sunday Scoops 🍦 give our oat milk ice cream a try!", "oat milk ice cream"),
    ("We're Alder Coffee: come taste our cold brew at the launch.", "cold brew"),
    ("Hola, somos Luma y nos encantaría que pudieras probar nuestro sérum.", "sérum"),
])
def test_a_product_offered_to_try_is_read(text: str, expected: str) -> None:
    assert product(text + FEE) == expected


@pytest.mark.parametrize("text", [
    "We're Acme, and we'll try our best to have the brief to you by Friday.",
    "We're Acme. Please give our team a call when you can.",
])
def test_trying_that_offers_no_product_reads_none(text: str) -> None:
    assert product(text + FEE) is None
