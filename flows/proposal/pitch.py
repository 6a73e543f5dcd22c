"""Read a pasted pitch: the terms it states, the scam signals in it, and what is weak in it.

The terms and scam signals are read by the same reader as a brand's message to a creator
(``flows/reading/``): the pitch is cut into clauses, and every pattern looks for a few words
inside one clause, so a reading takes time linear in the pitch's length. It is cached by text:
a decided check shows it again without reading it again. Each fact keeps the clause it came
from, so a rewrite can keep the brand's own words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from flows.reading.clauses import clauses, quoted, rx
from flows.reading.terms import CLAIMS, CONTENT, Fact, asked_for, scam_signals, terms, weighed
from flows.reading.terms import Signal as Weakness
from flows.snapshot import Answer

__all__ = ["Fact", "PitchReading", "Weakness", "clauses", "read_pitch"]


class PitchReading(BaseModel):
    """What a pitch says and what it lacks, scam signals first."""

    model_config = ConfigDict(frozen=True)

    facts: list[Fact]
    scams: list[Weakness]
    weaknesses: list[Weakness]

    def fact(self, code: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.code == code), None)

    def answers(self) -> dict[str, Answer]:
        """The creator review's answers the pitch states itself: of several clauses about one
        term, the one a creator weighs most (perpetual usage over paid ads over organic)."""
        return weighed(self.facts)


# --- what a creator would trip over, quoted -------------------------------------------------
QUOTED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("free_product_for_posts", rx(
        r"\b(?:in\s+exchange\s+for\s+(?:free\s+)?(?:product|products)|free\s+products?\s+"
        r"(?:for|in\s+return)|gifted\s+in\s+exchange)\b")),
    ("just_one_post", rx(
        r"\b(?:just\s+(?:one|a|1)\s+(?:quick\s+)?(?:post|video|story|reel)|one\s+quick\s+"
        r"(?:post|video)|quick\s+post)\b")),
    ("scripted", rx(
        r"\b(?:script|scripted|word\s+for\s+word|use\s+(?:the\s+|our\s+)?following\s+caption|"
        r"caption\s+(?:we|below)|shot\s+list|must\s+say|exact\s+wording)\b")),
    ("perpetual_usage", rx(
        r"\b(?:perpetu\w*|forever|unlimited\s+usage|all\s+media|full\s+usage\s+rights|"
        r"usage\s+in\s+all|irrevocabl\w*)\b")),
    ("claims", CLAIMS),
)
_GREETING = rx(r"^\s*(?:hi|hey|hello|dear|greetings)\b")
_FEE_WORDS = rx(r"\b(?:fees?|rates?|budget|pay\s+you|paying\s+you|compensation|retainer)\b")


@lru_cache(maxsize=256)
def read_pitch(text: str, creator_name: str) -> PitchReading:
    """The pitch's terms, its scam signals and its weaknesses, in the order a creator meets them.

    A weakness of absence ("no fee") is reported only when the pitch states no such term."""
    parts = clauses(text)
    scams = scam_signals(parts)  # in the pitch's order, each signal once
    hiding = any(scam.code == "scam_hide" for scam in scams)
    facts = terms(parts, hiding)
    if hiding:
        facts.append(Fact(code="label", quote=next(s.quote or "" for s in scams
                                                   if s.code == "scam_hide"),
                          value="brand_refuses"))
    if (ask := asked_for(facts)) is not None:
        facts.append(Fact(code="ask", quote=next(f.quote for f in facts
                                                 if f.code == "deliverables"), value=ask))
    found: list[Weakness] = []
    first_name = creator_name.split()[0].casefold() if creator_name.split() else ""
    if not first_name or first_name not in text.casefold():
        greeting = _GREETING.match(parts[0]) if parts else None
        found.append(Weakness(code="not_personal",
                              quote=quoted(parts[0]) if greeting and parts else None))
    if not any(CONTENT.search(clause) for clause in parts):
        found.append(Weakness(code="nothing_about_them"))
    codes = {fact.code for fact in facts}
    if "community_value" not in codes:
        found.append(Weakness(code="no_audience_value"))
    scam_quotes = {scam.quote for scam in scams}
    for code, pattern in QUOTED:
        shows = next((clause for clause in parts if pattern.search(clause)), None)
        if shows is not None and quoted(shows) not in scam_quotes:
            found.append(Weakness(code=code, quote=quoted(shows)))
    if "pay" not in codes and not any(_FEE_WORDS.search(clause) for clause in parts):
        found.append(Weakness(code="no_fee"))
    for code, term in (("no_deliverables", "deliverables"), ("no_dates", "dates"),
                       ("no_usage", "usage_rights"), ("no_exclusivity", "exclusivity"),
                       ("no_disclosure", "label")):
        if term not in codes:
            found.append(Weakness(code=code))
    return PitchReading(facts=facts, scams=scams, weaknesses=found)

