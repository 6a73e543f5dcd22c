"""Issue 17, a contract's numbered heading misread in review: "9. Exclusivity." was read as an
exclusivity of its own, quoted as "Exclusivity" and flagged as broad, before the clause under it
had said anything. A heading names a term; the clause under it states it, and is what the facts
message quotes (and a draft answers)."""

from __future__ import annotations

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


def test_the_clause_under_a_numbered_heading_is_the_one_quoted() -> None:
    shown = facts_shown(
        "3. Exclusivity. Creator shall not promote Glossier or Milk Makeup (named competitors) "
        "for 60 days after posting.\n4. Fee. Brand shall pay Creator $2,400 for one (1) TikTok.")
    assert ('• Exclusivity: named competitors, 60 days "Exclusivity: Creator shall not promote'
            in shown)
    assert '"Exclusivity"' not in shown


def test_a_heading_with_nothing_under_it_is_no_exclusivity() -> None:
    for said in ("4. Exclusivity.\n5. Fee. Brand pays Creator $500 for one (1) reel.",
                 "Exclusivity.\nFee: $500 for one reel."):
        shown = facts_shown(said)
        assert "• Exclusivity" not in shown
        assert "Not in the message:" in shown and "exclusivity," in shown


def test_a_numbered_contract_still_reads_every_clause() -> None:
    shown = facts_shown(
        "8. Term. This Agreement shall automatically renew for successive 12-month periods.\n"
        "9. Exclusivity. During the Term, Talent shall not work with any competitor of Brand.\n"
        "11. Usage. Brand may use the Content in all media worldwide in perpetuity.")
    assert '• Usage: with no end "Usage: Brand may use the Content' in shown
    assert '• Exclusivity: broad "Talent shall not work with any competitor of Brand"' in shown
    assert '• Renews automatically "Term: This Agreement shall automatically renew' in shown
