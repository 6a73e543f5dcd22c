"""The apology draft check reads like an editor: every family of non-apology found, none inside
a quote or a refusal, the elements recognised in everyday words, and its message always fits."""

from __future__ import annotations

import time

import pytest

from flows.apology.check import check_draft
from prompts import render, render_text, visible_length
from tests.unit.apology_drafts import BAD, DRAFTS, GOOD, excuse_heavy, measure


def test_the_labelled_set_is_sixty_drafts_half_good_and_the_check_meets_its_targets() -> None:
    assert len(DRAFTS) >= 60
    assert sum(label == GOOD for label, _ in DRAFTS) == sum(label == BAD for label, _ in DRAFTS)
    figures = measure()
    assert figures.precision >= 0.9, figures.misses
    assert figures.recall >= 0.9, figures.misses


# every non-apology the issue saw missed, and its kin, with the family it belongs to
FAMILIES = {
    "I apologize if my words hurt anyone.": "sorry_if",
    "If I offended anyone, I apologise.": "sorry_if",
    "Sorry if u felt lied to.": "sorry_if",
    "Sorry for any confusion.": "vague_sorry",
    "I apologise for any inconvenience caused.": "vague_sorry",
    "There was a miscommunication with the brand.": "vague_sorry",
    "I'm sorry, however the post was approved.": "sorry_but",
    "I'm really sorry, but it was one post.": "sorry_but",
    "Errors were made.": "passive",
    "Mistakes have been made.": "passive",
    "The disclosure was left off.": "passive",
    "The hashtag was omitted.": "passive",
    "It wasn't labelled as an ad.": "passive",
    "I'm sorry to anyone who felt misled.": "sorry_you_feel",
    "I'm sorry you feel that way.": "sorry_you_feel",
    "I regret that some people took it the wrong way.": "sorry_you_feel",
    "Apologies to anyone upset.": "sorry_you_feel",
    "I'm sorry for how it was received.": "sorry_you_feel",
    "The brand approved the caption.": "blame_others",
    "My editor forgot the tag.": "blame_others",
    "The brand never told me.": "blame_others",
    "The algorithm pushed it to kids.": "blame_others",
    "My team dropped the ball.": "blame_others",
    "The company assured me it was tested.": "blame_others",
    "Some of you overreacted.": "blame_audience",
    "People took it the wrong way.": "blame_audience",
    "Ignore the haters.": "blame_audience",
    "It wasn't my fault.": "denial",
    "I did nothing wrong.": "denial",
    "How was I supposed to know?": "denial",
}


@pytest.mark.parametrize("sentence", sorted(FAMILIES))
def test_each_non_apology_is_found_with_its_family(sentence: str) -> None:
    codes = [finding.code for finding in check_draft(sentence).deflections]
    assert FAMILIES[sentence] in codes, codes
    assert check_draft(sentence).deflections[0].quote == sentence


MENTIONED_OR_REFUSED = (
    'I\'m not going to say "sorry if anyone was offended".',
    "I won't hide behind 'mistakes were made'.",
    "I’m done with “sorry for any confusion” apologies.",
    "I'm not going to blame the brand.",
    "I won't say mistakes were made: I made them.",
    "Not blaming my editor: I approved it.",
    "It wasn't labelled as an ad, and that's on me.",
    "You asked why the disclosure was left off.",
    "I'm sorry. But sorry isn't enough, so here's what I'm doing.",
)


@pytest.mark.parametrize("sentence", MENTIONED_OR_REFUSED)
def test_a_phrase_quoted_or_refused_is_not_flagged(sentence: str) -> None:
    assert check_draft(sentence).deflections == []


EVERYDAY = {
    "responsibility": ("That was my choice and it was wrong.", "I made the mistake.",
                       "I messed up.", "It's on me.", "I got this wrong.", "I let you down.",
                       "I didn't label it.", "I recommended it before I'd tried it."),
    "repair": ("The videos are down.", "DM me and I'll help you get a refund.",
               "It's labelled now.", "I've taken the reel down.", "I'm donating the fee."),
    "regret": ("I'm so sorry.", "My apologies.", "I deeply regret it.", "I feel terrible."),
    "explanation": ("I took the deal for the money.", "The truth is I never tried it.",
                    "I was paid and didn't say so."),
    "repentance": ("From now on, #ad goes first.", "It won't happen again.",
                   "Going forward I test for a month.", "I'll only promote what I use."),
}


@pytest.mark.parametrize(("element", "sentence"),
                         [(e, s) for e, sentences in EVERYDAY.items() for s in sentences])
def test_each_element_is_recognised_in_everyday_words(element: str, sentence: str) -> None:
    assert element in check_draft(sentence).present


def test_a_denial_or_a_conditional_sorry_is_no_element() -> None:
    check = check_draft("It wasn't my fault. I'm sorry if anyone was hurt.")
    assert "responsibility" in check.missing and "regret" in check.missing


def test_one_sentence_with_two_non_apologies_gets_both_fixes_once_quoted() -> None:
    context = {"check": check_draft("Mistakes were made, and the brand told me to say it.")
               .model_dump()}
    text = render_text("apology/check.j2", context)
    assert text.count('"Mistakes were made, and the brand told me to say it."') == 1
    assert "Put yourself in it" in text and "And in the same sentence, this hands the blame" \
        in text


def test_a_long_excuse_heavy_draft_fits_one_message_and_says_how_many_more() -> None:
    excuses = excuse_heavy()
    assert len(excuses) == 3500
    check = check_draft(excuses)
    assert len(check.deflections) > 6
    markup = render("apology/check.j2", {"check": check.model_dump()})
    assert visible_length(markup) <= 4096
    assert f"…and {len(check.deflections) - 6} more like these" in render_text(
        "apology/check.j2", {"check": check.model_dump()})


def test_checking_a_long_unpunctuated_draft_takes_linear_time() -> None:
    started = time.process_time()
    check_draft("sorry " * 20_000)
    check_draft("a " * 50_000 + "'" * 5_000 + '"' * 5_000)
    check_draft("the brand " * 10_000)
    assert time.process_time() - started < 2.0
