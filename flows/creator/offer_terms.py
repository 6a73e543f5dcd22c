"""The brand's own terms in the creator's reply, for a review begun from the brand's message.

``message_terms`` says, for each point a counter-offer makes, which of the message's facts it
answers (the draft says what the brand proposed, in brief, before what the creator proposes
instead), and which of the message's terms the creator keeps as written (the draft says so, so
the brand knows the rest stands). Only what the message states, as read and as the creator
corrected it, is named; a fact the creator's answers contradict is named nowhere. The words are
in ``prompts/creator/message_terms.j2``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flows.creator.decision import Decision
from flows.reading.offer import OfferReading
from flows.reading.review import item, review_clauses
from flows.reading.terms import Fact
from flows.snapshot import Answer

# each counter point -> the kinds of fact of the message it answers (the first found is named)
ANSWERS: dict[str, tuple[str, ...]] = {
    "pay.product_only": ("gifted",), "gifted_only": ("gifted",),
    "affiliate_only": ("affiliate",), "pay.below_rate": ("pay",),
    "usage_rights.perpetual": ("usage_rights",),
    "usage_rights.limited_paid": ("usage_rights",),
    "usage_rights.whitelisting": ("whitelisting", "usage_rights"),
    "exclusivity.long_vague": ("exclusivity",), "exclusivity.short_named": ("exclusivity",),
    "deliverables.rush": ("dates",), "payment_terms.net60_plus": ("payment_terms",),
    "revisions.unlimited": ("revisions",), "claims.cannot_back": ("claims",),
    "clause.ip_assignment": ("ip_assignment",), "clause.morals_one_way": ("morals",),
    "clause.auto_renewal": ("auto_renewal",),
}
# the review answer a fact of each kind must agree with to be named (None: no answer holds it)
AGREES: dict[str, str | None] = {
    "pay": "pay", "usage_rights": "usage_rights", "exclusivity": "exclusivity",
    "payment_terms": "payment_terms", "revisions": "revisions", "label": "label",
    "claims": "claims", "deliverables": None, "dates": None, "post_duration": None,
    "kill_fee": None, "approvals": None, "gifted": None, "affiliate": None, "morals": None,
    "whitelisting": None, "ip_assignment": None, "auto_renewal": None,
}
# the terms a reply may name as agreed, in the order a brand reads a deal; and for the terms a
# creator weighs, the values that are no objection (the ad label: every reply promises its own)
KEPT = ("pay", "deliverables", "dates", "post_duration", "usage_rights", "exclusivity",
        "payment_terms", "kill_fee", "revisions", "approvals", "affiliate", "morals")
FINE = {"usage_rights": {"organic"}, "exclusivity": {"none"}, "payment_terms": {"net30"},
        "revisions": {"two_or_fewer"}}


def _agrees(fact: Fact, answers: Mapping[str, Answer]) -> bool:
    """Whether the review's answers still say what the fact says (a fact the creator changed
    at the review step is theirs now: not the message's to restate)."""
    question = AGREES.get(fact.code)
    if question is None or fact.value is None:
        return True
    return answers.get(question) == fact.value


_ASKED_TO_SAY = re.compile(r"^(?:please\s+)?(?:say|mention|state|include|add)\s+(?:that\s+)?",
                           re.I)


def _shown(fact: Fact) -> dict[str, Any]:
    """A fact as the drafts name it: a corrected one without the quote it no longer holds, a
    claim as the words the brand wants said ("the gummies prevent colds")."""
    line = fact.model_dump(mode="json", exclude={"quote"} if fact.corrected else set())
    if fact.code == "claims" and not fact.corrected:
        line["claim"] = _ASKED_TO_SAY.sub("", fact.quote)
    return line


def message_terms(reading: OfferReading, decision: Decision,
                  answers: Mapping[str, Answer], asks: list[str]) -> dict[str, Any]:
    """What the reply answers of the brand's message, point by point, and what it keeps."""
    facts = [fact for fact in reading.facts if _agrees(fact, answers)]
    against: dict[str, dict[str, Any]] = {}
    objected: set[str] = set()
    for ask in asks:
        codes = ANSWERS.get(ask, ())
        objected.update(codes)
        value = ask.partition(".")[2]
        # a bare heading ("9. Exclusivity.") is named only when nothing says more
        found = sorted((fact for fact in facts if fact.code in codes),
                       key=lambda fact: (codes.index(fact.code), _heading_only(fact)))
        best = next((f for f in found if f.value == value), found[0] if found else None)
        if best is not None:
            against[ask] = _shown(best)
    if decision.verdict == "accept":
        objected.clear()  # nothing is asked to change
    kept: list[dict[str, Any]] = []
    flagged = {flag.quote for flag in review_clauses(reading).flags}
    for code in KEPT:
        if code in objected:
            continue
        for fact in facts:
            if fact.code != code or (code in FINE and fact.value not in FINE[code]):
                continue
            if fact.quote in flagged and not fact.corrected and code != "pay":
                continue  # a clause the review flagged is not one to agree to as it stands
            line = {**_shown(fact), "items": [item(fact)] if code == "deliverables" else []}
            if not any(_same(line, other) for other in kept):
                kept.append(line)
    # a kill fee the message offers is the brand's to keep: the counter does not propose its own
    return {"against": against, "kept": kept,
            "kill_fee": any(fact.code == "kill_fee" for fact in facts)}


def _heading_only(fact: Fact) -> bool:
    """A fact read from a clause's heading alone ("Exclusivity"): it says nothing to restate."""
    return fact.term is None and fact.detail is None and len(fact.quote.split()) < 2


def _same(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two facts a reply would say in the same words (a term stated in two clauses; but each
    deliverable is one of the work's parts: "1 reel and 2 stories")."""
    keys = ("code", "value", "detail", "term", "per")
    return all(one.get(key) == other.get(key) for key in keys) and one["code"] != "deliverables"
