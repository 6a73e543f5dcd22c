"""The reply the creator sends: its tone, switching to another kind of reply, and the export."""

from __future__ import annotations

from functools import cache

import pytest

from flows.machine import DECIDED
from tests.unit.conftest import (
    EXPORT,
    Talk,
    button_labels,
    decided,
    draft,
    reach,
    text_of,
    tone,
    walk,
)

BRAND, PRODUCT = "Northwind", "Trail Runner 3"
TONES = ("warm", "professional", "brief")


@cache
def accepted() -> Talk:
    return decided(brand=BRAND, product=PRODUCT)


@cache
def product_fine_fit_not() -> Talk:
    """The creator uses and likes the product; it just doesn't fit their community."""
    return decided(brand=BRAND, product=PRODUCT, community_fit="no")


@cache
def product_failed() -> Talk:
    """The creator tried the product and disliked it."""
    return walk(BRAND, PRODUCT, "none", "one_post", "exact", "$800", "$800", "none", "none",
                "disliked")


def drafts_in_every_tone(talk: Talk, kind: str | None = None) -> dict[str, str]:
    if kind is not None:
        talk = talk.then(draft(kind))
    return {name: talk.then(tone(name)).draft for name in TONES}


def test_the_three_tones_of_the_accept_draft_differ_and_name_brand_and_product() -> None:
    texts = drafts_in_every_tone(accepted())

    assert len(set(texts.values())) == 3
    for name, text in texts.items():
        assert f"({name} tone" in text
        assert BRAND in text
        assert PRODUCT in text
        assert "#ad" in text


DOOR_CLOSED_DECLINE = pytest.mark.regression(reason=(
    "Was: prompts/creator/drafts/decline.j2: the brief decline never names the product, and the "
    "warm decline names it only when the product was fine, so the brand cannot tell which "
    "offer is being declined"))


@pytest.mark.parametrize(("kind", "case", "name"), [
    *[(kind, "accepted", name) for kind in ("accept", "counter", "sample") for name in TONES],
    ("decline", "product_fine_fit_not", "warm"),
    ("decline", "product_fine_fit_not", "professional"),
    pytest.param("decline", "product_fine_fit_not", "brief", marks=DOOR_CLOSED_DECLINE),
    pytest.param("decline", "product_failed", "warm", marks=DOOR_CLOSED_DECLINE),
    ("decline", "product_failed", "professional"),
    pytest.param("decline", "product_failed", "brief", marks=DOOR_CLOSED_DECLINE),
])
def test_every_draft_in_every_tone_names_brand_and_product(kind: str, case: str,
                                                           name: str) -> None:
    talk = {"accepted": accepted, "product_fine_fit_not": product_fine_fit_not,
            "product_failed": product_failed}[case]()

    text = talk.then(draft(kind), tone(name)).draft

    assert BRAND in text
    assert PRODUCT in text


@pytest.mark.parametrize("kind", ["accept", "counter", "sample", "decline"])
def test_the_tones_differ_for_every_kind_of_draft(kind: str) -> None:
    assert len(set(drafts_in_every_tone(accepted(), kind).values())) == 3


def test_the_tone_buttons_offer_the_other_tones() -> None:
    labels = button_labels(accepted().replies[-1])
    assert "Tone: professional" in labels
    assert "Tone: brief" in labels
    assert "Tone: warm" not in labels  # already the tone shown

    labels = button_labels(accepted().then(tone("brief")).replies[-1])
    assert "Tone: warm" in labels
    assert "Tone: brief" not in labels


def test_switching_an_accept_to_a_decline_or_a_counter_offer() -> None:
    talk = accepted()

    declined = talk.then(draft("decline"))
    assert "Your reply: decline" in declined.draft
    assert "pass" in declined.draft
    assert declined.snapshot.answers == talk.snapshot.answers
    assert declined.step == DECIDED

    countered = talk.then(draft("counter"))
    assert "Your reply: counter-offer" in countered.draft
    assert "in writing" in countered.draft  # no term to push back on: ask for them in writing


def test_a_chosen_tone_and_draft_stay_when_the_other_changes() -> None:
    talk = accepted().then(tone("professional"), draft("decline"))

    assert "Your reply: decline (professional tone" in talk.draft
    assert "Hello Northwind team" in talk.draft


def test_tone_and_draft_do_nothing_before_a_decision() -> None:
    before = reach("tried")

    for event in (tone("brief"), draft("decline"), EXPORT):
        talk = before.then(event)
        assert talk.snapshot == before.snapshot
        assert "doesn't apply" in talk.last


def test_an_unknown_tone_or_draft_changes_nothing() -> None:
    before = accepted()

    for event in (tone("sarcastic"), draft("ghost")):
        talk = before.then(event)
        assert talk.snapshot == before.snapshot


# --- a decline that keeps the door open, or not -------------------------------------------------

def test_a_decline_keeps_the_door_open_when_the_product_is_fine_but_the_fit_is_not() -> None:
    talk = product_fine_fit_not()
    assert talk.verdict == "decline"

    for name, text in drafts_in_every_tone(talk).items():
        assert "Your reply: decline" in text
        assert "future" in text, name


def test_a_decline_does_not_invite_more_when_the_product_itself_failed() -> None:
    talk = product_failed()
    assert talk.verdict == "decline"

    for name, text in drafts_in_every_tone(talk).items():
        assert "Your reply: decline" in text
        assert "future" not in text, name
        assert "genuinely like" not in text, name


@pytest.mark.parametrize(("question", "answer"), [
    pytest.param("buyers_glad", "no", marks=pytest.mark.regression(reason=(
        "Was: flows/creator/decision.py product_is_fine ignores buyers_glad: when the creator "
        "says buyers would be disappointed by the product, the decline still says 'I genuinely "
        "like <product>' and asks the brand to keep them in mind"))),
])
def test_a_product_that_would_let_buyers_down_gets_no_open_door(question: str,
                                                                 answer: str) -> None:
    talk = decided(brand=BRAND, product=PRODUCT, **{question: answer})
    assert talk.verdict == "decline"

    assert "future" not in talk.draft
    assert "genuinely like" not in talk.draft


# --- the export ---------------------------------------------------------------------------------

def test_the_export_is_a_markdown_document_of_the_whole_decision() -> None:
    talk = decided(brand=BRAND, product=PRODUCT, usage_rights="perpetual").then(EXPORT)

    (document,) = talk.replies
    assert document.document is not None
    assert document.document.endswith(".md")
    text = text_of(document)
    assert f"# Halo Coach review: {BRAND}, {PRODUCT}" in text
    assert "**Recommendation:** negotiate" in text
    assert "12-month organic usage window" in text
    assert "- Use of your content: Perpetual / unlimited" in text
    assert "## Your reply (warm)" in text
