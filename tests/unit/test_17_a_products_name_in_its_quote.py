"""Issue 17, a product quoted without its name, found in review: a long sentence that names the
product late ("we've loved your recipes for ages and would love to send you our Ember cast iron
skillet") was quoted from its start, and the facts message shows a quote's first words, so the
quote stopped before the product it was meant to show. A product's quote (and the gift's, in
the same words) now starts at the words that offer it when the sentence runs long before them."""

from __future__ import annotations

from flows.reading.offer import read_offer
from flows.reading.review import offer_context
from prompts import html_to_text, render


def facts_shown(text: str) -> str:
    return html_to_text(render("reading/offer.j2", offer_context(read_offer(text))))


def product_line(text: str) -> str:
    return next(line for line in facts_shown(text).splitlines() if line.startswith("• Product:"))


LATE = ("Hi Maya, we have loved your weeknight recipes for ages and we would love to send you "
        "our Ember cast iron skillet for 1 reel, $900.")


def test_a_product_named_late_in_a_long_sentence_is_in_its_quote() -> None:
    line = product_line(LATE)
    assert line.startswith("• Product: Ember cast iron skillet")
    assert '"send you our Ember cast iron skillet for 1 reel"' in line


def test_the_gift_in_the_same_words_is_not_quoted_again_from_the_start() -> None:
    shown = facts_shown(LATE)
    assert "• Product sent to you free\n" in shown  # its quote is the product's, shown once


def test_a_product_named_early_keeps_the_whole_clause_as_its_quote() -> None:
    line = product_line(
        "Hi! We're Lumen Tea. We'd love to send you our new Matcha Glow tin for 1 reel, $400.")
    assert '"We\'d love to send you our new Matcha Glow tin for 1 reel"' in line
