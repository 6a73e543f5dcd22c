"""docs/flows/deal.md is the deal machine's own drawing, never stale.

``bot/diagrams.py`` writes the flows' diagrams; until it also writes this one, regenerate it with
``.venv/bin/python -m tests.docs.test_deal_diagram``.
"""

from __future__ import annotations

from pathlib import Path

from flows.deal.stages import document

DEAL_DOC = Path(__file__).resolve().parents[2] / "docs" / "flows" / "deal.md"


def test_the_deal_diagram_in_docs_matches_the_live_machine() -> None:
    assert DEAL_DOC.read_text(encoding="utf-8") == document(), \
        "run .venv/bin/python -m tests.docs.test_deal_diagram"


def test_the_deal_diagram_shows_the_sample_branch_and_the_unpaid_close() -> None:
    text = document()

    assert "reply_sent --> sample_on_way: agree [is_sample_first]" in text
    assert "reply_sent --> agreed: agree [!is_sample_first]" in text
    assert "posted --> closed: close [is_unpaid_deal]" in text
    assert "posted --> closed: drop" not in text  # once posted, the money is owed


if __name__ == "__main__":
    DEAL_DOC.write_text(document(), encoding="utf-8")
