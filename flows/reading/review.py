"""The clause review of a brand's message, as data for ``prompts/reading/offer.j2``: what the
message was understood to say (each fact with its quote), then each red flag in the message's
own words with its severity, and the terms a paid offer leaves unsaid. A scam comes first and
alone: a scam gets no counter-clauses, only a plain no.

What to ask for instead and the clause to paste back are words, so they live in
``prompts/reading/flag.j2``, found by the flag's code.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from flows.reading.offer import RUSH, OfferReading
from flows.reading.terms import Fact, Signal
from flows.reading.windows import (
    ORGANIC_DAYS,
    Right,
    Window,
    asked_lengths,
    kill_percent,
    window,
)

Severity = Literal["high", "medium"]

# the facts shown under "what I understood", in the order a creator reads an offer
SHOWN = ("brand", "sender", "product", "pay", "gifted", "affiliate", "deliverables", "dates",
         "post_duration", "usage_rights", "whitelisting", "exclusivity", "payment_terms",
         "kill_fee", "revisions", "approvals", "claims", "label", "ip_assignment", "morals",
         "auto_renewal")
FACTS_SHOWN = 10  # facts listed at most (the review step holds every answer)
FLAGS_SHOWN = 3  # red flags quoted at most in one message
_MUTUAL = re.compile(r"\b(?:either\s+party|mutual\w*|each\s+party|both\s+parties)\b", re.I)


class RedFlag(BaseModel):
    """A term to push back on: its code (the words are in prompts), severity and quote."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    quote: str
    # how long the clause to paste back gives the right: the counter-offer's rule
    # (flows/reading/windows.py), so the two never propose different terms
    window: Window | None = None
    kill_percent: int | None = None  # the kill fee a payment clause asks, when the brand has none


class ClauseReview(BaseModel):
    """The review of one message: scam signals, facts understood, red flags, terms unsaid."""

    model_config = ConfigDict(frozen=True)

    scams: list[Signal]
    facts: list[Fact]
    flags: list[RedFlag]
    missing: list[str]


def _asked(reading: OfferReading, right: Right) -> int | None:
    """How long the message asks for a right, counted as the counter-offer counts it."""
    return asked_lengths(reading, reading.answers()).get(right)


def _flag(fact: Fact, reading: OfferReading) -> RedFlag | None:
    code, value, quote = fact.code, fact.value, fact.quote
    if code == "label" and value == "brand_refuses":
        return RedFlag(code="no_label", severity="high", quote=quote)
    if code == "usage_rights" and value == "perpetual":
        return RedFlag(code="usage_perpetual", severity="high", quote=quote,
                       window=Window(days=ORGANIC_DAYS))
    if code == "whitelisting":
        perpetual = any(f.value == "perpetual" for f in reading.of("usage_rights"))
        windowed = any(f.value == "limited_paid" and f.term for f in reading.of("usage_rights"))
        if windowed and reading.of("pay") and not perpetual:
            return None  # a window and a fee: what a creator asks for is there
        return RedFlag(code="whitelisting", severity="high" if perpetual else "medium",
                       quote=quote, window=window("whitelisting", _asked(reading, "whitelisting")))
    if code == "exclusivity" and value == "long_vague":
        return RedFlag(code="exclusivity_vague", severity="high", quote=quote,
                       window=window("exclusivity", _asked(reading, "exclusivity")))
    if code == "payment_terms" and value == "net60_plus":
        return RedFlag(code="payment_late", severity="medium", quote=quote,
                       kill_percent=None if reading.of("kill_fee") else kill_percent())
    if code == "revisions" and value == "unlimited":
        return RedFlag(code="revisions_unlimited", severity="medium", quote=quote)
    if code == "claims" and value == "cannot_back":
        return RedFlag(code="claims", severity="high", quote=quote)
    if code == "ip_assignment":
        return RedFlag(code="ip_assignment", severity="high", quote=quote)
    if code == "morals" and not _MUTUAL.search(quote):
        return RedFlag(code="morals_one_way", severity="medium", quote=quote)
    if code == "auto_renewal":
        return RedFlag(code="auto_renewal", severity="medium", quote=quote)
    if code == "dates" and RUSH.search(fact.detail or ""):
        return RedFlag(code="rush", severity="medium", quote=quote)
    return None


def _distinct(facts: list[Fact]) -> list[Fact]:
    """Usage or exclusivity said in several clauses is shown once per thing it says: a clause
    that adds no length to another saying the same is left out."""
    kept: list[Fact] = []
    for fact in facts:
        same = [k for k in kept if k.code == fact.code and k.value == fact.value
                and fact.code in ("usage_rights", "exclusivity")]
        if any(k.term == fact.term or fact.term is None for k in same):
            continue
        kept = [k for k in kept if not (k in same and k.term is None)]
        kept.append(fact)
    return kept


def review_clauses(reading: OfferReading) -> ClauseReview:
    """The red flags of a reading, the most serious first; for a scam, only its signals."""
    facts = sorted(_distinct([fact for fact in reading.facts if fact.code in SHOWN]),
                   key=lambda fact: SHOWN.index(fact.code))
    if reading.is_scam:
        return ClauseReview(scams=reading.scams, facts=facts, flags=[], missing=[])
    flags: list[RedFlag] = []
    for fact in reading.facts:
        flag = _flag(fact, reading)
        if flag is not None and all(f.code != flag.code for f in flags):
            flags.append(flag)
    # ads from the creator's account with no end: one flag, the account's, says both
    ads = next((f for f in flags if f.code == "whitelisting"), None)
    flags = [f for f in flags if not (ads and f.code == "usage_perpetual" and f.quote == ads.quote)]
    codes = {fact.code for fact in reading.facts}
    unpaid = "pay" not in codes and "product_first" not in codes
    if "gifted" in codes and "deliverables" in codes and unpaid:
        quote = next(f.quote for f in reading.facts if f.code == "deliverables")
        flags.append(RedFlag(code="gifted_for_posts", severity="medium", quote=quote))
    flags.sort(key=lambda flag: flag.severity != "high")
    missing = []
    if "pay" in codes or "deliverables" in codes:
        missing = [code for code in ("usage_rights", "exclusivity", "payment_terms", "label")
                   if code not in codes and not (code == "usage_rights" and "whitelisting"
                                                  in codes)]
    return ClauseReview(scams=reading.scams, facts=facts, flags=flags, missing=missing)


def item(fact: Fact) -> str:
    """A deliverable as ``prompts/reading/facts.j2`` lists it: "2 tiktok", "2 tiktok/month"."""
    return f"{fact.detail}/month" if fact.per == "month" else f"{fact.detail}"


def _grouped(facts: list[Fact]) -> list[dict[str, Any]]:
    """Facts as lines: deliverables read from one clause are one line ("1 reel, 2 stories")."""
    lines: list[dict[str, Any]] = []
    for fact in facts:
        line = fact.model_dump(mode="json")
        last = lines[-1] if lines else None
        if (fact.code == "deliverables" and last is not None and last["code"] == "deliverables"
                and last["quote"] == fact.quote):
            last["items"].append(item(fact))
            continue
        line["items"] = [item(fact)] if fact.code == "deliverables" else []
        lines.append(line)
    return lines


def fact_lines(reading: OfferReading) -> list[dict[str, Any]]:
    """Every fact shown under "what I read", as lines (the facts message shows the first
    ``FACTS_SHOWN``)."""
    return _grouped(review_clauses(reading).facts)


def offer_context(reading: OfferReading, asking: int | None = None) -> dict[str, Any]:
    """The context of ``prompts/reading/offer.j2``: capped to one message, with how many facts
    and flags were left out (the review step still holds every answer); ``asking`` is how many
    questions the review still asks, when the caller knows."""
    review = review_clauses(reading)
    facts = _grouped(review.facts)
    flags = [flag.model_dump() for flag in review.flags]
    return {
        # a request to hide the ad, from a real brand, is the label flag below
        "scams": [scam.model_dump() for scam in review.scams
                  if reading.is_scam or scam.code != "scam_hide"],
        "is_scam": reading.is_scam,
        "facts": facts[:FACTS_SHOWN], "facts_left": max(0, len(facts) - FACTS_SHOWN),
        "flags": flags[:FLAGS_SHOWN], "flags_left": max(0, len(flags) - FLAGS_SHOWN),
        "missing": review.missing, "asking": asking, "can_vouch": reading.can_vouch,
        "vouched": reading.vouched,
        # a correction just made (flows/creator/fixing.py)
        "fixed_now": None, "removed": None, "asks_again": False,
    }
