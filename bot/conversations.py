"""The conversation service: the one path of every update, whatever the transport.

A transport (Telegram, the terminal chat) turns what it received into an ``Inbound`` and calls
``Conversations.handle(inbound, deliver)``. Holding the conversation's lock the whole time, the
service loads the conversation, drops a duplicate update or a stale press, runs the flow's
``advance``, saves the new snapshot and applies the flow's effects (a decision kept for
``/history``, a hand-off link, a decision followed as a deal), and only then calls ``deliver``
with the ``Turn`` to show. Save before send: a failed send is healed by showing the current step
again, never by replaying answers. What ``deliver`` says now shows the step is noted before the
lock is released, so the next update of the conversation finds it.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from bot.counters import DECISIONS, FLOW_UPDATES, counter_of
from bot.store import (
    ConflictError,
    ConversationKey,
    ConversationStore,
    DecisionStore,
    Handoff,
    HandoffStore,
    Record,
    Store,
    Transaction,
)
from flows.flow import (
    Flow,
    KeepStyle,
    MakeHandoff,
    RecordDecision,
    Step,
    Toast,
    TrackDeal,
    decision_mark,
    is_decision_mark,
)
from flows.machine import CANCELLED, DECIDED, REVIEW, question_of
from flows.questions import SIGNATURE
from flows.registry import DEFAULT_FLOW, FLOWS
from flows.replies import Actor, Event, Reply
from flows.snapshot import Answer, Snapshot

if TYPE_CHECKING:  # bot.deals reads this module's ANSWERS
    from bot.deals import DealMessage, Deals

log = logging.getLogger("halo.conversations")

HANDOFF_BYTES = 18  # 24 URL-safe characters: unguessable, and well within /start's 64
HANDOFF_CODE = re.compile(r"[A-Za-z0-9_-]{24}")
HANDOFF_LIFETIME = timedelta(days=7)
ANSWERS: TypeAdapter[dict[str, Answer]] = TypeAdapter(dict[str, Answer])
CONFLICT_ATTEMPTS = 3  # another process wrote the conversation first: advance again from its state
OFFER_LENGTH = 80  # typed text this long may be a brand's message pasted (see Inbound.offer)
FAILURES_KEPT = 1024  # failed updates remembered, so each is announced once and retried a few times


@dataclass(frozen=True, slots=True)
class Inbound:
    """One update for one conversation, as any transport sees it.

    ``flow`` names the flow a ``begin`` starts (a press names its button's flow); ``pressed`` is
    the snapshot version on a pressed button, so an old button changes nothing; ``source`` is the
    transport's message the update came from (the pressed one, or the one replied to), which a
    reply may rewrite; ``reply_to``: the update counts only if it replies to the message showing
    the current step; ``handoff`` is a hand-off code to open; ``notice`` a word about the update
    itself (a sticker where text is expected), said before the step in progress is shown again.
    ``answers`` begins ``flow`` afresh already holding them, at its first question they leave
    unanswered (a kept review reopened at some of its questions, the rest kept).
    """

    key: ConversationKey
    event: Event
    update_id: int
    actor: Actor | None = None
    flow: str | None = None
    pressed: int | None = None
    source: int | None = None
    reply_to: int | None = None
    handoff: str | None = None
    notice: str | None = None
    offer: bool = False  # the text may be a brand's message (forwarded, or long), see _advance
    answers: dict[str, Answer] | None = None
    language: str | None = None  # the person's language, if known: a deal's first time zone


@dataclass(slots=True)
class Turn:
    """What one update comes to, for the transport to show.

    ``snapshot`` is the conversation now (None: there is none, the transport offers its menu);
    ``target`` the message a ``place="replace"`` reply may rewrite; ``stale`` says a press on an
    old button changed nothing; ``menu`` asks the transport to offer what the bot can do, and
    ``wanted`` to offer continue or start over (``wanted`` is the flow asked for while another is
    in progress). ``showing`` is the message that showed the step as it was loaded;
    ``replaced`` the one that showed the conversation this turn began afresh over (its buttons
    go, its text stays: a decision's draft, say). ``deals``: a deal's messages, after the
    replies (a decision followed as a deal: its card). ``last`` is the chat's last message and
    ``lines`` where each answered question's line shows (question id -> message), as the
    conversation's record had them when loaded: what a transport started again knows of its chat.
    """

    snapshot: Snapshot | None
    replies: list[Reply] = field(default_factory=list)
    toasts: list[Toast] = field(default_factory=list)
    stale: bool = False
    target: int | None = None
    menu: bool = False
    wanted: str | None = None
    showing: int | None = None
    replaced: int | None = None
    deals: list[DealMessage] = field(default_factory=list)
    last: int | None = None
    lines: dict[str, int] = field(default_factory=dict)


Deliver = Callable[[Turn], Awaitable[int | None]]  # shows a turn; the message now showing the step
LinkFor = Callable[[str], str | None]  # a hand-off code as a link, where the transport has links
# told of each decision kept for a person: their id, the decision's id, its flow and summary
Decided = Callable[[int, int, str, dict[str, Any]], Awaitable[None]]


def _untouched(snapshot: Snapshot | None, flow: str) -> bool:
    """A conversation of ``flow`` at its first question, nothing answered there yet (a name to
    sign with aside): a message pasted now begins it afresh, losing nothing."""
    return snapshot is not None and snapshot.flow == flow and not snapshot.history and all(
        key == SIGNATURE for key in snapshot.answers)


def _opens_facts(event: Event, snapshot: Snapshot | None) -> bool:
    """A press that opens the facts read from a brand's message to correct one: it changes no
    answer, so the button keeps working while the review asks (the flow checks the rest)."""
    return event.verb == "fix" and not event.arg and in_progress(snapshot) \
        and snapshot is not None and snapshot.offer is not None


def in_progress(snapshot: Snapshot | None) -> bool:
    """Whether a conversation waits for an answer (not decided, cancelled or absent)."""
    return snapshot is not None and (question_of(snapshot.step) is not None
                                     or snapshot.step == REVIEW)


def notice(what: str, **context: Any) -> Reply:
    """A word about the update itself, before the step is shown (``chat/notice.j2``)."""
    return Reply(template="chat/notice.j2", context={"what": what, **context})


class Conversations:
    """Every conversation of one store, one update at a time per conversation."""

    def __init__(self, store: Store, link_for: LinkFor | None = None,
                 decided: Decided | None = None, deals: Deals | None = None) -> None:
        # one database, used for three of its jobs
        self.store: ConversationStore = store
        self.decisions: DecisionStore = store
        self.handoffs: HandoffStore = store
        self.link_for = link_for
        self.decided = decided
        self.deals = deals  # follows a decision as a deal; None: a service without deals
        self.failed: set[int] = set()  # updates worth delivering again: the database failed
        self.failures: dict[int, int] = {}  # update id -> how often it failed so far (recent)

    async def handle(self, inbound: Inbound, deliver: Deliver) -> Turn | None:
        """The whole of one update; None when it failed and is worth delivering again."""
        key = inbound.key
        async with self.store.hold(key):
            try:
                turn = await self._turn(inbound)
                await self._show(key, turn, deliver)
            except Exception as error:
                log.exception("update %s (chat %s) failed", inbound.update_id, key.chat_id)
                if self.store.transient(error):
                    # the database let us down: the transport (or the journal) delivers it again
                    self.failed.add(inbound.update_id)
                    await self._tell_not_saved(inbound, deliver)
                    return None
                return await self._recover(inbound, deliver)
            self.failures.pop(inbound.update_id, None)
            return turn

    async def look(self, key: ConversationKey) -> Snapshot | None:
        """The conversation as it stands, read once no update of it is in flight."""
        async with self.store.hold(key):
            return await self.store.load(key)

    async def forget(self, key: ConversationKey) -> int:
        """``/forget``: everything kept about the person of ``key``: their own conversations,
        decisions and hand-offs deleted, and their part in group reviews anonymised in place (each
        flow says what that means: ``Flow.forget``); the rows deleted or changed."""
        async with self.store.hold(key):
            changed = await self.decisions.forget(key.user_id)
        for group in await self.store.group_keys():
            async with self.store.transaction(group) as txn:
                if txn.snapshot is None or txn.snapshot.flow not in FLOWS:
                    continue
                forgotten = FLOWS[txn.snapshot.flow].forget(txn.snapshot, key.user_id)
                if forgotten is not None:
                    txn.save(forgotten)
                    changed += 1
        return changed

    # --- one update -----------------------------------------------------------------------------

    async def _turn(self, inbound: Inbound) -> Turn:
        if inbound.handoff is not None:
            return await self._open_handoff(inbound, inbound.handoff)
        if inbound.answers is not None:
            brand = inbound.answers.get("brand")
            said = [notice(inbound.notice, brand=brand if isinstance(brand, str) else "")] \
                if inbound.notice else []
            return await self._begin_with(inbound, FLOWS[inbound.flow or DEFAULT_FLOW],
                                          inbound.answers, said)
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                async with self.store.transaction(inbound.key) as txn:
                    turn, step = self._advance(inbound, txn)
                break
            except ConflictError:
                if attempt == CONFLICT_ATTEMPTS - 1:
                    raise
        turn.last, turn.lines = txn.record.last_message_id, dict(txn.record.lines)
        if step is not None:
            flow = step.snapshot.flow
            counter_of(FLOW_UPDATES, flow).inc()
            kept = [e for e in step.effects if isinstance(e, RecordDecision)]
            for effect, decision_id in zip(kept, txn.recorded_ids, strict=False):
                # those written (not on a re-confirm)
                counter_of(DECISIONS, flow, effect.verdict).inc()
                if self.decided is not None and inbound.key.user_id:
                    await self._tell_decided(inbound.key.user_id, decision_id, flow,
                                             effect.payload)
            for style in (e for e in step.effects if isinstance(e, KeepStyle)):
                if inbound.key.user_id:  # a person's own decision (a group's has no one's id)
                    await self.decisions.restyle(inbound.key.user_id, flow, style.style)
            await self._hand_off(step, turn, inbound.key.user_id)
            await self._track(step, turn, inbound)
        return turn

    async def _track(self, step: Step, turn: Turn, inbound: Inbound) -> None:
        """The kept decision a step names followed as a deal: its card (and the time zone, with
        a first deal) into the turn; a decision no longer kept, or one whose reply opens no
        deal, is said plainly."""
        for effect in step.effects:
            if isinstance(effect, TrackDeal) and self.deals is not None \
                    and inbound.key.user_id and not inbound.key.review_id:
                key = inbound.key
                turn.deals += await self.deals.track_marked(
                    key.chat_id, key.user_id, inbound.flow or step.snapshot.flow, effect.mark,
                    self.deals.clock(), inbound.language)

    async def _tell_decided(self, user_id: int, decision_id: int, flow: str,
                            payload: dict[str, Any]) -> None:
        """Tell ``decided`` of a kept decision; the decision stands whatever it does with it."""
        assert self.decided is not None
        try:
            await self.decided(user_id, decision_id, flow, payload)
        except Exception:
            log.exception("decision %s: its listener failed", decision_id)

    def _advance(self, inbound: Inbound, txn: Transaction) -> tuple[Turn, Step | None]:
        """Run the flow and stage its snapshot and decisions; a stale press changes nothing."""
        old, record = txn.snapshot, txn.record
        event = inbound.event
        if inbound.actor is not None:
            event = event.model_copy(update={"actor": inbound.actor})
        if inbound.reply_to is not None and (old is None or record.shown_in != inbound.reply_to):
            if old is None or not in_progress(old):
                return Turn(None), None  # nothing is asked: a reply is not an answer
            if inbound.reply_to in _earlier_asks(record, old):
                # an earlier ask of the question still current (asked again after a refused
                # answer): the answer to that same question, as if to the message now asking it
                inbound = replace(inbound, reply_to=record.shown_in, source=record.shown_in)
            else:
                # its question answered or moved past: never taken for another one's answer;
                # the flow may point to the current question (nothing changes)
                stray = FLOWS[old.flow].advance(old, event.model_copy(
                    update={"verb": "stray", "arg": ""}))
                return Turn(old, stray.replies, showing=record.shown_in), None
        if old is not None and inbound.update_id in record.applied:
            # a redelivered update (after a crash): applied already, show where we are
            return Turn(old, self._again(old, inbound), target=inbound.source or record.shown_in,
                        showing=record.shown_in), None
        if inbound.offer and event.verb == "answer" and (
                not in_progress(old) or _untouched(old, DEFAULT_FLOW)):
            # a brand's message with nothing in progress, or pasted as the review's first
            # answer: the review that reads it begins
            event = event.model_copy(update={"verb": "begin" if old is None else "restart"})
            inbound = replace(inbound, flow=DEFAULT_FLOW)
        if old is None and event.verb == "answer" and inbound.pressed is None:
            return Turn(None, menu=True), None  # text with nothing in progress: not a review
        if old is not None and inbound.pressed is None and record.applied \
                and inbound.update_id < max(record.applied):
            # older than an update this conversation already took (replayed from the journal,
            # retried after a failure, overtaken): it was given for an earlier step, so it is
            # not applied to this one; the person sees where we are
            again = self._again(old)
            return Turn(old, [notice("overtaken"), *again] if again else [], stale=True,
                        showing=record.shown_in), None
        if old is None and event.verb != "begin" and inbound.key.review_id:
            # a group's review begins with its command only
            return Turn(None, stale=inbound.pressed is not None), None
        if event.verb == "resume" and inbound.notice is not None:
            again = self._again(old) if old is not None and in_progress(old) else []
            return Turn(old, [notice(inbound.notice), *again], showing=record.shown_in), None
        if event.verb == "resume" and (old is None or old.step == CANCELLED):
            return Turn(old, showing=record.shown_in), None  # nothing to show again
        if event.verb == "begin" and inbound.pressed is None and in_progress(old) \
                and inbound.flow is not None and FLOWS[inbound.flow].scope == "private":
            # a command asks before dropping what is in progress ("restart" starts over)
            return Turn(old, wanted=inbound.flow, showing=record.shown_in), None
        stale = inbound.pressed is not None and (
            old is None or inbound.pressed != old.version or inbound.flow != old.flow) \
            and not _opens_facts(event, old)
        if stale and old is not None and event.verb == "track" and is_decision_mark(event.arg):
            # an older decision's card: the decision it names is followed, kept apart from
            # whatever the conversation does now (nothing of it changes)
            return Turn(old, showing=record.shown_in), Step(old, [], (TrackDeal(event.arg),))
        # "new review" from an old decision still works once nothing is in progress
        if stale and not (event.verb == "begin" and not in_progress(old)):
            return Turn(old, self._again(old) if old else [], stale=True, menu=old is None,
                        showing=record.shown_in), None
        flow = FLOWS[inbound.flow or (old.flow if old else DEFAULT_FLOW)]
        step = flow.advance(old, event)
        new = step.snapshot
        if new is old and _asked_again(inbound, record, step):
            # the message replied to is superseded, yet still asks the same question: noted with
            # the record's lines (under that question, until it is answered) so a reply to it
            # still counts
            question = question_of(old.step)
            assert question is not None and record.shown_in is not None
            record = replace(record, applied=record.applied_with(inbound.update_id),
                             lines=(*record.lines, (question, record.shown_in)))
            txn.save(old, record)
        toasts: list[Toast] = []
        replaced: int | None = None
        if new is not old:
            new = _stamped(new, old, inbound.update_id)
            applied = record.applied_with(inbound.update_id)
            if _begun_again(new, old):
                # no message shows it yet, it has kept no decision, and no answered line is its
                replaced = record.shown_in
                record = Record(None, applied, last_message_id=record.last_message_id)
            else:
                record = replace(record, applied=applied)
        for effect in step.effects:
            if isinstance(effect, Toast):
                toasts.append(effect)
            elif isinstance(effect, RecordDecision):
                record = self._record(txn, inbound.key, flow.name, effect, record)
        target = inbound.source if inbound.source is not None else record.shown_in
        if new is not old and _begun_again(new, old):
            target = None  # a new conversation is a new message: the old one stays readable
        if new is not old:
            txn.save(new, _with_lines(record, step.replies, target, new.step))
        turn = Turn(new, step.replies, toasts, target=target, showing=record.shown_in,
                    replaced=replaced)
        return turn, step

    def _again(self, snapshot: Snapshot, redelivered: Inbound | None = None) -> list[Reply]:
        """The current step shown again; in a group only the presser hears of it (a pop-up):
        posting it again would flood the chat. A ``redelivered`` press that led to this step
        shows it as its turn did, so that showing it again changes nothing in the chat."""
        flow = FLOWS[snapshot.flow]
        if flow.scope == "group":
            return []
        if redelivered is not None and redelivered.pressed == snapshot.version - 1 \
                and redelivered.flow == snapshot.flow:
            return flow.shown_after(snapshot, redelivered.event)
        return flow.current(snapshot)

    @staticmethod
    def _record(txn: Transaction, key: ConversationKey, flow: str, decision: RecordDecision,
                record: Record) -> Record:
        """Keep the decision for ``/history``, once: not again after "change my answers" and the
        same answers confirmed again."""
        mark = decision_mark(flow, decision.payload.get("answers"))
        if record.recorded == mark:
            return record
        txn.record_decision(key.user_id, flow, decision.title, decision.verdict,
                            decision.payload)
        return replace(record, recorded=mark)

    async def _hand_off(self, step: Step, turn: Turn, made_by: int) -> None:
        """Keep what a hand-off hands over under a fresh code, as made by ``made_by`` (who cannot
        claim it); its link into the step's reply."""
        for effect in step.effects:
            if not isinstance(effect, MakeHandoff) or not turn.replies:
                continue
            code = secrets.token_urlsafe(HANDOFF_BYTES)
            link = self.link_for(code) if self.link_for is not None else None
            if link is None:
                continue  # this transport has no links: the reply says so
            await self.handoffs.put_handoff(code, {"flow": effect.flow, "answers": effect.answers},
                                         datetime.now(UTC) + HANDOFF_LIFETIME, made_by)
            first = turn.replies[0]
            turn.replies[0] = first.model_copy(update={"context": {
                **first.context, "link": link, "days": HANDOFF_LIFETIME.days}})

    async def _open_handoff(self, inbound: Inbound, code: str) -> Turn:
        """A hand-off opened: the flow it starts, already holding what was handed over."""
        opened = await self.handoffs.take_handoff(code, datetime.now(UTC), inbound.key.user_id) \
            if HANDOFF_CODE.fullmatch(code) else Handoff()
        if opened.own:
            return Turn(None, [notice("handoff_own")], menu=True)  # kept for whom it is meant
        kept = opened.payload
        if kept is None:
            return Turn(None, [notice("handoff_gone")], menu=True)
        flow = FLOWS[str(kept.get("flow", DEFAULT_FLOW))]
        # a code made before hand-offs named their flow holds the creator review's answers alone
        answers = ANSWERS.validate_python(kept["answers"] if "flow" in kept else kept)
        brand = answers.get("brand")
        return await self._begin_with(inbound, flow, answers, [
            notice("handoff", brand=brand if isinstance(brand, str) else "")])

    async def _begin_with(self, inbound: Inbound, flow: Flow, answers: dict[str, Answer],
                          said: list[Reply]) -> Turn:
        """``flow`` begun holding ``answers`` (or, already begun so, shown again), after
        ``said``."""
        async with self.store.transaction(inbound.key) as txn:
            old = txn.snapshot
            same = old is not None and old.flow == flow.name and in_progress(old) and all(
                old.answers.get(k) == v for k, v in answers.items())
            if same:
                assert old is not None
                new, replies = old, flow.current(old)  # opened again
                showing = txn.record.shown_in
            else:
                step = flow.begin_with(answers, inbound.actor)
                new, replies = _stamped(step.snapshot, old, inbound.update_id), step.replies
                showing = None
                txn.save(new, Record(None, txn.record.applied_with(inbound.update_id),
                                     last_message_id=txn.record.last_message_id))
        return Turn(new, [*said, *replies], showing=showing, last=txn.record.last_message_id,
                    lines=dict(txn.record.lines))

    async def _show(self, key: ConversationKey, turn: Turn, deliver: Deliver) -> None:
        shown = await deliver(turn)
        snapshot = turn.snapshot
        if shown is not None and snapshot is not None and shown != turn.showing:
            await self.store.set_shown(key, snapshot.version, shown)

    async def _tell_not_saved(self, inbound: Inbound, deliver: Deliver) -> None:
        """Say once per update that it could not be saved and will be tried again (it is: by
        Telegram when a webhook answers 500, by the journal's retry when polling)."""
        count = self.failures.get(inbound.update_id, 0) + 1
        self.failures[inbound.update_id] = count
        if len(self.failures) > FAILURES_KEPT:
            del self.failures[next(iter(self.failures))]
        if count > 1:
            return
        try:
            await deliver(Turn(None, [notice("not_saved")]))
        except Exception as error:
            log.info("update %s: could not say it was not saved (%s)", inbound.update_id,
                     type(error).__name__)

    async def _recover(self, inbound: Inbound, deliver: Deliver) -> Turn | None:
        """After a failure: say so, and show the current step again, from what was saved."""
        try:
            snapshot = await self.store.load(inbound.key)
            replies = [notice("error")]
            if snapshot is not None:
                replies += FLOWS[snapshot.flow].current(snapshot)
            turn = Turn(snapshot, replies)
            await self._show(inbound.key, turn, deliver)
            return turn
        except Exception:
            log.exception("update %s: recovery failed", inbound.update_id)
            return None


def _stamped(new: Snapshot, old: Snapshot | None, update_id: int) -> Snapshot:
    """``new`` as saved for ``update_id``: a version above any the conversation had. Versions
    only ever grow, across flows and even after /forget: a fresh conversation starts from the
    update's id, so no old button matches it again."""
    version = new.version
    if old is None:
        version = max(version, update_id % 0x7FFFFFFF)
    elif version != old.version:
        version = max(version, old.version + 1)
    return new if version == new.version else new.model_copy(update={"version": version})


def _with_lines(record: Record, replies: list[Reply], target: int | None, step: str) -> Record:
    """``record`` with where the answered lines of ``replies`` show: an answer's line in
    ``target``, the message that showed its question (a ``place="replace"`` reply rewrites it),
    and a line taken back (Back) no more; the earlier asks of a question asked again
    (``_earlier_asks``) give way to its answered line. A decided conversation keeps none: no
    answer is taken back from a decision, and a decided row stays small (issue 16's bytes per
    conversation)."""
    if step == DECIDED:
        return record if not record.lines else replace(record, lines=())
    lines = list(record.lines)  # a list: a question's earlier asks are several entries
    for reply in replies:
        question = reply.context.get("question")
        if not isinstance(question, str):
            continue
        if reply.place == "retract":
            lines = [(q, message) for q, message in lines if q != question]
        elif reply.settles and target is not None:
            lines = _answered(lines, question, target)
    return record if lines == list(record.lines) else replace(record, lines=tuple(lines))


def _answered(lines: list[tuple[str, int]], question: str, message: int
              ) -> list[tuple[str, int]]:
    """``lines`` with ``question``'s answered line in ``message``, where its first entry was (or
    last), and its other entries (earlier asks) gone; every other question's entries kept."""
    kept: list[tuple[str, int]] = []
    for q, shown in lines:
        if q != question:
            kept.append((q, shown))
        elif all(q2 != question for q2, _ in kept):
            kept.append((question, message))
    return kept if any(q == question for q, _ in kept) else [*kept, (question, message)]


def _asked_again(inbound: Inbound, record: Record, step: Step) -> bool:
    """Whether a reply to the message showing the step leaves the step as it was and asks it
    again in a new message (an answer refused, in a group: never rewritten in place there)."""
    return inbound.reply_to is not None and inbound.reply_to == record.shown_in \
        and question_of(step.snapshot.step) is not None \
        and any(reply.place == "new" and reply.buttons for reply in step.replies)


def _earlier_asks(record: Record, snapshot: Snapshot) -> set[int]:
    """The messages that asked the current question before it was asked again (``_asked_again``);
    none once it is answered (its answered line takes its place in the record's lines)."""
    question = question_of(snapshot.step)
    if question is None or question in snapshot.answers:
        return set()
    return {message for asked, message in record.lines if asked == question}


def _begun_again(new: Snapshot, old: Snapshot | None) -> bool:
    """Whether the flow started the conversation afresh."""
    return old is None or new.started_at != old.started_at

