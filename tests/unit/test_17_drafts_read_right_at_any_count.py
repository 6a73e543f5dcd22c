"""Issue 17: the counter-offer that asks the brand to prove who it is opened with "one thing:"
and then listed every point. Every draft (accept, counter, sample, decline), in every tone,
over every corpus message and answers that give one, two or many points, must read right as
sent: its opening says as many things as it lists, and no list is empty, dangles an "and" or
miscounts a plural."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from flows.snapshot import Answer, Money, Snapshot
from tests.unit.offer_corpus import OFFERS
from tests.unit.test_drafts_from_messages import TONES, drafted, finished

KINDS = ("accept", "counter", "sample", "decline")


def _fee(snapshot: Snapshot) -> Money:
    pay = snapshot.answers.get("pay")
    return pay if isinstance(pay, Money) else Money(amount=Decimal(1000), currency="USD")


# answers a creator could give after the message was read: each gives a different set of points
VARIANTS: dict[str, dict[str, object]] = {
    "as GOOD": {},
    "fee far above her rate": {"rate": Decimal("0.2")},
    "fee below her rate": {"rate": Decimal(2)},
    "an unofficial sender": {"warning_signs": "unofficial_contact"},
    "unofficial, terms fine": {"warning_signs": "unofficial_contact", "usage_rights": "organic",
                               "exclusivity": "none", "payment_terms": "net30",
                               "revisions": "two_or_fewer", "deliverables": "exact"},
    "one term to fix": {"usage_rights": "organic", "exclusivity": "none",
                        "payment_terms": "net30", "revisions": "unlimited",
                        "deliverables": "exact"},
    "every term to fix": {"usage_rights": "perpetual", "exclusivity": "long_vague",
                          "payment_terms": "net60_plus", "revisions": "unlimited",
                          "deliverables": "vague", "voice": "scripted",
                          "claims": "cannot_back", "label": "not_discussed"},
    "not tried yet": {"tried": "not_yet"},
    "not sure yet": {"tried": "once", "recommend_friend": "unsure"},
    "would not recommend it": {"recommend_friend": "no"},
    "a charity": {"ask": "charity"},
    "gifted only": {"ask": "gifted_only"},
}


@cache
def variant(name: str, label: str) -> Snapshot:
    snapshot = finished(name)
    answers: dict[str, Answer] = dict(snapshot.answers)
    for key, value in VARIANTS[label].items():
        if key == "rate":
            fee = _fee(snapshot)
            answers["pay"] = fee
            assert isinstance(value, Decimal)
            answers["usual_rate"] = Money(amount=fee.amount * value, currency=fee.currency)
        else:
            assert isinstance(value, str)
            answers[key] = value
    return snapshot.model_copy(update={"answers": answers})


BULLET = re.compile(r"^- ", re.M)
# an opening that counts what follows -> how many points it promises (None: one or more)
COUNTED = {"one thing": 1, "one change": 1, "two things": 2, "two changes": 2,
           "a few things": 3, "a few changes": 3}
WRONG = {
    "a dangling 'and' or 'or'": re.compile(r"\b(?:and|or)\s*(?:[.,:;)]|$)", re.M),
    "an empty list or clause": re.compile(r"\(\s*\)|:\s*[.,]|,\s*[.,]|^-\s*$", re.M),
    "a doubled word": re.compile(r"\b(\w+) \1\b", re.I),
    "a space before a stop": re.compile(r"\w [.,:;]"),
    "one of a plural": re.compile(
        r"\b(?:1|one|a single) (?:rounds|months|days|weeks|posts|reels|stories|videos|TikToks"
        r"|things|changes|points)\b", re.I),
    "many of a singular": re.compile(
        r"\b(?:[2-9]|\d\d+|two|three|few) (?:round|month|day|week|post|reel|story|video|TikTok"
        r"|thing|change|point)\b(?!-)", re.I),
    "a list of a, b or c, or d": re.compile(r"\bor [^.\n]+ or "),
}


def problems(text: str) -> list[str]:
    """What a mechanical read finds wrong in a draft (see ``WRONG`` and ``COUNTED``)."""
    found = [what for what, pattern in WRONG.items() if pattern.search(text)]
    bullets = len(BULLET.findall(text))
    for words, count in COUNTED.items():
        wrong = bullets < 3 if count == 3 else bullets != count
        if wrong and re.search(rf"\b{words}\b", text, re.I):
            found.append(f"'{words}' with {bullets} points")
    return found


@pytest.mark.parametrize("name", [offer.name for offer in OFFERS])
def test_every_draft_reads_right_whatever_the_number_of_points(name: str) -> None:
    for label in VARIANTS:
        snapshot = variant(name, label)
        for kind in KINDS:
            for tone in TONES:
                draft, _ = drafted(snapshot, tone, kind)
                wrong = problems(draft)
                assert not wrong, f"{name}, {label}, {kind}, {tone}: {wrong}\n{draft}"


def test_a_verify_counter_says_one_thing_only_when_it_asks_one_thing() -> None:
    many = variant("agency term sheet", "fee far above her rate")
    draft, summary = drafted(many, "warm", "counter")
    assert summary["decision"]["basis"] == "verify" and len(summary["asks"]) > 1
    assert "one thing" not in draft
    assert "Before anything else, two things:\n\n- Contract: " in draft
    assert len(BULLET.findall(draft)) == 2
    one = variant("dm vague collab", "unofficial, terms fine")
    draft, summary = drafted(one, "brief", "counter")
    assert summary["asks"] == ["verify"]
    assert "One thing first:" in draft and len(BULLET.findall(draft)) == 1


def test_the_grammar_check_finds_the_mistakes_it_looks_for() -> None:
    assert problems("Hi, one thing:\n\n- Fee: $1.\n- Usage: 12 months.") == [
        "'one thing' with 2 points"]
    for wrong in ("the fee and.", "terms () don't work", "2 round of revisions", "1 months",
                  "the the fee", "without the ads or the posts or exclusivity", "fee ."):
        assert problems(wrong), wrong
