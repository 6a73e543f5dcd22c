"""Issue 17: a decline for the terms named at most three of the brand's terms it refused, as if
they were the whole list, so a brand that fixed those three would come back to a second no. A
decline names every term the counter-offer would have asked to change, briefly, and a clause
read from its heading alone ("9. Exclusivity.") is named by what it says, not by its heading."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_drafts_from_messages import READ, TONES, drafted, finished

PROPOSED = re.compile(r"\(you proposed ([^)]+)\)")


def test_a_decline_names_all_four_terms_of_a_contract_that_asks_too_much() -> None:
    snapshot = finished("contract auto renewal")  # perpetual use, any competitor, revisions
    for tone in TONES:                               # on request, automatic renewal
        decline, summary = drafted(snapshot, tone, "decline")
        assert summary["decline_reason"] == "terms"
        assert "(use of the content with no end date, \"Talent shall not work with any " \
               "competitor of Brand\", unlimited revisions and renewing automatically)" in decline
        assert '"Exclusivity"' not in decline


@pytest.mark.parametrize("name", [offer.name for offer in READ])
def test_a_decline_for_the_terms_names_each_one_the_counter_answers(name: str) -> None:
    snapshot = finished(name)
    counter, _ = drafted(snapshot, "warm", "counter")
    for tone in TONES:
        decline, summary = drafted(snapshot, tone, "decline")
        if summary["decline_reason"] != "terms":
            continue
        for term in PROPOSED.findall(counter):
            assert term in decline, f"{name} ({tone}): {term} not named"
