"""The proposal check reads the pitch itself: a dozen pitches of every kind, the terms each must
keep word for word, the weaknesses each must and must not get, and the scams it must not polish."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from flows.proposal.pitch import clauses, read_pitch
from flows.registry import FLOWS
from flows.snapshot import Answer, Money
from prompts import render, visible_length
from tests.unit.test_more_coaches import proposal


@dataclass(frozen=True)
class Pitch:
    """A pitch as a rep would paste it, and what a careful reader finds in it."""

    text: str
    keeps: tuple[str, ...] = ()  # clauses of the pitch its rewrite repeats word for word
    facts: dict[str, object] = field(default_factory=dict)  # what the hand-off must carry
    weak: frozenset[str] = frozenset()  # weaknesses it must get
    not_weak: frozenset[str] = frozenset()  # weaknesses it must not get
    scams: frozenset[str] = frozenset()


ALL_ABSENCES = frozenset({"no_fee", "no_deliverables", "no_dates", "no_usage", "no_exclusivity",
                          "no_disclosure"})

PITCHES = {
    "monthly retainer, every term stated": Pitch(
        "Hi Maya! We love your weeknight recipe videos and how honest you are about gear. We'd "
        "like to send you our skillet to try first, no strings attached. If you like it: $6,000 "
        "per month for one Instagram reel and two stories each month, starting March 1. 12 "
        "months organic usage; paid ads only with your approval for 3 months. Exclusivity "
        "against named competitors (Lodge, Le Creuset) for 60 days. Net 30 from delivery, two "
        "rounds of revisions, a 15% discount code for your followers, and a clear #ad label.",
        keeps=("$6,000 per month for one Instagram reel and two stories each month",
               "12 months organic usage", "paid ads only with your approval for 3 months",
               "Exclusivity against named competitors (Lodge, Le Creuset) for 60 days",
               "Net 30 from delivery", "two rounds of revisions", "a clear #ad label"),
        facts={"pay": Money(amount=Decimal(6000), currency="USD"), "ask": "ongoing",
               "usage_rights": "limited_paid", "exclusivity": "short_named",
               "payment_terms": "net30", "revisions": "two_or_fewer", "label": "clear"},
        not_weak=ALL_ABSENCES | {"not_personal", "nothing_about_them", "no_audience_value",
                                 "perpetual_usage"}),
    "transactional, product for posts": Pitch(
        "Hi there, we'd love 3 posts in exchange for free product, full usage rights forever. "
        "Just one quick post to start!",
        keeps=("we'd love 3 posts in exchange for free product", "full usage rights forever"),
        facts={"usage_rights": "perpetual", "ask": "few_posts"},
        weak=frozenset({"not_personal", "free_product_for_posts", "just_one_post",
                        "perpetual_usage", "no_fee", "no_dates", "no_disclosure"}),
        not_weak=frozenset({"no_deliverables", "no_usage"})),
    "scam: deposit, wallet, deadline, returns, hidden ad, free mail": Pitch(
        "Congratulations! You have been selected as a NIKE brand ambassador. To activate your "
        "account, send a $250 deposit to our wallet link within 24 hours. Our partners get "
        "guaranteed 30% monthly returns. Please do not mention that this is sponsored. "
        "Contact: nike.partners.team@gmail.com",
        facts={"label": "brand_refuses"},
        scams=frozenset({"scam_deposit", "scam_payment_link", "scam_deadline", "scam_returns",
                         "scam_hide", "scam_freemail"}),
        weak=frozenset({"no_fee"}),  # a deposit asked of them is no fee paid to them
        not_weak=frozenset({"no_disclosure"})),
    "generic form letter": Pitch(
        "Dear Creator, we are a fast-growing wellness brand and we would love to collaborate "
        "with influencers like you. Let us know your rates and we will get back to you.",
        weak=frozenset({"not_personal", "nothing_about_them", "no_audience_value",
                        "no_deliverables", "no_usage", "no_exclusivity", "no_disclosure"}),
        not_weak=frozenset({"no_fee"})),
    "gifted, no obligation": Pitch(
        "Hi Sam, your trail running vlogs got our whole team outside. We'd love to send you a "
        "pair of our new trail shoes to try, no strings attached. If you love them, a post "
        "would be amazing, and your followers would get early access to the next colour.",
        keeps=("a post would be amazing",),
        weak=frozenset({"no_fee", "no_usage", "no_disclosure"}),
        not_weak=frozenset({"not_personal", "nothing_about_them", "no_audience_value",
                            "no_deliverables", "free_product_for_posts"})),
    "euros per video, net 60": Pitch(
        "Hallo Lena, we follow your cycling channel closely. We offer €800 per video for two "
        "YouTube integrations in May. Usage: 6 months on our website and organic social. No "
        "exclusivity. Payment net 60. Please disclose it as an ad (#Werbung / #ad).",
        keeps=("We offer €800 per video for two YouTube integrations in May",
               "Usage: 6 months on our website and organic social", "No exclusivity",
               "Payment net 60"),
        facts={"pay": Money(amount=Decimal(800), currency="EUR"), "payment_terms": "net60_plus",
               "exclusivity": "none", "usage_rights": "organic", "label": "clear"},
        not_weak=ALL_ABSENCES | {"not_personal", "nothing_about_them"}),
    "perpetual usage and whitelisting": Pitch(
        "Hi Priya, your skincare routines are the most useful on TikTok. We'd pay $3,500 for "
        "one TikTok by June 10, with whitelisting for 90 days and usage in perpetuity across "
        "all media. No exclusivity, paid on delivery, #ad up front.",
        keeps=("We'd pay $3,500 for one TikTok by June 10",
               "whitelisting for 90 days and usage in perpetuity across all media"),
        facts={"usage_rights": "perpetual", "payment_terms": "net30", "ask": "one_post"},
        weak=frozenset({"perpetual_usage"}),
        not_weak=ALL_ABSENCES),
    "scripted caption with claims": Pitch(
        "Hi Jo, love your morning routine posts! $500 for 1 Instagram post by Friday. Please "
        "use the following caption word for word: this tea burns fat and detoxes your body. "
        "Tag it #ad.",
        keeps=("$500 for 1 Instagram post by Friday",),
        facts={"claims": "cannot_back"},
        weak=frozenset({"scripted", "claims", "no_usage", "no_exclusivity"}),
        not_weak=frozenset({"no_fee", "no_deliverables", "no_dates", "no_disclosure",
                            "not_personal"})),
    "a known brand writing from free mail": Pitch(
        "Hi Ana, this is the Sephora partnerships team. We love your makeup tutorials and "
        "would pay $2,000 for 2 reels in April, 3 months organic usage, no exclusivity, net 30 "
        "and #ad. Reply to sephora.collabs@outlook.com",
        keeps=("would pay $2,000 for 2 reels in April",),
        scams=frozenset({"scam_freemail"}),
        not_weak=ALL_ABSENCES),
    "the brand pays a deposit": Pitch(
        "Hi Tom, we've watched your woodworking builds for years and we'd love a long-term "
        "partnership. We pay a 50% deposit upfront and the rest on delivery: $4,000 for two "
        "videos by September 30. 12 months organic usage, no exclusivity, two rounds of "
        "revisions, clearly labelled as an ad, and a discount code for your community.",
        keeps=("We pay a 50% deposit upfront and the rest on delivery",
               "$4,000 for two videos by September 30"),
        facts={"ask": "ongoing", "payment_terms": "net30"},
        not_weak=ALL_ABSENCES | {"not_personal", "nothing_about_them", "no_audience_value"}),
    "industry-wide exclusivity and unlimited revisions": Pitch(
        "Hi Zoe, your honest skincare reviews are why we're writing. $1,200 for 3 Instagram "
        "stories by the end of the month, exclusive with us in the beauty category for 12 "
        "months, unlimited revisions until we are happy, organic usage for 6 months, #ad.",
        facts={"exclusivity": "long_vague", "revisions": "unlimited"},
        keeps=("exclusive with us in the beauty category for 12 months",
               "unlimited revisions until we are happy"),
        not_weak=ALL_ABSENCES),
    "a quick post for $1,500": Pitch(
        "Hey Maya, just one quick post for $1,500 and you're done, net 30, #ad, your recipes "
        "are great.",
        facts={"pay": Money(amount=Decimal(1500), currency="USD")},
        weak=frozenset({"just_one_post", "no_usage", "no_exclusivity"}),
        not_weak=frozenset({"no_fee", "no_disclosure", "not_personal"})),
    "answer wanted within 24 hours": Pitch(
        "Hi Maya, we love your recipe reels. $900 for one reel by May 2, organic usage for a "
        "year, no exclusivity, net 30, #ad. We need your answer within 24 hours.",
        scams=frozenset({"scam_deadline"}),
        not_weak=ALL_ABSENCES),
}
NAMES = {"monthly retainer, every term stated": "Maya", "gifted, no obligation": "Sam",
         "euros per video, net 60": "Lena", "perpetual usage and whitelisting": "Priya",
         "scripted caption with claims": "Jo", "a known brand writing from free mail": "Ana",
         "the brand pays a deposit": "Tom",
         "industry-wide exclusivity and unlimited revisions": "Zoe"}


def name_of(case: str) -> str:
    return NAMES.get(case, "Maya")


@pytest.mark.parametrize("case", sorted(PITCHES))
def test_each_pitch_gets_the_weaknesses_it_has_and_none_it_does_not(case: str) -> None:
    pitch = PITCHES[case]
    reading = read_pitch(pitch.text, name_of(case))
    found = {w.code for w in reading.weaknesses}
    assert pitch.weak <= found, pitch.weak - found
    assert not pitch.not_weak & found, pitch.not_weak & found
    assert {s.code for s in reading.scams} == pitch.scams


@pytest.mark.parametrize("case", sorted(PITCHES))
def test_each_pitch_hands_the_creator_the_terms_it_states(case: str) -> None:
    pitch = PITCHES[case]
    chat = proposal(pitch.text, creator_name=name_of(case))
    handover = chat.do("handoff").replies[0].context["handover"]
    for question, value in pitch.facts.items():
        expected = value.model_dump(mode="json") if isinstance(value, Money) else value
        assert handover.get(question) == expected, (question, handover)


@pytest.mark.parametrize("case", sorted(c for c in PITCHES if not PITCHES[c].scams))
def test_each_rewrite_keeps_the_brands_terms_word_for_word(case: str) -> None:
    pitch = PITCHES[case]
    chat = proposal(pitch.text, creator_name=name_of(case))
    for tone in ("warm", "professional", "brief"):
        better = chat.do("tone", tone).text("proposal/draft.j2")
        for clause in pitch.keeps:
            assert clause[1:] in better, (tone, clause)
        assert "We've followed your work" not in better
        assert "kill fee" not in better.split("Suggestions")[0]  # never invented in the text
        assert "[your name]" in better  # the rep signs it


def test_a_scam_pitch_is_not_polished_and_the_rep_is_told_what_to_remove() -> None:
    chat = proposal(PITCHES["scam: deposit, wallet, deadline, returns, hidden ad, free mail"].text)
    check = chat.text("proposal/pitch_check.j2")
    scams_at = check.index("Remove these before you send anything")
    assert scams_at < check.index("Also weak in it")
    for quote in ("send a $250 deposit to our wallet link within 24 hours",
                  "Please do not mention that this is sponsored",
                  "nike.partners.team@gmail.com"):
        assert quote in check
    assert "No disclosure instruction" not in check
    draft = chat.text("proposal/draft.j2")
    assert "No rewrite of this pitch yet" in draft
    assert "$25,000" not in draft and "net 30" not in draft and "Hi Maya" not in draft
    assert "they may report it" in chat.text("proposal/likely.j2")


def test_where_the_pitch_and_the_answers_differ_the_pitch_wins_and_the_rep_is_told() -> None:
    chat = proposal(PITCHES["monthly retainer, every term stated"].text, pay="$6,000",
                    payment_terms="Net 30 or sooner", usage_rights="Their channels only")
    check = chat.text("proposal/pitch_check.j2")
    assert "Your pitch and your answers differ" in check
    assert 'Your pitch says "paid ads only with your approval for 3 months", but you answered ' \
           '"Their channels only"' in check
    better = chat.text("proposal/draft.j2")
    assert "$6,000 per month for one Instagram reel" in better
    assert "A fee of $6,000\n" not in better


def test_a_yes_whose_pitch_differs_from_the_answers_is_not_told_to_send_it_as_it_is() -> None:
    """Issue 15: the likely answer said "Send it." above a check saying "make them match before
    you send it"; and each list of it ended with two empty lines on a phone."""
    chat = proposal("Hi Maya! We love your content. We would like to send you our new serum "
                    "for free, and pay $500 for one post next week. Let us know!",
                    creator_used="yes", product_first="yes", ask="One post",
                    community_value="Real value for both", voice="Their own words",
                    pay="product only", label="Yes, clearly labelled #ad",
                    usage_rights="Their channels only", exclusivity="None",
                    revisions="Two rounds or fewer", claims="No claims")
    likely = chat.text("proposal/likely.j2")
    assert "🟢 yes" in likely and "Send it." not in likely
    assert "Make your pitch match your answers, then send it." in likely
    check = chat.text("proposal/pitch_check.j2")
    assert "Your pitch and your answers differ" in check
    for said in (likely, check):
        assert "\n\n\n" not in said


def test_claims_in_the_pitch_outweigh_an_answer_of_none_but_not_proof_the_rep_holds() -> None:
    text = PITCHES["scripted caption with claims"].text
    chat = proposal(text, creator_name="Jo", claims="No claims")
    assert chat.do("handoff").replies[0].context["handover"]["claims"] == "cannot_back"
    assert 'but you answered "No claims"' in chat.do("resume").text("proposal/pitch_check.j2")
    chat = proposal(text, creator_name="Jo", claims="Yes, and we can prove them")
    assert chat.do("handoff").replies[0].context["handover"]["claims"] == "can_back"


def test_everything_the_rep_reads_speaks_to_the_rep_about_the_creator() -> None:
    chat = proposal(PITCHES["a quick post for $1,500"].text, creator_used="Not sure",
                    ask="A few posts")
    likely = chat.text("proposal/likely.j2")
    assert "You've only tried it once" not in likely and "It's a single paid post" not in likely
    assert "You're not sure they've used it" in likely
    check = chat.text("proposal/pitch_check.j2")
    assert '"just one quick post for $1,500 and you\'re done"' in check  # not cut at "$1,"


def test_reading_a_long_unpunctuated_pitch_takes_linear_time() -> None:
    """Issue 20, defect 5: "a " * 1750 took 3.5 s; a hundred thousand characters now take a
    fraction of that (a quadratic reading would take minutes)."""
    started = time.process_time()
    read_pitch("a " * 50_000, "Maya")
    read_pitch("1" * 50_000 + "$" * 50_000, "Maya")
    assert time.process_time() - started < 2.0


def test_a_decided_check_reads_its_pitch_once_however_often_it_is_shown() -> None:
    text = "Hi Maya, " + "a " * 1700
    chat = proposal(text)
    before = read_pitch.cache_info()
    for _ in range(10):
        chat.say("one more word")  # each shows the decided step again
        chat.do("tone", "brief").do("tone", "warm")
    after = read_pitch.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_the_longest_pitch_check_and_rewrite_fit_one_telegram_message() -> None:
    shouting = ", ".join(f"send a ${n} deposit to our wallet link within 24 hours with guaranteed "
                         f"{n}% monthly returns, do not mention it is sponsored" for n in range(20))
    terms = ". ".join(f"we'd pay ${n},000 per month for {n} reels by May {n} with usage in "
                      f"perpetuity and exclusivity against any competitor, unlimited revisions "
                      f"and a script word for word" for n in range(1, 20))
    for text in (shouting[:3500], terms[:3500], ("Hi there, " + "x" * 3400)):
        chat = proposal(text, pay="$99,999,999", payment_terms="Net 60 or later")
        for tone in ("warm", "professional", "brief"):
            chat.do("tone", tone)
            for reply in chat.replies:
                assert visible_length(render(reply.template, reply.context)) <= 4096
        for template in ("proposal/pitch_check.j2", "proposal/likely.j2"):
            assert template in {r.template for r in chat.do("back").do("confirm").replies}


def test_a_pitch_is_cut_at_pauses_but_never_inside_an_amount_or_brackets() -> None:
    assert clauses("We pay $1,500, net 30. Rivals (Lodge, Le Creuset) excluded; #ad\nThanks") \
        == ["We pay $1,500", "net 30", "Rivals (Lodge, Le Creuset) excluded", "#ad", "Thanks"]



def test_a_creator_opening_the_link_starts_from_the_terms_the_pitch_states() -> None:
    """The hand-off as the bot makes it: the facts stored as JSON, then a creator review begun
    with them (``Flow.begin_with``); the pitch's fee and terms are already answered."""
    chat = proposal(PITCHES["euros per video, net 60"].text, creator_name="Lena")
    stored = chat.do("handoff").replies[0].context["handover"]
    answers = TypeAdapter(dict[str, Answer]).validate_python(stored)
    begun = FLOWS["creator"].begin_with(answers)
    snapshot, replies = begun.snapshot, begun.replies
    assert snapshot.answers["pay"] == Money(amount=Decimal(800), currency="EUR")
    assert snapshot.answers["payment_terms"] == "net60_plus"
    assert snapshot.answers["exclusivity"] == "none"
    assert replies[0].context["question"] not in answers  # the creator starts at their own part
