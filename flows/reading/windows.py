"""What the coach proposes instead of a brand's term, decided once for the two places that
propose it: the clause review's wording to paste back (``prompts/reading/flag.j2``) and the
counter-offer's points (``prompts/creator/asks.j2``), so the coach never offers two different
terms for one clause.

- a right given for a time (paid use of the content, ads from the creator's account,
  exclusivity) is given for the brand's own length when no longer than the coach's most
  (``MOST_DAYS``), else for the coach's most: never longer than the brand asked;
- use with no end is countered with ``ORGANIC_DAYS`` of organic use, paid use priced apart;
- a kill fee of ``KILL_SHARE`` of the fee, unless the brand's message offers its own.

Payment (30 days from delivery) and revisions (two rounds) are said in the same words by both
templates; tests/unit/test_17_one_counter_for_each_clause.py checks every term agrees.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flows.reading.amounts import durations
from flows.reading.offer import OfferReading
from flows.reading.terms import Fact
from flows.snapshot import Answer

Right = Literal["paid_use", "whitelisting", "exclusivity"]

MONTH_DAYS = 30
MOST_DAYS: dict[Right, int] = {"paid_use": 3 * MONTH_DAYS, "whitelisting": 3 * MONTH_DAYS,
                               "exclusivity": 3 * MONTH_DAYS}
ORGANIC_DAYS = 12 * MONTH_DAYS
KILL_SHARE = Decimal("0.5")


class Window(BaseModel):
    """How long a right is given: ``days``, and whether that is the brand's own length
    (``theirs``: said as it is) or the coach's most ("up to ...")."""

    model_config = ConfigDict(frozen=True)

    days: int
    theirs: bool = False


def window(right: Right, asked: int | None) -> Window:
    """The brand's own length when no longer than the coach's most, else the coach's most."""
    most = MOST_DAYS[right]
    if asked is not None and 0 < asked <= most:
        return Window(days=asked, theirs=True)
    return Window(days=most)


def asked_lengths(reading: OfferReading, answers: Mapping[str, Answer]) -> dict[str, int]:
    """How long the message asks for each right the coach gives for a time, in days (the
    longest it states), counting only what the review's answers still hold (a fact the creator
    corrected away is not the brand's ask any more)."""
    paid = [f for f in reading.of("usage_rights") if f.value in ("limited_paid", "whitelisting")]
    sources: dict[Right, list[Fact]] = {
        "paid_use": paid if answers.get("usage_rights") == "limited_paid" else [],
        "whitelisting": [*reading.of("whitelisting"), *paid],
        "exclusivity": [f for f in reading.of("exclusivity")
                        if f.value is None or answers.get("exclusivity") == f.value],
    }
    lengths: dict[str, int] = {}
    for right, facts in sources.items():
        days = [length.days for fact in facts if fact.term for length in durations(fact.term)]
        if days:
            lengths[right] = max(days)
    return lengths


def windows(lengths: Mapping[str, int]) -> dict[str, Window]:
    """Every right's window, for the brand's lengths (days, by right), and the organic use that
    counters use with no end ("organic")."""
    given: dict[str, Window] = {right: window(right, lengths.get(right)) for right in MOST_DAYS}
    return {**given, "organic": Window(days=ORGANIC_DAYS)}


def kill_percent() -> int:
    """The kill fee asked for, as a share of the fee in percent."""
    return int(KILL_SHARE * 100)
