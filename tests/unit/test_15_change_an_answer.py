"""Issue 15: the review step lists the answers by part and offers "Change an answer", which turns
the same message into short lists (the parts, then one part's answers) instead of 27 buttons."""

from __future__ import annotations

import pytest

from flows.machine import REVIEW
from flows.registry import FLOWS
from flows.replies import Event, Reply
from prompts import label, render_text
from tests.support.conversation import Chat

from .conftest import CONFIRM, change, edit, review, walk

SHORT_LIST = 8  # buttons in one list, the way back included
BUTTON_TEXT = 24  # characters a phone shows on a button without cutting it
REVIEW_FLOWS = ["apology", "creator", "proposal"]  # the flows with a review step
SUMMARY = Event(verb="resume")  # "Back to the summary"


def labels(flow: str, reply: Reply) -> list[str]:
    return [label(flow, button.label) for row in reply.buttons for button in row]


def at_review(flow: str) -> Chat:
    """A review of ``flow`` with the most answers, each as long as it can be."""
    if flow == "creator":  # its first options close gates: the good offer, with a one-off ask
        talk = review(ask="one_post", brand="ŵ" * 80, product="ŵ" * 120)
        return Chat(flow, talk.snapshot, talk.replies)
    chat = Chat(flow).do("begin").at_length()
    assert chat.step == REVIEW
    return chat


def test_the_review_step_lists_the_answers_by_part_with_four_buttons() -> None:
    talk = review()
    step = talk.replies[-1]

    assert labels("creator", step) == ["✅ See my recommendation", "✏️ Change an answer",
                                       "⬅️ Back", "✖️ Cancel"]
    said = talk.last
    # the parts in the order they were asked, each answer under its own, the name last
    order = [said.index(part) for part in ("The offer\n", "Money and warning signs\n",
                                           "You and the product\n", "The terms\n",
                                           "Your name\n")]
    assert order == sorted(order)
    assert "• Money pressure: Not at all" in said.split("Money and warning signs")[1]
    assert "Tap" not in said and "tap" not in said


def test_change_an_answer_turns_the_same_message_into_the_parts_then_one_parts_answers() -> None:
    talk = review()
    parts = talk.then(change())
    shown = parts.replies[-1]

    assert parts.snapshot == talk.snapshot  # only the message changes
    assert [r.place for r in parts.replies] == ["replace"]
    assert labels("creator", shown) == [
        "The offer", "Money and warning signs", "You and the product", "Your voice",
        "Relationships", "The terms", "Your name", "↩️ To the summary"]
    assert "Which part is the answer in?" in parts.last

    offer = parts.then(change("offer"))
    assert labels("creator", offer.replies[-1]) == [
        "Brand", "Product", "Category rules", "What they ask for", "Deliverables and dates",
        "What they pay", "Your usual rate", "↩️ Other parts"]
    assert offer.replies[-1].place == "replace"
    assert "• What they pay: $1,500" in offer.last
    assert "Money pressure" not in offer.last  # that part's answers only

    # the way back: to the parts, then to the summary with its four buttons
    assert labels("creator", offer.then(change()).replies[-1]) == labels("creator", shown)
    summary = parts.then(SUMMARY)
    assert summary.snapshot == talk.snapshot
    assert "✏️ Change an answer" in labels("creator", summary.replies[-1])


def test_an_answer_chosen_from_the_list_is_asked_again_then_the_review_comes_back() -> None:
    chosen = review().then(change(), change("offer"))
    pay = next(b for row in chosen.replies[-1].buttons for b in row if b.event.arg == "pay")

    asked = chosen.then(pay.event)
    assert asked.asking == "pay"
    assert "it was: $1,500" in asked.last

    changed = asked.then("$2,500")
    assert changed.step == REVIEW
    assert "• What they pay: $2,500" in changed.last
    assert "What they pay: $1,500" not in changed.last


def test_the_brand_changed_from_the_review_is_not_offered_a_pasted_message() -> None:
    """Pasting the brand's whole message reads it only as a review's first answer: changing the
    brand from the review takes the name alone, so the question offers no more."""
    first = walk()
    assert first.asking == "brand"
    assert "paste the brand's whole message" in first.last

    asked = review(brand="Glow").then(edit("brand"))
    assert asked.asking == "brand"
    assert "it was: Glow" in asked.last
    assert "paste" not in asked.last.casefold()
    assert "Just the name" in asked.last


def test_a_part_of_one_answer_opens_its_question_at_once() -> None:
    parts = review().then(change())
    voice = next(b for row in parts.replies[-1].buttons for b in row
                 if label("creator", b.label) == "Your voice")

    assert parts.then(voice.event).asking == "voice"


def test_an_old_edit_button_of_the_review_step_still_opens_its_question() -> None:
    """The review step's buttons before issue 15 were ``edit.<question>``: still understood."""
    talk = review().then(edit("claims"))
    assert talk.asking == "claims"
    assert talk.then("none").step == REVIEW


def test_a_part_that_is_not_there_changes_nothing_and_says_so() -> None:
    talk = review(ask="gifted_only")  # no fee asked: nothing to change about it
    for forged in ("nonsense", "pay", "offer_x"):
        after = talk.then(change(forged))
        assert after.snapshot == talk.snapshot
        assert "doesn't apply at this step" in after.last
    decided = talk.then(CONFIRM)
    assert "doesn't apply" in decided.then(change()).last


def test_the_apologys_signature_is_its_own_part_your_name_listed_last() -> None:
    """As in the creator review: the name is about the apology, not about putting it right."""
    chat = at_review("apology")
    said = render_text(chat.replies[-1].template, chat.replies[-1].context)
    repair = said.split("Putting it right\n")[1].split("\n\n")[0]
    assert "Signed" not in repair
    assert said.split("\n\n")[-2].startswith("Your name\n• Signed: ")
    parts = chat.do("change").replies[-1]
    assert labels("apology", parts)[-2:] == ["Your name", "↩️ To the summary"]
    name = parts.buttons[-2][0]
    assert Chat("apology", chat.snapshot).do(name.event.verb, name.event.arg).step == "ask_sign_as"


@pytest.mark.parametrize("flow", REVIEW_FLOWS)
def test_every_list_is_short_and_every_button_fits_a_phone(flow: str) -> None:
    chat = at_review(flow)
    assert len([b for row in chat.replies[-1].buttons for b in row]) == 4
    seen = 0
    lists = [chat.do("change").replies[-1]]
    while lists:
        shown = lists.pop()
        seen += 1
        assert shown.place == "replace"
        assert len(shown.buttons) <= SHORT_LIST, labels(flow, shown)
        for text in labels(flow, shown):
            assert len(text) <= BUTTON_TEXT, text
        for row in shown.buttons:
            for button in row:
                if button.event.verb == "change" and button.event.arg:
                    lists.append(Chat(flow, chat.snapshot).do("change", button.event.arg)
                                 .replies[-1])
        text = render_text(shown.template, shown.context)
        assert "tap" not in text.casefold()
    assert seen >= 2  # the parts, then at least one part's answers


@pytest.mark.parametrize("flow", REVIEW_FLOWS)
def test_every_answer_can_be_reached_from_change_an_answer(flow: str) -> None:
    chat = at_review(flow)
    assert chat.snapshot is not None
    reached: set[str] = set()
    pending = [chat.do("change").replies[-1]]
    while pending:
        for row in pending.pop().buttons:
            for button in row:
                if button.event.verb == "edit":
                    reached.add(button.event.arg)
                elif button.event.verb == "change" and button.event.arg:
                    pending.append(Chat(flow, chat.snapshot).do("change", button.event.arg)
                                   .replies[-1])
    assert reached == set(chat.snapshot.answers)



@pytest.mark.parametrize("flow", REVIEW_FLOWS)
def test_every_part_of_a_flow_with_a_review_step_has_a_name(flow: str) -> None:
    from prompts import part_name

    unnamed = {q.group for q in FLOWS[flow].questions.questions if not part_name(flow, q.group)}
    assert not unnamed


@pytest.mark.parametrize("flow", REVIEW_FLOWS)
def test_no_part_is_named_as_a_question_in_it(flow: str) -> None:
    """A heading that says what the line below it says again reads as a stutter."""
    from prompts import part_name, titles

    for question in FLOWS[flow].questions.questions:
        assert part_name(flow, question.group).casefold() != titles(flow)[question.id].casefold()
