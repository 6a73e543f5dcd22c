"""The caption check before posting: the label up front in the form the creator's country
expects, claims that need proof, the brand's handle and the platform's own label; the caption
comes back with only the label changed, and a long hostile caption is checked in linear time."""

from __future__ import annotations

import time

import pytest

from flows.deal.caption import MAX_CAPTION, CaptionCheck, check
from prompts import render_text


def _codes(result: CaptionCheck) -> list[tuple[str, str]]:
    return [(f.code, f.words) for f in result.findings if f.code != "platform_tool"]


def test_a_clear_label_up_front_passes_with_the_caption_untouched() -> None:
    caption = "#ad My morning bar with @acme, no sugar crash. #fitness"

    result = check(caption, country="US", brand_handle="acme")

    assert not result.changed and result.fixed == caption
    assert _codes(result) == []
    assert [f.code for f in result.findings] == ["platform_tool"]  # plus Instagram's own label


def test_a_label_lost_among_the_closing_hashtags_moves_to_the_start() -> None:
    result = check("Loving my morning bar! @acme #fitness #ad #breakfast", country="US",
                   brand_handle="@acme")

    assert result.fixed == "#ad Loving my morning bar! @acme #fitness #breakfast"
    assert _codes(result) == [("label_late", "#ad")]


@pytest.mark.parametrize("weak", ["#sp", "#partner", "thanks @acme", "#collab"])
def test_us_words_the_ftc_calls_unclear_get_a_label_and_keep_the_creators_words(
        weak: str) -> None:
    result = check(f"{weak} my favourite bar @acme", country="US", brand_handle="acme")

    assert result.fixed == f"#ad {weak} my favourite bar @acme"
    assert ("label_unclear", weak) in _codes(result)


@pytest.mark.parametrize("caption", ["Sponsored: my new serum", "Paid partnership with @acme",
                                     "In partnership with @acme, my new serum",
                                     "Gifted by @acme! my new serum", "PR: my new serum",
                                     "#collab my new serum"])
def test_uk_labels_the_asa_finds_not_enough_alone_get_ad_up_front(caption: str) -> None:
    result = check(caption, country="UK")

    assert result.fixed == f"Ad | {caption}"
    assert result.findings[0].code == "label_unclear"


def test_sponsored_up_front_is_enough_in_the_us_but_not_in_the_uk() -> None:
    assert not check("Sponsored: my new serum", country="US").changed
    assert check("Sponsored: my new serum", country="UK").changed
    assert not check("Ad | my new serum", country="UK").changed


def test_no_label_at_all_gets_the_countrys_label() -> None:
    us = check("Just tried this serum and my skin loves it", country="US")
    uk = check("Just tried this serum and my skin loves it", country="UK")

    assert us.fixed.startswith("#ad Just tried")
    assert uk.fixed.startswith("Ad | Just tried")
    assert _codes(us) == _codes(uk) == [("label_missing", "")]


def test_claims_that_need_proof_are_quoted_and_left_for_the_creator_to_decide() -> None:
    caption = "#ad This serum cures acne, is clinically proven and I lost 5kg!"

    result = check(caption, country="US")

    assert result.fixed == caption  # a claim is the creator's call: flagged, never rewritten
    assert _codes(result) == [("claim", "cures"), ("claim", "clinically proven"),
                              ("claim", "lost 5kg")]


def test_the_missing_handle_and_a_videos_spoken_label_are_noted() -> None:
    result = check("#ad my new serum", country="US", platform="tiktok", brand_handle="acme")

    assert [f.code for f in result.findings] == ["handle_missing", "platform_tool", "say_it"]


def test_unpaid_charity_work_is_not_asked_for_an_ad_label() -> None:
    result = check("Proud to support @shelter this winter", country="UK", needs_label=False,
                   brand_handle="shelter")

    assert not result.changed and result.findings == []


@pytest.mark.parametrize("country", ["US", "UK"])
def test_every_finding_reads_well_in_the_check_message(country: str) -> None:
    caption = "Sponsored thanks @x #sp this cures everything, 100% natural #ad"
    result = check(caption, country=country, platform="youtube", brand_handle="acme")

    text = render_text("deal/caption_check.j2", {**result.model_dump(), "brand": "Acme"})

    assert "Your caption, checked against the" in text
    assert "YouTube" in text and "out loud" in text and "@acme" in text
    assert "needs proof" in text


def test_a_huge_hostile_caption_is_checked_quickly() -> None:
    hostile = ("#" * 50 + " thanks " + "@" * 50 + " in partnership ") * 2000
    started = time.perf_counter()

    result = check(hostile, country="UK")

    assert time.perf_counter() - started < 1.0
    assert len(result.fixed.encode("utf-16-le")) // 2 <= MAX_CAPTION + len("Ad | ")
