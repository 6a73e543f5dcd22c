"""The proposal check flow: the creator's likely answer, a pitch check, a better pitch, a link."""

from __future__ import annotations

from typing import Any

from flows import outcome
from flows.creator.decision import decide
from flows.engine import FlowSpec
from flows.flow import MakeHandoff
from flows.machine import build_machine
from flows.proposal import terms
from flows.proposal.pitch import read_pitch
from flows.proposal.questions import HANDED_OVER, QUESTIONS
from flows.questions import SKIPPED
from flows.replies import Button, Event, Place, Reply
from flows.snapshot import Answer, Snapshot

NAME = "proposal"
MACHINE = build_machine(QUESTIONS)
DRAFTS = ("rewrite",)
TRIED = {"yes": "regularly", "unsure": "once", "no": "not_yet"}


def creator_answers(answers: dict[str, Answer]) -> dict[str, Answer]:
    """The proposal seen from the creator's side: the creator review's answers it implies."""
    seen: dict[str, Answer] = {key: answers[key] for key in HANDED_OVER if key in answers}
    used = answers.get("creator_used")
    if isinstance(used, str) and used in TRIED:
        seen["tried"] = TRIED[used]
        if used == "no":
            seen["can_try_first"] = "yes" if answers.get("product_first") == "yes" else "no"
    if "ask" in answers:
        seen["relationship"] = "lasting" if answers["ask"] == "ongoing" else "one_off"
    return seen


def summary(snapshot: Snapshot) -> dict[str, Any]:
    """The creator's likely answer, the pitch as read (its terms put before the answers where
    they disagree), the rewrite's terms and suggestions, and the facts for the hand-off."""
    answers = QUESTIONS.relevant(snapshot.answers)
    facts = outcome.plain(answers)
    name = str(facts.get("creator_name", ""))
    pitch = facts.get("pitch")
    reading = read_pitch(pitch, name) if isinstance(pitch, str) and pitch != SKIPPED else None
    deal = terms.stated(answers, reading)
    likely = decide(creator_answers(deal))
    weaknesses = [w.model_dump() for w in reading.weaknesses] if reading else None
    rows = terms.term_rows(deal, reading)
    return {
        "flow": NAME,
        **outcome.answered(QUESTIONS, snapshot.answers),
        "decided_on": snapshot.updated_at.date().isoformat(),  # names its download
        "creator_name": name,
        "brand": facts.get("brand", ""),
        "product": facts.get("product", ""),
        "decision": likely.model_dump(mode="json"),
        "counter_points": [flag.code for flag in likely.counter_points],
        "weaknesses": weaknesses,
        "scams": [s.model_dump() for s in reading.scams] if reading else [],
        # a scam's terms are no facts worth comparing: the rep is told to remove them instead
        "disagreements": [] if reading and reading.scams else terms.disagreements(answers,
                                                                                  reading),
        "terms": rows,
        "offer": outcome.plain(deal),
        "per": terms.per_of(reading),
        "about_them": about.quote if reading and (about := reading.fact("about_them")) else None,
        "suggestions": terms.suggestions([w["code"] for w in weaknesses or ()],
                                         [(f.code, f.counter) for f in likely.flags], deal, rows),
        "handover": {key: value for key, value in outcome.plain(creator_answers(deal)).items()
                     if key in HANDED_OVER},
        "tone": snapshot.tone,
        "draft": "rewrite",
    }


def present(context: dict[str, Any], live: bool) -> list[Reply]:
    replies = [Reply(template="proposal/likely.j2", context=context)]
    if context["weaknesses"] is not None:
        replies.append(Reply(template="proposal/pitch_check.j2", context=context))
    replies.append(draft_reply(context, with_buttons=live, place="new"))
    return replies


def draft_reply(context: dict[str, Any], *, with_buttons: bool = True,
                place: Place = "replace") -> Reply:
    link = [Button(label="handoff", event=Event(verb="handoff"))]
    buttons = outcome.draft_buttons(context, DRAFTS, extra=link) if with_buttons else []
    return outcome.draft_reply("proposal/draft.j2", context, buttons, place=place)


def handoff_reply(context: dict[str, Any]) -> tuple[Reply, MakeHandoff]:
    """A link that opens a creator review already holding these facts: its message, and the
    hand-off (the bot makes the link, and fills in ``link`` and ``days`` where it can)."""
    reply = Reply(template="proposal/handoff.j2", context={**context, "link": None, "days": 0})
    return reply, MakeHandoff(flow="creator", answers=context["handover"])


SPEC = FlowSpec(
    name=NAME,
    code="p",
    commands=("proposal",),
    questions=QUESTIONS,
    machine=MACHINE,
    summarize=summary,
    present=present,
    draft=draft_reply,
    export=lambda context: outcome.export_reply(NAME, context, "halo-proposal-check"),
    drafts=DRAFTS,
    handoff=handoff_reply,
)

