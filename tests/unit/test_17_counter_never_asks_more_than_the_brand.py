"""Issue 17: the paid-use and "ads from my account" counters proposed "up to 3 months" even when
the brand asked for less, so the creator's reply offered to give more than the brand wanted. A
counter point proposes the shorter of the brand's length and the coach's, priced for that
length, and never a term worse for the creator than the brand's own (a longer right, a kill fee
the brand already offered replaced by the coach's); the clauses to paste back too."""

from __future__ import annotations

import re

import pytest

from flows.reading.amounts import durations
from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render
from tests.unit.offer_corpus import OFFERS
from tests.unit.test_17_drafts_read_right_at_any_count import VARIANTS, variant
from tests.unit.test_drafts_from_messages import TONES, begun_from, drafted

SHORT = ("Hi Maya! We're Glow Lab. We'd love $1,200 for one Instagram reel about our night "
         "serum, posted by June 20. Usage: paid social ads for 1 month. Exclusivity: no other "
         "skincare brands for 2 months. Payment net 60. Two rounds of revisions. #ad please.")
SPARK = ("Hi! Love your content. We're Glowbar, a vegan skincare brand. Can we pay you $400 for "
         "one TikTok? We'd also like to run it as Spark Ads for 6 weeks. Payment net 30, two "
         "rounds of revisions, no exclusivity, #ad of course.")


def test_a_counter_keeps_the_brands_shorter_paid_use_and_exclusivity_priced_for_them() -> None:
    snapshot = begun_from(SHORT, usage_rights="limited_paid", exclusivity="long_vague")
    draft, summary = drafted(snapshot, "warm", "counter")
    assert "1 month of paid use, at $300 a month ($300 in all)." in draft
    assert "a named list of direct competitors, for 2 months, at $240 a month ($480 in all)." \
        in draft
    assert "up to 3 months" not in draft
    assert summary["decision"]["money"]["walk_away"]["amount"] == "1980"  # 1,200 + 300 + 480


def test_ads_from_my_account_for_no_longer_than_the_brand_asked() -> None:
    draft, _ = drafted(begun_from(SPARK), "professional", "counter")  # her rate: $1,200
    assert "- Ads from my account (you proposed ads run from my account): for 6 weeks, at " \
           "$300 a month ($600 in all), with a spend cap" in draft  # months begun are paid


def test_a_kill_fee_the_brand_offers_is_kept_not_replaced() -> None:
    text = next(offer.text for offer in OFFERS if offer.name == "agency kill fee")
    snapshot = begun_from(text.replace("Payment 50% upfront and 50% on delivery.",
                                       "Payment net 90."))
    draft, _ = drafted(snapshot, "warm", "counter")
    assert "- Payment (you proposed payment within 90 days): net 30 from delivery.\n" in draft
    assert "the kill fee of 50%" in draft


LENGTHS = re.compile(r"^- [^(\n]+\(you proposed ([^)]+)\): (.*)$", re.M)


def _days(text: str) -> list[int]:
    return [length.days for length in durations(text)]


@pytest.mark.parametrize("name", [offer.name for offer in OFFERS if not offer.scam])
def test_no_counter_point_asks_for_a_right_longer_than_the_brand_asked(name: str) -> None:
    for label in VARIANTS:
        for tone in TONES:
            draft, _ = drafted(variant(name, label), tone, "counter")
            for proposed, asked in LENGTHS.findall(draft):
                theirs, ours = _days(proposed), _days(asked.split(", at ")[0])
                if theirs and ours and not proposed.startswith("payment"):
                    assert max(ours) <= max(theirs), f"{name}, {label}: {proposed} -> {asked}"


def test_the_clauses_to_paste_back_keep_the_brands_shorter_window() -> None:
    reading = read_offer("Hi Maya, we're Glow Lab! We'll send you our serum for one reel, and "
                         "we'd run it as Spark Ads for 10 days. Exclusivity: no other skincare "
                         "brands for 2 weeks.")
    shown = html_to_text(render("reading/offer.j2", offer_context(reading)))
    assert "Exclusivity: no paid content for [named competitors] for 2 weeks from first " \
           "posting." in shown
    assert "Ads from my account: for 10 days from first posting" in shown
    assert "30 days" not in shown
