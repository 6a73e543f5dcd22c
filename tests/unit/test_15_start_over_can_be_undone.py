"""Issue 15: "start over" of a review with answers loses nothing for good: the first question of
the new review says so and carries an Undo that brings the old review back as it was, until the
new one moves on (or for a day)."""

from __future__ import annotations

import io
from datetime import timedelta

from bot.console import run_chat
from flows.engine import REOPEN_WITHIN
from flows.machine import REVIEW
from flows.replies import Event
from prompts import render_text

from .conftest import (
    BACK,
    CANCEL,
    CONFIRM,
    RESTART,
    Talk,
    button_labels,
    html_of,
    review,
    walk,
)

UNDO = Event(verb="reopen")
UNDO_LABEL = "↩️ Undo: bring back my answers"


def test_start_over_mid_review_offers_an_undo_that_restores_every_answer() -> None:
    before = walk("Acme", "Protein bar", "none")
    over = before.then(RESTART)

    assert over.asking == "brand" and "brand" not in over.answers
    assert "Started over" in over.last
    assert "Undo below brings your earlier answers back" in html_of(over.replies[-1])
    assert button_labels(over.replies[-1])[-2:] == [UNDO_LABEL, "✖️ Cancel"]

    back = over.then(UNDO)
    assert back.asking == before.asking == "ask"
    assert back.answers == before.answers
    assert back.snapshot.history == before.snapshot.history
    assert back.snapshot.version > over.snapshot.version  # the Undo button is spent
    assert "Your answers are back" in back.last
    assert back.then(BACK).asking == "category"  # and Back still walks through them


def test_start_over_at_the_review_step_comes_back_to_the_review_step() -> None:
    before = review()
    back = before.then(RESTART, UNDO)
    assert back.step == REVIEW and back.answers == before.answers


def test_the_undo_lasts_until_the_new_review_moves_on() -> None:
    over = walk("Acme", "Protein bar").then(RESTART)
    kept = over.then(BACK)  # nothing to go back to: the undo stays
    assert UNDO_LABEL in button_labels(kept.replies[-1])

    answered = over.then("Zenith")
    assert answered.snapshot.dropped is None
    assert UNDO_LABEL not in button_labels(answered.replies[-1])
    again = answered.then(UNDO)
    assert again.answers == answered.answers and "doesn't apply" in again.last


def test_the_undo_lasts_a_day() -> None:
    over = walk("Acme", "Protein bar").then(RESTART)
    started = over.snapshot.started_at - REOPEN_WITHIN - timedelta(minutes=1)
    old = Talk(over.snapshot.model_copy(update={"started_at": started}), [])

    assert UNDO_LABEL not in button_labels(old.then(Event(verb="resume")).replies[-1])
    assert old.then(UNDO).snapshot.answers == over.answers


def test_nothing_to_undo_when_nothing_was_answered_or_the_review_was_decided() -> None:
    assert walk().then(RESTART).snapshot.dropped is None
    decided = review().then(CONFIRM, RESTART)
    assert decided.snapshot.dropped is None
    assert "Started over" not in decided.last
    cancelled = walk("Acme").then(CANCEL, RESTART)
    assert cancelled.snapshot.dropped is None


def test_the_terminal_says_undo_as_a_word_and_numbers_only_the_answers() -> None:
    out = io.StringIO()
    run_chat("creator", ["Maya", "Acme", "Protein bar", "restart", "undo", "quit"], out)
    said = out.getvalue()

    assert "typing undo brings your earlier answers back" in said
    assert "Undo below" not in said and "↩️ Undo" not in said
    assert "Your answers are back" in said
    assert "Is Acme's offer in one of these categories?" in said.split("Your answers are back")[1]


def test_the_welcome_back_menu_says_which_first_question_ends_the_undo() -> None:
    """"until you answer its first question" read as the review in progress's own first one."""
    said = render_text("chat/start.j2", {"in_progress": True, "decided": False,
                                         "cancelled": False, "name": "Maya", "brand": "Glow",
                                         "flow": "creator", "wanted": None})
    assert "Undo brings these answers back until you answer the first question of the new " \
           "one." in said
