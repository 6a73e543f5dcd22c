"""The apology coach and the brand rep's proposal check, driven as their users would."""

from __future__ import annotations

import pytest

from flows.apology.check import check_draft
from flows.flow import MakeHandoff
from flows.machine import DECIDED, REVIEW
from flows.registry import FLOWS
from prompts import label, render_text
from tests.support.conversation import Chat


def apology(*, own_draft: str = "skip") -> Chat:
    """The cautionary case of DOMAIN.md, after the fact."""
    chat = Chat("apology").do("begin")
    chat.say("FitFuel's vanilla protein powder", "A few weeks ago")
    chat.do("pick", "not_me").do("pick", "unfollowed").say("done")
    chat.do("pick", "money").do("pick", "untried").do("pick", "disappointed").say("done")
    chat.say("Taken down")
    chat.do("pick", "used_first").do("pick", "always_label").say("done")
    chat.say("Help getting refunds", "yes", "Maya", own_draft)
    assert chat.step == REVIEW
    return chat.do("confirm")


def test_the_cautionary_apology_owns_it_says_the_videos_came_down_and_what_changes() -> None:
    chat = apology()
    assert chat.step == DECIDED
    post = chat.text("apology/draft.j2")
    assert "I recommended FitFuel's vanilla protein powder without having really used it. " \
           "That was my call, and I take full responsibility for it." in post
    assert "I've taken the sponsored content down." in post
    assert "What changes from today" in post
    assert "I'll only promote products I've used myself" in post
    assert "I'll label every sponsorship as an ad" in post
    check = check_draft(post)
    assert check.deflections == []
    assert {"responsibility", "repair", "regret", "explanation", "repentance"} <= set(
        check.present)
    for phrase in ("sorry if", "sorry that you", "sorry, but", "mistakes were made"):
        assert phrase not in post.lower()
    plan = chat.text("apology/checklist.j2")
    assert "Don't delete the criticism" in plan and "Follow up in a month" in plan


def test_every_tone_and_the_email_keep_the_elements_and_no_excuse() -> None:
    chat = apology()
    for tone in ("professional", "brief", "warm"):
        chat.do("tone", tone)
        for kind in ("email", "post"):
            text = chat.do("draft", kind).text("apology/draft.j2")
            assert check_draft(text).deflections == [], (tone, kind, text)
            assert "responsibility" in check_draft(text).present, (tone, kind)


def test_a_pasted_non_apology_gets_its_deflections_quoted_back_with_the_fix() -> None:
    pasted = ("I'm sorry if anyone was offended by my videos. Mistakes were made, and the brand "
              "told me to say it tasted great. I'm sorry, but some of you overreacted.")
    verdict = apology(own_draft=pasted).text("apology/check.j2")
    assert "\"I'm sorry if anyone was offended by my videos.\"" in verdict
    assert "Name the action" in verdict
    assert '"Mistakes were made, and the brand told me to say it tasted great."' in verdict
    assert 'Put yourself in it: "I left the label off."' in verdict
    assert "And in the same sentence, this hands the blame to someone else" in verdict
    assert "End the sentence at the apology" in verdict and "this blames your audience" in verdict
    assert "Taking responsibility, plainly" in verdict  # the strongest missing element first


def test_a_multi_answer_can_be_typed_and_needs_at_least_one_tick() -> None:
    chat = Chat("apology").do("begin").say("Serum", "Months ago", "skip")
    chat.say("done")
    assert "Pick at least one" in render_text(chat.replies[0].template, chat.replies[0].context)
    chat.say("1, 4")
    assert chat.snapshot is not None
    assert chat.snapshot.answers["went_wrong"] == "money,unlabelled"


def proposal(pitch: str, **facts: str) -> Chat:
    answers = {
        "creator_name": "Maya Lopez", "niche": "plant-based cooking",
        "followed_for": "quick weeknight recipes", "brand": "FitFuel", "product": "Protein powder",
        "creator_used": "no", "product_first": "no", "ask": "A few posts",
        "community_value": "Just a sales pitch", "voice": "Fully scripted", "pay": "product only",
        "label": "Not mentioned", "usage_rights": "Perpetual / unlimited",
        "exclusivity": "Not stated", "revisions": "Unlimited", "claims": "Yes, without proof",
    }
    answers.update(facts)
    chat = Chat("proposal").do("begin")
    for question in FLOWS["proposal"].questions.questions:
        if chat.step == REVIEW:
            break
        if question.id == "pitch":
            chat.say(pitch)
        elif question.id in answers:
            chat.say(answers[question.id])
    assert chat.step == REVIEW, chat.replies[-1].context
    return chat.do("confirm")


TRANSACTIONAL = ("Hi there, we'd love 3 posts in exchange for free product, full usage rights "
                 "forever. Just one quick post to start!")


def test_a_transactional_pitch_is_read_as_a_no_with_every_weakness_quoted() -> None:
    chat = proposal(TRANSACTIONAL)
    likely = chat.text("proposal/likely.j2")
    assert "will likely answer: 🔴 no" in likely or "after negotiating" in likely
    check = chat.text("proposal/pitch_check.j2")
    for quote in ('"Hi there"', "\"we'd love 3 posts in exchange for free product\"",
                  '"full usage rights forever"', '"Just one quick post to start"'):
        assert quote in check
    for weakness in ("isn't addressed to Maya Lopez by name", "Nothing about their content",
                     "Nothing for their audience", "No fee stated", "No dates",
                     "No disclosure instruction"):
        assert weakness in check
    better = chat.text("proposal/draft.j2")
    assert "Hi Maya Lopez" in better and "no obligation" not in better  # product_first was no
    # the brand's own terms are kept as written; their fixes are in the check, not said twice
    assert "- Full usage rights forever" in better and "FitFuel" in better
    assert "12 months organic is common" in check and "12 months organic" not in better


FAIR = ("Hi Maya, we love your quick weeknight recipe videos and your community of home cooks. "
        "We'd like to send you our skillet to try, no strings attached. If you like it, we'd "
        "love an ongoing partnership: a fee of $2,000 for two videos by March 3, a 15 percent "
        "discount code for your followers, 12-month organic usage, no exclusivity, and a clear "
        "#ad label.")


def test_a_personal_fair_long_term_proposal_is_read_as_a_yes() -> None:
    chat = proposal(FAIR, brand="GreenPan", product="Ceramic skillet", creator_used="yes",
                    product_first="yes", ask="Ongoing partnership / ambassador",
                    community_value="Real value", voice="Their own words", pay="$2,000",
                    label="Yes, clearly labelled #ad", usage_rights="Their channels only",
                    exclusivity="None", payment_terms="Net 30 or sooner",
                    revisions="Two rounds or fewer", claims="No claims")
    assert "will likely answer: 🟢 yes" in chat.text("proposal/likely.j2")
    assert "Nothing a values-driven creator would trip over" in chat.text(
        "proposal/pitch_check.j2")


def test_the_handoff_carries_the_deal_but_nothing_about_the_creator_side() -> None:
    chat = proposal(TRANSACTIONAL)
    (handoff,) = chat.do("handoff").effects
    assert isinstance(handoff, MakeHandoff) and handoff.flow == "creator"
    facts = handoff.answers
    assert facts["brand"] == "FitFuel" and facts["usage_rights"] == "perpetual"
    assert not {"creator_name", "pitch", "niche", "tried", "use_unpaid"} & set(facts)


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_every_option_label_of_every_flow_can_be_typed(flow: str) -> None:
    from flows.questions import parse_choice

    for question in FLOWS[flow].questions.questions:
        for option in question.options:
            assert parse_choice(question, label(flow, f"{question.id}.{option.id}")) == option.id


@pytest.mark.parametrize("flow", ["apology", "proposal"])
def test_the_review_step_fits_telegram_with_the_longest_answers(flow: str) -> None:
    chat = Chat(flow).do("begin").at_length()
    assert chat.step == REVIEW  # every reply on the way was checked against the limit in do()
