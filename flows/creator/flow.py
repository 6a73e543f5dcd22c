"""The creator review flow: its machine, what it shows once decided, and its entry point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flows import outcome
from flows.creator.decision import (
    ASK_ORDER,
    DRAFT_FOR,
    Decision,
    asks,
    decide,
    decline_reason,
    product_is_fine,
)
from flows.creator.fixing import ReadingFlowSpec, facts_reply, reading_of
from flows.creator.offer_terms import message_terms
from flows.creator.questions import QUESTIONS
from flows.engine import card_view
from flows.exchange_rates import months_old
from flows.machine import build_machine
from flows.questions import SIGNATURE
from flows.reading.offer import read_offer
from flows.reading.review import review_clauses
from flows.reading.windows import asked_lengths
from flows.replies import Button, Event, Place, Reply
from flows.snapshot import Answer, Snapshot

NAME = "creator"
MACHINE = build_machine(QUESTIONS)
DRAFTS = ("accept", "counter", "sample", "decline")
TRACK = Button(label="track", event=Event(verb="track"))


def draft_kind(snapshot: Snapshot, decision: Decision) -> str:
    return snapshot.draft if snapshot.draft in DRAFTS else DRAFT_FOR[decision.verdict]


def first_name(signature: object) -> str:
    """The name a reply is signed with: what the person gave, as they wrote it."""
    return signature.strip() if isinstance(signature, str) else ""


def summary(snapshot: Snapshot) -> dict[str, Any]:
    """Everything the decision's messages need, as JSON-ready data (also what history keeps)."""
    reading = reading_of(snapshot)
    clauses = [flag.code for flag in review_clauses(reading).flags] if reading else []
    answers = QUESTIONS.relevant(snapshot.answers)
    lengths = asked_lengths(reading, answers) if reading else {}
    decision = decide(snapshot.answers, clauses, lengths)
    facts = outcome.plain(answers)
    return {
        "flow": NAME,
        "brand": facts.get("brand", ""),
        "product": facts.get("product", ""),
        **outcome.answered(QUESTIONS, snapshot.answers),
        "decision": decision.model_dump(mode="json"),
        "counter_points": [flag.code for flag in decision.counter_points],
        "asks": asks(decision),
        # the brand's own terms, when the review began from its message (kept facts only)
        "message_terms": message_terms(reading, decision, answers, asks(decision))
        if reading is not None else None,
        "decline_reason": decline_reason(decision),
        "signature": first_name(answers.get(SIGNATURE)),
        "rates_age": months_old(snapshot.updated_at.date())
        if decision.money is not None and decision.money.rates_as_of else None,
        "product_fine": product_is_fine(answers),
        "tone": snapshot.tone,
        "draft": draft_kind(snapshot, decision),
        "recommended_draft": DRAFT_FOR[decision.verdict],
        "decided_on": snapshot.updated_at.date().isoformat(),  # names its download
    }


# questions a review asked before issue 12 and no longer does (kept decisions may cite them)
RETIRED = frozenset({"ingredients_ok", "proud", "shared_goals", "existing_followers"})
BASIS_OF = {"accept": "fair", "negotiate": "terms", "sample_first": "not_tried", "decline": "fit"}


def readable(context: dict[str, Any]) -> dict[str, Any]:
    """A summary kept for /history before issue 12, in today's shape, so it still opens: what it
    never held (the money worked out, the asks, a signature) is left out rather than guessed."""
    if "asks" in context:
        return context
    old = context["decision"]
    gate = old.get("gate")
    basis = BASIS_OF[old["verdict"]] if gate is None else "label" if gate == "label" else "gate"
    current = [q for q in context["order"] if q not in RETIRED]
    points = context.get("counter_points", [])
    return {
        **context,
        "order": current,
        "answers": {q: v for q, v in context["answers"].items() if q not in RETIRED},
        "decision": {
            **old, "basis": basis, "money": None, "reminders": [],
            "reasons": [r for r in old["reasons"] if r.get("question") not in RETIRED],
            "flags": [f for f in old["flags"] if f.get("question") not in RETIRED],
        },
        "asks": [code for code in ASK_ORDER if code in points],
        "decline_reason": "gate" if basis == "gate" else "label" if basis == "label"
        else "terms" if old["verdict"] == "negotiate" else "fit",
        "signature": "",
        "rates_age": None,
    }


def draft_buttons(context: dict[str, Any], *, navigation: bool = True) -> list[list[Button]]:
    """Tone, the other drafts worth switching to, and what to do next (see
    ``outcome.draft_buttons``); a scam is offered no counter-offer, a closed gate none either."""
    switches = [context["recommended_draft"], "counter", "decline"]
    if context["decline_reason"] in ("scam", "gate", "label"):
        switches = [context["recommended_draft"]]
    # a reply that opens a deal can be followed from here: dates, reminders, invoice
    track = [TRACK] if context["draft"] != "decline" and navigation else None
    return outcome.draft_buttons(context, switches, extra=track, navigation=navigation)


def decision_replies(context: dict[str, Any], *, with_buttons: bool = True) -> list[Reply]:
    """The decision card, then the draft; ``context`` is a ``summary`` (fresh or from history).
    Live, the card shows what matters most, its details behind a button; reopened from
    /history (no buttons) it shows them all."""
    context = readable(context)
    card = Reply(template="creator/decision.j2",
                 context={**context, "glance": at_a_glance(context["decision"]),
                          "details": not with_buttons})
    return [
        card_view(card, False).model_copy(update={"place": "new"}) if with_buttons else card,
        draft_reply(context, with_buttons=with_buttons, place="new"),
    ]


GLANCE = 3  # the things a card shows before its details


def at_a_glance(decision: dict[str, Any]) -> list[dict[str, Any]]:
    """The few reasons and flags that matter most, for the card's first screen: for a yes (or
    a yes once terms change) the red flags and the asks first, for a no what settled it; a
    flag and a reason about the same answer are said once."""
    flags = [{"flag": True, **f} for f in decision["flags"] if f["level"] != "note"]
    flags.sort(key=lambda f: f["level"] != "red_flag")
    against = [{"flag": False, **r} for r in decision["reasons"] if not r["positive"]]
    for_it = [{"flag": False, **r} for r in decision["reasons"] if r["positive"]]
    order = [*flags, *against, *for_it] if decision["verdict"] in ("accept", "negotiate") \
        else [*against, *flags, *for_it]
    chosen: list[dict[str, Any]] = []
    about: set[str] = set()
    for item in order:
        question = item.get("question")
        if question and question in about:
            continue
        chosen.append(item)
        about.add(question or item["code"])
        if len(chosen) == GLANCE:
            break
    return chosen


def draft_reply(context: dict[str, Any], *, with_buttons: bool = True,
                place: Place = "replace") -> Reply:
    buttons = draft_buttons(context) if with_buttons else []
    return outcome.draft_reply("creator/draft.j2", context, buttons, place=place)


def export_reply(context: dict[str, Any]) -> Reply:
    context = readable(context)
    return outcome.export_reply(NAME, context, "halo-review")


def read_message(text: str, left: Callable[[dict[str, Answer]], int]
                 ) -> tuple[dict[str, Answer], Reply]:
    """A brand's message, pasted or forwarded: the review's answers it states, and the reply
    that shows what was read (each fact quoted, the clause review, a scam said first)."""
    reading = read_offer(text)
    answers = reading.answers()
    return answers, facts_reply(reading, left(answers))


SPEC = ReadingFlowSpec(
    name=NAME,
    code="c",
    commands=("review", "new"),
    questions=QUESTIONS,
    machine=MACHINE,
    summarize=summary,
    present=lambda context, live: decision_replies(context, with_buttons=live),
    draft=draft_reply,
    export=export_reply,
    drafts=DRAFTS,
    reads=read_message,
)

