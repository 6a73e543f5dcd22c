"""Typed answers: words, button labels, option numbers, amounts, and what happens when the bot
cannot place an answer (a friendly retry, nothing lost)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest
from markupsafe import escape

from flows.creator.questions import QUESTIONS
from flows.snapshot import Money
from prompts import catalogue, label, titles
from tests.unit.conftest import FLOW, Talk, button_labels, decided, html_of, reach

# the questions reached with these earlier answers (the default path asks all the others)
ROUTES: dict[str, dict[str, str]] = {"can_try_first": {"tried": "not_yet"}}


@cache
def at(question: str) -> Talk:
    """A review that now asks ``question`` (shared: a Talk is never changed, only continued)."""
    return reach(question, **ROUTES.get(question, {}))


def assert_kept(before: Talk, after: Talk) -> None:
    """Nothing answered was lost and the same question is asked again, with its buttons."""
    assert after.snapshot == before.snapshot
    assert after.asking == before.asking
    assert after.replies[-1].buttons == before.replies[-1].buttons
    assert after.replies[-1].context.get("question") == before.asking


# --- yes / no / not sure in the words people use ------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [
    ("yep", "yes"), ("Yes", "yes"), ("YES!", "yes"), ("Yes, I use it daily", "yes"),
    ("yeah", "yes"), ("of course", "yes"), ("👍", "yes"),
    ("nope", "no"), ("No.", "no"), ("nah", "no"), ("not really", "no"), ("no, never", "no"),
    ("not sure", "unsure"), ("Not sure", "unsure"), ("maybe", "unsure"),
    ("I don't know", "unsure"), ("idk", "unsure"), ("🤷", "unsure"),
])
def test_yes_no_and_unsure_in_common_words(typed: str, meant: str) -> None:
    talk = at("use_unpaid").then(typed)

    assert talk.answers["use_unpaid"] == meant
    shown = {"yes": "Yes", "no": "No", "unsure": "Not sure"}[meant]
    assert f"Would use it unpaid: {shown} ✓" in talk.everything


def test_a_yes_with_more_words_answers_tried_as_regular_use() -> None:
    talk = at("tried").then("Yes, I use it daily")

    assert talk.answers["tried"] == "regularly"
    assert "Tried it: I already use it ✓" in talk.everything


@pytest.mark.regression(reason=(
    "Was: flows/questions.py parse_choice (prefix rule): a negated answer is read by its first "
    "word: 'definitely not' / 'absolutely not' / 'of course not' are stored as YES, which "
    "silently opens the 'use it unpaid' gate"))
@pytest.mark.parametrize("typed", ["definitely not", "absolutely not", "of course not"])
def test_a_negated_yes_is_never_read_as_yes(typed: str) -> None:
    talk = at("use_unpaid").then(typed)

    assert talk.answers.get("use_unpaid") != "yes"


@pytest.mark.regression(reason=(
    "Was: flows/questions.py parse_choice (prefix rule) with flows/creator/questions.py "
    "aliases: 'No idea' to the label question is read as 'brand_refuses' (a gate: the review "
    "ends in decline); 'I don't know' to community_fit is read as 'no' (a deal-breaker)"))
@pytest.mark.parametrize(("question", "typed", "wrong"), [
    ("label", "No idea", "brand_refuses"),
    ("community_fit", "I don't know", "no"),
    ("community_fit", "No idea", "no"),
])
def test_not_knowing_is_never_read_as_a_no(question: str, typed: str, wrong: str) -> None:
    talk = at(question).then(typed)

    assert talk.answers.get(question) != wrong


# --- every button label, typed, selects its option ---------------------------------------------

LABELLED = [(q.id, option.id) for q in QUESTIONS.questions for option in q.options]


def test_every_option_label_in_the_catalogue_belongs_to_a_real_option() -> None:
    options = {f"{question}.{option}" for question, option in LABELLED}
    keys = [key for key in catalogue(FLOW)
            if key.partition(".")[0] in QUESTIONS.by_id and not key.startswith("edit.")]

    assert keys
    assert [key for key in keys if key not in options] == []


@pytest.mark.parametrize(("question", "option"), LABELLED,
                         ids=[f"{q}.{o}" for q, o in LABELLED])
def test_typing_a_button_label_selects_that_option(question: str, option: str) -> None:
    shown = label(FLOW, f"{question}.{option}")
    before = at(question)
    assert shown in button_labels(before.replies[-1])  # the label is really on a button

    talk = before.then(shown)

    assert talk.answers.get(question) == option, f"{shown!r} was not read as {option!r}"
    assert f"{titles(FLOW)[question]}: {shown} ✓" in talk.everything


@pytest.mark.parametrize(("question", "option"), LABELLED,
                         ids=[f"{q}.{o}" for q, o in LABELLED])
def test_a_label_typed_in_lower_case_selects_that_option(question: str, option: str) -> None:
    talk = at(question).then(label(FLOW, f"{question}.{option}").lower())

    assert talk.answers.get(question) == option


CHOICES = [q.id for q in QUESTIONS.questions if q.kind == "choice" and q.numbered]


def test_on_a_count_a_typed_number_is_the_count_not_an_option() -> None:
    assert at("revisions").then("2").answers["revisions"] == "two_or_fewer"
    assert "revisions" not in at("revisions").then("3").answers  # asked again, not "not stated"


@pytest.mark.parametrize("question", CHOICES)
def test_an_option_number_selects_that_option(question: str) -> None:
    options = QUESTIONS.by_id[question].option_ids()

    for number, option in enumerate(options, start=1):
        assert at(question).then(str(number)).answers[question] == option


@pytest.mark.parametrize("question", CHOICES)
def test_a_number_that_is_not_an_option_is_explained(question: str) -> None:
    before = at(question)
    count = len(QUESTIONS.by_id[question].options)

    talk = before.then(str(count + 1))

    assert_kept(before, talk)
    assert "That number isn't one of the options" in talk.last


# --- amounts -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "amount", "currency", "shown"), [
    ("$1,500", "1500", "USD", "$1,500"),
    ("1500 EUR", "1500", "EUR", "€1,500"),
    ("€2k", "2000", "EUR", "€2,000"),
    ("1.5k usd", "1500", "USD", "$1,500"),
    ("£900", "900", "GBP", "£900"),
    ("1.500,50 €", "1500.50", "EUR", "€1,500.50"),
    ("CAD 2,000", "2000", "CAD", "2,000 CAD"),
    ("$1,500 for three posts", "1500", "USD", "$1,500"),
])
def test_amounts_as_people_type_them(typed: str, amount: str, currency: str, shown: str) -> None:
    talk = at("pay").then(typed)

    assert talk.answers["pay"] == Money(amount=Decimal(amount), currency=currency)
    assert f"What they pay: {shown} ✓" in talk.everything
    assert talk.asking == "usual_rate"


def test_the_usual_rate_takes_the_fee_currency_when_none_is_typed() -> None:
    talk = reach("usual_rate", pay="€2k").then("1800")

    assert talk.answers["usual_rate"] == Money(amount=Decimal(1800), currency="EUR")


def test_product_only_can_be_typed_or_pressed() -> None:
    for typed in ("product_only", "Product only, no fee", "product only", "1"):
        talk = at("pay").then(typed)
        assert talk.answers["pay"] == "product_only", typed
        assert talk.asking == "usual_rate"  # the fee a counter-offer asks for


@pytest.mark.parametrize("typed", ["lots", "a fair amount", "$0", "200000000 USD"])
def test_an_unreadable_or_impossible_amount_is_asked_again(typed: str) -> None:
    before = at("pay")

    talk = before.then(typed)

    assert_kept(before, talk)
    assert "couldn't read that as an amount" in talk.last
    assert "Product only, no fee" in button_labels(talk.replies[-1])


@pytest.mark.regression(reason=(
    "Was: flows/questions.py parse_money takes the first number in the text: "
    "'3 posts for $1,500' is stored as $3, not $1,500"))
def test_the_amount_is_the_number_next_to_the_currency() -> None:
    talk = at("pay").then("3 posts for $1,500")

    assert talk.answers["pay"] == Money(amount=Decimal(1500), currency="USD")


@pytest.mark.regression(reason=(
    "Was: flows/questions.py parse_money: '2 million' is stored as $2 (the word is ignored)"))
def test_a_spelled_out_million_is_not_read_as_two_dollars() -> None:
    talk = at("pay").then("2 million")

    assert talk.answers.get("pay") != Money(amount=Decimal(2), currency="USD")


@pytest.mark.regression(reason=(
    "Was: flows/questions.py parse_choice: '0' is a declared alias of pay.product_only "
    "(flows/creator/questions.py) but digits are read as an option number first, so '0' gets "
    "'I couldn't read that as an amount'"))
def test_zero_pay_means_product_only() -> None:
    assert at("pay").then("0").answers.get("pay") == "product_only"


# --- answers the bot cannot place --------------------------------------------------------------

def test_done_with_nothing_ticked_says_once_what_to_do() -> None:
    """Issue 15: "Tick at least one, then tap Done." was followed by "Tap one of the buttons"."""
    talk = at("warning_signs").then("done")
    assert talk.asking == "warning_signs"
    said = html_of(talk.replies[-1])
    assert "Tick at least one, then tap Done." in said
    assert "Tap one of the buttons" not in said
    assert "Pick at least one by its number, then type done." in talk.last
    assert "Type the number of a choice" not in talk.last


def test_an_unplaceable_choice_gets_a_friendly_retry_with_the_options_again() -> None:
    before = at("tried")

    talk = before.then("purple elephant")

    assert_kept(before, talk)
    assert "I'm not sure which answer that is." in talk.last
    assert "Tap one of the buttons, or type its number." in html_of(talk.replies[-1])
    assert "Type the number of a choice, or your answer." in talk.last  # the terminal's words
    assert "Have you tried Acme's Protein bar?" in talk.last
    assert button_labels(talk.replies[-1])[:4] == [
        "I already use it", "Tried it once or twice", "Not yet", "Tried it, didn't like it"]


@pytest.mark.parametrize(("question", "typed", "says"), [
    ("brand", "", "I didn't catch an answer there."),
    ("brand", "   \n\t  ", "I didn't catch an answer there."),
    ("brand", "\u200b\u200c\u200d\ufeff", "I didn't catch an answer there."),
    ("brand", "A" * 4000, "That's a bit long"),
    ("product", "word " * 800, "That's a bit long"),
    ("tried", "", "I didn't catch an answer there."),
    ("tried", "   ", "I didn't catch an answer there."),
    ("tried", "🙂", "I'm not sure which answer that is."),
    ("tried", "blah " * 800, "I'm not sure which answer that is."),
    ("tried", "<b>yes</b>", "I'm not sure which answer that is."),
    ("pay", "", "couldn't read that as an amount"),
    ("pay", "9" * 4000, "couldn't read that as an amount"),
    ("pay", "💰💰💰", "couldn't read that as an amount"),
])
def test_odd_input_is_answered_kindly_and_nothing_is_lost(question: str, typed: str,
                                                          says: str) -> None:
    before = at(question)

    talk = before.then(typed)

    assert_kept(before, talk)
    assert says in talk.last


@pytest.mark.parametrize(("typed", "stored"), [
    ("🔥 Glow 🔥", "🔥 Glow 🔥"),
    ("شركة النور", "شركة النور"),
    ("\u202eAcme", "Acme"),  # a right-to-left override cannot flip what follows
    ("Ac\u200bme\u200d", "Acme"),
    ("  Acme \n  Labs  ", "Acme Labs"),
    ("Ac\x00me\x07", "Acme"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("**Acme** _Labs_ [x](http://x)", "**Acme** _Labs_ [x](http://x)"),
    ("A" * 80, "A" * 80),
])
def test_odd_but_real_names_are_stored_sanely_and_shown_safely(typed: str, stored: str) -> None:
    talk = at("brand").then(typed)

    assert talk.answers["brand"] == stored
    assert talk.asking == "product"
    assert f"What would you be promoting for {stored}?" in talk.last
    assert str(escape(stored)) in html_of(talk.replies[-1])  # shown as typed, never as markup


def test_an_emoji_and_rtl_brand_reaches_the_card_and_the_draft_intact() -> None:
    talk = decided(brand="🌿 شركة النور")

    assert "🌿 شركة النور · Protein bar" in talk.card
    assert "Hi 🌿 شركة النور team" in talk.draft


def test_a_text_answer_of_exactly_the_limit_is_taken_and_one_more_is_not() -> None:
    assert at("product").then("P" * 120).answers["product"] == "P" * 120
    before = at("product")
    assert_kept(before, before.then("P" * 121))


@pytest.mark.parametrize(("question", "text", "option"), [
    ("tried", "tried it and didn't like it", "disliked"),
    ("tried", "I tried it and did not like it", "disliked"),
    ("tried", "we tried it once and loved it", "once"),
    ("claims", "yes but i cant back them up", "cannot_back"),
    ("claims", "yes, but I can back them", "can_back"),
])
def test_everyday_variants_of_an_option_are_understood(question: str, text: str,
                                                       option: str) -> None:
    from flows.questions import parse_choice

    assert parse_choice(QUESTIONS.by_id[question], text) == option


def test_a_phrase_after_a_negation_places_nothing() -> None:
    from flows.questions import Unplaceable, parse_choice

    with pytest.raises(Unplaceable):
        parse_choice(QUESTIONS.by_id["claims"], "i don't think i can back them")
