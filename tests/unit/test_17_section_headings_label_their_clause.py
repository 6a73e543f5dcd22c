"""Issue 17, a contract's headings misread in review: "Section 4 – Exclusivity: none" was cut
at its colon, so "Section 4 – Exclusivity" was read as a broad exclusivity of its own (a term
the brand never asked) and the "none" under it went unread; "5. Exclusivity – none" was read
the same way. A heading numbered as a section or a clause, ended by a colon or a dash, labels
the clause after it, as "9. Exclusivity." already did."""

from __future__ import annotations

import pytest

from flows.reading.clauses import clauses
from flows.reading.offer import read_offer


@pytest.mark.parametrize(("said", "clause"), [
    ("Section 5 – Cancellation: either party may cancel with 14 days' notice.",
     "Cancellation: either party may cancel with 14 days' notice"),
    ("5. Payment – net 30 from invoice.", "Payment: net 30 from invoice"),
    ("Clause 3 - Usage: organic only for 6 months.", "Usage: organic only for 6 months"),
    ("Section 4.2 — Exclusivity: none.", "Exclusivity: none"),
])
def test_a_section_heading_labels_its_clause(said: str, clause: str) -> None:
    assert clauses(said) == [clause]


@pytest.mark.parametrize("said", [
    "Section 4 – Exclusivity: none.", "5. Exclusivity – none.", "Section 4 - Exclusivity: n/a"])
def test_no_exclusivity_under_a_section_heading_is_none(said: str) -> None:
    assert [f.value for f in read_offer(said).of("exclusivity")] == ["none"]
    assert read_offer(said).answers()["exclusivity"] == "none"


def test_a_numbered_contract_with_dashes_reads_every_clause() -> None:
    answers = read_offer(
        "Section 3 – Fee: USD 2,000 in total.\nSection 4 – Usage: organic only, 6 months.\n"
        "5. Payment – net 45 from invoice.\nSection 6 – Revisions: two rounds.").answers()
    assert answers["usage_rights"] == "organic" and answers["payment_terms"] == "net60_plus"
    assert answers["revisions"] == "two_or_fewer"


def test_a_count_before_a_dash_is_no_heading() -> None:
    assert [f.detail for f in read_offer("2 Reels – $500 each, live by May 3.").of(
        "deliverables")] == ["2 reel"]
