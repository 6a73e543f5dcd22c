"""The creator review's decision: pure rules that turn answers into a ``Decision``.

No randomness and no model: the same answers always give the same verdict, score and reasons.
Gates (DOMAIN.md) end in decline whatever the fee; everything else is weighed per relationship.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flows.creator.questions import PAID_ASKS, QUESTIONS
from flows.snapshot import Answer, Money

Verdict = Literal["accept", "negotiate", "sample_first", "decline"]
Relationship = Literal["community", "brand", "new_customers", "existing_customers"]
Level = Literal["red_flag", "warning", "note"]
DraftKind = Literal["accept", "counter", "sample", "decline"]

RELATIONSHIPS: tuple[Relationship, ...] = (
    "community", "brand", "new_customers", "existing_customers",
)


class Reason(BaseModel):
    """One reason behind the verdict, citing the answer it rests on (``code`` names the text)."""

    model_config = ConfigDict(frozen=True)

    relationship: Relationship
    code: str
    question: str | None = None
    answer: str | None = None
    positive: bool = False


class Flag(BaseModel):
    """A warning or a term to push back on; ``counter`` flags go into a counter-offer."""

    model_config = ConfigDict(frozen=True)

    code: str
    level: Level
    question: str | None = None
    counter: bool = False


class ScorePart(BaseModel):
    model_config = ConfigDict(frozen=True)

    part: str
    points: int
    out_of: int


class Decision(BaseModel):
    """The recommendation: a verdict, a 0-100 score with its breakdown, reasons and flags."""

    verdict: Verdict
    score: int
    breakdown: list[ScorePart]
    reasons: list[Reason]
    flags: list[Flag]
    gate: str | None = None  # the gate question that closed, if any
    early: bool = False  # decided before every question was asked

    @property
    def counter_points(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.counter]

    @property
    def recommended_draft(self) -> DraftKind:
        return DRAFT_FOR[self.verdict]


DRAFT_FOR: dict[Verdict, DraftKind] = {
    "accept": "accept", "negotiate": "counter", "sample_first": "sample", "decline": "decline",
}

# each scored question: its relationship, and how much of its weight each answer earns
YES_NO = {"yes": 1.0, "unsure": 0.4, "no": 0.0}
Part = Literal["community", "brand", "new_customers", "existing_customers", "terms"]
SCALES: dict[str, tuple[Part, dict[str, float]]] = {
    "tried": ("community", {"regularly": 1.0, "once": 0.6, "not_yet": 0.3, "disliked": 0.0}),
    "use_unpaid": ("community", YES_NO),
    "recommend_friend": ("community", YES_NO),
    "community_fit": ("community", {"yes": 1.0, "partly": 0.5, "no": 0.0}),
    "proud": ("community", YES_NO),
    "voice": ("community", {"own_words": 1.0, "guided": 0.7, "scripted": 0.1}),
    "relationship": ("brand", {"lasting": 1.0, "unclear": 0.5, "one_off": 0.3}),
    "shared_goals": ("brand", {"yes": 1.0, "partly": 0.5, "no": 0.0}),
    "ingredients_ok": ("new_customers", YES_NO),
    "buyers_glad": ("new_customers", YES_NO),
    "community_value": ("new_customers", {"real": 1.0, "some": 0.5, "pitch": 0.0}),
    "claims": ("new_customers", {"none": 1.0, "can_back": 0.8, "cannot_back": 0.0}),
    "existing_followers": ("existing_customers",
                           {"same_me": 1.0, "natural_step": 0.7, "feels_off": 0.0}),
    "label": ("terms", {"clear": 1.0, "not_discussed": 0.6, "brand_refuses": 0.0}),
    "exclusivity": ("terms", {"none": 1.0, "short_named": 0.8, "not_stated": 0.5,
                              "long_vague": 0.0}),
    "usage_rights": ("terms", {"organic": 1.0, "limited_paid": 0.8, "not_stated": 0.5,
                               "perpetual": 0.0}),
    "payment_terms": ("terms", {"net30": 1.0, "not_stated": 0.5, "net60_plus": 0.2}),
    "revisions": ("terms", {"two_or_fewer": 1.0, "not_stated": 0.6, "unlimited": 0.2}),
}
SHARES = {"community": 35, "brand": 20, "new_customers": 15, "existing_customers": 10,
          "terms": 20}

# term answers that go into a counter-offer, and warnings that are only named
COUNTER = {
    ("voice", "scripted"), ("label", "not_discussed"), ("exclusivity", "long_vague"),
    ("exclusivity", "not_stated"), ("usage_rights", "perpetual"), ("usage_rights", "not_stated"),
    ("payment_terms", "net60_plus"), ("payment_terms", "not_stated"), ("revisions", "unlimited"),
    ("revisions", "not_stated"), ("claims", "cannot_back"),
}
RED = {("label", "brand_refuses"), ("usage_rights", "perpetual"), ("claims", "cannot_back"),
       ("exclusivity", "long_vague")}
# answers that cannot be negotiated away: the product or the fit itself is the problem
DEAL_BREAKERS = {("community_fit", "no"), ("proud", "no"), ("ingredients_ok", "no"),
                 ("buyers_glad", "no")}
CONCERNS = {("shared_goals", "no"), ("existing_followers", "feels_off"),
            ("community_value", "pitch")}
SOFT_GATES = ("use_unpaid", "recommend_friend")


def _pay_points(answers: Mapping[str, Answer]) -> float | None:
    pay, rate = answers.get("pay"), answers.get("usual_rate")
    if pay == "product_only":
        return 0.2
    if isinstance(pay, Money) and isinstance(rate, Money) and pay.currency == rate.currency:
        return 1.0 if pay.amount >= rate.amount else max(0.0, float(pay.amount / rate.amount))
    return None


def score(answers: Mapping[str, Answer]) -> list[ScorePart]:
    """Points per part, out of its share; parts with no answers yet count as neutral halves."""
    earned: dict[str, float] = {part: 0.0 for part in SHARES}
    weight: dict[str, float] = {part: 0.0 for part in SHARES}
    for question, (part, scale) in SCALES.items():
        value = answers.get(question)
        if isinstance(value, str) and value in scale:
            earned[part] += scale[value]
            weight[part] += 1
    pay = _pay_points(answers)
    if pay is not None:
        earned["brand"] += pay
        weight["brand"] += 1
    return [
        ScorePart(part=part, out_of=share,
                  points=round(share * (earned[part] / weight[part] if weight[part] else 0.5)))
        for part, share in SHARES.items()
    ]


def _reasons(answers: Mapping[str, Answer]) -> list[Reason]:
    reasons = []
    for question, (part, scale) in SCALES.items():
        value = answers.get(question)
        if part == "terms" or not isinstance(value, str) or value not in scale:
            continue
        reasons.append(Reason(relationship=part, code=f"{question}.{value}", question=question,
                              answer=value, positive=scale[value] >= 0.7))
    pay = answers.get("pay")
    if _pay_points(answers) is not None:
        fair = (_pay_points(answers) or 0) >= 1.0
        reasons.append(Reason(relationship="brand", code="pay.fair" if fair else "pay.low",
                              question="pay", answer=pay if isinstance(pay, str) else None,
                              positive=fair))
    return reasons


def _flags(answers: Mapping[str, Answer]) -> list[Flag]:
    flags = []
    pressure = answers.get("money_pressure")
    if pressure in ("some", "a_lot"):
        flags.append(Flag(code=f"money_pressure.{pressure}", level="warning",
                          question="money_pressure"))
    ask = answers.get("ask")
    if ask in ("one_post", "few_posts") and answers.get("relationship") != "lasting":
        flags.append(Flag(code="influencer_advertising", level="note", question="ask"))
    if ask == "gifted_only":
        flags.append(Flag(code="gifted_only", level="note", question="ask"))
    if ask == "affiliate_only":
        flags.append(Flag(code="affiliate_only", level="note", question="ask"))
    if ask in PAID_ASKS and answers.get("pay") == "product_only":
        flags.append(Flag(code="pay.product_only", level="red_flag", question="pay",
                          counter=True))
    pay_points = _pay_points(answers)
    if isinstance(answers.get("pay"), Money) and pay_points is not None and pay_points < 1.0:
        flags.append(Flag(code="pay.below_rate", level="warning", question="pay", counter=True))
    for soft in SOFT_GATES:
        if answers.get(soft) == "unsure":
            flags.append(Flag(code=f"{soft}.unsure", level="warning", question=soft))
    for asked in QUESTIONS.questions:
        value = answers.get(asked.id)
        if not isinstance(value, str):
            continue
        pair = (asked.id, value)
        if pair in COUNTER or pair in RED:
            flags.append(Flag(code=f"{asked.id}.{value}",
                              level="red_flag" if pair in RED else "warning",
                              question=asked.id, counter=pair in COUNTER))
    if answers.get("claims") == "can_back":
        flags.append(Flag(code="claims.can_back", level="note", question="claims"))
    return flags


def decide(all_answers: Mapping[str, Answer]) -> Decision:
    """The recommendation for a creator review's answers (those the path asked)."""
    answers = QUESTIONS.relevant(all_answers)
    breakdown = score(answers)
    total = sum(part.points for part in breakdown)
    reasons = _reasons(answers)
    flags = _flags(answers)
    gate = QUESTIONS.closed_gate(answers)
    complete = QUESTIONS.next_unanswered(answers) is None

    def made(verdict: Verdict, *extra: Reason) -> Decision:
        # a reason of its own replaces the plain one of the same answer
        cited = {(r.question, r.answer) for r in extra}
        kept = [r for r in reasons if (r.question, r.answer) not in cited]
        return Decision(verdict=verdict, score=total, breakdown=breakdown,
                        reasons=[*extra, *kept], flags=flags,
                        gate=gate.id if gate else None, early=not complete)

    if gate is not None:
        # a closed gate costs the creator their community's trust, whatever the fee
        return made("decline", Reason(relationship="community", code=f"gate.{gate.id}",
                                      question=gate.id, answer=str(answers[gate.id])))
    if answers.get("tried") == "not_yet":
        if answers.get("can_try_first") == "no":
            return made("decline", Reason(relationship="community", code="gate.cannot_try",
                                          question="tried", answer="not_yet"))
        return made("sample_first")
    pairs = {(q, v) for q, v in answers.items() if isinstance(v, str)}
    if pairs & DEAL_BREAKERS or len(pairs & CONCERNS) >= 2 or total < 50:
        return made("decline")
    if any(flag.counter for flag in flags) or total < 70 or pairs & CONCERNS:
        return made("negotiate")
    return made("accept")


def product_is_fine(answers: Mapping[str, Answer]) -> bool:
    """The product itself passed: a decline is about fit or terms, so the door stays open."""
    return (answers.get("tried") in ("regularly", "once")
            and answers.get("ingredients_ok") != "no"
            and answers.get("recommend_friend") != "no"
            and answers.get("use_unpaid") != "no"
            and answers.get("buyers_glad") != "no")
