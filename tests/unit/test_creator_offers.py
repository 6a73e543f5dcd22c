"""Realistic offers, each with the verdict the method gives and what its reply must and must not
say, run through ``advance`` and through the terminal chat; every reply rendered in every tone.

Each row names only what differs from ``GOOD`` (an ongoing partnership of a product the creator
already uses, on fair terms, $1,500 offered against a $1,200 rate).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from bot.console import run_chat
from prompts import render_text
from tests.unit.conftest import GOOD, Step, Talk, decided, draft, tone, walk

TONES = ("warm", "professional", "brief")


@dataclass(frozen=True)
class Offer:
    name: str  # niche and deal shape
    answers: dict[str, str]
    verdict: str
    must: tuple[str, ...] = ()  # in the warm reply
    must_not: tuple[str, ...] = ()  # in the reply, whatever the tone
    card: tuple[str, ...] = ()  # on the card
    basis: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


OFFERS = [
    Offer("finance niche, crypto 'opportunity' with guaranteed returns, not tried",
          {"brand": "CoinVault", "product": "AI trading bot", "category": "financial",
           "ask": "one_post", "deliverables": "rush", "pay": "$5,000", "usual_rate": "$400",
           "money_pressure": "a_lot", "warning_signs": "guaranteed_returns,payment_link",
           "tried": "not_yet"},
          "decline", basis="scam", must=("not interested",),
          must_not=("sample", "#ad", "CoinVault team"), card=("looks like a scam",)),
    Offer("fitness, the cautionary protein powder: tried it, hated it, short of money",
          {"brand": "FitFuel", "product": "vanilla protein powder", "category": "health",
           "ask": "few_posts", "pay": "$500", "usual_rate": "skip", "money_pressure": "a_lot",
           "tried": "disliked"},
          "decline", basis="gate", must=("I only promote things I use",),
          must_not=("future", "like your"), card=("One answer settles it",)),
    Offer("skincare, tried once, not sure they'd use it unpaid, rent is due",
          {"brand": "Glow Lab", "product": "retinol night cream", "ask": "one_post",
           "relationship": "unclear", "pay": "$800", "usual_rate": "$700",
           "money_pressure": "a_lot", "tried": "once", "use_unpaid": "unsure"},
          "sample_first", basis="use_longer", must=("a few more weeks",),
          must_not=("genuinely use", "I already use", "liked it"),
          card=("Waiting protects you", "use it longer, then decide")),
    Offer("coffee, uses it daily but not sure they'd recommend it",
          {"brand": "BeanBrew", "product": "home espresso machine", "recommend_friend": "unsure",
           "money_pressure": "some"},
          "sample_first", basis="use_longer", must=("your home espresso machine",),
          must_not=("like it", "I'm in")),
    Offer("watches, a fee 20 times the usual rate",
          {"brand": "LuxeWatch", "product": "automatic watch", "ask": "one_post",
           "relationship": "unclear", "pay": "$10,000", "usual_rate": "$500", "tried": "once",
           "use_unpaid": "yes"},
          "negotiate", basis="verify",
          must=("official email address", "written contract", "I never pay anything"),
          must_not=("walk-away",), card=("verify the brand", "far above your usual rate")),
    Offer("running, $900 offered against a £2,000 rate",
          {"brand": "Northwind", "product": "trail running shoes", "ask": "one_post",
           "relationship": "one_off", "pay": "$900", "usual_rate": "£2,000"},
          "negotiate", basis="terms", must=("Fee: my rate for this is £2,000.",),
          must_not=("walk-away", "Your usual rate"),
          card=("at rates from 2025-06-30", "Your walk-away number: £2,000")),
    Offer("wellness, gifted gummies with posts required",
          {"brand": "GummyCo", "product": "collagen gummies", "category": "health",
           "ask": "gifted_only", "usual_rate": "$400", "tried": "once", "use_unpaid": "yes"},
          "negotiate", must=("Fee: for required posts my rate is $400.", "no obligation to post"),
          card=("Rules for this category",)),
    Offer("fitness, affiliate commission only",
          {"brand": "StrideFit", "product": "resistance bands", "ask": "affiliate_only",
           "usual_rate": "$600", "relationship": "unclear"},
          "negotiate", must=("Fee: a base fee of $600, with the commission on top.",)),
    Offer("outdoors, unpaid beach clean-up for a charity",
          {"brand": "Ocean Trust", "product": "beach clean-up fundraiser", "ask": "charity",
           "relationship": "lasting"},
          "accept", must=("supporting you, unpaid",),
          must_not=("#ad", "Fee", "payment terms")),
    Offer("snacks, the brand would rather not label it",
          {"brand": "SnackCo", "product": "protein chips", "label": "brand_refuses"},
          "decline", basis="label", must=("clearly labelled as an ad", "talk again"),
          must_not=("isn't right for me",)),
    Offer("outdoors, a one-off post with perpetual rights",
          {"brand": "Northwind", "product": "rain jacket", "ask": "one_post",
           "relationship": "one_off", "usage_rights": "perpetual"},
          "negotiate", must=("Usage: 12 months on your own channels, organic.",
                             "priced separately, at $300 a month"),
          card=("influencer advertising",)),
    Offer("tech, ads run from the creator's account",
          {"brand": "TechNova", "product": "wireless earbuds", "usage_rights": "whitelisting"},
          "negotiate", must=("Ads from my account: for up to 3 months, at $300 a month "
                             "($900 in all)",
                             "spend cap", "my approval"),
          card=("Your walk-away number: $2,100",)),
    Offer("skincare, long vague exclusivity",
          {"brand": "PureSkin", "product": "vitamin C serum", "exclusivity": "long_vague"},
          "negotiate", must=("Exclusivity: a named list of direct competitors, for up to 3 "
                             "months, at $240 a month ($720 in all).",)),
    Offer("food, a video due in three days",
          {"brand": "QuickMeal", "product": "meal kit", "deliverables": "rush"},
          "negotiate", must=("Timing:", "a rush fee of $300")),
    Offer("home, net 90 and unlimited revisions",
          {"brand": "HomeNest", "product": "linen bedding", "payment_terms": "net60_plus",
           "revisions": "unlimited"},
          "negotiate", must=("Payment: net 30 from delivery, with a kill fee of $750",
                             "Revisions: two rounds included.")),
    Offer("wellness, a scripted brief with claims the creator can't back",
          {"brand": "SlimTea", "product": "detox tea", "category": "health",
           "voice": "scripted", "claims": "cannot_back", "buyers_glad": "unsure"},
          "negotiate", must=("Script: I'll cover your key messages in my own words",
                             "Claims: I'll only say what I've seen myself")),
    Offer("camping stove on a fashion channel: a good product that doesn't fit",
          {"brand": "CampPro", "product": "camping stove", "community_fit": "no",
           "pay": "$50,000", "usual_rate": "$40,000"},
          "decline", basis="fit", must=("isn't the right fit", "keep me in mind")),
    Offer("beauty, not tried, and buyers would be let down",
          {"brand": "QuickGlow", "product": "teeth whitening strips", "tried": "not_yet",
           "can_try_first": "yes", "use_unpaid": "unsure", "buyers_glad": "no"},
          "decline", basis="fit", must_not=("sample", "keep me in mind")),
    Offer("coffee, a barista oat milk not tried yet",
          {"brand": "OatCo", "product": "barista oat milk", "tried": "not_yet",
           "can_try_first": "yes", "use_unpaid": "unsure"},
          "sample_first", basis="not_tried", must=("no obligation to post",),
          must_not=("I already use", "liked it")),
    Offer("travel, a spa weekend the creator can't try first",
          {"brand": "Spa Retreat", "product": "weekend spa package", "tried": "not_yet",
           "can_try_first": "no", "use_unpaid": "yes"},
          "decline", basis="cannot_try", must=("I only promote things I use",)),
    Offer("drinks, a small-batch gin the creator already drinks",
          {"brand": "Highland Gin", "product": "small-batch gin", "category": "alcohol"},
          "accept", must=("I already use your small-batch gin",),
          card=("legal drinking age",)),
    Offer("parenting, a baby carrier used daily",
          {"brand": "TinySteps", "product": "baby carrier", "category": "children"},
          "accept", card=("children's advertising rules",)),
    Offer("sports, a betting app from a free-mail address, answer by tomorrow",
          {"brand": "BetNow", "product": "sports betting app", "category": "gambling",
           "warning_signs": "unofficial_contact,deadline"},
          "negotiate", basis="verify", must=("official email address",),
          card=("age-gate", "pressure tactic")),
    Offer("home office, a series below the rate with a fixed budget",
          {"brand": "Lumen", "product": "desk lamp", "ask": "few_posts", "pay": "$800",
           "usual_rate": "$1,200", "relationship": "lasting"},
          "negotiate", must=("Fee: my rate for this is $1,200.",
                             "If the budget is fixed at $800, I can do one post instead of a "
                             "series")),
    Offer("fitness drink, fair fee but paid ads and exclusivity",
          {"brand": "PeakFuel", "product": "electrolyte drink mix",
           "usage_rights": "limited_paid", "exclusivity": "short_named"},
          "negotiate", must=("Paid ads: up to 3 months of paid use, at $300 a month",
                             "If the budget is fixed at $1,500, I can do it without the paid ads "
                             "or exclusivity.")),
    Offer("knitwear, paid post for product only",
          {"brand": "CozyKnit", "product": "merino sweater", "ask": "one_post",
           "relationship": "unclear", "pay": "product_only", "usual_rate": "$500"},
          "negotiate", must=("Fee: $500 for the post, on top of the product.",)),
    Offer("banking, a credit card its current customers would feel left behind by",
          {"brand": "LegacyBank", "product": "cashback credit card", "category": "financial",
           "community_value": "pitch", "existing_customers": "left_behind"},
          "decline", basis="fit", must=("isn't the right fit",)),
    Offer("beauty, tried once and liked: accepted without claiming more use",
          {"brand": "Petal", "product": "lip oil", "tried": "once", "use_unpaid": "yes"},
          "accept", must=("I've tried your lip oil myself",),
          must_not=("I already use",)),
]
IDS = [offer.name for offer in OFFERS]
# what the coach says to the creator never goes into a letter to the brand
COACH_WORDS = ("Your usual rate", "Ask for", "walk-away", "your rate", "Key messages instead",
               "Exclusivity stated", "money pressure", "Reminder")


def _answers(offer: Offer) -> dict[str, Step]:
    return {**GOOD, **offer.answers}


@cache
def _talk(index: int) -> Talk:
    return decided(**_answers(OFFERS[index]))


def test_the_table_has_at_least_25_offers_and_every_verdict() -> None:
    assert len(OFFERS) >= 25
    assert {offer.verdict for offer in OFFERS} == {"accept", "negotiate", "sample_first",
                                                  "decline"}


@pytest.mark.parametrize("index", range(len(OFFERS)), ids=IDS)
def test_each_offer_gets_the_methods_verdict_and_a_card_that_says_why(index: int) -> None:
    offer, talk = OFFERS[index], _talk(index)

    assert talk.verdict == offer.verdict
    if offer.basis:
        assert talk.decision["basis"] == offer.basis
    for words in offer.card:
        assert words in talk.card, words


@pytest.mark.parametrize("index", range(len(OFFERS)), ids=IDS)
def test_each_reply_is_sendable_as_written_in_every_tone(index: int) -> None:
    offer, talk = OFFERS[index], _talk(index)
    kind = talk.snapshot.draft or {"accept": "accept", "negotiate": "counter",
                                   "sample_first": "sample", "decline": "decline"}[offer.verdict]
    replies = {name: letter(talk.then(draft(kind), tone(name))) for name in TONES}

    for words in offer.must:
        assert words in replies["warm"], f"{offer.name}: {words!r} missing"
    for name, text in replies.items():
        for words in (*offer.must_not, *COACH_WORDS):
            assert words not in text, f"{offer.name} ({name}): {words!r}"
        lines = [line for line in text.splitlines() if line.startswith("- ")]
        assert len(lines) == len(set(lines)), f"{offer.name} ({name}): an ask repeats"
        if offer.basis != "scam":
            assert offer.answers.get("brand", GOOD["brand"]) in text
            assert text.rstrip().endswith("\nMaya"), f"{offer.name} ({name}) is not signed"
    assert len(set(replies.values())) == 3


def letter(talk: Talk) -> str:
    """The reply alone, as the creator copies it (what ``halo chat --json`` prints as "draft")."""
    context = next(r.context for r in talk.replies if r.template == "creator/draft.j2")
    return render_text("common/draft_text.j2", context)


def _typed_path(offer: Offer) -> list[str]:
    """The answers the terminal chat is asked, in order, as a person would type them."""
    answers = _answers(offer)
    talk, typed = walk(), []
    while talk.asking is not None:
        value = answers[talk.asking]
        assert isinstance(value, str)
        typed.append(value)
        talk = talk.then(value)
    return typed


@pytest.mark.parametrize("index", range(len(OFFERS)), ids=IDS)
def test_each_offer_typed_into_the_terminal_chat_gives_the_same_verdict(index: int) -> None:
    offer, talk = OFFERS[index], _talk(index)
    lines = ["Maya", *_typed_path(offer)]  # the terminal has no first name: it asks for one
    if talk.snapshot.history[-1] == "@review":
        lines.append("1")  # see my recommendation
    out = io.StringIO()

    assert run_chat("creator", lines, out, as_json=True) == 0
    result = json.loads(out.getvalue())
    assert result["decision"]["verdict"] == offer.verdict
    assert result["draft"] == letter(talk)  # the same reply, word for word


README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("index", [5, 0, 2])
def test_the_readmes_three_examples_are_what_the_bot_says(index: int) -> None:
    talk, shown = _talk(index), README.read_text(encoding="utf-8")
    aged = re.compile(r"\d+ months? old")  # the rate table's age depends on today's date

    assert aged.sub("N months old", talk.card) in aged.sub("N months old", shown)
    assert talk.draft in shown
