"""Reminders planned, not sent: which reminder a deal is owed, when, and the buttons that act on it.

``plan(deal, tz)`` lists every reminder the deal still has coming at its current stage (none
already sent, stopped or past its stage), each at a time the creator is awake; ``due(deal, now,
tz)`` keeps those due by ``now``. Nothing here reads the clock: the caller passes ``now``. A
reminder's ``key`` names it with its time, so storage can keep it once and a changed date or a
snooze makes a new one. ``snooze``, ``reschedule``, ``stop`` and ``delivered`` return the deal
as the creator's press leaves it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from flows.creator.questions import QUESTIONS
from flows.deal.model import DateField, Deal, Stage
from flows.deal.zone import MORNING, awake, on_day
from flows.snapshot import Answer

Kind = Literal["sample_arrived", "sample_verdict", "draft_due", "caption", "go_live", "invoice",
               "chase_polite", "chase_firm", "usage_ends", "exclusivity_ends"]
ActionVerb = Literal["agree", "receive", "post", "invoice", "collect", "drop", "reopen", "draft",
                     "caption", "snooze", "reschedule", "stop"]

SAMPLE_ARRIVAL_DAYS = 4  # "did it arrive?" this long after asking for the sample
FIRM_CHASE_DAYS = 14  # the firmer chase, this long after the polite one
SNOOZE_DAYS = 1
# a sample tried: the review is answered again from its values questions, the rest kept
REOPEN_AT = tuple(q.id for q in QUESTIONS.questions if q.group == "values")


def kept_for_review(answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """A decided review's answers without its values questions: the review reopened after the
    trial asks those again (the first of ``REOPEN_AT`` first) and keeps the rest."""
    return {question: value for question, value in answers.items() if question not in REOPEN_AT}


class Action(BaseModel):
    """A button on a reminder: ``label`` is a key of ``prompts/deal/labels.j2``; ``verb`` is a
    stage verb (``flows.deal.stages``) or a reminder verb (snooze, reschedule, stop), a draft to
    show or the caption check; ``arg`` its argument."""

    model_config = ConfigDict(frozen=True)

    label: str
    verb: ActionVerb
    arg: str = ""


class Reminder(BaseModel):
    """One message owed to the creator about a deal, at ``due`` (UTC, never at night local)."""

    model_config = ConfigDict(frozen=True)

    deal_id: str
    kind: Kind
    due: datetime
    about: date  # the day it is about (the sample request, a due date, the end of a window)
    key: str
    actions: tuple[Action, ...]


SNOOZE = Action(label="snooze", verb="snooze", arg=str(SNOOZE_DAYS))
RESCHEDULE = Action(label="reschedule", verb="reschedule")
STOP = Action(label="stop", verb="stop")


@dataclass(frozen=True, slots=True)
class Rule:
    """When a kind of reminder is owed: the stages it belongs to, the day it is about, how many
    days after that day it comes (negative: before), and the buttons that act on it. ``changes``
    is the deal field a "change the date" press changes (None: it cannot be changed)."""

    stages: tuple[Stage, ...]
    about: Callable[[Deal], date | None]
    offset: int
    actions: tuple[Action, ...]
    changes: DateField | None = None
    exact: bool = False  # at the moment ``about`` is measured from (the reply), not a morning


PRE_POST: tuple[Stage, ...] = ("agreed", "content_due")
AFTER_POST: tuple[Stage, ...] = ("posted", "invoiced", "paid")

RULES: dict[Kind, Rule] = {
    "sample_arrived": Rule(
        stages=("sample_on_way",), about=lambda d: d.replied_at.date(), offset=SAMPLE_ARRIVAL_DAYS,
        exact=True,
        actions=(Action(label="arrived", verb="receive"), SNOOZE, STOP)),
    "sample_verdict": Rule(
        stages=("trying",), about=lambda d: d.trial_end, offset=0, changes="trial_ends",
        actions=(Action(label="still_like", verb="reopen", arg=REOPEN_AT[0]),
                 Action(label="not_for_me", verb="drop"), SNOOZE, RESCHEDULE, STOP)),
    "draft_due": Rule(
        stages=PRE_POST, about=lambda d: d.draft_due, offset=-1, changes="draft_due",
        actions=(SNOOZE, RESCHEDULE, STOP)),
    "caption": Rule(
        stages=PRE_POST, about=lambda d: d.go_live, offset=-1, changes="go_live",
        actions=(Action(label="check_caption", verb="caption"), SNOOZE, RESCHEDULE, STOP)),
    "go_live": Rule(
        stages=PRE_POST, about=lambda d: d.go_live, offset=0, changes="go_live",
        actions=(Action(label="posted", verb="post"), SNOOZE, RESCHEDULE, STOP)),
    "invoice": Rule(
        stages=("posted",), offset=0,
        about=lambda d: d.posted_on if d.terms.fee is not None else None,
        actions=(Action(label="invoice_draft", verb="draft", arg="invoice"),
                 Action(label="invoice_sent", verb="invoice"), SNOOZE, STOP)),
    "chase_polite": Rule(
        stages=("invoiced",), about=lambda d: d.payment_due_on, offset=1, changes="payment_due",
        actions=(Action(label="chase_draft", verb="draft", arg="chase_polite"),
                 Action(label="paid", verb="collect"), SNOOZE, RESCHEDULE, STOP)),
    "chase_firm": Rule(
        stages=("invoiced",), about=lambda d: d.payment_due_on, offset=1 + FIRM_CHASE_DAYS,
        changes="payment_due",
        actions=(Action(label="chase_draft", verb="draft", arg="chase_firm"),
                 Action(label="paid", verb="collect"), SNOOZE, STOP)),
    "usage_ends": Rule(
        stages=AFTER_POST, about=lambda d: d.usage_ends_on, offset=0, changes="usage_ends",
        actions=(Action(label="still_used", verb="draft", arg="renewal"), STOP)),
    "exclusivity_ends": Rule(
        stages=AFTER_POST, about=lambda d: d.exclusivity_ends_on, offset=0,
        changes="exclusivity_ends", actions=(Action(label="noted", verb="stop"),)),
}


def _when(deal: Deal, kind: Kind, rule: Rule, about: date, tz: ZoneInfo) -> datetime:
    snoozed = deal.snoozed.get(kind)
    if snoozed is not None:
        return awake(snoozed, tz)
    if rule.exact:
        return awake(deal.replied_at + timedelta(days=rule.offset), tz)
    return awake(on_day(about + timedelta(days=rule.offset), MORNING, tz), tz)


def plan(deal: Deal, tz: ZoneInfo) -> list[Reminder]:
    """Every reminder the deal still has coming, soonest first."""
    planned = []
    for kind, rule in RULES.items():
        if deal.stage not in rule.stages or kind in deal.stopped:
            continue
        about = rule.about(deal)
        if about is None:
            continue
        due = _when(deal, kind, rule, about, tz)
        key = f"{deal.id}/{kind}/{due.strftime('%Y%m%dT%H%M')}"
        if key not in deal.sent:
            planned.append(Reminder(deal_id=deal.id, kind=kind, due=due, about=about, key=key,
                                    actions=rule.actions))
    return sorted(planned, key=lambda r: r.due)


def due(deal: Deal, now: datetime, tz: ZoneInfo) -> list[Reminder]:
    """The reminders due by ``now``, oldest first; none while it is night for the creator (one
    overdue after an outage waits for the morning: see ``sendable_from``)."""
    if awake(now, tz) != now:
        return []
    return [r for r in plan(deal, tz) if r.due <= now]


def sendable_from(reminder: Reminder, now: datetime, tz: ZoneInfo) -> datetime:
    """The first moment from ``now`` the reminder may go out: now, or the morning after a night
    (what a sending loop re-queues a reminder it claimed at night for)."""
    return awake(max(now, reminder.due), tz)


def next_due(deal: Deal, tz: ZoneInfo) -> datetime | None:
    """When the deal's next reminder falls (what storage indexes to find due deals)."""
    coming = plan(deal, tz)
    return coming[0].due if coming else None


def delivered(deal: Deal, reminder: Reminder) -> Deal:
    """The deal once ``reminder`` went out: never planned again (a snooze is used up)."""
    snoozed = {k: v for k, v in deal.snoozed.items() if k != reminder.kind}
    return deal.model_copy(update={"sent": [*deal.sent, reminder.key], "snoozed": snoozed})


def snooze(deal: Deal, kind: Kind, now: datetime, days: int = SNOOZE_DAYS) -> Deal:
    """Ask again ``days`` later (moved to the morning if that falls at night)."""
    return deal.model_copy(update={"snoozed": {**deal.snoozed,
                                               kind: now + timedelta(days=days)}})


def reschedule(deal: Deal, kind: Kind, day: date) -> Deal | None:
    """Move the day the reminder is about (a due date, go-live, the end of the trial); None when
    that reminder has no date to change."""
    field = RULES[kind].changes
    if field is None:
        return None
    moved = {k for k, rule in RULES.items() if rule.changes == field}
    snoozed = {k: v for k, v in deal.snoozed.items() if k not in moved}
    return deal.model_copy(update={field: day, "snoozed": snoozed})


def stop(deal: Deal, kind: Kind) -> Deal:
    """No more of this kind of reminder for this deal."""
    return deal.model_copy(update={"stopped": [*deal.stopped, kind]}) \
        if kind not in deal.stopped else deal
