"""Every fact read from a brand's message can be corrected from the facts message: the list of
facts, a fact's own question, "the message doesn't say that", and the review going on where it
was with the facts and the clause review read again (issue 17)."""

from __future__ import annotations

import io

from bot.console import run_chat
from flows.creator.fixing import PAGE, fixable, reading_of
from flows.creator.flow import SPEC
from flows.replies import Event, Reply
from flows.snapshot import Money, Snapshot
from prompts import MESSAGE_LIMIT, button_text, render, render_text, visible_length
from tests.unit.conftest import BEGIN, GOOD
from tests.unit.offer_corpus import OFFERS

EMAIL = ("Hi Maya, on behalf of Northwind we'd like an ongoing ambassadorship for our trail "
         "running shoes: a fee of $2,500 per month for 2 TikTok videos a month.\n"
         "- Usage: paid social ads for 3 months\n- Exclusivity: no other running shoe brands "
         "for 6 months\n- Payment: net 60\n- Unlimited revisions\n")


def begun(text: str = EMAIL) -> tuple[Snapshot, list[Reply]]:
    step = SPEC.advance(None, BEGIN.model_copy(update={"arg": text}))
    return step.snapshot, step.replies


def press(snapshot: Snapshot, verb: str, arg: str = "") -> tuple[Snapshot, list[Reply]]:
    step = SPEC.advance(snapshot, Event(verb=verb, arg=arg))  # type: ignore[arg-type]
    return step.snapshot, step.replies


def shown(reply: Reply, terminal: bool = False) -> str:
    return render_text(reply.template, reply.context) if terminal else \
        render(reply.template, reply.context)


def labels(reply: Reply) -> list[str]:
    return [button_text("creator", b.label) for row in reply.buttons for b in row]


def test_the_facts_message_offers_to_fix_a_fact_and_keeps_only_facts_and_quotes() -> None:
    snapshot, replies = begun()
    assert "✏️ Fix a fact" in labels(replies[0])
    assert "tap <b>Fix a fact</b>" in shown(replies[0])
    assert "type fix" in shown(replies[0], terminal=True)
    assert EMAIL not in snapshot.to_json() and "net 60" in snapshot.to_json()


def test_a_fee_corrected_by_its_question_changes_the_answer_and_the_facts() -> None:
    snapshot, _ = begun()
    step_before = snapshot.step
    snapshot, (listing,) = press(snapshot, "fix")
    assert listing.place == "replace" and "Fee" in labels(listing)
    snapshot, (fee,) = press(snapshot, "fix", "pay")
    assert "$2,500" in shown(fee) and "Product only, no fee" in labels(fee)
    assert "❌ The message doesn't say that" in labels(fee)
    snapshot, replies = press(snapshot, "answer", "$3,200")
    assert snapshot.answers["pay"] == Money(amount=3200, currency="USD")
    assert "$3,200 (as you corrected it)" in shown(replies[0])
    assert replies[0].place == "replace" and snapshot.step == step_before  # goes on where it was
    assert snapshot.fixing is None


def test_a_fact_the_message_does_not_state_is_taken_out_and_asked() -> None:
    snapshot, _ = begun()
    assert snapshot.answers["payment_terms"] == "net60_plus"
    snapshot, _ = press(snapshot, "fix")
    snapshot, _ = press(snapshot, "fix", "payment_terms")
    snapshot, replies = press(snapshot, "unsay", "payment_terms")
    assert "payment_terms" not in snapshot.answers  # the review asks it now
    facts = shown(replies[0])
    assert "Taken out" in facts and "net 60" not in facts  # nor its red flag
    reading = reading_of(snapshot)
    assert reading is not None and not reading.of("payment_terms")


def test_a_choice_fact_is_corrected_with_its_options_and_the_clause_review_follows() -> None:
    snapshot, _ = begun()
    snapshot, _ = press(snapshot, "fix")
    snapshot, _ = press(snapshot, "fix", "revisions")
    snapshot, replies = press(snapshot, "answer", "two_or_fewer")
    assert snapshot.answers["revisions"] == "two_or_fewer"
    assert "Unlimited revisions can mean" not in shown(replies[0])


def test_not_stated_takes_the_fact_out_and_the_same_value_changes_nothing() -> None:
    snapshot, _ = begun()
    snapshot, _ = press(snapshot, "fix", "exclusivity")
    same, replies = press(snapshot, "answer", "long_vague")
    assert "6 months" in shown(replies[0]) and "as you corrected it" not in shown(replies[0])
    assert same.answers["exclusivity"] == "long_vague"
    gone, replies = press(snapshot, "answer", "not_stated")
    assert gone.answers["exclusivity"] == "not_stated"  # answered: the review won't ask it
    assert "Taken out: Exclusivity" in shown(replies[0])
    assert "The review now goes by what's left" in shown(replies[0])


def test_an_answer_the_creator_changed_stays_theirs_when_a_fact_is_removed() -> None:
    snapshot, _ = begun()
    snapshot = snapshot.model_copy(update={"answers": {**snapshot.answers,
                                                       "payment_terms": "net30"}})
    snapshot, _ = press(snapshot, "unsay", "payment_terms")
    assert snapshot.answers["payment_terms"] == "net30"


def test_cancel_or_starting_over_while_fixing_leaves_the_correction() -> None:
    snapshot, _ = begun()
    snapshot, _ = press(snapshot, "fix", "pay")
    cancelled, _ = press(snapshot, "cancel")
    assert cancelled.step == "cancelled" and cancelled.fixing is None
    again, _ = press(snapshot, "restart")
    assert again.fixing is None and again.step.startswith("ask_") and not again.answers.get("pay")


def test_old_or_forged_fix_data_gets_a_friendly_answer() -> None:
    snapshot, _ = begun()
    snapshot, (again,) = press(snapshot, "fix", "no_such_fact")
    assert "isn't in the list any more" in shown(again)
    snapshot, _ = press(snapshot, "unsay", "pay")
    _, (gone,) = press(snapshot, "fix", "pay")  # taken out already
    assert "isn't in the list any more" in shown(gone)
    plain, _ = SPEC.advance(None, BEGIN).snapshot, None  # a review begun step by step
    _, (nothing,) = press(plain, "fix")
    assert "no facts left to correct" in shown(nothing)


def test_the_list_comes_in_screens_and_every_view_fits_one_message() -> None:
    for offer in OFFERS:
        if offer.scam:
            continue
        snapshot, _ = begun(offer.text)
        reading = reading_of(snapshot)
        assert reading is not None
        codes = fixable(reading)
        if not codes:
            continue
        snapshot, (listing,) = press(snapshot, "fix")
        assert len(listing.buttons) <= PAGE + 1
        views = [listing]
        if len(codes) > PAGE:
            _, (second,) = press(snapshot, "fix", "more")
            views.append(second)
        for code in codes:
            _, (view,) = press(snapshot, "fix", code)
            views.append(view)
        for view in views:
            for terminal in (False, True):
                assert visible_length(shown(view, terminal)) <= MESSAGE_LIMIT
                assert "tap" not in shown(view, terminal=True).lower()


def test_in_the_terminal_fix_is_a_word_and_the_facts_are_numbers() -> None:
    out = io.StringIO()
    answers = [GOOD[q] for q in ("signature",)]
    lines = [*answers, "fix", "3", "$3,200", "quit"]
    run_chat("creator", lines, out, offer=EMAIL)
    said = out.getvalue()
    assert "Which fact did I get wrong?" in said and "  3. Fee" in said
    assert "$3,200 (as you corrected it)" in said
    assert "tap" not in said.lower()
