"""The one path every question flow takes: ``advance(snapshot, event) -> Step``.

A ``FlowSpec`` says what is particular to a flow (its questions, its machine, its templates, what
it shows once decided, how it registers); this module does the rest the same way for all of them:
typed and pressed answers, Back, edit from the review step, Skip, Cancel, Restart, the progress
line, and the effect of reaching a decision (keep it for ``/history``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from transitions import Machine

from flows import review_step
from flows.flow import (
    KeepStyle,
    MakeHandoff,
    RecordDecision,
    Scope,
    Step,
    TrackDeal,
    decision_mark,
)
from flows.machine import (
    CANCELLED,
    DECIDED,
    REVIEW,
    REVIEW_MARK,
    Holder,
    ask_state,
    fire,
    question_of,
    transitions_for,
)
from flows.outcome import TONES, offer_title, plain, shown, verdict_of
from flows.questions import (
    SIGNATURE,
    SKIPPED,
    Question,
    QuestionSet,
    Unplaceable,
    joined,
    normalize,
    parse_answer,
)
from flows.replies import Actor, Button, Event, Reply
from flows.snapshot import Answer, Snapshot, utc_now


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """A question flow (a ``Flow``): what makes it itself; the engine supplies what they share."""

    name: str
    code: str  # on its buttons' callback data
    commands: tuple[str, ...]  # what starts it; the first is its menu entry
    questions: QuestionSet
    machine: Machine
    summarize: Callable[[Snapshot], dict[str, Any]]  # the decision as JSON-ready data (kept)
    present: Callable[[dict[str, Any], bool], list[Reply]]  # a summary's messages; live: buttons
    draft: Callable[[dict[str, Any]], Reply]  # the draft alone, after a change of tone or kind
    export: Callable[[dict[str, Any]], Reply]  # the whole decision as a document
    drafts: tuple[str, ...]  # the draft kinds a person may switch to
    # a link for someone else, if any: its message and what the link hands over
    handoff: Callable[[dict[str, Any]], tuple[Reply, MakeHandoff]] | None = None
    title: Callable[[dict[str, Any]], str] = offer_title  # a kept decision's title in /history
    verdict: Callable[[dict[str, Any]], str] = verdict_of  # and its verdict
    scope: Scope = "private"
    # a flow that can begin from a message someone pasted or forwarded: the answers it states,
    # and what to say about it, given how many questions are left to ask
    reads: Callable[[str, Callable[[dict[str, Answer]], int]],
                    tuple[dict[str, Answer], Reply]] | None = None

    def advance(self, snapshot: Snapshot | None, event: Event) -> Step:
        """Apply one user event to a conversation; its next snapshot, replies and effects."""
        return run(self, snapshot, event)

    def current(self, snapshot: Snapshot) -> list[Reply]:
        """Show the current step again (after a restart of the bot, or a stale button)."""
        if snapshot.step == DECIDED:
            return self.decided(snapshot)
        return [_prompt(self, snapshot)]

    def shown_after(self, snapshot: Snapshot, event: Event) -> list[Reply]:
        """The current step below the answered line of the answer that led to it."""
        last = snapshot.history[-1] if snapshot.history else ""
        question = self.questions.by_id.get(last)
        if event.verb not in ("answer", "skip") or question is None \
                or last not in snapshot.answers:
            return self.current(snapshot)
        return [answered_reply(self.name, question, snapshot.answers[last]),
                *self.current(snapshot)]

    def begin_with(self, answers: dict[str, Answer], actor: Actor | None = None) -> Step:
        """Start the flow with answers given in advance (and the name ``actor`` signs with);
        what to show first."""
        snapshot = start(self, {**signed(actor), **answers})
        return Step(snapshot, [_prompt(self, snapshot)])

    def forget(self, snapshot: Snapshot, user_id: int) -> Snapshot | None:
        """A question flow holds one person's answers: nobody else's to forget."""
        return None

    def diagram(self) -> str:
        from flows.diagram import mermaid  # the graph machine only where a diagram is drawn

        return mermaid(self.name, *transitions_for(self.questions))

    def decided(self, snapshot: Snapshot) -> list[Reply]:
        """The replies of the ``decided`` step, with their buttons."""
        return self.present(self.summarize(snapshot), True)

    def decision(self, snapshot: Snapshot) -> tuple[list[Reply], RecordDecision]:
        """The ``decided`` step's replies, and the decision to keep (one summary for both)."""
        summary = self.summarize(snapshot)
        return self.present(summary, True), RecordDecision(self.title(summary),
                                                           self.verdict(summary), summary)


def start(spec: FlowSpec, answers: dict[str, Answer] | None = None) -> Snapshot:
    """A fresh conversation of the flow, at its first question not already answered.

    ``answers`` pre-fills what someone else already told us (a brand's proposal handed to the
    creator): those questions are skipped, and can still be changed at the review step.
    """
    known = {key: value for key, value in (answers or {}).items()
             if key in spec.questions.by_id}
    first = spec.questions.next_unanswered(known)
    step = ask_state(first.id) if first is not None else REVIEW
    return Snapshot(flow=spec.name, step=step, answers=known)


def run(spec: FlowSpec, snapshot: Snapshot | None, event: Event) -> Step:
    """The shared question path (``FlowSpec.advance``)."""
    if snapshot is None or snapshot.flow != spec.name or event.verb in ("begin", "restart"):
        read: list[Reply] = []
        known = signed(event.actor, snapshot)
        if event.arg and spec.reads is not None:
            # begun from a brand's message: what it states is answered; the text is not kept
            stated, said = spec.reads(
                event.arg, lambda given: questions_left(spec, {**known, **given}))
            known.update(stated)
            read.append(said)
        fresh = start(spec, known)
        notice = None
        if snapshot is not None and snapshot.flow == spec.name:
            fresh = fresh.model_copy(update={"version": snapshot.version + 1,
                                             "tone": snapshot.tone,
                                             "dropped": _droppable(snapshot, event)})
            notice = "started_over" if fresh.dropped is not None else None
        return Step(fresh, [*read, _prompt(spec, fresh, notice=notice)])
    handler = _HANDLERS.get(event.verb)
    if handler is None:
        return _stay(spec, snapshot, notice="not_now")
    return handler(spec, snapshot, event)


def _droppable(snapshot: Snapshot, event: Event) -> Snapshot | None:
    """What "start over" keeps for its Undo: the review in progress it replaces, if it holds
    answers (or the one an untouched review started over still keeps)."""
    if event.verb != "restart":
        return None
    waiting = question_of(snapshot.step) is not None or snapshot.step == REVIEW
    if waiting and _has_answers(snapshot):
        return snapshot.model_copy(update={"dropped": None})
    return snapshot.dropped if not snapshot.history else None


def _has_answers(snapshot: Snapshot) -> bool:
    """Whether the person answered anything (the name a flow signs with is given, not asked)."""
    return any(key != SIGNATURE for key in snapshot.answers)


def undoable(snapshot: Snapshot, now: datetime | None = None) -> bool:
    """Whether a review started over less than a day ago, nothing answered since, can be
    brought back with Undo."""
    return snapshot.dropped is not None and not snapshot.history \
        and (now or utc_now()) - snapshot.started_at < REOPEN_WITHIN


def questions_left(spec: FlowSpec, given: dict[str, Answer]) -> int:
    """How many questions a path that starts with ``given`` answered still asks."""
    return sum(1 for q in spec.questions.asked(given) if q.id not in given)


def _stay(spec: FlowSpec, snapshot: Snapshot, *, problem: str | None = None,
          notice: str | None = None) -> Step:
    """The step unchanged, shown again with a problem or a notice."""
    return Step(snapshot, [_prompt(spec, snapshot, problem=problem, notice=notice)])


def signed(actor: Actor | None, snapshot: Snapshot | None = None) -> dict[str, Answer]:
    """The name a flow signs with (``SIGNATURE``): the person's first name as the transport
    knows it, else the one the conversation being replaced used; changeable at the review."""
    name = actor.name.strip() if actor is not None else ""
    if not name and snapshot is not None and isinstance(snapshot.answers.get(SIGNATURE), str):
        name = str(snapshot.answers[SIGNATURE])
    return {SIGNATURE: name.split()[0][:40]} if name else {}


# --- handlers, one per verb ------------------------------------------------------------------

def _answer(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    question_id = question_of(snapshot.step)
    if question_id is None:
        notice = {REVIEW: "use_buttons", DECIDED: "decided_hint", CANCELLED: "cancelled_hint"}
        return _stay(spec, snapshot, notice=notice.get(snapshot.step, "not_now"))
    question = spec.questions.by_id[question_id]
    if question.kind == "multi" and normalize(event.arg) in DONE_WORDS:
        if not snapshot.picking:
            return _stay(spec, snapshot, problem="pick_one")
        return _record(spec, snapshot, question, joined(question, set(snapshot.picking)))
    try:
        value = parse_answer(question, event.arg, snapshot.answers)
    except Unplaceable as unplaced:
        return _stay(spec, snapshot, problem=unplaced.problem)
    return _record(spec, snapshot, question, value)


DONE_WORDS = frozenset({"done", "that's all", "thats all", "finished", "ok", "okay"})


def _pick(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """Tick or untick one option of a question that takes several answers."""
    question = spec.questions.by_id.get(question_of(snapshot.step) or "")
    if question is None or question.kind != "multi" or event.arg not in question.option_ids():
        return _stay(spec, snapshot, notice="not_now")
    picked = set(snapshot.picking) ^ {event.arg}
    moved = _moved(snapshot, picking=[o for o in question.option_ids() if o in picked])
    return Step(moved, [_prompt(spec, moved).model_copy(update={"place": "replace"})])


def _skip(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    question_id = question_of(snapshot.step)
    question = spec.questions.by_id.get(question_id or "")
    if question is None or not question.optional:
        return _stay(spec, snapshot, notice="cannot_skip")
    return _record(spec, snapshot, question, SKIPPED)


ANSWERED = "common/answered.j2"  # a question once answered: its buttons gone, the answer shown
UNDONE = "common/undone.j2"  # an answered line once its answer is taken back


def _record(spec: FlowSpec, snapshot: Snapshot, question: Question, value: Answer
            ) -> Step:
    answers = {**snapshot.answers, question.id: value}
    holder = Holder(snapshot.step, answers, questions=spec.questions)
    if not fire(spec.machine, "answer", holder):
        return _stay(spec, snapshot, notice="not_now")
    moved = _moved(snapshot, step=holder.state, answers=answers,
                   history=[*snapshot.history, question.id], editing=None, picking=[])
    settled = answered_reply(spec.name, question, value)
    if moved.step == DECIDED:  # a closed gate: decided without the review step
        replies, record = spec.decision(moved)
        return Step(moved, [settled, *replies], (record,))
    return Step(moved, [settled, _prompt(spec, moved)])


def answered_reply(flow: str, question: Question, value: Answer) -> Reply:
    """The asking message once answered: its buttons gone, the answer shown in their place."""
    return Reply(template=ANSWERED, place="replace", settles=True,
                 context={"flow": flow, "question": question.id, "kind": question.kind,
                          "value": shown(value)})


def _back(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    if not snapshot.history or snapshot.step == CANCELLED:
        return _stay(spec, snapshot, notice="first_question")
    mark = snapshot.history[-1]
    holder = Holder(snapshot.step, dict(snapshot.answers), back_to=mark,
                    questions=spec.questions)
    if not fire(spec.machine, "back", holder):
        return _stay(spec, snapshot, notice="not_now")
    answers = dict(snapshot.answers)
    taken_back: list[Reply] = []
    if mark != REVIEW_MARK and mark in answers:  # back undoes the last answer
        question = spec.questions.by_id[mark]
        taken_back = [answered_reply(spec.name, question, answers.pop(mark)).model_copy(
            update={"template": UNDONE, "place": "retract", "settles": False})]
    moved = _moved(snapshot, step=holder.state, answers=answers, history=snapshot.history[:-1],
                   editing=None, picking=[])
    return Step(moved, [*taken_back, _prompt(spec, moved)])


def _edit(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    question = spec.questions.by_id.get(event.arg)
    if question is None or not question.is_asked(snapshot.answers):
        return _stay(spec, snapshot, notice="not_now")
    holder = Holder(snapshot.step, dict(snapshot.answers), editing=question.id,
                    questions=spec.questions)
    if not fire(spec.machine, "edit", holder):
        return _stay(spec, snapshot, notice="not_now")
    moved = _moved(snapshot, step=holder.state, history=[*snapshot.history, REVIEW_MARK],
                   editing=question.id)
    return Step(moved, [_prompt(spec, moved)])


def _confirm(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    holder = Holder(snapshot.step, dict(snapshot.answers), questions=spec.questions)
    if not fire(spec.machine, "confirm", holder):
        return _stay(spec, snapshot, notice="not_now")
    moved = _moved(snapshot, step=holder.state, history=[*snapshot.history, REVIEW_MARK],
                   draft=None)
    (first, *rest), record = spec.decision(moved)
    # the review's message becomes the decision: its buttons would only be stale now
    return Step(moved, [first.model_copy(update={"place": "replace"}), *rest], (record,))


REOPEN_WITHIN = timedelta(days=1)  # how long a cancelled review can be taken up again


def reopenable(snapshot: Snapshot | None, now: datetime | None = None) -> bool:
    """Whether a cancelled conversation holds answers and was cancelled less than a day ago."""
    return snapshot is not None and snapshot.step == CANCELLED and _has_answers(snapshot) \
        and (now or utc_now()) - snapshot.updated_at < REOPEN_WITHIN


def _cancel(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    holder = Holder(snapshot.step, dict(snapshot.answers), questions=spec.questions)
    if not fire(spec.machine, "cancel", holder):
        return Step(snapshot, [Reply(template="common/cancelled.j2",
                                     context={"flow": spec.name, "kept": False})])
    moved = _moved(snapshot, step=holder.state, editing=None, picking=[])
    kept = reopenable(moved)
    undo = [[Button(label="undo_cancel", event=Event(verb="reopen"))]] if kept else []
    return Step(moved, [Reply(template="common/cancelled.j2",
                              context={"flow": spec.name, "kept": kept},
                              buttons=[*undo, [Button(label="new_review",
                                                      event=Event(verb="begin"))]])])


def _reopen(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """A cancelled review taken up again where it stopped (its answers were kept), or the one a
    review started over replaced, brought back as it was."""
    if undoable(snapshot):
        assert snapshot.dropped is not None
        # the same conversation as far as the transport goes: the question's message shows it
        restored = snapshot.dropped.model_copy(update={"version": snapshot.version + 1,
                                                       "started_at": snapshot.started_at,
                                                       "updated_at": utc_now()})
        return Step(restored, [_prompt(spec, restored, notice="restored")])
    holder = Holder(snapshot.step, dict(snapshot.answers), questions=spec.questions)
    if not reopenable(snapshot) or not fire(spec.machine, "reopen", holder):
        return _stay(spec, snapshot, notice="not_now")
    moved = _moved(snapshot, step=holder.state)
    return Step(moved, [_prompt(spec, moved, notice="reopened")])


def _retone(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    update: dict[str, Any] = {}
    if event.verb == "tone" and event.arg in TONES:
        update["tone"] = event.arg
    elif event.verb == "draft" and event.arg in spec.drafts:
        update["draft"] = event.arg
    holder = Holder(snapshot.step, dict(snapshot.answers), questions=spec.questions)
    if not update or not fire(spec.machine, "retone", holder):
        return _stay(spec, snapshot, notice="not_now")
    moved = _moved(snapshot, **update)
    summary = spec.summarize(moved)
    return Step(moved, [spec.draft(summary)],
                (KeepStyle({"tone": summary["tone"], "draft": summary["draft"]}),))


def _details(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """The decision card, opened to every reason (or closed again) in its own message."""
    card = spec.decided(snapshot)[0] if snapshot.step == DECIDED else None
    if card is None or not card.buttons:
        return _stay(spec, snapshot, notice="not_now")
    return Step(snapshot, [card_view(card, event.arg == "open")])


def card_view(card: Reply, details: bool) -> Reply:
    """A decision card at a glance, or with its details, and the button that turns it over."""
    turn = "close" if details else "open"
    return card.model_copy(update={
        "context": {**card.context, "details": details}, "place": "replace",
        "buttons": [[Button(label=f"details.{turn}", event=Event(verb="details", arg=turn))]]})


def _change(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """The review step's message turned into a short list of what to change (``arg``: a part,
    or none for them all); the conversation itself does not move."""
    listed = review_step.answered(spec.questions, snapshot.answers)
    offered = review_step.choices(listed, event.arg) if snapshot.step == REVIEW else None
    if offered is None:
        return _stay(spec, snapshot, notice="not_now")
    changing, buttons = offered
    summary = _prompt(spec, snapshot)
    return Step(snapshot, [summary.model_copy(update={
        "context": {**summary.context, "changing": changing, "part": event.arg or None},
        "buttons": buttons, "place": "replace"})])


def _resume(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    return Step(snapshot, spec.current(snapshot))


def _handoff(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    if snapshot.step != DECIDED or spec.handoff is None:
        return _stay(spec, snapshot, notice="not_now")
    reply, handoff = spec.handoff(spec.summarize(snapshot))
    return Step(snapshot, [reply], (handoff,))


def _track(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """The decision this step shows, to follow as a deal (the conversation does not move)."""
    if snapshot.step != DECIDED:
        return _stay(spec, snapshot, notice="not_now")
    summary = spec.summarize(snapshot)
    return Step(snapshot, [], (TrackDeal(decision_mark(spec.name, summary.get("answers"))),))


def _export(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    if snapshot.step != DECIDED:
        return _stay(spec, snapshot, notice="not_now")
    return Step(snapshot, [spec.export(spec.summarize(snapshot))])


Handler = Callable[[FlowSpec, Snapshot, Event], Step]
_HANDLERS: dict[str, Handler] = {
    "answer": _answer, "skip": _skip, "back": _back, "edit": _edit, "confirm": _confirm,
    "cancel": _cancel, "tone": _retone, "draft": _retone, "resume": _resume, "export": _export,
    "pick": _pick, "handoff": _handoff, "reopen": _reopen, "track": _track,
    "details": _details, "change": _change,
}


# --- what each step shows --------------------------------------------------------------------

def _moved(snapshot: Snapshot, **update: Any) -> Snapshot:
    """The conversation after a step; a review started over no longer keeps the one it
    replaced once it moves on (its Undo was on the first question only)."""
    return snapshot.model_copy(update={"dropped": None, **update,
                                       "version": snapshot.version + 1,
                                       "updated_at": utc_now()})


def progress(questions: QuestionSet, snapshot: Snapshot) -> tuple[int, int]:
    """Where the current question stands among those this path may still ask: (n, total).

    A question a branch may add is counted until the answer it hangs on rules it out, so the
    total only falls, and only when an answer closes a branch. An answer given in advance (a
    name from Telegram, a brand's proposal) is not counted: the person is not asked it, unless
    they choose to change it."""
    current = question_of(snapshot.step)
    asked = [q.id for q in questions.possible(snapshot.answers)
             if q.id not in snapshot.answers or q.id in snapshot.history or q.id == current]
    position = asked.index(current) + 1 if current in asked else len(asked)
    return position, len(asked)


NAV_BACK = Button(label="back", event=Event(verb="back"))
NAV_CANCEL = Button(label="cancel", event=Event(verb="cancel"))
UNDO_RESTART = Button(label="undo_restart", event=Event(verb="reopen"))


def _prompt(spec: FlowSpec, snapshot: Snapshot, *, problem: str | None = None,
            notice: str | None = None) -> Reply:
    """The message for the current step, with its buttons; ``problem`` explains a retry."""
    context: dict[str, Any] = {"flow": spec.name, "problem": problem, "notice": notice,
                               **plain(snapshot.answers)}
    question_id = question_of(snapshot.step)
    if question_id is not None:
        question = spec.questions.by_id[question_id]
        number, total = progress(spec.questions, snapshot)
        context.update(question=question.id, kind=question.kind, number=number, total=total,
                       options=list(question.option_ids()), editing=snapshot.editing,
                       picking=list(snapshot.picking),
                       current=shown(snapshot.answers[question.id])
                       if question.id in snapshot.answers else None)
        rows = _option_rows(question, snapshot.picking)
        nav = [NAV_BACK] if snapshot.history else []
        if question.optional:
            nav.append(Button(label="skip", event=Event(verb="skip")))
        nav.append(NAV_CANCEL)
        undo = [[UNDO_RESTART]] if undoable(snapshot) else []
        return Reply(template="common/ask.j2", context=context, buttons=[*rows, *undo, nav])
    if snapshot.step == REVIEW:
        listed = review_step.answered(spec.questions, snapshot.answers)
        context.update(rows=review_step.rows(listed, snapshot.answers), changing=None,
                       part=None)
        return Reply(template="common/review.j2", context=context, buttons=[
            [Button(label="confirm", event=Event(verb="confirm"))], [review_step.CHANGE],
            [NAV_BACK, NAV_CANCEL]])
    if snapshot.step == DECIDED:
        replies = spec.decided(snapshot)
        if notice is None:
            return replies[0]
        return Reply(template="common/notice.j2", context=context,
                     buttons=replies[-1].buttons)
    return Reply(template="common/notice.j2", context={**context, "notice": "cancelled_hint"},
                 buttons=[[Button(label="new_review", event=Event(verb="begin"))]])


def _option_rows(question: Question, picking: list[str]) -> list[list[Button]]:
    if question.kind != "multi":
        return choice_rows(question)
    ticks = [[Button(label=f"{question.id}.{option.id}", ticked=option.id in picking,
                     event=Event(verb="pick", arg=option.id))] for option in question.options]
    return [*ticks, [Button(label="done", event=Event(verb="answer", arg="done"))]]


@cache  # a single-answer question's buttons never change (frozen questions and buttons)
def choice_rows(question: Question) -> list[list[Button]]:
    """A single-answer question's option buttons: one row for a short yes/no question, else one
    button a row. Cached and shared: copy a row before changing it."""
    buttons = [Button(label=f"{question.id}.{option.id}",
                      event=Event(verb="answer", arg=option.id)) for option in question.options]
    if len(buttons) <= 3 and question.kind == "choice" and all(
            option.id in ("yes", "no", "unsure", "partly") for option in question.options):
        return [buttons] if buttons else []
    return [[button] for button in buttons]
