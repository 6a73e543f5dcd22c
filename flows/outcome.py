"""What every flow's final step offers: buttons for tone, the other drafts, export and what next."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flows.questions import QuestionSet
from flows.replies import Button, Event, Place, Reply
from flows.snapshot import Answer, Money, Tone

TONES: tuple[Tone, ...] = ("warm", "professional", "brief")


def shown(value: Answer) -> Any:
    """An answer as JSON-ready data for templates (an amount as a dict)."""
    return value.model_dump(mode="json") if isinstance(value, Money) else value


def plain(answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Answers as JSON-ready data."""
    return {key: shown(value) for key, value in answers.items()}


def answered(questions: QuestionSet, answers: dict[str, Answer]) -> dict[str, Any]:
    """The answers this path asked, in order, with each question's kind (for listing them)."""
    relevant = questions.relevant(answers)
    return {
        "answers": plain(relevant),
        "order": [q.id for q in questions.asked(relevant) if q.id in relevant],
        "kinds": {q.id: q.kind for q in questions.questions},
    }


def draft_buttons(context: dict[str, Any], kinds: Iterable[str], *,
                  extra: list[Button] | None = None,
                  navigation: bool = True) -> list[list[Button]]:
    """Tone, the other drafts worth switching to, then export, change answers and start again.

    ``navigation=False`` leaves out change answers and start again (a team review offers neither).
    """
    current = context["draft"]
    tones = [Button(label=f"tone.{tone}", event=Event(verb="tone", arg=tone))
             for tone in TONES if tone != context["tone"]]
    switches = [Button(label=f"draft.{kind}", event=Event(verb="draft", arg=kind))
                for kind in dict.fromkeys(kinds) if kind != current]
    export_row = [Button(label="export", event=Event(verb="export"))]
    if navigation:
        export_row.append(Button(label="change_answers", event=Event(verb="back")))
    rows = [tones, switches, *([extra] if extra else []), export_row,
            [Button(label="new_review", event=Event(verb="begin"))] if navigation else []]
    return [row for row in rows if row]


def draft_reply(template: str, context: dict[str, Any], buttons: list[list[Button]],
                *, place: Place = "replace") -> Reply:
    return Reply(template=template, context=context, buttons=buttons, place=place)


def export_reply(flow: str, context: dict[str, Any], name: str) -> Reply:
    return Reply(template=f"{flow}/export.md.j2", context=context,
                 document=document_name(name, context))


def document_name(kind: str, context: dict[str, Any]) -> str:
    """An export's file name: the kind, the brand and the day it was decided, when known
    ("halo-review-glow-2026-12-04.md"), so a folder of them reads at a glance."""
    brand = context.get("brand")
    slug = re.sub(r"[\W_]+", "-", brand.casefold()).strip("-")[:40].strip("-") \
        if isinstance(brand, str) else ""
    day = context.get("decided_on")
    parts = [kind, slug, day if isinstance(day, str) and DAY.fullmatch(day) else ""]
    return "-".join(part for part in parts if part) + ".md"


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def offer_title(summary: dict[str, Any]) -> str:
    """A kept decision's title in ``/history``: the brand and the product of the offer."""
    parts = [str(summary.get("brand") or ""), str(summary.get("product") or "")]
    return " · ".join(part for part in parts if part)[:120]


def verdict_of(summary: dict[str, Any]) -> str:
    """A kept decision's verdict: the one the summary's decision gives."""
    return str(summary["decision"]["verdict"])
