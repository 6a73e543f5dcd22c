"""docs/flows/deal.md is the deal machine's own drawing (``make diagrams`` writes it with the
flows' diagrams; tests/docs/test_diagrams.py finds it stale), and shows what matters."""

from __future__ import annotations

from flows.deal.stages import document


def test_the_deal_diagram_shows_the_sample_branch_and_the_unpaid_close() -> None:
    text = document()

    assert "reply_sent --> sample_on_way: agree [is_sample_first]" in text
    assert "reply_sent --> agreed: agree [!is_sample_first]" in text
    assert "posted --> closed: close [is_unpaid_deal]" in text
    assert "posted --> closed: drop" not in text  # once posted, the money is owed

