"""The one path from a Telegram update to a flow and back, and the bot's own commands.

An update becomes ``(key, event)``; under the key's lock the snapshot is loaded, ``advance`` runs,
the snapshot is saved (committed), and only then are the replies rendered and sent. A failed send
is healed by showing the current step again, never by replaying answers.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from telegram import (
    CallbackQuery,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.store import ConflictError, ConversationKey, KeyLocks, Store
from bot.telegram.callbacks import BadCallback, FlowPress, MenuPress, decode
from bot.telegram.pacing import ChatPacer, TallyEdits
from bot.telegram.render import (
    Markup,
    document_bytes,
    edit_text,
    keyboard,
    menu_keyboard,
    message_html,
    send_text,
)
from bot.telegram.retrying import drop_copy
from flows import engine
from flows.machine import DECIDED, REVIEW, question_of
from flows.registry import DEFAULT_FLOW, FLOWS
from flows.replies import Actor, Event, Reply
from flows.snapshot import Answer, Snapshot
from prompts import label, render

log = logging.getLogger("halo.telegram")

HANDOFF_PREFIX = "h-"
HANDOFF_BYTES = 18  # 24 URL-safe characters: unguessable, and well within /start's 64
HANDOFF_CODE = re.compile(r"[A-Za-z0-9_-]{24}")
HANDOFF_LIFETIME = timedelta(days=7)
ANSWERS: TypeAdapter[dict[str, Answer]] = TypeAdapter(dict[str, Answer])

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True, slots=True)
class Where:
    """Whose conversation an update belongs to, and ids for the log (never the text).

    In a private chat that is the person's own conversation; in a group (or one topic of a
    forum) it is the team review running there, whoever acted.
    """

    chat_id: int
    user_id: int
    update_id: int
    thread_id: int = 0
    group: bool = False
    name: str = ""

    @property
    def key(self) -> ConversationKey:
        if self.group:
            return ConversationKey.group(self.chat_id, TEAM_REVIEW, self.thread_id)
        return ConversationKey.private(self.chat_id, self.user_id)

    def actor(self, admin: bool = False) -> Actor:
        return Actor(user_id=self.user_id, name=self.name, admin=admin)


FAILURES_KEPT = 1024  # failed updates remembered, so each is announced once and retried a few times
TEAM_REVIEW = "team"  # one team review at a time per group (or forum topic)
TEAM_ONLY = frozenset({"join", "start", "vote", "next", "leave"})
# what starts each private flow: a command (and the menu action of the same name)
FLOW_OF = {"review": "creator", "new": "creator", "apology": "apology", "proposal": "proposal"}
MENU_FOR = {"creator": "review", "apology": "apology", "proposal": "proposal"}  # its menu action


def _stamped(new: Snapshot, old: Snapshot | None, update_id: int) -> Snapshot:
    """``new`` as saved for ``update_id``: the update among those applied, and a version above
    any the conversation had. Versions only ever grow, across flows and even after /forget: a
    fresh conversation starts from the update's id, so no old button matches it again."""
    version = new.version
    if old is None:
        version = max(version, update_id % 0x7FFFFFFF)
    elif version != old.version:
        version = max(version, old.version + 1)
    return new.model_copy(update={
        "applied": old.applied_with(update_id) if old else [update_id], "version": version})


def in_progress(snapshot: Snapshot | None) -> bool:
    return snapshot is not None and (question_of(snapshot.step) is not None
                                     or snapshot.step == REVIEW)


class Coach:
    """Handlers for python-telegram-bot: commands, typed text, button presses."""

    def __init__(self, store: Store, pacer: ChatPacer, tally_seconds: float = 3.0) -> None:
        self.store = store
        self.pacer = pacer
        self.locks = KeyLocks()  # held across save and send, so one chat's replies stay in order
        self.tallies = TallyEdits(tally_seconds)
        self._admins: dict[tuple[int, int], tuple[bool, float]] = {}
        self.failed: set[int] = set()  # updates to deliver again: not answered, not journaled out
        self.failures: dict[int, int] = {}  # update id -> how often it failed so far (recent)

    # --- entry points (registered in app.py) --------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        """Typed text in a private chat: an answer to the current step."""
        group = self._group(update)
        if group is not None:
            await self._group_text(update, context, group)
            return
        where, message = self._private(update)
        if where is None or message is None:
            return
        # with nothing in progress the flow path sends the menu (see _advance_and_save)
        await self.apply(context, where, Event(verb="answer", arg=message.text or ""))

    async def on_command(self, update: Update, context: Context) -> None:
        """``/start``, ``/review``, ``/back``, ``/cancel``, ``/history``, ``/forget``, ..."""
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0][1:].split("@")[0].casefold()
        group = self._group(update)
        if group is not None:
            await self._group_command(update, context, group, command)
            return
        where, _ = self._private(update)
        if where is None:
            return
        if command in FLOW_OF:
            flow = FLOW_OF[command]
            if in_progress(await self.store.load(where.key)):
                await self._send_menu(context, where, message, wanted=flow)  # ask first
                return
            await self.apply(context, where, Event(verb="begin"), flow=flow)
        elif command in ("back", "cancel", "skip"):
            await self.apply(context, where, Event(verb=command))  # type: ignore[arg-type]
        elif command == "start":
            payload = message.text.split(maxsplit=1)[1].strip() if " " in message.text else ""
            if payload.startswith(HANDOFF_PREFIX):
                await self._start_from_handoff(context, where, payload[len(HANDOFF_PREFIX):])
            else:
                await self._send_menu(context, where, message)
        elif command == "history":
            await self._send_history(context, where)
        elif command == "forget":
            await self._say(context, where.chat_id, render("chat/forget_confirm.j2", {}),
                            menu_keyboard([[(label("common", "forget.yes"), "forget_yes", ""),
                                            (label("common", "forget.no"), "forget_no", "")]]))
        elif command in ("help", "privacy"):
            await self._say(context, where.chat_id, render(
                f"chat/{command}.j2", {"bot_username": context.bot.username}))
        else:
            await self._notice_then_step(context, where, "unknown_command")

    async def on_other(self, update: Update, context: Context) -> None:
        """A sticker, photo or anything else where text is expected."""
        where, _ = self._private(update)
        if where is not None:
            await self._notice_then_step(context, where, "not_text")

    async def on_edited(self, update: Update, context: Context) -> None:
        """An edited message: the first answer stands; say so instead of silently ignoring it."""
        where, _ = self._private(update)
        if where is not None:
            await self._say(context, where.chat_id, render("chat/notice.j2", {"what": "edited"}))

    async def on_button(self, update: Update, context: Context) -> None:
        """A press on an inline button: checked, then fed to the flow or the bot's menus."""
        query = update.callback_query
        if query is None:
            return
        group = self._group(update)
        if group is not None:
            await self._group_button(update, context, group, query)
            return
        where = self._presser(update, query)
        if where is None:
            await self._toast(query, "not_yours")
            return
        try:
            press = decode(query.data)
        except BadCallback:
            log.info("update %s: rejected callback data", where.update_id)
            await self._toast(query, "forged")
            await self.apply(context, where, Event(verb="resume"))
            return
        source = query.message.message_id if query.message else None
        if isinstance(press, FlowPress) and (press.flow == "team" or press.event.verb in TEAM_ONLY):
            await self._toast(query, "forged")  # team buttons only exist in groups
            return
        if isinstance(press, MenuPress):
            await self._answer(query, None)  # too old to answer (the bot was down): act anyway
            await self._menu(context, where, press, source)
            return
        await self.apply(context, where, press.event, source=source, pressed=press, query=query)

    # --- the one flow path ----------------------------------------------------------------------

    async def apply(self, context: Context, where: Where, event: Event, *,
                    source: int | None = None, pressed: FlowPress | None = None,
                    query: CallbackQuery | None = None, flow: str | None = None,
                    reply_to: int | None = None) -> None:
        """Load, advance, save, then send: the whole of one update for one conversation.

        ``flow`` names the flow a ``begin`` starts; otherwise the conversation's own flow runs.
        ``reply_to``: the update counts only if it replies to the message showing the current
        step (checked under the lock, once the update before it has shown its step).
        """
        if event.actor is None and where.name:  # a private flow may sign with the first name
            event = event.model_copy(update={"actor": where.actor()})
        async with self.locks.hold(where.key):
            try:
                await self._apply_locked(context, where, event, source, pressed, query, flow,
                                         reply_to)
            except Forbidden as error:
                log.warning("update %s (chat %s) not delivered: %s", where.update_id,
                            where.chat_id, type(error).__name__)
            except Exception as error:
                log.exception("update %s (chat %s) failed", where.update_id, where.chat_id)
                if self.store.transient(error):
                    # the database let us down: Telegram (or the journal) delivers it again
                    self.failed.add(where.update_id)
                    await self._tell_not_saved(context, where)
                    return
                await self._recover(context, where)
            else:
                self.failures.pop(where.update_id, None)

    async def _apply_locked(self, context: Context, where: Where, event: Event,
                            source: int | None, pressed: FlowPress | None,
                            query: CallbackQuery | None, flow: str | None,
                            reply_to: int | None = None) -> None:
        for attempt in range(3):
            try:
                new, replies, stale = await self._advance_and_save(where, event, pressed, flow,
                                                                   reply_to)
                break
            except ConflictError:
                # another process wrote this conversation first: advance again from its state
                if attempt == 2:
                    raise
        toasts = [r for r in replies if r.effect == "toast"]
        replies = [r for r in replies if r.effect != "toast"]
        answered: asyncio.Future[None] | None = None
        if query is not None:
            # the press is answered (the button's spinner stops) while the replies go out
            answered = asyncio.ensure_future(
                self._answer(query, render(toasts[0].template, toasts[0].context))
                if toasts else self._toast(query, "stale" if stale else None))
        try:
            if new is None:
                if not where.group:
                    await self._send_menu(context, where, None)
                return
            target = None if stale else source if source is not None else new.shown_in
            shown = await self.deliver(context, where, new, replies, target=target)
            if shown is not None and shown != new.shown_in:
                await self.store.set_shown(where.key, new.version, shown)
            if not stale and not where.group and pressed is not None \
                    and pressed.event.verb != "begin" and new.version != pressed.version:
                await drop_copy(context.bot, where.chat_id, new.shown_in, pressed=source)
        finally:
            if answered is not None:
                await answered

    async def _advance_and_save(self, where: Where, event: Event, pressed: FlowPress | None,
                                flow: str | None = None, reply_to: int | None = None
                                ) -> tuple[Snapshot | None, list[Reply], bool]:
        """Run the flow and commit its snapshot; a stale press changes nothing."""
        async with self.store.transaction(where.key) as txn:
            old = txn.snapshot
            if reply_to is not None and (old is None or old.shown_in != reply_to):
                return None, [], False  # a reply to an older message is not an answer
            if old is not None and where.update_id in old.applied:
                # a redelivered update (after a crash): applied already, show where we are
                return old, [] if where.group else engine.current_replies(
                    FLOWS[old.flow], old), False
            if old is None and event.verb == "answer" and pressed is None:
                return None, [], False  # text with nothing in progress: the menu, not a review
            if old is not None and pressed is None and old.applied \
                    and where.update_id < max(old.applied):
                # older than an update this conversation already took (replayed from the
                # journal, retried after a failure, overtaken): it was given for an earlier
                # step, so it is not applied to this one; the person sees where we are
                replies = [] if where.group else [
                    Reply(template="chat/notice.j2", context={"what": "overtaken"}),
                    *engine.current_replies(FLOWS[old.flow], old)]
                return old, replies, True
            stale = pressed is not None and (old is None or pressed.version != old.version
                                             or pressed.flow != old.flow)
            # "new review" from an old decision still works once nothing is in progress
            if stale and not (event.verb == "begin" and not in_progress(old)):
                # in a group a stale press only gets its pop-up: re-posting would flood the chat
                replies = engine.current_replies(FLOWS[old.flow], old) \
                    if old and not where.group else []
                return old, replies, True
            spec = FLOWS[flow or (pressed.flow if pressed else old.flow if old else DEFAULT_FLOW)]
            new, replies = engine.advance(spec, old, event)
            if new is not old:
                new = _stamped(new, old, where.update_id)
                txn.save(new)
            fresh_decision = new.step == DECIDED and (old is None or old.step != DECIDED)
            if fresh_decision and not where.group:
                # the decided step's messages carry the summary already: no second computation
                summary = next((r.context for r in replies if "decision" in r.context
                                and r.context.get("flow") == spec.name), None) \
                    or spec.summarize(new)
                mark = _fingerprint(summary)
                if old is None or old.recorded != mark:  # not again after "change answers"
                    new = new.model_copy(update={"recorded": mark})
                    txn.save(new)
                    txn.record_decision(where.user_id, spec.name, _title(summary),
                                        summary["decision"]["verdict"], summary)
        return new, replies, False

    async def deliver(self, context: Context, where: Where, snapshot: Snapshot,
                      replies: list[Reply], *, target: int | None) -> int | None:
        """Send (or edit into place) each reply; return the message now showing the current step.

        An answered question is rewritten while the next step is sent, not before: the two are
        different messages, and the person waits one Bot API round trip instead of two. The next
        step leaves first (the rewrite's task starts once this one waits for Telegram: yielding
        to it first would queue the next step behind every update in flight). Should the
        rewrite fail (a message too old to edit, or Telegram unreachable for it), it is sent
        after the next step instead: the next step is already out, so it must not fail the
        update (the recovery would show that step a second time).
        """
        if target is not None and _rewrite_then_new(replies):
            first = replies[0]
            text = message_html(first)
            self.tallies.cancel(where.chat_id, target)
            settled = asyncio.ensure_future(
                self._edit(context, where.chat_id, target, text, None))
            try:
                showing = await self._deliver(context, where, snapshot, replies[1:], None)
            finally:
                try:
                    edited = await settled
                except Forbidden:
                    raise  # blocked by the user: nothing more can reach them
                except TelegramError as error:
                    log.info("rewrite failed: %s", type(error).__name__)
                    edited = False
            if not edited:
                await self._say(context, where.chat_id, text, None, where.thread_id or None)
            return showing
        return await self._deliver(context, where, snapshot, replies, target)

    async def _deliver(self, context: Context, where: Where, snapshot: Snapshot,
                       replies: list[Reply], target: int | None) -> int | None:
        showing: int | None = None
        chat_id = where.chat_id
        thread = where.thread_id or None
        for reply in replies:
            markup = keyboard(snapshot.flow, snapshot.version, reply.buttons)
            if reply.document is not None:
                await self._document(context, chat_id, reply, thread)
                continue
            if reply.effect == "handoff":
                reply = await self._with_handoff_link(context, reply)
            text = message_html(reply)
            if reply.place == "replace" and target is not None:
                if reply.batch and where.group:
                    # live tallies: one edit per window, whatever the number of votes
                    self.tallies.schedule(context.bot, chat_id, target, text, markup,
                                          self._still_at(where.key, snapshot.version))
                    continue
                self.tallies.cancel(chat_id, target)
                if await self._edit(context, chat_id, target, text, markup):
                    showing = target if markup else showing
                    continue
            sent = await self._say(context, chat_id, text, markup, thread)
            if markup is not None:
                showing = sent
        return showing

    def _still_at(self, key: ConversationKey, version: int) -> Callable[[], Awaitable[bool]]:
        """A check that the conversation has not moved on (another worker may have moved it)."""

        async def check() -> bool:
            current = await self.store.load(key)
            return current is not None and current.version == version

        return check

    async def _with_handoff_link(self, context: Context, reply: Reply) -> Reply:
        """Keep the proposal's facts under an unguessable, expiring code; link to it."""
        code = secrets.token_urlsafe(HANDOFF_BYTES)
        expires = datetime.now(UTC) + HANDOFF_LIFETIME
        await self.store.put_handoff(code, reply.context["handover"], expires)
        link = f"https://t.me/{context.bot.username}?start={HANDOFF_PREFIX}{code}"
        return reply.model_copy(update={"context": {**reply.context, "link": link,
                                                    "days": HANDOFF_LIFETIME.days}})

    async def _start_from_handoff(self, context: Context, where: Where, code: str) -> None:
        """``/start h-<code>``: a creator review already holding a brand's proposal."""
        facts = await self.store.take_handoff(code, datetime.now(UTC), where.user_id) \
            if HANDOFF_CODE.fullmatch(code) else None
        if facts is None:
            await self._say(context, where.chat_id,
                            render("chat/notice.j2", {"what": "handoff_gone"}))
            await self._send_menu(context, where, None)
            return
        answers = ANSWERS.validate_python(facts)
        spec = FLOWS["creator"]
        async with self.locks.hold(where.key):
            async with self.store.transaction(where.key) as txn:
                old = txn.snapshot
                same = old is not None and old.flow == spec.name and in_progress(old) and all(
                    old.answers.get(k) == v for k, v in answers.items())
                if same:
                    assert old is not None
                    new, replies = old, engine.current_replies(spec, old)  # opened again
                else:
                    new, replies = engine.begin_with(spec, {**engine.signed(where.actor()),
                                                            **answers})
                    new = _stamped(new, old, where.update_id)
                    txn.save(new)
            brand = answers.get("brand")
            await self._say(context, where.chat_id, render(
                "chat/notice.j2", {"what": "handoff", "brand": brand if isinstance(
                    brand, str) else ""}))
            shown = await self.deliver(context, where, new, replies, target=None)
            if shown is not None:
                await self.store.set_shown(where.key, new.version, shown)

    async def _tell_not_saved(self, context: Context, where: Where) -> None:
        """Say once per update that it could not be saved and will be tried again (it is: by
        Telegram when a webhook answers 500, by the journal's retry when polling)."""
        count = self.failures.get(where.update_id, 0) + 1
        self.failures[where.update_id] = count
        if len(self.failures) > FAILURES_KEPT:
            del self.failures[next(iter(self.failures))]
        if count > 1:
            return
        try:
            await self._say(context, where.chat_id, render("chat/notice.j2", {"what": "not_saved"}),
                            thread=where.thread_id or None)
        except Exception as error:
            log.info("update %s: could not say it was not saved (%s)", where.update_id,
                     type(error).__name__)

    async def _recover(self, context: Context, where: Where) -> None:
        """After a failure: apologise and show the current step again, from what was saved."""
        try:
            snapshot = await self.store.load(where.key)
            await self._say(context, where.chat_id, render("chat/notice.j2", {"what": "error"}),
                            thread=where.thread_id or None)
            if snapshot is not None:
                replies = engine.current_replies(FLOWS[snapshot.flow], snapshot)
                shown = await self.deliver(context, where, snapshot, replies, target=None)
                if shown is not None and shown != snapshot.shown_in:
                    await self.store.set_shown(where.key, snapshot.version, shown)
        except Exception:
            log.exception("update %s: recovery failed", where.update_id)

    # --- team reviews in groups -----------------------------------------------------------------

    async def _group_command(self, update: Update, context: Context, where: Where,
                             command: str) -> None:
        message = update.effective_message
        assert message is not None
        if command == "review":
            quoted = message.reply_to_message
            proposal = ""
            if quoted is not None and quoted.text and quoted.from_user is not None \
                    and quoted.from_user.id != context.bot.id:
                proposal = quoted.text[:1500]  # "/review" in reply to the proposal itself
            await self.apply(context, where, Event(verb="begin", arg=proposal,
                                                   actor=where.actor()), flow="team")
        elif command == "cancel":
            if await self.store.load(where.key) is None:
                return
            admin = await self._is_admin(context, where)
            await self.apply(context, where, Event(verb="cancel", actor=where.actor(admin)))
        elif command in ("help", "start"):
            await self._say(context, where.chat_id, render("chat/group_help.j2", {}),
                            thread=where.thread_id or None)
        # other commands are private ones: in a group they are not for the bot to answer

    async def _group_text(self, update: Update, context: Context, where: Where) -> None:
        """A reply to one of the bot's questions: the lead giving a fact of the offer."""
        message = update.effective_message
        quoted = message.reply_to_message if message else None
        if message is None or quoted is None or quoted.from_user is None \
                or quoted.from_user.id != context.bot.id:
            return  # not addressed to the bot (privacy mode rarely lets these through anyway)
        await self.apply(context, where, Event(verb="answer", arg=message.text or "",
                                               actor=where.actor()), source=quoted.message_id,
                         reply_to=quoted.message_id)

    async def _group_button(self, update: Update, context: Context, where: Where,
                            query: CallbackQuery) -> None:
        try:
            press = decode(query.data)
        except BadCallback:
            await self._toast(query, "forged")
            return
        if isinstance(press, MenuPress) or press.flow != "team" or press.event.verb in (
                "begin", "leave"):
            await self._toast(query, "forged")  # only commands begin, only Telegram says who left
            return
        if await self.store.load(where.key) is None:
            await self._answer(query, render("team/toast.j2", {"what": "no_review"}))
            return
        steering = press.event.verb in ("next", "cancel", "tone", "draft")
        actor = where.actor(admin=steering and await self._is_admin(context, where))
        event = press.event.model_copy(update={"actor": actor})
        source = query.message.message_id if query.message else None
        await self.apply(context, where, event, source=source, pressed=press, query=query)

    async def on_member_left(self, update: Update, context: Context) -> None:
        """A member left a group: if they led a review there, the next member leads it."""
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or message.left_chat_member is None:
            return
        left = message.left_chat_member
        thread = message.message_thread_id if message.is_topic_message else 0
        where = Where(chat_id=chat.id, user_id=left.id, update_id=update.update_id,
                      thread_id=thread or 0, group=True, name=left.first_name)
        if await self.store.load(where.key) is not None:
            await self.apply(context, where, Event(verb="leave", actor=where.actor()))

    async def on_removed(self, update: Update, context: Context) -> None:
        """The bot was removed from a group: nothing to send; the review's votes stay stored."""
        member = update.my_chat_member
        if member is not None and member.new_chat_member.status in ("left", "kicked"):
            log.info("update %s: removed from a group", update.update_id)

    async def _is_admin(self, context: Context, where: Where) -> bool:
        """Whether the actor administers the group (asked of Telegram, cached for a minute)."""
        key = (where.chat_id, where.user_id)
        cached = self._admins.get(key)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await context.bot.get_chat_member(where.chat_id, where.user_id)
            admin = member.status in ("administrator", "creator")
        except TelegramError:
            admin = False
        if len(self._admins) > 10_000:
            self._admins.clear()
        self._admins[key] = (admin, now + 60)
        return admin

    @staticmethod
    def _group(update: Update) -> Where | None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type not in ("group", "supergroup") \
                or user.is_bot:
            return None
        message = update.effective_message
        if update.callback_query is not None:
            message = update.callback_query.message  # type: ignore[assignment]
        thread = message.message_thread_id if message is not None and getattr(
            message, "is_topic_message", False) else None
        return Where(chat_id=chat.id, user_id=user.id, update_id=update.update_id,
                     thread_id=thread or 0, group=True, name=user.first_name)

    # --- the bot's own menus ----------------------------------------------------------------------

    async def _menu(self, context: Context, where: Where, press: MenuPress,
                    source: int | None) -> None:
        if press.action in MENU_FOR.values():
            flow = FLOW_OF[press.action]
            await self.apply(context, where, Event(verb="begin"), flow=flow)
        elif press.action == "continue":
            await self.apply(context, where, Event(verb="resume"))
        elif press.action == "history":
            await self._send_history(context, where)
        elif press.action in ("help", "privacy"):
            await self._say(context, where.chat_id, render(
                f"chat/{press.action}.j2", {"bot_username": context.bot.username}))
        elif press.action in ("open", "export"):
            await self._open_decision(context, where, press)
        elif press.action == "forget_yes":
            async with self.locks.hold(where.key):
                deleted = await self.store.forget(where.user_id)
            await self._settle(context, where.chat_id, source,
                               render("chat/forgotten.j2", {"deleted": deleted}))
        elif press.action == "forget_no":
            await self._settle(context, where.chat_id, source, render("chat/forget_kept.j2", {}))

    async def _send_menu(self, context: Context, where: Where, message: Message | None,
                         wanted: str | None = None) -> None:
        """``/start``: what the bot can do; mid-review, continue or start over (the review in
        progress, or ``wanted``, the one just asked for) — never dropped without asking."""
        snapshot = await self.store.load(where.key)
        name = message.from_user.first_name if message and message.from_user else ""
        brand = snapshot.answers.get("brand") if snapshot else None
        rows: list[list[tuple[str, str, str]]]
        if in_progress(snapshot):
            assert snapshot is not None
            flow = wanted or snapshot.flow
            rows = [[(label("common", "menu.continue"), "continue", "")],
                    [(label("chat", "start_over"), MENU_FOR.get(flow, "review"), "")]]
        else:
            rows = [[(label("common", "menu.review"), "review", "")],
                    [(label("common", "menu.apology"), "apology", "")],
                    [(label("common", "menu.proposal"), "proposal", "")],
                    [(label("common", "menu.history"), "history", "")],
                    [(label("common", "menu.help"), "help", ""),
                     (label("common", "menu.privacy"), "privacy", "")]]
        # a decision stays on offer: its own delivery may have failed (Telegram unreachable)
        decided = snapshot is not None and snapshot.step == DECIDED
        if decided:
            rows.insert(0, [(label("common", "menu.decision"), "continue", "")])
        text = render("chat/start.j2", {"in_progress": in_progress(snapshot), "name": name,
                                        "decided": decided,
                                        "brand": brand if isinstance(brand, str) else None})
        await self._say(context, where.chat_id, text, menu_keyboard(rows))

    async def _send_history(self, context: Context, where: Where) -> None:
        decisions = await self.store.history(where.user_id, limit=10)
        items = [{"title": d.title, "verdict": d.verdict,
                  "when": d.created_at} for d in decisions]
        rows = [[(render("chat/history_button.j2", {"n": n, "title": d.title}), "open", str(d.id))]
                for n, d in enumerate(decisions, start=1)]
        await self._say(context, where.chat_id, render("chat/history.j2", {"items": items}),
                        menu_keyboard(rows) if rows else None)

    async def _open_decision(self, context: Context, where: Where, press: MenuPress) -> None:
        stored = (await self.store.decision(where.user_id, int(press.arg))
                  if press.arg.isdigit() else None)
        if stored is None or stored.flow not in FLOWS:
            await self._say(context, where.chat_id,
                            render("chat/toast.j2", {"what": "gone"}))
            return
        spec = FLOWS[stored.flow]
        if press.action == "export":
            await self._document(context, where.chat_id, spec.export(stored.payload))
            return
        when = stored.created_at
        await self._say(context, where.chat_id, render("chat/history_entry.j2", {"when": when}))
        replies = spec.present(stored.payload, False)
        for number, reply in enumerate(replies, start=1):
            markup = (menu_keyboard([[(label("common", "export"), "export", str(stored.id))]])
                      if number == len(replies) else None)
            await self._say(context, where.chat_id, message_html(reply), markup)

    # --- sending ----------------------------------------------------------------------------------

    async def _say(self, context: Context, chat_id: int, text: str,
                   markup: Markup | None = None, thread: int | None = None) -> int:
        """Send an HTML message; its id."""
        await self.pacer.wait(chat_id)
        return await send_text(context.bot, chat_id, text, markup, thread)

    async def _edit(self, context: Context, chat_id: int, message_id: int, text: str,
                    markup: Markup | None) -> bool:
        try:
            await edit_text(context.bot, chat_id, message_id, text, markup)
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return True
            # too old to edit, or deleted by the user: the reply goes out as a new message
            log.info("edit failed, sending instead: %s", type(error).__name__)
            return False
        return True

    async def _settle(self, context: Context, chat_id: int, source: int | None,
                      text: str) -> None:
        if source is None or not await self._edit(context, chat_id, source, text, None):
            await self._say(context, chat_id, text)

    async def _document(self, context: Context, chat_id: int, reply: Reply,
                        thread: int | None = None) -> None:
        await self.pacer.wait(chat_id)
        await context.bot.send_document(
            chat_id, document=InputFile(io.BytesIO(document_bytes(reply)),
                                        filename=reply.document), message_thread_id=thread)

    async def _toast(self, query: CallbackQuery, what: str | None) -> None:
        await self._answer(query, None if what is None else render("chat/toast.j2",
                                                                   {"what": what}))

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await query.answer(text)
        except TelegramError as error:
            log.info("callback answer failed: %s", type(error).__name__)

    async def _notice_then_step(self, context: Context, where: Where, what: str) -> None:
        await self._say(context, where.chat_id, render("chat/notice.j2", {"what": what}))
        snapshot = await self.store.load(where.key)
        if in_progress(snapshot):
            await self.apply(context, where, Event(verb="resume"))

    # --- who is acting ---------------------------------------------------------------------

    @staticmethod
    def _private(update: Update) -> tuple[Where | None, Message | None]:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or user is None or chat.type != "private" or user.is_bot:
            return None, message
        return Where(chat_id=chat.id, user_id=user.id, update_id=update.update_id,
                     name=user.first_name), message

    @staticmethod
    def _presser(update: Update, query: CallbackQuery) -> Where | None:
        message = query.message
        if message is None or message.chat.type != "private":
            return None
        if message.chat.id != query.from_user.id:
            return None
        return Where(chat_id=message.chat.id, user_id=query.from_user.id,
                     update_id=update.update_id, name=query.from_user.first_name)


def _rewrite_then_new(replies: list[Reply]) -> bool:
    """A plain rewrite of the message that showed the step (an answered question, the review
    becoming the decision) followed only by new messages: the two can go out at once."""
    first = replies[0] if replies else None
    return first is not None and len(replies) > 1 and first.place == "replace" \
        and not first.buttons and first.document is None and first.effect is None \
        and not first.batch and all(r.place == "new" for r in replies[1:])


def _fingerprint(summary: dict[str, Any]) -> str:
    """What makes two decisions the same one: the answers behind them."""
    raw = json.dumps([summary.get("flow"), summary.get("answers")], sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _title(summary: dict[str, Any]) -> str:
    parts = [str(summary.get("brand") or ""), str(summary.get("product") or "")]
    return " · ".join(part for part in parts if part)[:120]
