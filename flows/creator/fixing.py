"""Every fact read from a brand's message, correctable from the message that shows it.

The facts message ("what I read") carries a Fix button. Pressed, that message becomes the list
of the facts read (a screen of ``PAGE`` at a time); a fact opens the way to correct it: the
review's own question for a fact that answers one (its options, or a typed answer), and "the
message doesn't say that" for every fact, which takes it out so the review asks it. A correction
changes the kept reading (``Snapshot.offer``: facts and short quotes, never the message) and the
answers the reading settled; the facts and the clause review are shown again, and the review
goes on where it was. ``fixing`` on the snapshot says where the correction stands: ``""`` the
list, ``"+<n>"`` its n-th screen, otherwise the fact's code. The deliverables, which no review
question holds, are corrected by typing them ("3 reels and 2 stories"), read by the reader
itself. A message that reads as a scam only because of who sent it (a free-mail address) can be
vouched for ("this is the real brand"): it is then read as an offer, with a warning that says
what to verify, and the review still asks the brand for proof first. Only the Fix button itself
(``fix`` with no argument) works whatever the review's version: it changes no answer.
"""

from __future__ import annotations

from typing import Any

from flows.creator.questions import QUESTIONS
from flows.engine import FlowSpec, choice_rows, questions_left, run
from flows.flow import Step
from flows.machine import REVIEW, ask_state, question_of
from flows.outcome import shown
from flows.questions import Question, Unplaceable, parse_answer
from flows.reading.offer import OfferReading, deliverables_in, read_offer
from flows.reading.review import fact_lines, offer_context, review_clauses
from flows.reading.terms import Fact
from flows.replies import Button, Event, Reply
from flows.snapshot import Answer, Snapshot, utc_now

FACTS = "reading/offer.j2"
FIXING = "reading/fix.j2"
PAGE = 7  # facts a screen (with More and Done, at most nine buttons)
# a fact's code -> the review question that corrects it; the rest can only be taken out
QUESTION_OF = {"brand": "brand", "product": "product", "pay": "pay",
               "usage_rights": "usage_rights", "exclusivity": "exclusivity",
               "payment_terms": "payment_terms", "revisions": "revisions", "label": "label",
               "claims": "claims"}
# facts no review question holds, corrected by typing what the message says
TYPED = frozenset({"deliverables"})
FIX_VERBS = frozenset({"fix", "unsay"})
VOUCH = Button(label="fix.vouch", event=Event(verb="fix", arg="vouch"))


def facts_reply(reading: OfferReading, asking: int | None) -> Reply:
    """What a brand's message was read to say, with the clause review; a Fix button when there
    is a fact to fix (a scam's signals are not facts: it gets a plain no, and no button)."""
    context = offer_context(reading, asking)
    if reading.can_vouch:  # a scam only by its sender: the creator may know the brand
        return Reply(template=FACTS, context=context, buttons=[[VOUCH]])
    fix = [[Button(label="fix", event=Event(verb="fix"))]]
    return Reply(template=FACTS, context=context,
                 buttons=fix if context["facts"] and not reading.is_scam else [])


def reading_of(snapshot: Snapshot) -> OfferReading | None:
    """The reading a review keeps (with the creator's corrections), if it began from one."""
    return OfferReading.model_validate(snapshot.offer) if snapshot.offer is not None else None


def fixable(reading: OfferReading) -> list[str]:
    """The codes of the facts shown, each once, in the order the facts message shows them."""
    codes: list[str] = []
    for fact in review_clauses(reading).facts:
        if fact.code not in codes:
            codes.append(fact.code)
    return codes


class ReadingFlowSpec(FlowSpec):
    """A question flow that can begin from a brand's message and keeps what it read, every
    fact correctable: the engine's path, plus the ``fix`` and ``unsay`` verbs."""

    def advance(self, snapshot: Snapshot | None, event: Event) -> Step:
        if snapshot is not None and snapshot.flow == self.name and (
                event.verb in FIX_VERBS or snapshot.fixing is not None):
            return fix(self, snapshot, event)
        step = run(self, snapshot, event)
        if event.arg and any(reply.template == FACTS for reply in step.replies):
            # begun from a brand's message: its facts and short quotes are kept, not the text
            kept = read_offer(event.arg).model_dump(mode="json")
            step = Step(step.snapshot.model_copy(update={"offer": kept}), step.replies,
                        step.effects)
        return step

    def current(self, snapshot: Snapshot) -> list[Reply]:
        reading = reading_of(snapshot)
        if snapshot.fixing is not None and reading is not None:
            return [_view(self, snapshot, reading).model_copy(update={"place": "new"})]
        return super().current(snapshot)


def fix(spec: FlowSpec, snapshot: Snapshot, event: Event) -> Step:
    """One event while a fact is being corrected (or the press that begins it)."""
    reading = reading_of(snapshot)
    asking = question_of(snapshot.step) is not None or snapshot.step == REVIEW
    codes = fixable(reading) if reading is not None else []
    if reading is None or not asking or not codes:
        # a review that kept no facts, or is no longer asking: nothing to correct any more
        if snapshot.fixing is not None:
            snapshot = snapshot.model_copy(update={"fixing": None})
            if event.verb not in FIX_VERBS:
                return spec.advance(snapshot, event)
        return Step(snapshot, [_notice(spec, snapshot, "fix_gone")])
    verb, arg = event.verb, event.arg
    if verb == "fix" and arg in ("", "list"):
        return _moved(snapshot, "", [_view(spec, _with(snapshot, ""), reading)])
    if verb == "fix" and arg == "more":
        page = _page(snapshot.fixing) + 1
        page = page if page * PAGE < len(codes) else 0
        moved = _with(snapshot, f"+{page}" if page else "")
        return _moved(snapshot, moved.fixing, [_view(spec, moved, reading)])
    if (verb == "fix" and arg == "done") or (verb == "back" and _page(snapshot.fixing) >= 0):
        return _done(spec, _with(snapshot, None), reading)
    if verb == "back":  # from a fact: its list again
        return _moved(snapshot, "", [_view(spec, _with(snapshot, ""), reading)])
    if verb == "fix" and arg == "vouch" and reading.can_vouch:
        return _done(spec, _with(snapshot, None), reading.model_copy(update={"vouched": True}))
    if verb == "fix" and arg in codes:
        return _moved(snapshot, arg, [_view(spec, _with(snapshot, arg), reading)])
    if verb == "unsay" and arg in codes:
        return _done(spec, _with(snapshot, None), _without(reading, arg), removed=arg)
    if verb in ("answer", "skip") and snapshot.fixing in QUESTION_OF:
        return _corrected(spec, snapshot, reading, snapshot.fixing, event)
    if verb == "answer" and snapshot.fixing in TYPED:
        return _retyped(spec, snapshot, reading, event.arg or "")
    if verb in ("cancel", "begin", "restart"):  # the review itself: the correction is left
        return spec.advance(_with(snapshot, None), event)
    if verb == "resume":
        return Step(snapshot, spec.current(snapshot))
    if verb in FIX_VERBS:  # a fact no longer read, or data we never wrote: the list again
        return _moved(snapshot, "", [_view(spec, _with(snapshot, ""), reading, hint="fix_gone")])
    return Step(snapshot, [_view(spec, snapshot, reading, hint="pick_fact")])


def _page(fixing: str | None) -> int:
    """The screen of the list being shown; -1 when a fact is open or nothing is."""
    if fixing == "":
        return 0
    if fixing and fixing.startswith("+") and fixing[1:].isdigit():
        return int(fixing[1:])
    return -1


def _with(snapshot: Snapshot, fixing: str | None) -> Snapshot:
    return snapshot.model_copy(update={"fixing": fixing})


def _moved(snapshot: Snapshot, fixing: str | None, replies: list[Reply]) -> Step:
    moved = snapshot.model_copy(update={"fixing": fixing, "version": snapshot.version + 1,
                                        "updated_at": utc_now()})
    return Step(moved, replies)


def _notice(spec: FlowSpec, snapshot: Snapshot, hint: str) -> Reply:
    return Reply(template=FIXING, context={"flow": spec.name, "hint": hint, "fact": None,
                                           "codes": [], "lines": [], "question": None,
                                           "typed": False, "can_vouch": False})


def _view(spec: FlowSpec, snapshot: Snapshot, reading: OfferReading,
          hint: str | None = None) -> Reply:
    """The facts message while a fact is corrected: the list, or one fact and how to fix it."""
    codes = fixable(reading)
    context: dict[str, Any] = {"flow": spec.name, "hint": hint, "fact": None, "codes": [],
                               "lines": [], "question": None, "typed": False,
                               "can_vouch": False}
    page = _page(snapshot.fixing)
    if page >= 0:
        shown_codes = codes[page * PAGE:(page + 1) * PAGE]
        context["codes"] = shown_codes
        context["lines"] = [line for line in fact_lines(reading) if line["code"] in shown_codes]
        facts = [[Button(label=f"fact.{code}", event=Event(verb="fix", arg=code))]
                 for code in shown_codes]
        more = [Button(label="fix.more", event=Event(verb="fix", arg="more"))] \
            if len(codes) > PAGE else []
        vouch = [[VOUCH]] if reading.can_vouch else []
        context["can_vouch"] = reading.can_vouch
        return Reply(template=FIXING, context=context, place="replace", buttons=[
            *vouch, *facts,
            [*more, Button(label="fix.done", event=Event(verb="fix", arg="done"))]])
    code = snapshot.fixing or ""
    lines = [line for line in fact_lines(reading) if line["code"] == code]
    context["fact"] = {"code": code, "lines": lines}
    question = _question(code)
    rows: list[list[Button]] = []
    if question is not None:
        value = snapshot.answers.get(question.id)
        context["question"] = {"id": question.id, "kind": question.kind,
                               "current": shown(value) if value is not None else None}
        rows = [list(row) for row in choice_rows(question)]
    context["typed"] = code in TYPED
    rows.append([Button(label="unsay", event=Event(verb="unsay", arg=code))])
    rows.append([Button(label="fix.list", event=Event(verb="fix", arg="list"))])
    return Reply(template=FIXING, context=context, place="replace", buttons=rows)


def _question(code: str) -> Question | None:
    question_id = QUESTION_OF.get(code)
    return QUESTIONS.by_id[question_id] if question_id is not None else None


def _corrected(spec: FlowSpec, snapshot: Snapshot, reading: OfferReading, code: str,
               event: Event) -> Step:
    """A fact's question answered: the fact now says what the creator said."""
    question = _question(code)
    assert question is not None
    if event.verb == "skip":
        return Step(snapshot, [_view(spec, snapshot, reading, hint="pick_fact")])
    try:
        value = parse_answer(question, event.arg, snapshot.answers)
    except Unplaceable as unplaced:
        return Step(snapshot, [_view(spec, snapshot, reading, hint=unplaced.problem)])
    if value == "not_stated":  # the message doesn't say it: the fact goes, the answer stays
        return _done(spec, _with(snapshot, None), _without(reading, code), removed=code,
                     answered=(question, value))
    if reading.answers().get(question.id) == value == snapshot.answers.get(question.id):
        return _done(spec, _with(snapshot, None), reading)  # read right after all: as it was
    return _done(spec, _with(snapshot, None), _replaced(reading, code, value),
                 answered=(question, value))


def _retyped(spec: FlowSpec, snapshot: Snapshot, reading: OfferReading, text: str) -> Step:
    """The deliverables typed as the message states them ("3 reels and 2 stories"): they
    replace those read (the quote kept), and one post or several follows the new count."""
    items = deliverables_in(text)
    if not items:
        return Step(snapshot, [_view(spec, snapshot, reading, hint="deliverables_unread")])
    old = reading.of("deliverables")
    if [(f.detail, f.per) for f in old] == items:
        return _done(spec, _with(snapshot, None), reading)  # read right after all: as it was
    quote = old[0].quote if old else ""
    typed = [Fact(code="deliverables", quote=quote, detail=item, per=per, corrected=True)
             for item, per in items]
    single = len(items) == 1 and items[0][0].startswith("1 ")
    facts: list[Fact] = []
    for fact in reading.facts:
        if fact.code == "deliverables":
            facts.extend(typed if typed[0] not in facts else [])
        elif fact.code == "ask" and fact.value in ("one_post", "few_posts"):
            facts.append(fact.model_copy(update={"value": "one_post" if single
                                                 else "few_posts"}))
        else:
            facts.append(fact)
    return _done(spec, _with(snapshot, None), reading.model_copy(update={"facts": facts}))


def _replaced(reading: OfferReading, code: str, value: Answer) -> OfferReading:
    """The reading with the facts of ``code`` replaced by one the creator corrected (its quote
    kept: the clause review still shows the message's own words)."""
    old = reading.of(code)
    detail = value if isinstance(value, str) else f"{value.amount} {value.currency}"
    fact = Fact(code=code, quote=old[0].quote if old else "", value=value, detail=detail,
                corrected=True)
    facts: list[Fact] = []
    for each in reading.facts:
        if each.code == code:
            if fact not in facts:
                facts.append(fact)
            continue
        facts.append(each)
    return reading.model_copy(update={"facts": facts})


def _without(reading: OfferReading, code: str) -> OfferReading:
    """The reading without a fact the message does not state after all."""
    return reading.model_copy(update={"facts": [f for f in reading.facts if f.code != code]})


def _done(spec: FlowSpec, snapshot: Snapshot, fixed: OfferReading, *,
          answered: tuple[Question, Answer] | None = None, removed: str | None = None) -> Step:
    """The correction applied: the answers the reading settled follow it (an answer the creator
    changed themselves stays theirs), the facts message shows the reading again, and the review
    goes on where it was (at the first question still open, or the review step)."""
    before = reading_of(snapshot)
    assert before is not None
    answers = dict(snapshot.answers)
    reopened: set[str] = set()  # questions the message no longer answers: the review asks them
    old, new = before.answers(), fixed.answers()
    for question_id in old.keys() | new.keys():
        if question_id in old and answers.get(question_id) != old[question_id]:
            continue  # the creator's own answer, not the message's
        if question_id in new:
            answers[question_id] = new[question_id]
        elif answers.pop(question_id, None) is not None:
            reopened.add(question_id)
    if answered is not None:
        answers[answered[0].id] = answered[1]
        reopened.discard(answered[0].id)
    step = snapshot.step
    if snapshot.editing is None:  # an edit from the review step goes back there as it would
        following = spec.questions.next_unanswered(answers)
        step = ask_state(following.id) if following is not None else REVIEW
    moved = snapshot.model_copy(update={
        "offer": fixed.model_dump(mode="json"), "answers": answers, "step": step,
        "fixing": None, "version": snapshot.version + 1, "updated_at": utc_now(),
        "picking": [] if step != snapshot.step else snapshot.picking})
    facts = facts_reply(fixed, questions_left(spec, answers)).model_copy(
        update={"place": "replace"})
    facts.context.update(fixed_now=answered[0].id if answered and not removed else None,
                         removed=removed, asks_again=bool(reopened))
    return Step(moved, [facts, *spec.current(moved)])
