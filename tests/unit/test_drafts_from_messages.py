"""The reply drafted for a review begun from a brand's message answers the brand's actual
terms (issue 17, point 4): over every message of the labelled corpus, a counter-offer answers
each red-flag clause with what the brand proposed and what the creator asks instead, keeps the
terms the creator did not object to, and names no amount that is not in the message, the
creator's answers or the money the coach worked out from them."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from flows.creator.fixing import reading_of
from flows.creator.flow import SPEC
from flows.machine import DECIDED, REVIEW, question_of
from flows.reading.amounts import amounts
from flows.reading.review import review_clauses
from flows.replies import Actor, Event
from flows.snapshot import Money, Snapshot
from prompts import render_text
from tests.unit.conftest import GOOD
from tests.unit.offer_corpus import OFFERS

TONES = ("warm", "professional", "brief")
# each red flag of the clause review -> the counter point that answers it, by its topic
TOPIC = {"usage_perpetual": "Usage", "whitelisting": "Ads from my account",
         "exclusivity_vague": "Exclusivity", "payment_late": "Payment",
         "revisions_unlimited": "Revisions", "claims": "Claims", "ip_assignment": "Ownership",
         "morals_one_way": "Morals clause", "auto_renewal": "Term", "rush": "Timing"}
READ = [offer for offer in OFFERS if not offer.scam]


@cache
def finished(name: str) -> Snapshot:
    """The corpus message forwarded, every question left answered as ``GOOD`` does, decided."""
    text = next(offer.text for offer in OFFERS if offer.name == name)
    snapshot = SPEC.advance(None, Event(verb="begin", arg=text,
                                        actor=Actor(user_id=1, name="Maya"))).snapshot
    snapshot = answered(snapshot)
    if snapshot.step == REVIEW:
        snapshot = SPEC.advance(snapshot, Event(verb="confirm")).snapshot
    assert snapshot.step == DECIDED
    return snapshot


def answered(snapshot: Snapshot, answers: dict[str, str] | None = None) -> Snapshot:
    """Every question still open answered as ``GOOD`` does (the rate in the fee's currency)."""
    for _ in range(40):
        question = question_of(snapshot.step)
        if question is None:
            return snapshot
        said = (answers or {}).get(question, GOOD[question])
        fee = snapshot.answers.get("pay")
        if question == "usual_rate" and isinstance(fee, Money):
            said = f"1200 {fee.currency}"
        snapshot = SPEC.advance(snapshot, Event(verb="answer", arg=said)).snapshot
    raise AssertionError(f"stuck at {snapshot.step}")


def drafted(snapshot: Snapshot, tone: str, kind: str | None = None) -> tuple[str, dict[str, Any]]:
    summary = SPEC.summarize(snapshot.model_copy(update={"tone": tone, "draft": kind}))
    return render_text("common/draft_text.j2", {"flow": "creator", **summary}), summary


def _amounts(text: str) -> set[Decimal]:
    return {found.money.amount for found in amounts(text)}


def allowed(name: str, summary: dict[str, Any]) -> set[Decimal]:
    """The amounts a reply may name: the message's, the creator's, and the coach's pricing."""
    text = next(offer.text for offer in OFFERS if offer.name == name)
    known = _amounts(text)
    for value in finished(name).answers.values():
        if isinstance(value, Money):
            known.add(value.amount)
    money = summary["decision"]["money"] or {}

    def walk(value: Any) -> None:
        if isinstance(value, dict) and "amount" in value and "currency" in value:
            known.add(Decimal(str(value["amount"])))
        elif isinstance(value, dict):
            for each in value.values():
                walk(each)
        elif isinstance(value, list):
            for each in value:
                walk(each)

    walk(money)
    return known


@pytest.mark.parametrize("name", [offer.name for offer in READ])
def test_a_counter_offer_answers_each_red_flag_clause_and_invents_no_amount(name: str) -> None:
    snapshot = finished(name)
    reading = reading_of(snapshot)
    assert reading is not None
    flags = [flag.code for flag in review_clauses(reading).flags if flag.code in TOPIC]
    for tone in TONES:
        draft, summary = drafted(snapshot, tone, "counter")
        if summary["decision"]["verdict"] == "negotiate":
            for code in flags:
                assert f"- {TOPIC[code]}" in draft, f"{name}: {code} unanswered ({tone})"
        assert _amounts(draft) <= allowed(name, summary), f"{name}: an amount invented"
        assert "you proposed" in draft or not summary["message_terms"]["against"]


@pytest.mark.parametrize("name", [offer.name for offer in READ])
def test_the_terms_kept_are_the_messages_and_none_is_also_countered(name: str) -> None:
    snapshot = finished(name)
    _, summary = drafted(snapshot, "warm", "counter")
    terms = summary["message_terms"]
    countered = {fact["code"] for fact in terms["against"].values()}
    kept = {fact["code"] for fact in terms["kept"]}
    assert not countered & kept
    pay = snapshot.answers.get("pay")
    for fact in terms["kept"]:
        if fact["code"] == "pay":  # the fee kept is the one the review holds
            assert isinstance(pay, Money) and Decimal(fact["value"]["amount"]) == pay.amount


def test_a_negotiate_draft_answers_the_brands_clauses_one_by_one() -> None:
    draft, summary = drafted(finished("agency term sheet"), "warm")
    assert summary["decision"]["verdict"] == "negotiate"
    assert "Payment (you proposed payment within 60 days): net 30 from delivery" in draft
    assert "I'm happy with the rest as you set it out: the fee of $3,500, 1 TikTok, " \
           "2 stories, delivery by June 10, organic use on your channels for 12 months, " \
           "no exclusivity and 2 rounds of revisions." in draft
    draft, _ = drafted(finished("agency unlimited revisions"), "professional")
    assert "Revisions (you proposed unlimited revisions): two rounds included." in draft
    assert "Exclusivity (you proposed exclusivity for 12 months):" in draft


FAIR = ("Hi Maya! We're Glow Lab. We can offer $1,200 for one Instagram reel, posted by June 20, "
        "usage on our organic channels for 12 months. Payment net 30. Exclusivity: none. Two "
        "rounds of revisions. Please label it #ad.")


def begun_from(text: str, **answers: str) -> Snapshot:
    snapshot = SPEC.advance(None, Event(verb="begin", arg=text,
                                        actor=Actor(user_id=1, name="Maya"))).snapshot
    return SPEC.advance(answered(snapshot, answers), Event(verb="confirm")).snapshot


def test_accept_and_decline_drafts_name_the_brands_terms() -> None:
    fair = begun_from(FAIR, usual_rate="$1,000")
    for tone in TONES:
        accept, summary = drafted(fair, tone)
        assert summary["decision"]["verdict"] == "accept"
        assert "the fee of $1,200, 1 reel, delivery by June 20, organic use on your channels " \
               "for 12 months, no exclusivity, payment within 30 days and 2 rounds of " \
               "revisions" in accept
        assert accept.count("$1,200") == 1  # the fee is said once, with the terms
    tough = finished("agency term sheet")
    decline, summary = drafted(tough, "professional", "decline")
    assert summary["decline_reason"] == "terms"
    assert "The terms as proposed (payment within 60 days) don't work for me" in decline


def test_a_review_begun_step_by_step_drafts_as_before() -> None:
    snapshot = SPEC.advance(None, Event(verb="begin", actor=Actor(user_id=1, name="Maya"))).snapshot
    while (question := question_of(snapshot.step)) is not None:
        snapshot = SPEC.advance(snapshot, Event(verb="answer", arg=GOOD[question])).snapshot
    snapshot = SPEC.advance(snapshot, Event(verb="confirm")).snapshot
    draft, summary = drafted(snapshot, "warm")
    assert summary["message_terms"] is None
    assert "you proposed" not in draft and "as you set it out" not in draft
