"""The proposal's terms as the creator will meet them: the pitch's own words first, the rep's
answers where the pitch is silent, blanks where neither says, and suggestions kept apart.

Everything here is data for ``prompts/proposal/``: which clause states which term, where the
pitch and the answers disagree, and the codes of the suggestions worth making.
"""

from __future__ import annotations

from typing import Any

from flows.outcome import shown
from flows.proposal.pitch import PitchReading
from flows.snapshot import Answer, Money

# the terms a rewrite lists, in the order a creator reads an offer
TERMS = ("ask", "pay", "deliverables", "dates", "community_value", "voice", "usage_rights",
         "exclusivity", "payment_terms", "revisions", "label")
TERM_LINES = 10  # clauses of the pitch a rewrite repeats at most (the export has them all)
# what a weakness of the pitch, or a flag of the creator's likely answer, suggests instead
SUGGESTED_FOR = {
    "no_fee": "fee", "pay.product_only": "fee", "free_product_for_posts": "fee",
    "pay.below_rate": "fee",
    "perpetual_usage": "usage_window", "usage_rights.perpetual": "usage_window",
    "no_usage": "usage_window", "usage_rights.not_stated": "usage_window",
    "exclusivity.long_vague": "exclusivity_named", "no_exclusivity": "exclusivity_named",
    "exclusivity.not_stated": "exclusivity_named",
    "payment_terms.net60_plus": "net30", "payment_terms.not_stated": "net30",
    "revisions.unlimited": "two_rounds", "revisions.not_stated": "two_rounds",
    "scripted": "key_messages", "voice.scripted": "key_messages",
    "claims": "claims_proof", "claims.cannot_back": "claims_proof",
    "no_disclosure": "label", "label.not_discussed": "label",
    "no_deliverables": "deliverables", "no_dates": "dates",
    "no_audience_value": "community_value", "just_one_post": "longer_relationship",
    "influencer_advertising": "longer_relationship",
}
# a weakness whose fix says more than its one suggestion
ALSO_SAID = {"free_product_for_posts": "product_first"}
# the answers under which the rewrite already states what a suggestion asks for
FAIR_WHEN_WRITTEN: dict[str, tuple[str, frozenset[str]]] = {
    "label": ("label", frozenset({"clear"})),
    "claims_proof": ("claims", frozenset({"none", "can_back"})),
    "usage_window": ("usage_rights", frozenset({"organic", "limited_paid"})),
    "exclusivity_named": ("exclusivity", frozenset({"none", "short_named"})),
    "net30": ("payment_terms", frozenset({"net30"})),
    "key_messages": ("voice", frozenset({"own_words", "guided"})),
    "two_rounds": ("revisions", frozenset({"two_or_fewer"})),
    "community_value": ("community_value", frozenset({"real", "some"})),
    "product_first": ("product_first", frozenset({"yes"})),
    "longer_relationship": ("ask", frozenset({"ongoing"})),
}
SUGGESTION_ORDER = ("label", "fee", "claims_proof", "usage_window", "exclusivity_named", "net30",
                    "deliverables", "dates", "key_messages", "two_rounds", "community_value",
                    "product_first", "longer_relationship")


def stated(answers: dict[str, Answer], reading: PitchReading | None) -> dict[str, Answer]:
    """The answers with what the pitch itself states put first (the pitch is what is sent)."""
    if reading is None:
        return dict(answers)
    return {**answers, **_overriding(answers, reading)}


def _overriding(answers: dict[str, Answer], reading: PitchReading) -> dict[str, Answer]:
    """What the pitch states, less claims the rep says they can prove (a pitch that quotes no
    proof does not contradict proof the rep holds)."""
    found = reading.answers()
    if answers.get("claims") == "can_back":
        found.pop("claims", None)
    return found


def _same(one: Answer, other: Answer) -> bool:
    if isinstance(one, Money) and isinstance(other, Money):
        return one.amount == other.amount and one.currency == other.currency
    return one == other


def disagreements(answers: dict[str, Answer], reading: PitchReading | None
                  ) -> list[dict[str, Any]]:
    """Where the pitch says one thing and the rep answered another: both, for the rep."""
    if reading is None:
        return []
    found = []
    for question, value in _overriding(answers, reading).items():
        answered = answers.get(question)
        if answered is not None and not _same(answered, value):
            fact = next(f for f in reading.facts if f.code == question and f.value is not None
                        and _same(f.value, value))
            found.append({"question": question, "quote": fact.quote,
                          "answered": shown(answered), "stated": shown(value)})
    return found


def term_rows(answers: dict[str, Answer], reading: PitchReading | None) -> list[dict[str, Any]]:
    """One row per term: the pitch's clauses for it (each clause once, in the pitch's words),
    else the rep's answer, else nothing (the template leaves a marked blank)."""
    used: set[str] = set()
    rows = []
    budget = TERM_LINES
    for code in TERMS:
        quotes = []
        for fact in reading.facts if reading is not None else ():
            if fact.code == code and fact.quote not in used:
                used.add(fact.quote)
                quotes.append(fact.quote)
        if any(fact.code == code for fact in (reading.facts if reading else ())) and not quotes:
            continue  # said already, in a clause listed under an earlier term
        rows.append({"code": code, "quotes": quotes[:max(0, budget)],
                     "more": max(0, len(quotes) - max(0, budget)),
                     "answer": shown(answers[code]) if code in answers else None})
        budget -= len(quotes)
    return rows


def per_of(reading: PitchReading | None) -> str | None:
    fact = reading.fact("pay") if reading is not None else None
    return fact.per if fact is not None else None


def suggestions(weaknesses: list[str], flags: list[tuple[str, bool]],
                deal: dict[str, Answer], rows: list[dict[str, Any]]) -> list[str]:
    """What would make the terms fairer, as suggestions (never written into the pitch): none
    the rewrite already states, and none the rep has read already as a weakness's fix or as
    what the creator will ask for (``flags`` are (code, counter) pairs of the likely answer)."""
    wanted = {SUGGESTED_FOR[code] for code in [*weaknesses, *(code for code, _ in flags)]
              if code in SUGGESTED_FOR}
    if deal.get("product_first") != "yes":
        wanted.add("product_first")
    said = {SUGGESTED_FOR[code] for code in [*weaknesses, *(c for c, counter in flags if counter)]
            if code in SUGGESTED_FOR}
    said |= {ALSO_SAID[code] for code in weaknesses if code in ALSO_SAID}
    return [code for code in SUGGESTION_ORDER
            if code in wanted and code not in said and not _written(code, deal, rows)]


def _written(suggestion: str, deal: dict[str, Answer], rows: list[dict[str, Any]]) -> bool:
    """Whether the rewrite already states the term a suggestion is about, fairly."""
    if suggestion == "fee":
        return isinstance(deal.get("pay"), Money)
    if suggestion in ("deliverables", "dates"):
        return any(row["code"] == suggestion and row["quotes"] for row in rows)
    question, fair = FAIR_WHEN_WRITTEN[suggestion]
    return deal.get(question) in fair
