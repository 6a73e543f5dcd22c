"""Issue 17: "competing brands (Glossier, Milk Makeup) for 60 days" was read as a broad
exclusivity, and flagged, though it names the competitors it covers. Brands named in brackets
are the exclusivity's scope; without a list, "competing brands" is still broad."""

from __future__ import annotations

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


def test_competing_brands_named_in_brackets_are_named_competitors() -> None:
    shown = facts_shown("$900 for 1 reel. Creator shall not promote competing brands (Glossier, "
                        "Milk Makeup) for 60 days after posting.")
    assert "• Exclusivity: named competitors, 60 days" in shown
    assert "Clauses to push back on" not in shown


def test_competing_brands_unnamed_are_still_broad() -> None:
    shown = facts_shown("$900 for 1 reel. Creator shall not promote competing brands for 60 days "
                        "after posting.")
    assert "• Exclusivity: broad, 60 days" in shown
