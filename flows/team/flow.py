"""The team review flow: the lead's facts, the team's votes, and a recommendation that shows where
the team disagreed. Pure, like every flow: ``advance(snapshot, event) -> Step``.

Who may do what: only the lead gives the facts and starts the voting; every member votes once per
question and may change their vote; the lead or a group admin moves a question on or cancels; a
question also moves on by itself once everyone who joined has voted. Ties count as the cautious
answer (the one that scores lowest).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flows import engine, outcome
from flows.creator import flow as creator
from flows.creator.decision import SCALES
from flows.engine import FlowSpec
from flows.flow import Scope, Step, Toast
from flows.machine import CANCELLED, DECIDED, Holder, fire, question_of
from flows.questions import SIGNATURE, UNSURE_OPTIONS, Question, Unplaceable, parse_answer
from flows.reading.offer import read_offer
from flows.replies import Actor, Button, Event, Place, Reply
from flows.snapshot import Answer, Snapshot, Team, utc_now
from flows.team.machine import MACHINE, team_transitions
from flows.team.questions import FACTS, GATHER, QUESTIONS, VOTES

NAME = "team"
DRAFTS = creator.DRAFTS


def majority(question: Question, votes: dict[str, str]) -> str:
    """The team's answer: most votes; a tie (or no vote) counts as the cautious answer."""
    scale = SCALES.get(question.id, ("", {}))[1]

    def caution(option: str) -> float:
        return scale.get(option, 0.5)

    counts = Counter(votes.values())
    if not counts:
        unsure = [o for o in question.option_ids() if o in UNSURE_OPTIONS]
        return unsure[0] if unsure else min(question.option_ids(), key=caution)
    top = max(counts.values())
    tied = [option for option, count in counts.items() if count == top]
    return min(tied, key=caution)


def _can_steer(team: Team, actor: Actor | None) -> bool:
    return actor is not None and (str(actor.user_id) == team.lead or actor.admin)


def _moved(snapshot: Snapshot, *, step_changed: bool, **update: Any) -> Snapshot:
    # the version changes only when the question does, so members voting at once are not stale
    version = snapshot.version + 1 if step_changed else snapshot.version
    return snapshot.model_copy(update={**update, "version": version, "updated_at": utc_now()})


def _toast(snapshot: Snapshot, what: str) -> Step:
    """Nothing changes; a short note for the one who pressed (a pop-up, not posted to the
    group; a typed reply cannot show one: ``_pointer`` answers those)."""
    return Step(snapshot, [], (Toast("team/toast.j2", {"what": what}),))


def advance(snapshot: Snapshot | None, event: Event) -> Step:
    actor = event.actor
    if event.verb == "begin":
        return _begin(snapshot, event)
    if event.verb == "resume" and snapshot is not None and snapshot.team is not None:
        return Step(snapshot, _current(snapshot))
    if snapshot is None or snapshot.team is None or actor is None:
        return _toast(snapshot or engine.start(SPEC), "no_review")
    team, step = snapshot.team, snapshot.step
    question_id = question_of(step)
    if event.verb == "leave":
        return _leave(snapshot, team, actor)
    if event.verb == "stray":
        return _pointer(snapshot, team, actor)
    if event.verb == "answer" and question_id not in FACTS:
        # typed in reply to a message that takes buttons only (the joining, a vote, the decided
        # draft) or to a review that ended: never an answer (a typed "yes" is not a vote)
        return _pointer(snapshot, team, actor, behind=False)
    if event.verb == "cancel":
        if not _can_steer(team, actor):
            return _toast(snapshot, "lead_or_admin")
        holder = Holder(step, dict(snapshot.answers), questions=QUESTIONS)
        if not fire(MACHINE, "cancel", holder):
            return _toast(snapshot, "over")
        moved = _moved(snapshot, step_changed=True, step=holder.state)
        # the question stays readable as it stood, its buttons gone: nothing is live any more
        settled = _ask(snapshot, place="replace", cancelled=True).model_copy(
            update={"buttons": [], "place": "replace", "batch": False})
        return Step(moved, [settled,
                            Reply(template="team/cancelled.j2", context=_cancelled(moved))])
    if step == DECIDED:
        if event.verb in ("tone", "draft"):
            if not _can_steer(team, actor):
                return _toast(snapshot, "lead_or_admin")
            return _retone(snapshot, event)
        if event.verb == "export":
            return Step(snapshot, [SPEC.export(SPEC.summarize(snapshot))])
        return _toast(snapshot, "over")
    if step == CANCELLED or question_id is None:
        return _toast(snapshot, "over")
    if question_id in FACTS:
        return _fact(snapshot, team, question_id, event)
    if question_id == GATHER:
        return _gather(snapshot, team, event)
    return _vote(snapshot, team, question_id, event)


def _retone(snapshot: Snapshot, event: Event) -> Step:
    """The decided draft in another tone, or as another kind of reply (the lead's choice)."""
    update: dict[str, Any] = {}
    if event.verb == "tone" and event.arg in outcome.TONES:
        update["tone"] = event.arg
    elif event.verb == "draft" and event.arg in DRAFTS:
        update["draft"] = event.arg
    holder = Holder(snapshot.step, dict(snapshot.answers), questions=QUESTIONS)
    if not update or not fire(MACHINE, "retone", holder):
        return _toast(snapshot, "use_buttons")
    moved = _moved(snapshot, step_changed=True, **update)
    return Step(moved, [draft_reply(summary(moved))])


def _current(snapshot: Snapshot) -> list[Reply]:
    """The current step again (after a failure): the open question, or the outcome."""
    if snapshot.step == DECIDED:
        return SPEC.decided(snapshot)
    if snapshot.step == CANCELLED:
        return [Reply(template="team/cancelled.j2", context=_cancelled(snapshot))]
    return [_ask(snapshot)]


def _pointer(snapshot: Snapshot, team: Team, actor: Actor, *, behind: bool = True) -> Step:
    """A reply typed to a message that asks nothing now (``behind``: a question answered or
    moved past), or to one that takes buttons only (the joining, a vote, the decided draft):
    never an answer; the lead is told where the review is, anyone else's changes and posts
    nothing (a group is not flooded)."""
    if str(actor.user_id) != team.lead:
        return Step(snapshot, [])
    question_id = question_of(snapshot.step)
    if question_id is None:
        phase = "decided" if snapshot.step == DECIDED else "cancelled"
        context = _context(snapshot)
    else:
        phase = "fact" if question_id in FACTS else "gather" if question_id == GATHER \
            else "vote"
        context = _ask(snapshot).context
    return Step(snapshot, [Reply(template="team/pointer.j2", quote=True,
                                 context={**context, "phase": phase, "behind": behind})])


def _leave(snapshot: Snapshot, team: Team, actor: Actor) -> Step:
    """A member left the group: their votes stay; if they led, the next member leads."""
    user = str(actor.user_id)
    if user not in team.members or snapshot.step in (DECIDED, CANCELLED):
        return Step(snapshot, [])
    was_lead = user == team.lead
    members = {k: v for k, v in team.members.items() if k != user}
    lead = team.lead
    if was_lead and members:
        lead = next(iter(members))
    team = team.model_copy(update={"members": members, "lead": lead})
    moved = _moved(snapshot, step_changed=False, team=team)
    replies: list[Reply] = []
    if was_lead:
        replies.append(Reply(template="team/lead_left.j2", context={
            **_context(moved), "left": actor.name, "successor": members.get(lead)}))
    question_id = question_of(moved.step)
    if question_id in VOTES and members and set(team.votes.get(question_id, {})) >= set(members):
        closing = _close(moved, team, QUESTIONS.by_id[question_id])  # all who stay voted
        return Step(closing.snapshot, [*replies, *closing.replies])
    return Step(moved, replies)


FORGOTTEN = "forgotten-"  # the id a forgotten member's votes are kept under


def forget_member(snapshot: Snapshot, user_id: int) -> Snapshot | None:
    """``/forget`` of one member: their id and name leave the review; their votes stay, under
    an anonymous id, so the tally the team saw does not change (a name shows as "?"). If they
    led, the next member leads. None when the review holds nothing of theirs."""
    team = snapshot.team
    user = str(user_id)
    if team is None or (user not in team.members and user != team.lead and not any(
            user in votes for votes in team.votes.values())):
        return None
    known = {u for votes in team.votes.values() for u in votes} | set(team.members)
    alias = f"{FORGOTTEN}{sum(1 for u in known if u.startswith(FORGOTTEN)) + 1}"
    members = {k: v for k, v in team.members.items() if k != user}
    lead = team.lead
    if lead == user:
        lead = next(iter(members), alias)
    votes = {question: {(alias if u == user else u): option for u, option in cast.items()}
             for question, cast in team.votes.items()}
    forgotten = team.model_copy(update={"members": members, "lead": lead, "votes": votes})
    return snapshot.model_copy(update={"team": forgotten})


def _begin(snapshot: Snapshot | None, event: Event) -> Step:
    actor = event.actor
    if actor is None:
        raise ValueError("a team review is begun by someone")
    if snapshot is not None and snapshot.step not in (DECIDED, CANCELLED):
        return Step(snapshot, [Reply(template="team/busy.j2", context=_context(snapshot))])
    lead = str(actor.user_id)
    # begun in reply to the brand's message: the facts it states need no answer from the lead
    # (the creator's name is never taken from it: only the lead knows how the reply is signed)
    read = {key: value for key, value in read_offer(event.arg).answers().items()
            if key in FACTS and key != SIGNATURE} if event.arg else {}
    fresh = engine.start(SPEC, read).model_copy(update={
        "version": snapshot.version + 1 if snapshot else 0,
        "team": Team(lead=lead, members={lead: actor.name}, proposal=event.arg or None)})
    started = {**_context(fresh), "facts_left": sum(1 for key in FACTS if key not in read),
               "read": [{"question": key, "kind": QUESTIONS.by_id[key].kind,
                         "value": outcome.shown(read[key])} for key in FACTS if key in read]}
    return Step(fresh, [Reply(template="team/started.j2", context=started), _ask(fresh)])


def _fact(snapshot: Snapshot, team: Team, question_id: str, event: Event) -> Step:
    if event.verb not in ("answer", "skip") or event.actor is None:
        return Step(snapshot, [])
    if str(event.actor.user_id) != team.lead:
        # an admin too: admins steer, the facts are the lead's (a pop-up; a typed reply is dropped)
        return _toast(snapshot, "facts_lead_only")
    question = QUESTIONS.by_id[question_id]
    try:
        value = parse_answer(question, event.arg, snapshot.answers)
    except Unplaceable as unplaced:
        return Step(snapshot, [_ask(snapshot, problem=unplaced.problem)])
    return _record(snapshot, question, value, trigger="answer")


def _gather(snapshot: Snapshot, team: Team, event: Event) -> Step:
    actor = event.actor
    assert actor is not None
    if event.verb == "join":
        if str(actor.user_id) in team.members:
            return _toast(snapshot, "joined_already")
        members = {**team.members, str(actor.user_id): actor.name}
        moved = _moved(snapshot, step_changed=False,
                       team=team.model_copy(update={"members": members}))
        return Step(moved, [_ask(moved, place="replace")])
    if event.verb == "start":
        if str(actor.user_id) != team.lead:
            return _toast(snapshot, "start_lead_only")
        return _record(snapshot, QUESTIONS.by_id[GATHER], "start", trigger="start")
    return _toast(snapshot, "use_buttons")


def _vote(snapshot: Snapshot, team: Team, question_id: str, event: Event) -> Step:
    actor = event.actor
    assert actor is not None
    question = QUESTIONS.by_id[question_id]
    if event.verb == "next":
        if not _can_steer(team, actor):
            return _toast(snapshot, "lead_or_admin")
        return _close(snapshot, team, question)
    if event.verb != "vote" or event.arg not in question.option_ids():
        return _toast(snapshot, "use_buttons")
    voter = str(actor.user_id)
    votes = {**team.votes, question_id: {**team.votes.get(question_id, {}), voter: event.arg}}
    members = team.members if voter in team.members else {**team.members, voter: actor.name}
    team = team.model_copy(update={"votes": votes, "members": members})
    moved = _moved(snapshot, step_changed=False, team=team)
    voted = _toast(moved, "voted").effects
    if set(votes[question_id]) >= set(members):
        closed = _close(moved, team, question)
        return Step(closed.snapshot, closed.replies, voted)
    return Step(moved, [_ask(moved, place="replace", batch=True)], voted)


def _close(snapshot: Snapshot, team: Team, question: Question) -> Step:
    answer = majority(question, team.votes.get(question.id, {}))
    settled = _ask(snapshot, place="replace", closed=answer)
    return _record(snapshot, question, answer, trigger="close", settled=settled)


def _record(snapshot: Snapshot, question: Question, value: Answer, *, trigger: str,
            settled: Reply | None = None) -> Step:
    answers = {**snapshot.answers, question.id: value}
    if question.id not in FACTS and SIGNATURE not in answers:
        # a review begun before the lead was asked the creator's name goes on without it: its
        # draft keeps the marked blank (an empty name is one nobody gave; typed, it is refused)
        answers[SIGNATURE] = ""
    holder = Holder(snapshot.step, answers, questions=QUESTIONS)
    if not fire(MACHINE, trigger, holder):
        return _toast(snapshot, "use_buttons")
    moved = _moved(snapshot, step_changed=True, step=holder.state, answers=answers,
                   history=[*snapshot.history, question.id])
    if settled is None:
        settled = engine.answered_reply(NAME, question, value)
    if moved.step == DECIDED:
        return Step(moved, [settled, *SPEC.decided(moved)])  # a group keeps no /history
    return Step(moved, [settled, _ask(moved)])


def _people(team: Team | None) -> dict[str, Any]:
    """The lead's and the members' names, for templates."""
    return {"lead": team.members.get(team.lead, "") if team else "",
            "members": list(team.members.values()) if team else []}


def _context(snapshot: Snapshot) -> dict[str, Any]:
    team = snapshot.team
    return {"flow": NAME, **outcome.plain(snapshot.answers), **_people(team),
            "proposal": team.proposal if team else None}


def _cancelled(snapshot: Snapshot) -> dict[str, Any]:
    """The cancelled review's context: whether any vote had been cast (kept with it)."""
    team = snapshot.team
    return {**_context(snapshot), "voted": bool(team and any(team.votes.values()))}


def _tally(question: Question, team: Team) -> list[dict[str, Any]]:
    votes = team.votes.get(question.id, {})
    return [{"option": option,
             "names": [team.members.get(user) for user, voted in votes.items()
                       if voted == option]}
            for option in question.option_ids()]


def _ask(snapshot: Snapshot, *, problem: str | None = None, place: Place = "new",
         batch: bool = False, closed: str | None = None, cancelled: bool = False) -> Reply:
    """The current step's message: a fact for the lead, the gathering, or a vote with its tally
    (``cancelled``: as the review's cancelling leaves it)."""
    team = snapshot.team
    assert team is not None
    question_id = question_of(snapshot.step) or ""
    question = QUESTIONS.by_id[question_id]
    context = {**_context(snapshot), "question": question_id, "problem": problem,
               "kind": question.kind, "options": list(question.option_ids()),
               "closed": closed, "cancelled": cancelled}
    if question_id in FACTS:
        # the facts this offer may still need (an unpaid one asks no fee): the count only falls
        facts = [q.id for q in QUESTIONS.possible(snapshot.answers) if q.id in FACTS]
        context.update(number=facts.index(question_id) + 1, total=len(facts))
        return Reply(template="team/fact.j2", context=context, buttons=[
            *engine.choice_rows(question), [Button(label="cancel", event=Event(verb="cancel"))]])
    if question_id == GATHER:
        return Reply(template="team/gather.j2", context=context, place=place, buttons=[
            [Button(label="team.join", event=Event(verb="join")),
             Button(label="team.start", event=Event(verb="start"))],
            [Button(label="cancel", event=Event(verb="cancel"))]])
    asked = [q for q in QUESTIONS.asked(snapshot.answers) if q.id in VOTES]
    position = [q.id for q in asked].index(question_id) + 1
    waiting = [name for user, name in team.members.items()
               if user not in team.votes.get(question_id, {})]
    context.update(number=position, total=len(asked), tally=_tally(question, team),
                   waiting=waiting)
    buttons: list[list[Button]] = []
    if closed is None:
        buttons = [[Button(label=f"{question_id}.{o}", event=Event(verb="vote", arg=o))]
                   for o in question.option_ids()]
        buttons.append([Button(label="team.next", event=Event(verb="next")),
                        Button(label="cancel", event=Event(verb="cancel"))])
    return Reply(template="team/vote.j2", context=context, buttons=buttons, place=place,
                 batch=batch)


def summary(snapshot: Snapshot) -> dict[str, Any]:
    """The team's recommendation: the creator review's summary of the team's answers, plus each
    question's split and the dissent."""
    team = snapshot.team
    answers = QUESTIONS.relevant(snapshot.answers)
    # the creator review's rules, applied to the team's answers (the gathering is no answer)
    context = creator.summary(snapshot.model_copy(update={
        "answers": {k: v for k, v in answers.items() if k != GATHER}}))
    splits, dissent = [], []
    for question_id in VOTES:
        if question_id not in answers or team is None:
            continue
        votes = team.votes.get(question_id, {})
        counts = Counter(votes.values())
        splits.append({"question": question_id, "answer": answers[question_id],
                       "counts": dict(counts), "total": len(votes)})
        for option, count in counts.items():
            if option != answers[question_id]:
                dissent.append({"question": question_id, "option": option, "count": count,
                                "total": len(votes)})
    context.update(flow=NAME, splits=splits, dissent=dissent, **_people(team))
    return context


def present(context: dict[str, Any], live: bool) -> list[Reply]:
    return [Reply(template="team/result.j2", context=context),
            draft_reply(context, with_buttons=live, place="new")]


def draft_reply(context: dict[str, Any], *, with_buttons: bool = True,
                place: Place = "replace") -> Reply:
    buttons = creator.draft_buttons(context, navigation=False) if with_buttons else []
    return outcome.draft_reply("team/draft.j2", context, buttons, place=place)


# the question engine's parts this flow reuses: its start, its decided step, tone and draft
SPEC = FlowSpec(
    name=NAME,
    code="t",
    commands=("review",),
    questions=QUESTIONS,
    machine=MACHINE,
    summarize=summary,
    present=present,
    draft=draft_reply,
    export=lambda context: outcome.export_reply(NAME, context, "halo-team-review"),
    drafts=DRAFTS,
    scope="group",
)


class TeamFlow:
    """The team review as a ``Flow``: begun in a group by its lead, voted on by its members."""

    name = NAME
    code = SPEC.code
    commands = SPEC.commands
    scope: Scope = "group"
    questions = QUESTIONS  # the facts, the gathering and the votes

    def advance(self, snapshot: Snapshot | None, event: Event) -> Step:
        return advance(snapshot, event)

    def current(self, snapshot: Snapshot) -> list[Reply]:
        return _current(snapshot)

    def shown_after(self, snapshot: Snapshot, event: Event) -> list[Reply]:
        return _current(snapshot)  # a vote's tally is its own message: nothing sits above it

    def begin_with(self, answers: dict[str, Answer], actor: Actor | None = None) -> Step:
        raise ValueError("a team review is begun by its lead in the group, not handed over")

    def present(self, summary: dict[str, Any], live: bool) -> list[Reply]:
        return present(summary, live)

    def export(self, summary: dict[str, Any]) -> Reply:
        return SPEC.export(summary)

    def forget(self, snapshot: Snapshot, user_id: int) -> Snapshot | None:
        return forget_member(snapshot, user_id)

    def diagram(self) -> str:
        from flows.diagram import mermaid  # the graph machine only where a diagram is drawn

        return mermaid(NAME, *team_transitions())


FLOW = TeamFlow()
