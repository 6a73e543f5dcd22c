"""The creator review's decision: pure rules that turn answers into a ``Decision``.

No randomness and no model: the same answers always give the same verdict, score and reasons.
The rules follow the method's order (DOMAIN.md): a closed gate (disliked it, would not use it
unpaid, would not recommend it, the brand refuses an ad label) or a sign of a scam declines
first; then what cannot be negotiated away (the fit, buyers let down); only then "not tried
yet" (a sample first) and "not sure" (use it longer). Money is checked, never assumed: a fee far
above the creator's rate means verify the brand first, and extra rights are priced from the rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flows.creator.pricing import Pricing, price
from flows.creator.questions import PAID_ASKS, QUESTIONS, SCAM_SIGNS
from flows.reading.windows import Window, windows
from flows.snapshot import Answer, Money

Verdict = Literal["accept", "negotiate", "sample_first", "decline"]
Relationship = Literal["community", "brand", "new_customers", "existing_customers"]
Level = Literal["red_flag", "warning", "note"]
DraftKind = Literal["accept", "counter", "sample", "decline"]
# what settled the verdict: the card and the drafts say it in these terms
Basis = Literal["gate", "label", "scam", "cannot_try", "fit", "not_tried", "use_longer",
                "verify", "terms", "fair"]

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
    """A warning or a term to push back on; ``counter`` flags are terms a counter-offer asks
    to change (the draft words them as ``Decision.asks``)."""

    model_config = ConfigDict(frozen=True)

    code: str
    level: Level
    question: str | None = None
    counter: bool = False


class ScorePart(BaseModel):
    """Points of one part; ``points`` is None when the path asked nothing about it."""

    model_config = ConfigDict(frozen=True)

    part: str
    points: int | None
    out_of: int


class Decision(BaseModel):
    """The recommendation: a verdict and what settled it, a 0-100 score that agrees with it,
    reasons by relationship, flags, category reminders, and the money worked out."""

    verdict: Verdict
    basis: Basis
    score: int
    breakdown: list[ScorePart]
    reasons: list[Reason]
    flags: list[Flag]
    gate: str | None = None  # the gate question that closed, if any
    early: bool = False  # decided before every question was asked
    reminders: list[str] = []  # regulated categories the offer falls under
    money: Pricing | None = None
    # how long the counter gives each extra right (flows/reading/windows.py, the clause review's
    # rule too): the brand's own length when no longer than the coach's most
    windows: dict[str, Window] = {}

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
    "voice": ("community", {"own_words": 1.0, "guided": 0.7, "scripted": 0.1}),
    "relationship": ("brand", {"lasting": 1.0, "unclear": 0.5, "one_off": 0.3}),
    "community_value": ("brand", {"real": 1.0, "some": 0.5, "pitch": 0.0}),
    "buyers_glad": ("new_customers", YES_NO),
    "claims": ("new_customers", {"none": 1.0, "can_back": 0.8, "cannot_back": 0.0}),
    "existing_customers": ("existing_customers", {"same_brand": 1.0, "stretch": 0.6,
                                                  "unsure": 0.4, "left_behind": 0.0}),
    "label": ("terms", {"clear": 1.0, "not_discussed": 0.6, "brand_refuses": 0.0}),
    "deliverables": ("terms", {"exact": 1.0, "rush": 0.4, "vague": 0.3}),
    "exclusivity": ("terms", {"none": 1.0, "short_named": 0.8, "not_stated": 0.5,
                              "long_vague": 0.0}),
    "usage_rights": ("terms", {"organic": 1.0, "limited_paid": 0.7, "whitelisting": 0.6,
                               "not_stated": 0.5, "perpetual": 0.0}),
    "payment_terms": ("terms", {"net30": 1.0, "not_stated": 0.5, "net60_plus": 0.2}),
    "revisions": ("terms", {"two_or_fewer": 1.0, "not_stated": 0.6, "unlimited": 0.2}),
}
SHARES: dict[str, int] = {"community": 35, "brand": 20, "new_customers": 15,
                          "existing_customers": 10, "terms": 20}
# the score a verdict can show: a decline never scores like an accept
BANDS: dict[Verdict, tuple[int, int]] = {"accept": (70, 100), "negotiate": (0, 100),
                                         "sample_first": (0, 69), "decline": (0, 49)}

# term answers a counter-offer asks to change, and the ones that are red flags
COUNTER = {
    ("voice", "scripted"), ("label", "not_discussed"), ("exclusivity", "long_vague"),
    ("exclusivity", "not_stated"), ("exclusivity", "short_named"), ("usage_rights", "perpetual"),
    ("usage_rights", "not_stated"), ("usage_rights", "limited_paid"),
    ("usage_rights", "whitelisting"), ("payment_terms", "net60_plus"),
    ("payment_terms", "not_stated"), ("revisions", "unlimited"), ("revisions", "not_stated"),
    ("claims", "cannot_back"), ("deliverables", "vague"), ("deliverables", "rush"),
}
RED = {("label", "brand_refuses"), ("usage_rights", "perpetual"), ("claims", "cannot_back"),
       ("exclusivity", "long_vague")}
# answers that cannot be negotiated away: the product or the fit itself is the problem
DEAL_BREAKERS = {("community_fit", "no"), ("buyers_glad", "no")}
CONCERNS = {("existing_customers", "left_behind"), ("community_value", "pitch"),
            ("community_fit", "partly")}
SOFT_GATES = ("use_unpaid", "recommend_friend")
CATEGORIES = ("alcohol", "gambling", "financial", "health", "children")


def _money(answers: Mapping[str, Answer], question: str) -> Money | None:
    value = answers.get(question)
    return value if isinstance(value, Money) else None


def score(answers: Mapping[str, Answer], money: Pricing | None = None) -> list[ScorePart]:
    """Points per part, out of its share; a part the path asked nothing about is not scored."""
    earned: dict[str, float] = {part: 0.0 for part in SHARES}
    weight: dict[str, float] = {part: 0.0 for part in SHARES}
    for question, (part, scale) in SCALES.items():
        value = answers.get(question)
        if isinstance(value, str) and value in scale:
            earned[part] += scale[value]
            weight[part] += 1
    pay = answers.get("pay")
    if pay == "product_only" and answers.get("ask") in PAID_ASKS:
        weight["brand"] += 1  # paid work for product only earns nothing
    elif money is not None and money.multiple is not None:
        earned["brand"] += min(1.0, money.multiple) if money.multiple < 3 else 0.3
        weight["brand"] += 1
    return [
        ScorePart(part=part, out_of=share,
                  points=round(share * earned[part] / weight[part]) if weight[part] else None)
        for part, share in SHARES.items()
    ]


def total(breakdown: list[ScorePart]) -> int:
    """The parts asked about, as a share of 100."""
    asked = [part for part in breakdown if part.points is not None]
    out_of = sum(part.out_of for part in asked)
    return round(100 * sum(part.points or 0 for part in asked) / out_of) if out_of else 0


def _reasons(answers: Mapping[str, Answer], money: Pricing | None) -> list[Reason]:
    reasons = []
    for question, (part, scale) in SCALES.items():
        value = answers.get(question)
        if part == "terms" or not isinstance(value, str) or value not in scale:
            continue
        reasons.append(Reason(relationship=part, code=f"{question}.{value}", question=question,
                              answer=value, positive=scale[value] >= 0.7))
    if money is not None and money.multiple is not None and money.multiple < 3:
        fair = money.multiple >= 1
        reasons.append(Reason(relationship="brand", code="pay.fair" if fair else "pay.low",
                              question="pay", positive=fair))
    return reasons


def _flags(answers: Mapping[str, Answer], money: Pricing | None) -> list[Flag]:
    flags = []
    pressure = answers.get("money_pressure")
    if pressure in ("some", "a_lot"):
        flags.append(Flag(code=f"money_pressure.{pressure}", level="warning",
                          question="money_pressure"))
    signs = answers.get("warning_signs")
    for sign in (signs.split(",") if isinstance(signs, str) else ()):
        if sign != "none":
            flags.append(Flag(code=f"warning_signs.{sign}", question="warning_signs",
                              level="red_flag" if sign in SCAM_SIGNS else "warning"))
    ask = answers.get("ask")
    if answers.get("relationship") == "one_off":
        flags.append(Flag(code="influencer_advertising", level="note", question="relationship"))
    if ask in ("gifted_only", "affiliate_only", "charity"):
        flags.append(Flag(code=str(ask), level="note", question="ask",
                          counter=ask != "charity"))
    if ask in PAID_ASKS and answers.get("pay") == "product_only":
        flags.append(Flag(code="pay.product_only", level="red_flag", question="pay",
                          counter=True))
    if money is not None and money.multiple is not None:
        if money.multiple >= 3:
            flags.append(Flag(code="pay.far_above", level="red_flag", question="pay"))
        elif money.multiple < 1:
            flags.append(Flag(code="pay.below_rate", level="warning", question="pay",
                              counter=True))
    if money is not None and money.fee is not None and money.rate is not None \
            and money.fee.currency != money.rate.currency and money.rates_as_of is None:
        flags.append(Flag(code="pay.no_exchange_rate", level="note", question="usual_rate"))
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


def _basis(answers: Mapping[str, Answer], gate: str | None, money: Pricing | None,
           flags: list[Flag], points: int) -> tuple[Verdict, Basis]:
    """The verdict, in the method's order, and what settled it."""
    if gate == "warning_signs":
        return "decline", "scam"
    if gate == "label":
        return "decline", "label"
    if gate is not None:
        return "decline", "gate"
    pairs = {(q, v) for q, v in answers.items() if isinstance(v, str)}
    if pairs & DEAL_BREAKERS or len(pairs & CONCERNS) >= 2:
        return "decline", "fit"
    if answers.get("tried") == "not_yet":
        if answers.get("can_try_first") == "no":
            return "decline", "cannot_try"
        return "sample_first", "not_tried"
    if any(answers.get(soft) == "unsure" for soft in SOFT_GATES):
        return "sample_first", "use_longer"
    signs = answers.get("warning_signs")
    unofficial = isinstance(signs, str) and "unofficial_contact" in signs.split(",")
    if unofficial or (money is not None and money.multiple is not None and money.multiple >= 3):
        return "negotiate", "verify"
    if any(flag.counter for flag in flags) or points < 70 or pairs & CONCERNS:
        return "negotiate", "terms"
    return "accept", "fair"


# red flags of a brand's message that no review answer holds (flows/reading/review.py): a
# counter-offer answers each; the rest of its flags are the answers' own
CLAUSES: dict[str, Level] = {"ip_assignment": "red_flag", "morals_one_way": "warning",
                             "auto_renewal": "warning"}


def decide(all_answers: Mapping[str, Answer], clauses: Iterable[str] = (),
           lengths: Mapping[str, int] | None = None) -> Decision:
    """The recommendation for a creator review's answers (those the path asked), and the red
    flags of the brand's message it began from (``clauses``, the clause review's codes; and
    ``lengths``, how long it asked for each extra right, in days)."""
    answers = QUESTIONS.relevant(all_answers)
    money = price(answers, lengths)
    breakdown = score(answers, money)
    points = total(breakdown)
    reasons = _reasons(answers, money)
    flags = _flags(answers, money)
    flags += [Flag(code=f"clause.{code}", level=CLAUSES[code], counter=True)
              for code in dict.fromkeys(clauses) if code in CLAUSES]
    if "whitelisting" in clauses and answers.get("usage_rights") in ("perpetual", "organic",
                                                                     "limited_paid"):
        # ads from the creator's account, besides the usage the answer holds: countered too
        flags.append(Flag(code="usage_rights.whitelisting", level="warning",
                          question="usage_rights", counter=True))
    closed = QUESTIONS.closed_gate(answers)
    gate = closed.id if closed else None
    verdict, basis = _basis(answers, gate, money, flags, points)
    if basis == "scam":  # no term of a scam is worth weighing: only the pressure and the signs
        flags = [f for f in flags if f.question in ("money_pressure", "warning_signs")]
    low, high = BANDS[verdict]
    extra: list[Reason] = []
    if gate is not None:
        value = str(answers[gate])
        extra.append(Reason(relationship="community", code=f"gate.{gate}", question=gate,
                            answer=value if "," not in value else None))
    elif basis == "cannot_try":
        extra.append(Reason(relationship="community", code="gate.cannot_try",
                            question="tried", answer="not_yet"))
    cited = {(r.question, r.answer) for r in extra}
    category = answers.get("category")
    return Decision(
        verdict=verdict, basis=basis, score=min(high, max(low, points)), breakdown=breakdown,
        reasons=[*extra, *(r for r in reasons if (r.question, r.answer) not in cited)],
        flags=flags, gate=gate, early=QUESTIONS.next_unanswered(answers) is not None,
        reminders=[str(category)] if category in CATEGORIES else [],
        money=money if money.worth_showing else None, windows=dict(windows(lengths or {})))


def product_is_fine(answers: Mapping[str, Answer]) -> bool:
    """The product itself passed: a decline is about fit or terms, so the door stays open."""
    return (answers.get("tried") in ("regularly", "once")
            and answers.get("recommend_friend") not in ("no", "unsure")
            and answers.get("use_unpaid") not in ("no", "unsure")
            and answers.get("buyers_glad") != "no")


DeclineReason = Literal["scam", "label", "gate", "untried", "fit", "terms"]


def decline_reason(decision: Decision) -> DeclineReason:
    """Which decline fits: one per reason, so the brand hears the real one."""
    if decision.basis == "scam":
        return "scam"
    if decision.basis == "label":
        return "label"
    if decision.basis in ("gate", "cannot_try"):
        return "gate"
    if decision.basis in ("not_tried", "use_longer"):
        return "untried"
    if decision.basis in ("terms", "verify") and decision.counter_points:
        return "terms"
    return "fit"


# the counter-offer's asks, in the order a brand reads a deal: money, rights, work, payment
ASK_ORDER = (
    "pay.product_only", "gifted_only", "affiliate_only", "pay.below_rate",
    "usage_rights.perpetual", "usage_rights.not_stated", "usage_rights.limited_paid",
    "usage_rights.whitelisting", "exclusivity.long_vague", "exclusivity.short_named",
    "exclusivity.not_stated", "deliverables.vague", "deliverables.rush",
    "payment_terms.net60_plus", "payment_terms.not_stated", "revisions.unlimited",
    "revisions.not_stated", "voice.scripted", "claims.cannot_back", "label.not_discussed",
    "clause.ip_assignment", "clause.morals_one_way", "clause.auto_renewal",
)


def asks(decision: Decision) -> list[str]:
    """What a counter-offer asks for, each once, in ``ASK_ORDER``; "verify" first when the
    brand should prove who it is before anything else."""
    wanted = {flag.code for flag in decision.counter_points}
    ordered = [code for code in ASK_ORDER if code in wanted]
    return ["verify", *ordered] if decision.basis == "verify" else ordered
