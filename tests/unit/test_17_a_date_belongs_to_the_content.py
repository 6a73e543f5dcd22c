"""Issue 17, dates misread in review: "We'll ship the samples next week" gave the date "next
week", so a draft could ask for "delivery by next week", and a payment clause's "end of the
month" read as a date. A date is the content's only when its sentence is about the content
(posting, going live, a video due); shipping the product, a call, a reply or a payment has none
of the deliverables' dates."""

from __future__ import annotations

import pytest

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def dates_shown(text: str) -> list[str]:
    shown = html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))
    return [line.split('"')[0].strip() for line in shown.splitlines()
            if line.startswith("• Date:")]


@pytest.mark.parametrize("said", [
    "Hi Lou! We're Crumb & Co. We'll ship the samples next week, and we'd love 2 TikToks for $700.",
    "Can we hop on a call next week? We'd love 1 reel for $800.",
    "We'd love 1 reel for $800. Please reply by Friday so we can lock it in.",
    "Moonlit Candles is hosting a PR box drop this month. If you post, please use #gifted.",
    "$500 for 2 TikToks. Paid at the end of the month.",
    "$500 for 2 TikToks. Payment net 30, end of month.",
    "Fee: GBP 1,750, payable 30 days after the end of the month of publication.",
])
def test_a_date_for_shipping_a_call_a_reply_or_a_payment_is_no_deliverable_date(said: str) -> None:
    assert dates_shown(said) == []


@pytest.mark.parametrize(("said", "date"), [
    ("We'll ship the samples next week, and we'd love 2 TikToks live by May 3 for $700.",
     "• Date: May 3"),
    ("$1,200 for 3 Instagram stories by the end of the month.", "• Date: end of the month"),
    ("Can you film 1 TikTok for our new ice pops by tomorrow? $300.", "• Date: by tomorrow"),
    ("We'll send you the kit, and need the reel posted by June 2. $400.", "• Date: June 2"),
])
def test_a_date_for_the_content_is_still_read(said: str, date: str) -> None:
    assert dates_shown(said) == [date]
