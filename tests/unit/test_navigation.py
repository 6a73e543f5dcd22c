"""Moving around a review: Back, edit from the review step, Skip, Restart, Cancel, and progress."""

from __future__ import annotations

import pytest

from flows.machine import CANCELLED, DECIDED, REVIEW
from tests.unit.conftest import (
    BACK,
    BEGIN,
    CANCEL,
    CONFIRM,
    RESTART,
    SKIP,
    button_labels,
    decided,
    edit,
    progress_lines,
    reach,
    review,
    walk,
)

# --- Back --------------------------------------------------------------------------------------


def test_back_undoes_the_last_answer_and_asks_it_again() -> None:
    talk = walk("Acme", "Protein bar")
    assert talk.asking == "category"

    back = talk.then(BACK)

    assert back.asking == "product"
    assert "product" not in back.answers
    assert back.answers["brand"] == "Acme"
    assert "What would you be promoting for Acme?" in back.last
    again = back.then("Oat bar")
    assert again.answers["product"] == "Oat bar"
    assert again.asking == "category"


def test_back_twice_walks_back_two_answers() -> None:
    talk = walk("Acme", "Protein bar", "none").then(BACK, BACK)

    assert talk.asking == "product"
    assert set(talk.answers) == {"brand", "signature"}  # the name came from Telegram


def test_back_on_the_first_question_says_so_and_keeps_the_state() -> None:
    start = walk()

    talk = start.then(BACK)

    assert talk.snapshot == start.snapshot
    assert "nothing to go back to" in talk.last
    assert "Which brand is behind the offer?" in talk.last


def test_the_first_question_offers_no_back_button_and_later_ones_do() -> None:
    assert "⬅️ Back" not in button_labels(walk().replies[-1])
    assert "⬅️ Back" in button_labels(walk("Acme").replies[-1])


def test_back_from_the_review_reopens_the_last_question() -> None:
    talk = review().then(BACK)

    assert talk.asking == "claims"
    assert "claims" not in talk.answers
    assert "Would you have to make claims about Acme's Protein bar?" in talk.last


def test_back_over_a_skipped_question_asks_it_again() -> None:
    talk = reach("usual_rate").then(SKIP)
    assert talk.asking == "money_pressure"
    assert "Your usual rate: skipped" in talk.everything

    back = talk.then(BACK)
    assert back.asking == "usual_rate"
    assert "usual_rate" not in back.answers


def test_change_my_answers_after_the_recommendation_returns_to_the_review() -> None:
    talk = decided()
    assert "✏️ Change my answers" in button_labels(talk.replies[-1])

    back = talk.then(BACK)

    assert back.step == REVIEW
    assert back.answers == talk.answers
    assert "Here's what you told me." in back.last


def test_back_after_a_gate_decision_asks_the_gate_question_again() -> None:
    talk = reach("use_unpaid").then("no")
    assert talk.step == DECIDED

    back = talk.then(BACK)

    assert back.asking == "use_unpaid"
    assert "use_unpaid" not in back.answers
    assert back.then("yes").asking == "recommend_friend"


# --- Skip --------------------------------------------------------------------------------------


def test_a_required_question_cannot_be_skipped() -> None:
    before = reach("tried")

    talk = before.then(SKIP)

    assert talk.snapshot == before.snapshot
    assert "needs an answer" in talk.last
    assert "Have you tried Acme's Protein bar?" in talk.last


# --- Edit from the review step -----------------------------------------------------------------


def test_editing_an_answer_shows_the_old_one_and_returns_to_the_review() -> None:
    talk = review().then(edit("money_pressure"))

    assert talk.asking == "money_pressure"
    assert "it was: Not at all" in talk.last

    changed = talk.then("a_lot")

    assert changed.step == REVIEW
    assert "Money pressure: A lot, I need it" in changed.last
    assert changed.answers["money_pressure"] == "a_lot"


def test_editing_a_text_answer_changes_it_everywhere() -> None:
    talk = review().then(edit("brand"), "Zenith Foods", CONFIRM)

    assert "Zenith Foods · Protein bar" in talk.card
    assert "Hi Zenith Foods team" in talk.draft
    assert "Acme" not in talk.card + talk.draft


def test_back_while_editing_keeps_the_answer_and_returns_to_the_review() -> None:
    start = review()

    talk = start.then(edit("voice"), BACK)

    assert talk.step == REVIEW
    assert talk.answers == start.answers


def test_editing_to_gifted_only_drops_the_fee_from_the_review_and_the_decision() -> None:
    paid = review()
    assert "What they pay: $1,500" in paid.last

    gifted = paid.then(edit("ask"), "gifted_only")
    assert gifted.asking == "relationship"  # no longer settled by "ongoing"
    gifted = gifted.then("lasting")

    assert gifted.step == REVIEW
    assert "What they ask for: Gifted product, posts expected" in gifted.last
    assert "What they pay:" not in gifted.last
    assert "✏️ What they pay" not in button_labels(gifted.replies[-1])
    decision = gifted.then(CONFIRM)
    assert "pay.fair" not in decision.reason_codes
    assert "gifted_only" in decision.flag_codes


@pytest.mark.regression(reason=(
    "Was: flows/questions.py When.holds/QuestionSet.asked: usual_rate and payment_terms depend "
    "on pay, which the gifted path no longer asks, yet they stay on the path: the review lists "
    "them, progress says 'of 23' instead of 'of 21', and a payment-terms flag is still raised"))
def test_editing_to_gifted_only_drops_every_pay_question_from_the_path() -> None:
    paid = review(payment_terms="net60_plus")
    assert "Question 1 of 22" in paid.then(edit("brand")).last

    gifted = paid.then(edit("ask"), "gifted_only", "lasting")

    for title in ("What they pay:", "Payment terms:"):
        assert title not in gifted.last
    assert "Question 1 of 21" in gifted.then(edit("brand")).last  # and "one post or more?"
    assert "payment_terms.net60_plus" not in gifted.then(CONFIRM).flag_codes


def test_editing_tried_to_not_yet_asks_the_new_question_then_returns_to_the_review() -> None:
    talk = review().then(edit("tried"), "not_yet")

    assert talk.asking == "can_try_first"
    done = talk.then("yes", "unsure")  # would you use it unpaid: no longer settled
    assert done.step == REVIEW
    assert "Can try it first: Yes" in done.last
    assert "Usage rights:" not in done.last  # the contract waits until after the sample


def test_editing_into_a_gate_goes_straight_to_the_decline() -> None:
    talk = review().then(edit("recommend_friend"), "no")

    assert talk.step == DECIDED
    assert talk.verdict == "decline"


def test_an_edit_cannot_open_a_question_this_path_does_not_ask() -> None:
    gifted = review(ask="gifted_only")

    talk = gifted.then(edit("pay"))

    assert talk.snapshot == gifted.snapshot
    assert "doesn't apply" in talk.last


@pytest.mark.regression(reason=(
    "Was: flows/machine.py transitions_for: after an edit opens the pay branch, ask_usual_rate "
    "has no transition to ask_payment_terms, so the answer is refused and the review is stuck"))
def test_editing_a_gifted_offer_into_a_paid_one_asks_the_new_pay_questions() -> None:
    talk = review(ask="gifted_only").then(edit("ask"), "one_post", "$1,000")

    assert talk.asking == "payment_terms"  # the usual rate was already asked for the gift
    assert talk.then("net30").step == REVIEW


@pytest.mark.regression(reason=(
    "Was: flows/machine.py transitions_for: editing pay from 'product only' to an amount, "
    "then skipping the usual rate, is refused ('That doesn't apply at this step')"))
def test_editing_product_only_pay_into_a_fee_asks_the_new_pay_questions() -> None:
    talk = review(pay="product_only").then(edit("pay"), "$2,000", SKIP)

    assert talk.asking == "payment_terms"
    assert talk.then("net30").step == REVIEW


# --- Restart and Cancel ------------------------------------------------------------------------


def test_restart_starts_over_from_the_first_question() -> None:
    talk = review(brand="Acme").then(RESTART)

    assert talk.asking == "brand"
    assert talk.answers == {"signature": "Maya"}  # the name to sign with stays
    assert "Question 1 of" in talk.last
    assert "nothing to go back to" in talk.then(BACK).last


def test_cancel_stops_the_review_and_offers_a_new_one() -> None:
    talk = walk("Acme", "Protein bar").then(CANCEL)

    assert talk.step == CANCELLED
    assert "Review cancelled" in talk.last
    assert "Nothing was sent" in talk.last
    assert "🆕 Review another offer" in button_labels(talk.replies[-1])


def test_typing_after_cancel_explains_and_changes_nothing() -> None:
    cancelled = walk("Acme").then(CANCEL)

    talk = cancelled.then("Protein bar")

    assert talk.snapshot == cancelled.snapshot
    assert "cancelled" in talk.last


def test_a_new_review_after_cancel_starts_fresh() -> None:
    talk = walk("Acme").then(CANCEL, BEGIN)

    assert talk.asking == "brand"
    assert talk.answers == {"signature": "Maya"}  # only the name Telegram gives


# --- Progress ----------------------------------------------------------------------------------


def test_progress_counts_one_more_per_answer_up_to_the_paid_path_total() -> None:
    talk = review()

    shown = progress_lines(talk.texts)
    assert [n for n, _ in shown] == list(range(1, 23))
    assert shown[-1] == (22, 22)  # the name to sign with comes from Telegram, not asked


def test_the_longest_path_is_no_longer_than_24_answers() -> None:
    talk = review(ask="one_post", relationship="one_off")

    assert progress_lines(talk.texts)[-1] == (23, 23)  # 24 with the name typed in a terminal


def test_the_gifted_only_path_has_fewer_questions_and_says_so() -> None:
    talk = review(ask="gifted_only")

    shown = progress_lines(talk.texts)
    assert [n for n, _ in shown] == list(range(1, 22))
    assert shown[-1] == (21, 21)
    assert all(total == 21 for _, total in shown[10:])  # once "I already use it" is known


def test_a_question_the_path_opens_is_counted_from_then_on() -> None:
    talk = review(tried="not_yet")

    shown = progress_lines(talk.texts)
    assert [n for n, _ in shown] == list(range(1, 21))
    assert shown[-1] == (20, 20)  # can_try_first and use_unpaid open; the contract waits


def test_a_refused_answer_does_not_move_progress() -> None:
    talk = reach("tried")
    before = progress_lines([talk.last])

    assert progress_lines([talk.then("purple elephant").last]) == before
