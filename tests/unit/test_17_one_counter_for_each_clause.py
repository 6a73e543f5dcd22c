"""Issue 17: the clause review told the creator to paste back 30 days of exclusivity while the
counter-offer drafted for the same message proposed up to 3 months, and its payment clause
asked for a late fee where the counter asked for a kill fee: the coach contradicted itself
between two messages. Over every message of the labelled corpus, each clause to paste back and
the counter's point on the same term propose the same thing (how long, paid use, the kill fee,
payment days, revisions)."""

from __future__ import annotations

import re

import pytest

from flows.creator.fixing import reading_of
from flows.reading.amounts import durations, payment_days
from flows.reading.review import offer_context
from prompts import html_to_text, render, render_text
from tests.unit.offer_corpus import OFFERS
from tests.unit.test_17_counter_never_asks_more_than_the_brand import SHORT
from tests.unit.test_drafts_from_messages import READ, TONES, begun_from, drafted, finished

# the terms both speak of, by the heading each gives its clause or point
TOPICS = ("Usage", "Ads from my account", "Exclusivity", "Payment", "Revisions")
POINT = re.compile(r"^- (" + "|".join(TOPICS) + r")(?: \(you proposed [^)]*\))?: (.*)$", re.M)
CLAUSE = re.compile(r"^(" + "|".join(TOPICS) + r"): (.*)$", re.M)


def proposal(topic: str, words: str) -> dict[str, object]:
    """What a clause or a point proposes, as a creator would compare them."""
    if topic == "Payment":
        return {"payment days": payment_days(words.replace(" of delivering", "")),
                "kill fee": "kill fee" in words}
    if topic == "Revisions":
        return {"two rounds": "two rounds" in words}
    words = words.split(", at ")[0]  # the counter's price, which the clause leaves to fill in
    return {"lengths": sorted(length.days for length in durations(words)),
            "up to": "up to" in words}


def both(name: str, tone: str) -> list[tuple[str, str, str]]:
    """Each term the clause review and the counter both speak of: (term, clause, point)."""
    snapshot = finished(name)
    reading = reading_of(snapshot)
    assert reading is not None
    review = html_to_text(render("reading/offer.j2", offer_context(reading)))
    draft, summary = drafted(snapshot, tone, "counter")
    if summary["decision"]["verdict"] != "negotiate":
        return []
    clauses = dict(CLAUSE.findall(review))
    points = dict(POINT.findall(draft))
    return [(topic, clauses[topic], points[topic]) for topic in TOPICS
            if topic in clauses and topic in points]


@pytest.mark.parametrize("name", [offer.name for offer in READ])
def test_the_clause_to_paste_back_and_the_counter_propose_the_same_terms(name: str) -> None:
    for tone in TONES:
        for topic, clause, point in both(name, tone):
            ours, theirs = proposal(topic, clause), proposal(topic, point)
            for what in ours:
                assert ours[what] == theirs[what], \
                    f"{name} ({tone}), {topic}: {what}\n  clause: {clause}\n  counter: {point}"


def test_the_corpus_holds_every_term_both_speak_of() -> None:
    """The check above compares something for each term: a corpus message has it in both."""
    seen = {topic for offer in READ for topic, _, _ in both(offer.name, "warm")}
    assert seen == set(TOPICS)


def test_the_readme_offer_gets_one_exclusivity_window_in_both_messages() -> None:
    text = next(offer.text for offer in OFFERS if offer.name == "agency unlimited revisions")
    assert "12 months" in text  # a long exclusivity the coach shortens to its own window
    found = {topic: (clause, point) for topic, clause, point in both(
        "agency unlimited revisions", "warm")}
    clause, point = found["Exclusivity"]
    assert "for up to 3 months from first posting" in clause
    assert "for up to 3 months, at" in point


def test_a_counter_kept_in_history_before_the_rule_still_keeps_the_brands_lengths() -> None:
    snapshot = begun_from(SHORT, usage_rights="limited_paid", exclusivity="long_vague")
    _, summary = drafted(snapshot, "warm", "counter")
    old = {key: value for key, value in summary["decision"].items() if key != "windows"}
    kept = {**summary, "decision": {**old, "kept_lengths": {"paid_use": 30, "exclusivity": 60}}}
    draft = render_text("common/draft_text.j2", {"flow": "creator", **kept})
    assert "1 month of paid use" in draft and "competitors, for 2 months" in draft
