"""The team review flow: facts from the lead, votes from the team, majority with cautious ties."""

from __future__ import annotations

import html
import re

from flows.machine import CANCELLED, DECIDED
from flows.replies import Actor, Event, Reply
from flows.snapshot import Snapshot
from flows.team.flow import QUESTIONS, advance, majority
from flows.team.questions import VOTES
from prompts import render, render_text, visible_length
from tests.support.conversation import take

TEAM_FILE = r"halo-team-review-[a-z0-9-]+(-\d{4}-\d\d-\d\d)?\.md"

LEAD = Actor(user_id=1, name="Ben")
ANA = Actor(user_id=2, name="Ana")
CY = Actor(user_id=3, name="Cy")
ADMIN = Actor(user_id=9, name="Dee", admin=True)
RENDERED: set[str] = set()
FACTS = ("FitFuel", "Protein bars", "few_posts", "$900", "Maya")  # the last: the creator's name


def act(snapshot: Snapshot | None, verb: str, arg: str = "", actor: Actor = LEAD
        ) -> tuple[Snapshot, list[Reply]]:
    """One event; the snapshot after it, and what it shows: its replies, then its pop-ups."""
    snapshot, replies, _ = take("team", snapshot, Event(verb=verb, arg=arg, actor=actor))  # type: ignore[arg-type]
    for reply in replies:
        assert visible_length(render(reply.template, reply.context)) <= 4096
        RENDERED.add(reply.template)
    return snapshot, replies


def said(replies: list[Reply]) -> str:
    return "\n".join(render_text(r.template, r.context) for r in replies)


def gathered() -> Snapshot:
    snapshot, _ = act(None, "begin", "Have a look at this one, team")
    for fact in FACTS:
        snapshot, _ = act(snapshot, "answer", fact)
    snapshot, _ = act(snapshot, "join", actor=ANA)
    snapshot, _ = act(snapshot, "join", actor=CY)
    snapshot, _ = act(snapshot, "start")
    return snapshot


def test_only_the_lead_gives_the_facts_and_starts() -> None:
    snapshot, replies = act(None, "begin", "Have a look at this one, team")
    assert "Ben started a team review" in said(replies) and "at this one, team" in said(replies)
    after, replies = act(snapshot, "answer", "SomeBrand", actor=ANA)
    assert after == snapshot  # another member's answer changes nothing
    assert [r.template for r in replies] == ["team/toast.j2"]  # a pop-up only
    for fact in FACTS:
        snapshot, _ = act(snapshot, "answer", fact)
    assert snapshot.step == "ask_gather"
    refused, replies = act(snapshot, "start", actor=ANA)
    assert refused.step == "ask_gather" and "Only the review's lead" in said(replies)


def test_a_question_closes_when_everyone_who_joined_has_voted_and_a_vote_can_change() -> None:
    snapshot = gathered()
    version = snapshot.version
    snapshot, replies = act(snapshot, "vote", "no", actor=CY)
    assert snapshot.version == version  # members voting at once are not "stale"
    assert "Waiting for: Ben, Ana" in said(replies)
    snapshot, replies = act(snapshot, "vote", "yes", actor=CY)  # changed their mind
    assert "Yes: 1 (Cy)" in said(replies) and "No: 0" in said(replies)
    snapshot, _ = act(snapshot, "vote", "yes", actor=ANA)
    assert snapshot.step == "ask_use_unpaid"
    snapshot, replies = act(snapshot, "vote", "no", actor=LEAD)
    assert snapshot.step == "ask_recommend_friend"
    assert "Team answer: Yes" in said(replies)


def test_next_and_cancel_belong_to_the_lead_and_admins() -> None:
    snapshot = gathered()
    same, replies = act(snapshot, "next", actor=CY)
    assert same.step == snapshot.step and "Only the review's lead" in said(replies)
    moved, _ = act(snapshot, "next", actor=ADMIN)
    assert moved.step == "ask_recommend_friend"
    assert moved.answers["use_unpaid"] == "unsure"  # nobody voted: the not-sure answer
    kept, _ = act(moved, "cancel", actor=ANA)
    assert kept.step == moved.step
    cancelled, _ = act(moved, "cancel", actor=LEAD)
    assert cancelled.step == CANCELLED


def test_ties_count_as_the_cautious_answer() -> None:
    question = QUESTIONS.by_id["recommend_friend"]
    assert majority(question, {"1": "yes", "2": "no"}) == "no"
    assert majority(question, {"1": "yes", "2": "unsure"}) == "unsure"
    assert majority(question, {"1": "yes", "2": "yes", "3": "no"}) == "yes"
    usage = QUESTIONS.by_id["usage_rights"]
    assert majority(usage, {"1": "organic", "2": "perpetual"}) == "perpetual"


def test_the_result_shows_the_split_and_names_the_dissent() -> None:
    snapshot = gathered()
    for question in VOTES:
        if snapshot.step == DECIDED:
            break
        options = QUESTIONS.by_id[question].option_ids()
        for member in (LEAD, ANA, CY):
            choice = "no" if question == "recommend_friend" and member is ANA else options[0]
            snapshot, replies = act(snapshot, "vote", choice, actor=member)
    assert snapshot.step == DECIDED
    result = said(replies)
    assert '1 of 3 answered "No" to "Would recommend to a friend"' in result
    assert "Would recommend to a friend: Yes (Yes 2, No 1)" in result
    assert "Your reply:" in result
    toned, replies = act(snapshot, "tone", "brief", actor=ANA)
    assert toned.tone == snapshot.tone and "Only the review's lead" in said(replies)
    toned, replies = act(snapshot, "tone", "brief")
    assert toned.tone == "brief"
    _, replies = act(snapshot, "export", actor=CY)
    assert re.fullmatch(TEAM_FILE, str(replies[0].document))  # named after the brand and day
    assert "| Would recommend to a friend | Yes |" in said(replies)


def test_a_leaving_lead_hands_over_and_votes_stay() -> None:
    snapshot = gathered()
    snapshot, _ = act(snapshot, "vote", "yes", actor=ANA)
    snapshot, replies = act(snapshot, "leave", actor=LEAD)
    assert snapshot.team is not None and snapshot.team.lead == "2"
    assert "Ben left the group. Ana leads the review now" in said(replies)
    assert snapshot.team.votes["use_unpaid"] == {"2": "yes"}


def test_when_the_last_voter_leaves_the_question_closes() -> None:
    snapshot = gathered()
    snapshot, _ = act(snapshot, "vote", "yes", actor=LEAD)
    snapshot, _ = act(snapshot, "vote", "yes", actor=ANA)
    snapshot, replies = act(snapshot, "leave", actor=CY)
    assert snapshot.step == "ask_recommend_friend"
    assert "Team answer: Yes" in said(replies)


def test_after_a_failure_the_open_question_is_shown_again() -> None:
    from flows.team.flow import FLOW

    replies = FLOW.current(gathered())
    assert "Vote 1 of" in said(replies)


def test_a_second_review_waits_for_the_first() -> None:
    snapshot = gathered()
    same, replies = act(snapshot, "begin", actor=ANA)
    assert same == snapshot and "already running here, led by Ben" in said(replies)


def test_one_team_review_shows_every_team_template() -> None:
    RENDERED.clear()  # only what this review renders counts, whatever ran before
    snapshot = gathered()  # started, the facts asked, the team gathered
    act(snapshot, "begin", actor=ANA)  # a second review waits: busy
    act(snapshot, "next", actor=CY)  # a pop-up: only the lead or an admin
    act(snapshot, "cancel")  # cancelled
    act(snapshot, "stray")  # a reply to a message moved past: a pointer for the lead
    snapshot, _ = act(snapshot, "leave", actor=LEAD)  # the lead left: Ana leads
    while snapshot.step != DECIDED:
        snapshot, _ = act(snapshot, "vote", "yes", actor=ANA)  # a vote, its tally
        snapshot, _ = act(snapshot, "next", actor=ANA)
    act(snapshot, "export", actor=CY)
    expected = {"team/started.j2", "team/fact.j2", "team/gather.j2", "team/vote.j2",
                "team/result.j2", "team/cancelled.j2", "team/busy.j2", "team/toast.j2",
                "team/lead_left.j2", "team/export.md.j2", "team/draft.j2", "team/pointer.j2"}
    assert expected <= RENDERED


def decided() -> tuple[Snapshot, list[Reply]]:
    snapshot, replies = gathered(), []
    while snapshot.step != DECIDED:
        snapshot, replies = act(snapshot, "next")  # nobody voted: the cautious answers
    return snapshot, replies


def test_the_decided_draft_offers_export_but_no_way_back() -> None:
    snapshot, replies = decided()
    _, retoned = act(snapshot, "tone", "brief")
    for draft in (replies[-1], retoned[-1]):
        assert draft.template == "team/draft.j2"
        verbs = {button.event.verb for row in draft.buttons for button in row}
        assert "export" in verbs and not verbs & {"back", "begin"}
    export = next(button for row in replies[-1].buttons for button in row
                  if button.event.verb == "export")
    exported = advance(snapshot, export.event.model_copy(update={"actor": CY}))
    assert exported.snapshot == snapshot
    assert len(exported.replies) == 1 and re.fullmatch(TEAM_FILE, str(exported.replies[0].document))


def copied(reply: Reply) -> str:
    """The draft's block, as the lead copies it."""
    pre = re.search(r"<pre>(.*)</pre>", render(reply.template, reply.context), re.DOTALL)
    return html.unescape(pre.group(1) if pre else "")


def test_the_reply_to_the_brand_is_signed_with_the_name_the_lead_typed() -> None:
    """The team's reply speaks as the creator: it was signed with a blank to fill in, so it
    could not be sent as written. The lead now types the creator's name with the facts, and
    every draft and the export are signed with it, never with a member's Telegram name."""
    snapshot, _ = decided()
    assert snapshot.answers["signature"] == "Maya"
    for kind in ("accept", "counter", "sample", "decline"):
        snapshot, _ = act(snapshot, "draft", kind)
        for tone in ("warm", "professional", "brief"):
            snapshot, replies = act(snapshot, "tone", tone)
            assert (snapshot.draft, replies[-1].template) == (kind, "team/draft.j2")
            block = copied(replies[-1])
            assert block.rstrip().endswith("\nMaya"), block
            assert not {"Ben", "Ana", "Cy"} & set(re.findall(r"\w+", block)), block
            assert "creator's name" not in said(replies[-1:])
        _, exported = act(snapshot, "export", actor=CY)
        assert "\nMaya\n" in said(exported) and "creator's name" not in said(exported)


def test_the_name_is_the_last_fact_and_asked_in_the_teams_voice() -> None:
    snapshot, _ = act(None, "begin", "Have a look at this one, team")
    for fact in FACTS[:4]:
        snapshot, replies = act(snapshot, "answer", fact)
    asked = said(replies)
    assert snapshot.step == "ask_signature" and "Fact 5 of 5, for Ben" in asked
    assert "Which name should the reply to the brand be signed with?" in asked
    assert "your replies" not in asked  # the creator review's wording speaks to the creator
    same, replies = act(snapshot, "answer", "Ana", actor=ANA)
    assert same == snapshot and [r.template for r in replies] == ["team/toast.j2"]
    snapshot, replies = act(snapshot, "answer", "  Maya Lopez ")
    assert snapshot.step == "ask_gather" and snapshot.answers["signature"] == "Maya Lopez"
    assert "Reply signed as: Maya Lopez ✓" in said(replies)


def test_an_unpaid_offer_counts_no_fee_among_the_facts() -> None:
    snapshot, _ = act(None, "begin")
    for fact in ("FitFuel", "Protein bars"):
        snapshot, _ = act(snapshot, "answer", fact)
    snapshot, replies = act(snapshot, "answer", "gifted_only")
    assert snapshot.step == "ask_signature" and "Fact 4 of 4, for Ben" in said(replies)


def creator_refusal(typed: str) -> str:
    """What the creator review says to the same name (asked where no first name is known)."""
    nameless = Actor(user_id=5, name="")
    snapshot, _, _ = take("creator", None, Event(verb="begin", actor=nameless))  # type: ignore[arg-type]
    assert snapshot is not None and snapshot.step == "ask_signature"
    _, replies, _ = take("creator", snapshot, Event(verb="answer", arg=typed, actor=nameless))
    return said(replies).split("\n")[0]


def test_an_empty_or_over_long_name_gets_the_creator_reviews_refusal() -> None:
    snapshot, _ = act(None, "begin")
    for fact in FACTS[:4]:
        snapshot, _ = act(snapshot, "answer", fact)
    for typed in ("   ", "\u200b", "M" * 41):
        same, replies = act(snapshot, "answer", typed)
        assert same.step == "ask_signature" and "signature" not in same.answers
        refusal = said(replies).split("\n")[0]
        assert refusal and refusal == creator_refusal(typed), typed
        assert "Which name should the reply to the brand be signed with?" in said(replies)
    longest, _ = act(snapshot, "answer", "M" * 40)
    assert longest.answers["signature"] == "M" * 40


def old(snapshot: Snapshot) -> Snapshot:
    """The same review as one begun before the lead was asked the creator's name."""
    return snapshot.model_copy(update={"answers": {
        key: value for key, value in snapshot.answers.items() if key != "signature"}})


def test_a_review_begun_before_the_name_was_asked_keeps_the_marked_blank() -> None:
    snapshot, _ = decided()
    for draft in ("accept", "decline"):
        unsigned, replies = act(old(snapshot), "draft", draft)
        assert copied(replies[-1]).rstrip().endswith("\n[the creator's name]")
        assert "put their name in place of [the creator's name] before it goes to FitFuel" \
            in said(replies)
        _, exported = act(unsigned, "export", actor=CY)
        assert "[the creator's name]\n" in said(exported)
    from flows.team.flow import FLOW

    shown = said(FLOW.current(old(snapshot)))  # a decided review shown again
    assert "The team's recommendation" in shown and "[the creator's name]" in shown


def test_a_review_gathering_before_the_name_was_asked_still_votes_to_the_end() -> None:
    snapshot, _ = act(None, "begin")
    for fact in FACTS:
        snapshot, _ = act(snapshot, "answer", fact)
    snapshot = old(snapshot)  # stored at the gathering, before this change
    snapshot, _ = act(snapshot, "join", actor=ANA)
    snapshot, replies = act(snapshot, "start")
    assert snapshot.step == "ask_use_unpaid" and "Vote 1 of" in said(replies)
    while snapshot.step != DECIDED:
        snapshot, replies = act(snapshot, "next")
    assert copied(replies[-1]).rstrip().endswith("\n[the creator's name]")
    assert "put their name in place of" in said(replies)


def test_a_review_asking_the_fee_before_the_name_was_asked_now_asks_it() -> None:
    snapshot, _ = act(None, "begin")
    for fact in FACTS[:3]:
        snapshot, _ = act(snapshot, "answer", fact)
    snapshot, replies = act(old(snapshot), "answer", "$900")
    assert snapshot.step == "ask_signature" and "Fact 5 of 5" in said(replies)


def test_a_vote_of_someone_who_left_is_shown_without_a_name() -> None:
    snapshot = gathered()
    snapshot, _ = act(snapshot, "vote", "yes", actor=CY)
    snapshot, _ = act(snapshot, "leave", actor=CY)
    _, replies = act(snapshot, "vote", "yes", actor=LEAD)
    assert "Yes: 2 (?, Ben)" in said(replies)


def test_a_review_begun_in_reply_to_the_brands_message_takes_its_facts() -> None:
    message = ("Hi Maya, we're GreenPan. We'd like to offer $1,500 for two Instagram reels "
               "of our ceramic skillet by May 15.")
    snapshot, replies = act(None, "begin", message)
    assert snapshot.answers["brand"] == "GreenPan" and snapshot.answers["ask"] == "few_posts"
    assert snapshot.step == "ask_product"  # only what the message does not say is asked
    started = said(replies)
    assert "From the brand's message I took brand: GreenPan" in started and "$1,500" in started
    assert "answer the rest of the offer's facts and the creator's name" in started
    # the message greets the creator, but the name the reply is signed with is the lead's to give
    snapshot, replies = act(snapshot, "answer", "Ceramic skillet")
    assert snapshot.step == "ask_signature" and "signature" not in snapshot.answers
    assert "Fact 5 of 5" in said(replies)
    snapshot, _ = act(snapshot, "answer", "Maya")
    assert snapshot.step == "ask_gather"


def test_each_refusal_gives_its_true_reason() -> None:
    """A group admin pressing a fact's button was told only "the lead or a group admin" could
    do that: admins steer, but only the lead gives the facts and starts the voting."""
    snapshot, _ = act(None, "begin")
    snapshot, _ = act(snapshot, "answer", "FitFuel")
    snapshot, _ = act(snapshot, "answer", "Protein bars")
    for who in (ADMIN, ANA):
        same, replies = act(snapshot, "answer", "few_posts", actor=who)
        assert same == snapshot
        assert said(replies) == "Only the review's lead can answer the offer's facts."
    for fact in FACTS[2:]:
        snapshot, _ = act(snapshot, "answer", fact)
    _, replies = act(snapshot, "start", actor=ADMIN)
    assert said(replies) == "Only the review's lead can start the voting."
    voting = gathered()
    _, replies = act(voting, "next", actor=CY)
    assert said(replies) == "Only the review's lead or a group admin can do that."
    moved, _ = act(voting, "next", actor=ADMIN)  # what the steering refusal says is true
    assert moved.step != voting.step


def test_a_reply_to_a_message_moved_past_points_the_lead_to_the_current_question() -> None:
    snapshot, _ = act(None, "begin")
    for fact in FACTS[:2]:
        snapshot, _ = act(snapshot, "answer", fact)
    same, replies = act(snapshot, "stray", actor=ANA)  # a member's: nothing posted
    assert same == snapshot and not replies
    same, replies = act(snapshot, "stray")
    assert same == snapshot and [r.quote for r in replies] == [True]  # a reply to the lead
    assert said(replies) == ("Ben, I haven't taken that reply: its question is behind us. We're on"
                             " fact 3 of 5 (what they ask for): reply to my latest question with"
                             " the answer.")
    _, replies = act(gathered(), "stray")
    assert 'Now the team votes on "Would use it unpaid" (vote 1 of' in said(replies)


def test_a_reply_typed_to_a_message_that_takes_buttons_tells_the_lead_it_was_not_taken() -> None:
    """The lead's reply typed to the joining message, to a vote or to the decided draft was
    answered with a pop-up, which a typed message cannot show: nothing was posted, and a lead
    who typed "yes" to a vote could believe it counted."""
    snapshot, _ = act(None, "begin")
    for fact in FACTS:
        snapshot, _ = act(snapshot, "answer", fact)
    same, replies = act(snapshot, "answer", "everyone's in")  # to the joining message
    assert same == snapshot and [r.quote for r in replies] == [True]
    assert said(replies) == ("Ben, I haven't taken that reply. The team is joining now: tap"
                             " ▶️ Start voting on my latest message when everyone is in.")
    voting = gathered()
    same, replies = act(voting, "answer", "yes")  # a vote typed to the vote
    assert same == voting and [r.quote for r in replies] == [True]  # no vote counted
    assert said(replies).startswith('Ben, I haven\'t taken that reply. Now the team votes on'
                                    ' "Would use it unpaid" (vote 1 of ')
    assert said(replies).endswith("): use the buttons on my latest message.")
    same, replies = act(voting, "answer", "yes", actor=ANA)  # a member's: nothing posted
    assert same == voting and not replies
    snapshot, _ = decided()
    same, replies = act(snapshot, "answer", "Can we make it warmer?")  # to the draft
    assert same == snapshot and said(replies) == (
        "Ben, I haven't taken that reply. This review is decided: the buttons under the draft"
        " reply change it, and /review starts a new review.")
    _, replies = act(snapshot, "stray")  # to an older message of the decided review
    assert said(replies).startswith("Ben, I haven't taken that reply: its question is behind"
                                    " us. This review is decided")
    cancelled, _ = act(voting, "cancel")
    _, replies = act(cancelled, "answer", "why?")
    assert said(replies) == ("Ben, I haven't taken that reply. This review was cancelled:"
                             " /review starts a new one.")


def test_a_counter_asks_for_two_rounds_of_revisions_once() -> None:
    """A counter that asks for an exact list of deliverables and for revisions said "two rounds
    of revisions" in both points: the brand read the same ask twice."""
    snapshot, _ = decided()  # nobody voted: every cautious answer, vague deliverables included
    _, replies = act(snapshot, "draft", "counter")
    block = copied(replies[-1])
    assert "Deliverables: an exact list" in block and "Revisions: two rounds included." in block
    assert block.lower().count("revision") == 1, block
