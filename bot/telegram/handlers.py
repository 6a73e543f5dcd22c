"""Telegram's side of a conversation: updates in, the service's turns out, and the bot's menus.

Each handler turns an update into an ``Inbound`` for the conversation service
(``bot/conversations.py``), which loads, advances and saves the conversation; the turn it returns
is shown here: sent, or edited into the message that showed the step, with pacing per chat and
live tallies batched in groups. A private chat is the person's own conversation; in a group (or
one topic of a forum) it is the review running there, whoever acted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace
from typing import Any

from telegram import CallbackQuery, Document, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.clock import Clock, system_clock
from bot.conversations import OFFER_LENGTH, Conversations, Inbound, Turn, in_progress
from bot.deals import ACTION, REOPEN, TRACK, DealMessage, Deals, verb_of
from bot.documents import MAX_BYTES, MAX_PAGES, Decoded
from bot.documents import decode as decode_document
from bot.store import ConversationKey
from bot.telegram.callbacks import BadCallback, FlowPress, MenuPress, decode
from bot.telegram.delivery import Delivery, StillCurrent, beside
from bot.telegram.render import menu_keyboard, message_html
from bot.telegram.retrying import drop_copy
from bot.telegram.send import Markup
from flows.engine import reopenable
from flows.machine import DECIDED
from flows.registry import DEFAULT_FLOW, FLOWS
from flows.replies import GROUP_VERBS, Actor, Event, Reply
from flows.snapshot import Answer, Snapshot
from prompts import about, label, render

log = logging.getLogger("halo.telegram")

HANDOFF_PREFIX = "h-"  # /start h-<code>: a hand-off link

Context = ContextTypes.DEFAULT_TYPE

# what a group runs: one review at a time per group (or forum topic), keyed by the flow's name
GROUP_FLOW = next(flow for flow in FLOWS.values() if flow.scope == "group")


def private_flows() -> list[dict[str, str]]:
    """The flows a person runs on their own, for menus and help: name and command."""
    return [{"flow": flow.name, "command": flow.commands[0]} for flow in FLOWS.private()]


@dataclass(frozen=True, slots=True)
class Where:
    """Whose conversation an update belongs to, and ids for the log (never the text)."""

    chat_id: int
    user_id: int
    update_id: int
    thread_id: int = 0
    group: bool = False
    name: str = ""
    admin: bool = False
    language: str | None = None  # Telegram's language code: a deal's default time zone

    @property
    def key(self) -> ConversationKey:
        if self.group:
            return ConversationKey.group(self.chat_id, GROUP_FLOW.name, self.thread_id)
        return ConversationKey.private(self.chat_id, self.user_id)

    @property
    def acting(self) -> Actor | None:
        """Who acts: in a group, who may steer and who votes; in a private chat, the first name
        a flow may sign with."""
        if not self.group and not self.name:
            return None
        return Actor(user_id=self.user_id, name=self.name, admin=self.admin)


class Handlers:
    """Handlers for python-telegram-bot: commands, typed text, button presses, each turned into an
    ``Inbound`` for the conversation service, whose turn this class then shows."""

    def __init__(self, conversations: Conversations, delivery: Delivery,
                 deals: Deals | None = None, clock: Clock | None = None) -> None:
        self.conversations = conversations
        self.deals = deals  # /deals and the deal buttons; None: a bot without them
        self.clock = clock or system_clock()
        self.store = conversations.store  # read for a live tally's version
        self.decisions = conversations.decisions  # /history
        self.delivery = delivery
        self._admins: dict[tuple[int, int], tuple[bool, float]] = {}

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
        self.delivery.note(where.chat_id, message.message_id)
        text = message.text or ""
        quoted = _quoted_bot_message(message, context)
        if self.deals is not None and quoted is not None:
            # the answer to a deal's question (a date, a caption, a time zone), if it asked it
            answered = await self.deals.typed(where.user_id, text, self.clock(), quoted)
            if answered:
                for one in answered:
                    await self.send_deal(context.bot, where.chat_id, one, where.user_id)
                return
        # with nothing in progress the service asks for the menu, or reads a brand's message
        offer = message.forward_origin is not None or len(text) >= OFFER_LENGTH
        await self.apply(context, where, Event(verb="answer", arg=text), offer=offer)

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
        self.delivery.note(where.chat_id, message.message_id)
        flow = FLOWS.started_by(command, "private")
        if flow is not None:
            # asks first when something else is in progress (the service's turn says so)
            await self.apply(context, where, Event(verb="begin"), flow=flow.name)
        elif command in ("back", "cancel", "skip"):
            await self.apply(context, where, Event(verb=command))  # type: ignore[arg-type]
        elif command == "start":
            payload = message.text.split(maxsplit=1)[1].strip() if " " in message.text else ""
            if payload.startswith(HANDOFF_PREFIX):
                await self.apply(context, where, Event(verb="begin"),
                                 handoff=payload[len(HANDOFF_PREFIX):])
            else:
                await self._send_menu(context, where, await self.conversations.look(where.key),
                                      where.name)
        elif command == "history":
            await self._send_history(context, where)
        elif command == "deals":
            await self._deals(context, where, MenuPress("deals", ""), None)
        elif command == "forget":
            await self._say(context, where, render("chat/forget_confirm.j2", {}),
                            menu_keyboard([[(label("common", "forget.yes"), "forget_yes", ""),
                                            (label("common", "forget.no"), "forget_no", "")]]))
        elif command in ("help", "privacy"):
            await self._say(context, where, render(f"chat/{command}.j2", {
                "flows": private_flows(), "bot_username": context.bot.username}))
        else:
            await self._notice_then_step(context, where, "unknown_command")

    async def on_other(self, update: Update, context: Context) -> None:
        """A document (a brand's offer or contract: read like a pasted message), or a sticker,
        photo or anything else where text is expected."""
        where, message = self._private(update)
        if where is None:
            return
        if message is not None:
            self.delivery.note(where.chat_id, message.message_id)
        document = message.document if message is not None else None
        if document is None:
            await self._notice_then_step(context, where, "not_text")
            return
        if in_progress(await self.conversations.look(where.key)):
            await self._notice_then_step(context, where, "document_mid_review")
            return
        decoded = await self._read_document(context, document)
        if decoded.text is None:
            # said plainly, then the review begins step by step
            await self._say(context, where, render("reading/document.j2", {
                "reason": decoded.reason, "pages": decoded.pages, "max_pages": MAX_PAGES}))
            await self.apply(context, where, Event(verb="begin"), flow=DEFAULT_FLOW)
            return
        caption = message.caption or "" if message is not None else ""  # its own words too
        await self.apply(context, where, Event(verb="answer", arg=f"{caption}\n{decoded.text}"),
                         offer=True)

    @staticmethod
    async def _read_document(context: Context, document: Document) -> Decoded:
        """The document's text, read in memory (never written to disk), or why not."""
        if document.file_size is not None and document.file_size > MAX_BYTES:
            return Decoded(reason="too_big")
        try:
            file = await context.bot.get_file(document.file_id)
            data = await file.download_as_bytearray()
        except TelegramError as error:
            log.info("document not downloaded: %s", type(error).__name__)
            return Decoded(reason="broken")
        return decode_document(bytes(data), document.file_name or "")

    async def on_edited(self, update: Update, context: Context) -> None:
        """An edited message: the first answer stands; say so instead of silently ignoring it."""
        where, _ = self._private(update)
        if where is not None:
            await self._say(context, where, render("chat/notice.j2", {"what": "edited"}))

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
            await self._toast_of(query, "not_yours")
            return
        try:
            press = decode(query.data)
        except BadCallback:
            log.info("update %s: rejected callback data", where.update_id)
            await self._toast_of(query, "forged")
            await self.apply(context, where, Event(verb="resume"))
            return
        source = query.message.message_id if query.message else None
        if isinstance(press, FlowPress) and (FLOWS[press.flow].scope != "private"
                                             or press.event.verb in GROUP_VERBS):
            await self._toast_of(query, "forged")  # group buttons only exist in groups
            return
        if isinstance(press, MenuPress):
            # the action first: its conversation's lock is its first wait, so an update behind
            # it in the same chat (a typed answer) cannot overtake it while the press is answered
            toast = await self._menu(context, where, press, source)
            # too old to answer (bot was down): acted all the same
            await self._toast_of(query, toast)
            return
        await self.apply(context, where, press.event, source=source, pressed=press, query=query)

    # --- the one flow path ----------------------------------------------------------------------

    async def apply(self, context: Context, where: Where, event: Event, *,
                    source: int | None = None, pressed: FlowPress | None = None,
                    query: CallbackQuery | None = None, flow: str | None = None,
                    reply_to: int | None = None, handoff: str | None = None,
                    notice: str | None = None, offer: bool = False,
                    answers: dict[str, Answer] | None = None,
                    quoting: int | None = None) -> None:
        """One update through the conversation service, and its turn shown in the chat
        (``quoting``: the person's message it came with, which a reply may answer)."""
        inbound = Inbound(where.key, event, where.update_id, actor=where.acting, offer=offer,
                          flow=pressed.flow if pressed else flow,
                          pressed=pressed.version if pressed else None, source=source,
                          reply_to=reply_to, handoff=handoff, notice=notice, answers=answers,
                          language=where.language)

        async def show(turn: Turn) -> int | None:
            answered: asyncio.Future[None] | None = None
            if query is not None:
                # the press is answered (the button's spinner stops) while the replies go out
                answered = asyncio.ensure_future(self._answer_press(query, where, turn))
            if not where.group:  # what the conversation knew of the chat (this process may not)
                self.delivery.recall(where.chat_id, turn.last)
            try:
                if turn.stale and pressed is not None and not where.group \
                        and turn.snapshot is not None:
                    if source is not None and source != turn.showing:
                        await self.delivery.unbutton(context.bot, where.chat_id, source)
                    if self.delivery.is_last(where.chat_id, turn.showing):
                        return turn.showing  # the question is right there: the toast says it
                shown = await self._show(context, where, turn,
                                         pressed=pressed is not None and not turn.stale,
                                         quoting=quoting)
                if pressed is not None and pressed.event.verb != "begin" and not turn.stale \
                        and not where.group and turn.snapshot is not None \
                        and turn.snapshot.version != pressed.version and not turn.deals:
                    # the press applied: another copy of the step it was on goes (a decision
                    # followed as a deal moves no step)
                    await drop_copy(context.bot, where.chat_id, turn.showing, pressed=source)
                for message in turn.deals:
                    await self.send_deal(context.bot, where.chat_id, message, where.user_id)
                return shown
            except Forbidden as error:  # blocked by the person: nothing more can reach them
                log.warning("update %s (chat %s) not delivered: %s", where.update_id,
                            where.chat_id, type(error).__name__)
                return None
            finally:
                if answered is not None:
                    await answered

        await self.conversations.handle(inbound, show)

    async def _answer_press(self, query: CallbackQuery, where: Where, turn: Turn) -> None:
        if turn.toasts:
            toast = turn.toasts[0]
            await self.delivery.answer(query, render(toast.template, toast.context))
        elif turn.snapshot is None and turn.stale and where.group:
            await self._toast_of(query, "no_review")
        else:
            await self._toast_of(query, "stale" if turn.stale else None)

    async def _show(self, context: Context, where: Where, turn: Turn, *,
                    pressed: bool = False, quoting: int | None = None) -> int | None:
        """A turn in the chat: its replies, and the menu where the service asks for it."""
        if turn.wanted is not None:
            await self._send_menu(context, where, turn.snapshot, where.name, wanted=turn.wanted)
            return None
        if turn.snapshot is None:
            await self.delivery.deliver(context.bot, where.chat_id, where.thread_id or None, "", 0,
                                        turn.replies, target=None)  # notices: no buttons
            if turn.menu and not where.group:
                await self._send_menu(context, where, None, "")
            return None
        snapshot = turn.snapshot
        delivered = self.delivery.deliver(
            context.bot, where.chat_id, where.thread_id or None, snapshot.flow, snapshot.version,
            turn.replies, target=turn.target,
            showing=turn.showing, pressed=pressed and not where.group,
            still_current=self._still_at(where.key, snapshot.version) if where.group else None,
            lines=turn.lines, quoting=quoting)
        if turn.replaced is not None and not where.group:  # one live question: the new one's
            return await beside(delivered,
                                self.delivery.unbutton(context.bot, where.chat_id, turn.replaced))
        return await delivered

    def _still_at(self, key: ConversationKey, version: int) -> StillCurrent:
        """A check that the conversation has not moved on (another worker may have moved it)."""

        async def check() -> bool:
            current = await self.store.load(key)
            return current is not None and current.version == version

        return check

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
            await self.apply(context, where, Event(verb="begin", arg=proposal),
                             flow=GROUP_FLOW.name)
        elif command == "cancel":
            admin = await self._is_admin(context, where)
            await self.apply(context, replace(where, admin=admin), Event(verb="cancel"))
        elif command in ("help", "start"):
            await self._say(context, where, render("chat/group_help.j2", {}))
        # other commands are private ones: in a group they are not for the bot to answer

    async def _group_text(self, update: Update, context: Context, where: Where) -> None:
        """A reply to one of the bot's questions: the lead giving a fact of the offer (to an
        older message: the lead is pointed to the current question)."""
        message = update.effective_message
        quoted = message.reply_to_message if message else None
        if message is None or quoted is None or quoted.from_user is None \
                or quoted.from_user.id != context.bot.id:
            return  # not addressed to the bot (privacy mode rarely lets these through anyway)
        await self.apply(context, where, Event(verb="answer", arg=message.text or ""),
                         source=quoted.message_id, reply_to=quoted.message_id,
                         quoting=message.message_id)

    async def _group_button(self, update: Update, context: Context, where: Where,
                            query: CallbackQuery) -> None:
        try:
            press = decode(query.data)
        except BadCallback:
            await self._toast_of(query, "forged")
            return
        if isinstance(press, MenuPress) or FLOWS[press.flow].scope != "group" \
                or press.event.verb in ("begin", "leave", "stray"):
            # commands begin, Telegram says who left, a stray reply is typed
            await self._toast_of(query, "forged")
            return
        if press.event.verb in ("next", "cancel", "tone", "draft"):  # steering: lead or admin
            where = replace(where, admin=await self._is_admin(context, where))
        source = query.message.message_id if query.message else None
        await self.apply(context, where, press.event, source=source, pressed=press, query=query)

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
        await self.apply(context, where, Event(verb="leave"))  # nothing when no review runs

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
                    source: int | None) -> str | None:
        """A press on one of the bot's menus, acted on; the pop-up it answers with, if any."""
        flow = FLOWS.by_menu(press.action)
        if flow is not None:
            if press.arg:  # "start over" offered mid-review: only while the review is as it was
                now = await self.conversations.look(where.key)
                if now is not None and in_progress(now) and f"{now.version:x}" != press.arg:
                    if source is not None:
                        await self.delivery.unbutton(context.bot, where.chat_id, source)
                    return "stale"
            # an entry offered when nothing was in progress asks before dropping what now is
            await self.apply(context, where, Event(verb="restart" if press.arg else "begin"),
                             flow=flow.name)
            if source is not None:  # the menu has done its job (once applied: updates of a
                # chat keep their order only while nothing is awaited before the lock is taken)
                await self.delivery.unbutton(context.bot, where.chat_id, source)
        elif press.action in ("continue", "reopen"):
            await self.apply(context, where,
                             Event(verb="resume" if press.action == "continue" else "reopen"))
            if source is not None:  # the menu has done its job, once applied (as above)
                await self.delivery.unbutton(context.bot, where.chat_id, source)
        elif press.action == "history":
            await self._send_history(context, where)
        elif press.action in ("help", "privacy"):
            await self._say(context, where, render(f"chat/{press.action}.j2", {
                "flows": private_flows(), "bot_username": context.bot.username}))
        elif press.action in ("open", "export"):
            await self._open_decision(context, where, press)
        elif press.action in ("deals", "deal", TRACK):
            await self._deals(context, where, press, source)
        elif press.action == "forget_yes":
            deleted = await self.conversations.forget(where.key)
            await self.delivery.settle(context.bot, where.chat_id, source,
                               render("chat/forgotten.j2", {"deleted": deleted}))
        elif press.action == "forget_no":
            await self.delivery.settle(context.bot, where.chat_id, source,
                                       render("chat/forget_kept.j2", {}))
        return None

    async def _send_menu(self, context: Context, where: Where, snapshot: Snapshot | None,
                         name: str, wanted: str | None = None) -> None:
        """``/start``: what the bot can do; mid-review, continue or start over (the review in
        progress, or ``wanted``, the one just asked for) — never dropped without asking."""
        brand = snapshot.answers.get("brand") if snapshot else None
        rows: list[list[tuple[str, str, str]]]
        if in_progress(snapshot):
            assert snapshot is not None
            flow = FLOWS[wanted or snapshot.flow]
            # "start over" names the version it was offered at: pressed once the review has
            # moved on (an old "Welcome back"), it drops nothing
            other = flow.name != snapshot.flow
            rows = [[(label("common", "menu.continue"), "continue", "")],
                    [(about(flow.name)["menu"] if other else label("chat", "start_over"),
                      flow.commands[0], f"{snapshot.version:x}")]]
        else:
            rows = [*([(about(flow.name)["menu"], flow.commands[0], "")]
                      for flow in FLOWS.private()),
                    [(label("common", "menu.history"), "history", "")],
                    [(label("common", "menu.help"), "help", ""),
                     (label("common", "menu.privacy"), "privacy", "")]]
        # a decision stays on offer: its own delivery may have failed (Telegram unreachable)
        decided = snapshot is not None and snapshot.step == DECIDED
        if decided:
            rows.insert(0, [(label("common", "menu.decision"), "continue", "")])
        # a review cancelled less than a day ago can be taken up again
        cancelled = reopenable(snapshot)
        if cancelled:
            rows.insert(0, [(label("common", "menu.reopen"), "reopen", "")])
        text = render("chat/start.j2", {"in_progress": in_progress(snapshot), "name": name,
                                        "flow": snapshot.flow if snapshot else None,
                                        "wanted": wanted,
                                        "decided": decided, "cancelled": cancelled,
                                        "brand": brand if isinstance(brand, str) else None})
        await self._say(context, where, text, menu_keyboard(rows))

    async def _send_history(self, context: Context, where: Where) -> None:
        decisions = await self.decisions.history(where.user_id, limit=10)
        items = [{"title": d.title, "flow": d.flow, "verdict": d.verdict,
                  "when": d.created_at} for d in decisions]
        rows = [[(render("chat/history_button.j2", {"n": n, "title": d.title}), "open", str(d.id))]
                for n, d in enumerate(decisions, start=1)]
        await self._say(context, where, render("chat/history.j2", {"items": items}),
                        menu_keyboard(rows) if rows else None)

    async def _open_decision(self, context: Context, where: Where, press: MenuPress) -> None:
        stored = (await self.decisions.decision(where.user_id, int(press.arg))
                  if press.arg.isdigit() else None)
        if stored is None or stored.flow not in FLOWS:
            await self.delivery.say(context.bot, where.chat_id,
                            render("chat/toast.j2", {"what": "gone"}))
            return
        spec = FLOWS[stored.flow]
        if press.action == "export":
            # named after the day it was decided (kept before decisions said so themselves)
            payload = {"decided_on": stored.created_at.date().isoformat(), **stored.payload}
            await self.delivery.document(context.bot, where.chat_id, spec.export(payload))
            return
        when = stored.created_at
        await self._say(context, where, render("chat/history_entry.j2", {"when": when}))
        replies = spec.present(stored.payload, False)
        buttons = [[(label("common", "export"), "export", str(stored.id))]]
        if self.deals is not None and stored.flow == "creator" and stored.verdict != "decline":
            buttons.append([(label("deal", "track"), TRACK, str(stored.id))])
        for number, reply in enumerate(replies, start=1):
            markup = menu_keyboard(buttons) if number == len(replies) else None
            await self._say(context, where, message_html(reply), markup)

    async def _deals(self, context: Context, where: Where, press: MenuPress,
                     source: int | None) -> None:
        """``/deals`` and a deal's buttons: the list, a deal opened from a decision, a deal
        moved on; an old or foreign button gets the "gone" word."""
        if self.deals is None:
            return
        now = self.clock()
        await self.deals.deals.set_blocked(where.user_id, False)  # they are talking to us
        messages: list[DealMessage]
        if press.action == ACTION and verb_of(press.arg) == REOPEN:
            # "still like it?": the review begins again at its values questions, the rest kept
            answers = await self.deals.reopen(where.user_id, press.arg)
            if answers is None:
                await self._say(context, where, render("chat/toast.j2", {"what": "gone"}))
                return
            await self.apply(context, where, Event(verb="begin"), flow=DEFAULT_FLOW,
                             answers=answers, notice="trial_over")
            return
        if press.action == "deals":
            messages = [await self.deals.listing(where.user_id, now)]
        elif press.action == TRACK and press.arg.isdigit():
            messages = await self.deals.track(where.chat_id, where.user_id, int(press.arg), now,
                                              where.language)
        else:
            messages = await self.deals.press(where.user_id, press.arg, now, where.language)
        if not messages:
            await self._say(context, where, render("chat/toast.j2", {"what": "gone"}))
            return
        for message in messages:
            await self.send_deal(context.bot, where.chat_id, message, where.user_id)

    async def send_deal(self, bot: Any, chat_id: int, message: DealMessage,
                        user_id: int | None = None) -> int | None:
        """A deal's message (its card, the list, a reminder, a question, a file) with its
        buttons; a question (asked of ``user_id``) opens the reply field, and the deal notes
        the message, so the answer comes back as a reply to it."""
        if message.document is not None:
            await self.delivery.document(bot, chat_id, Reply(
                template=message.template, context=message.context, document=message.document))
            return None
        rows = [[(label("deal", b.label), b.action, b.arg) for b in row] for row in message.buttons]
        markup: Markup | None = menu_keyboard(rows) if rows else None
        if message.asks:
            markup = {"force_reply": True,
                      "input_field_placeholder": label("deal", "reply_here")}
        sent = await self.delivery.say(bot, chat_id, render(message.template, message.context),
                                       markup)
        if message.asks and self.deals is not None and user_id is not None:
            await self.deals.asked(user_id, str(message.context["deal_id"]), sent)
        return sent

    async def _say(self, context: Context, where: Where, text: str,
                   markup: Markup | None = None) -> None:
        """Send one of the bot's own messages to the chat (or forum topic) of ``where``."""
        await self.delivery.say(context.bot, where.chat_id, text, markup, where.thread_id or None)

    async def _toast_of(self, query: CallbackQuery, what: str | None) -> None:
        """Answer a press with one of the bot's own pop-ups (``chat/toast.j2``), or none."""
        await self.delivery.answer(query, None if what is None else render("chat/toast.j2",
                                                                           {"what": what}))

    async def _notice_then_step(self, context: Context, where: Where, what: str) -> None:
        """A word about the update itself, then the step in progress again, if any."""
        await self.apply(context, where, Event(verb="resume"), notice=what)

    # --- who is acting ---------------------------------------------------------------------

    @staticmethod
    def _private(update: Update) -> tuple[Where | None, Message | None]:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or user is None or chat.type != "private" or user.is_bot:
            return None, message
        return Where(chat_id=chat.id, user_id=user.id, update_id=update.update_id,
                     name=user.first_name, language=user.language_code), message

    @staticmethod
    def _presser(update: Update, query: CallbackQuery) -> Where | None:
        message = query.message
        if message is None or message.chat.type != "private":
            return None
        if message.chat.id != query.from_user.id:
            return None
        return Where(chat_id=message.chat.id, user_id=query.from_user.id,
                     update_id=update.update_id, name=query.from_user.first_name,
                     language=query.from_user.language_code)


def _quoted_bot_message(message: Message, context: Context) -> int | None:
    """The bot's message this one replies to (a deal's question asks so), if any."""
    quoted = message.reply_to_message
    if quoted is None or quoted.from_user is None or quoted.from_user.id != context.bot.id:
        return None
    return quoted.message_id
