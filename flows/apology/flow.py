"""The apology coach flow: an apology post, a longer email, an action checklist, a draft check."""

from __future__ import annotations

from typing import Any

from flows import outcome
from flows.apology.check import check_draft
from flows.apology.questions import QUESTIONS
from flows.engine import FlowSpec
from flows.machine import build_machine
from flows.questions import SKIPPED
from flows.replies import Place, Reply
from flows.snapshot import Snapshot

NAME = "apology"
MACHINE = build_machine(QUESTIONS)
DRAFTS = ("post", "email")


# what went wrong, weightiest first: the apology leads with the first one ticked
WEIGHT_ORDER = ("safety", "disliked", "unlabelled", "untried", "claims", "disappointed", "money")


def _listed(value: Any, order: tuple[str, ...] | None = None) -> list[str]:
    parts = [part for part in value.split(",") if part] if isinstance(value, str) else []
    if value == SKIPPED:
        return []
    return sorted(parts, key=order.index) if order else parts


def _typed(value: Any) -> str | None:
    return value if isinstance(value, str) and value != SKIPPED else None


def summary(snapshot: Snapshot) -> dict[str, Any]:
    """The apology's facts and the check of the creator's own draft, as JSON-ready data."""
    answers = outcome.plain(QUESTIONS.relevant(snapshot.answers))
    pasted = _typed(answers.get("own_draft"))
    return {
        "flow": NAME,
        **outcome.answered(QUESTIONS, snapshot.answers),
        "promoted": answers.get("promoted", ""),
        "went_wrong": _listed(answers.get("went_wrong"), WEIGHT_ORDER),
        "community": _listed(answers.get("community")),
        "recall_notice": _typed(answers.get("recall_notice")),
        "changes": _listed(answers.get("changes")),
        "content_up": answers.get("content_up"),
        "content_next": answers.get("content_next"),
        "buyers": answers.get("buyers"),
        "forgiveness": answers.get("forgiveness") == "yes",
        "name": _typed(answers.get("sign_as")),
        "check": check_draft(pasted).model_dump() if pasted else None,
        "tone": snapshot.tone,
        "draft": snapshot.draft if snapshot.draft in DRAFTS else "post",
    }


def present(context: dict[str, Any], live: bool) -> list[Reply]:
    replies = [Reply(template="apology/checklist.j2", context=context)]
    if context["check"] is not None:
        replies.append(Reply(template="apology/check.j2", context=context))
    replies.append(draft_reply(context, with_buttons=live, place="new"))
    return replies


def draft_reply(context: dict[str, Any], *, with_buttons: bool = True,
                place: Place = "replace") -> Reply:
    buttons = outcome.draft_buttons(context, DRAFTS) if with_buttons else []
    return outcome.draft_reply("apology/draft.j2", context, buttons, place=place)


SPEC = FlowSpec(
    name=NAME,
    code="a",
    commands=("apology",),
    questions=QUESTIONS,
    machine=MACHINE,
    summarize=summary,
    present=present,
    draft=draft_reply,
    export=lambda context: outcome.export_reply(NAME, context, "halo-apology"),
    drafts=DRAFTS,
    title=lambda summary: str(summary["promoted"])[:120],  # what was promoted
    verdict=lambda summary: NAME,
)

