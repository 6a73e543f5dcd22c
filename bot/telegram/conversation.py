"""The one path from a Telegram update to a flow and back, and the bot's own commands.

An update becomes ``(key, event)``; under the key's lock the snapshot is loaded, ``advance`` runs,
the snapshot is saved (committed), and only then are the replies rendered and sent. A failed send
is healed by showing the current step again, never by replaying answers.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.store import ConflictError, ConversationKey, KeyLocks, Store
from bot.telegram.callbacks import BadCallback, FlowPress, MenuPress, decode
from bot.telegram.pacing import ChatPacer
from bot.telegram.render import document_bytes, keyboard, menu_keyboard, message_html
from flows import engine
from flows.machine import DECIDED, REVIEW, question_of
from flows.registry import DEFAULT_FLOW, FLOWS
from flows.replies import Event, Reply
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
    """Whose conversation an update belongs to, and ids for the log (never the text)."""

    chat_id: int
    user_id: int
    update_id: int

    @property
    def key(self) -> ConversationKey:
        return ConversationKey.private(self.chat_id, self.user_id)


def in_progress(snapshot: Snapshot | None) -> bool:
    return snapshot is not None and (question_of(snapshot.step) is not None
                                     or snapshot.step == REVIEW)


class Coach:
    """Handlers for python-telegram-bot: commands, typed text, button presses."""

    def __init__(self, store: Store, pacer: ChatPacer) -> None:
        self.store = store
        self.pacer = pacer
        self.locks = KeyLocks()  # held across save and send, so one chat's replies stay in order

    # --- entry points (registered in app.py) --------------------------------------------------

    async def on_text(self, update: Update, context: Context) -> None:
        """Typed text in a private chat: an answer to the current step."""
        where, message = self._private(update)
        if where is None or message is None:
            return
        snapshot = await self.store.load(where.key)
        if snapshot is None:
            await self._send_menu(context, where, message)
            return
        await self.apply(context, where, Event(verb="answer", arg=message.text or ""))

    async def on_command(self, update: Update, context: Context) -> None:
        """``/start``, ``/review``, ``/back``, ``/cancel``, ``/history``, ``/forget``, ..."""
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0][1:].split("@")[0].casefold()
        where, _ = self._private(update)
        if where is None:
            await self._group_notice(context, update)
            return
        if command in ("review", "new", "apology", "proposal"):
            flow = "creator" if command in ("review", "new") else command
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
            await self._say(context, where.chat_id, render(f"chat/{command}.j2", {}))
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
        where = self._presser(update, query)
        if where is None:
            await self._toast(query, "not_yours")
            return
        try:
            press = decode(query.data)
        except BadCallback:
            log.info("rejected callback data", extra={"update_id": where.update_id})
            await self._toast(query, "forged")
            await self.apply(context, where, Event(verb="resume"))
            return
        source = query.message.message_id if query.message else None
        if isinstance(press, MenuPress):
            await query.answer()
            await self._menu(context, where, press, source)
            return
        await self.apply(context, where, press.event, source=source, pressed=press, query=query)

    # --- the one flow path ----------------------------------------------------------------------

    async def apply(self, context: Context, where: Where, event: Event, *,
                    source: int | None = None, pressed: FlowPress | None = None,
                    query: CallbackQuery | None = None, flow: str | None = None) -> None:
        """Load, advance, save, then send: the whole of one update for one conversation.

        ``flow`` names the flow a ``begin`` starts; otherwise the conversation's own flow runs.
        """
        async with self.locks.hold(where.key):
            try:
                await self._apply_locked(context, where, event, source, pressed, query, flow)
            except (Forbidden, ConflictError) as error:
                log.warning("update not delivered: %s", type(error).__name__,
                            extra={"update_id": where.update_id})
            except Exception:
                log.exception("update failed", extra={"update_id": where.update_id,
                                                      "chat_id": where.chat_id})
                await self._recover(context, where)

    async def _apply_locked(self, context: Context, where: Where, event: Event,
                            source: int | None, pressed: FlowPress | None,
                            query: CallbackQuery | None, flow: str | None) -> None:
        for attempt in range(3):
            try:
                new, replies, stale = await self._advance_and_save(where, event, pressed, flow)
                break
            except ConflictError:
                # another process wrote this conversation first: advance again from its state
                if attempt == 2:
                    raise
        if query is not None:
            await self._toast(query, "stale" if stale else None)
        if new is None:
            await self._send_menu(context, where, None)
            return
        target = None if stale else source if source is not None else new.shown_in
        shown = await self.deliver(context, where.chat_id, new, replies, target=target)
        if shown is not None and shown != new.shown_in:
            async with self.store.transaction(where.key) as txn:
                if txn.snapshot is not None and txn.snapshot.version == new.version:
                    txn.save(txn.snapshot.model_copy(update={"shown_in": shown}))

    async def _advance_and_save(self, where: Where, event: Event, pressed: FlowPress | None,
                                flow: str | None = None
                                ) -> tuple[Snapshot | None, list[Reply], bool]:
        """Run the flow and commit its snapshot; a stale press changes nothing."""
        async with self.store.transaction(where.key) as txn:
            old = txn.snapshot
            if old is not None and where.update_id in old.applied:
                # a redelivered update (after a crash): applied already, show where we are
                return old, engine.current_replies(FLOWS[old.flow], old), False
            stale = pressed is not None and (old is None or pressed.version != old.version)
            # "new review" from an old decision still works once nothing is in progress
            if stale and not (event.verb == "begin" and not in_progress(old)):
                replies = engine.current_replies(FLOWS[old.flow], old) if old else []
                return old, replies, True
            spec = FLOWS[flow or (pressed.flow if pressed else old.flow if old else DEFAULT_FLOW)]
            new, replies = engine.advance(spec, old, event)
            if new is not old:
                new = new.model_copy(update={"applied": old.applied_with(where.update_id)
                                             if old else [where.update_id]})
                txn.save(new)
            if new.step == DECIDED and (old is None or old.step != DECIDED):
                summary = spec.summarize(new)
                txn.record_decision(where.user_id, spec.name, _title(summary),
                                    summary["decision"]["verdict"], summary)
        return new, replies, False

    async def deliver(self, context: Context, chat_id: int, snapshot: Snapshot,
                      replies: list[Reply], *, target: int | None) -> int | None:
        """Send (or edit into place) each reply; return the message now showing the current step."""
        showing: int | None = None
        for reply in replies:
            markup = keyboard(snapshot.flow, snapshot.version, reply.buttons)
            if reply.document is not None:
                await self._document(context, chat_id, reply)
                continue
            if reply.effect == "handoff":
                reply = await self._with_handoff_link(context, reply)
            text = message_html(reply)
            if reply.place == "replace" and target is not None and await self._edit(
                    context, chat_id, target, text, markup):
                showing = target if markup else showing
                continue
            sent = await self._say(context, chat_id, text, markup)
            if markup is not None:
                showing = sent.message_id
        return showing

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
                new, replies = engine.begin_with(spec, answers)
                new = new.model_copy(update={
                    "version": old.version + 1 if old else 0, "applied": [where.update_id]})
                txn.save(new)
            brand = answers.get("brand")
            await self._say(context, where.chat_id, render(
                "chat/notice.j2", {"what": "handoff", "brand": brand if isinstance(
                    brand, str) else ""}))
            shown = await self.deliver(context, where.chat_id, new, replies, target=None)
            if shown is not None:
                async with self.store.transaction(where.key) as txn:
                    if txn.snapshot is not None and txn.snapshot.version == new.version:
                        txn.save(txn.snapshot.model_copy(update={"shown_in": shown}))

    async def _recover(self, context: Context, where: Where) -> None:
        """After a failure: apologise and show the current step again, from what was saved."""
        try:
            snapshot = await self.store.load(where.key)
            await self._say(context, where.chat_id, render("chat/notice.j2", {"what": "error"}))
            if snapshot is not None:
                replies = engine.current_replies(FLOWS[snapshot.flow], snapshot)
                await self.deliver(context, where.chat_id, snapshot, replies, target=None)
        except Exception:
            log.exception("recovery failed", extra={"update_id": where.update_id})

    # --- the bot's own menus ----------------------------------------------------------------------

    async def _menu(self, context: Context, where: Where, press: MenuPress,
                    source: int | None) -> None:
        if press.action in ("review", "apology", "proposal"):
            flow = "creator" if press.action == "review" else press.action
            await self.apply(context, where, Event(verb="begin"), flow=flow)
        elif press.action == "continue":
            await self.apply(context, where, Event(verb="resume"))
        elif press.action == "history":
            await self._send_history(context, where)
        elif press.action in ("help", "privacy"):
            await self._say(context, where.chat_id, render(f"chat/{press.action}.j2", {}))
        elif press.action in ("open", "export"):
            await self._open_decision(context, where, press)
        elif press.action == "forget_yes":
            async with self.locks.hold(where.key):
                deleted = await self.store.forget(where.user_id)
            await self._settle(context, where.chat_id, source,
                               render("chat/forgotten.j2", {"deleted": deleted}))
        elif press.action == "forget_no":
            await self._settle(context, where.chat_id, source, render("chat/forget_kept.j2", {}))

    async def _send_menu(self, context: Context, where: Where, message: Message | None) -> None:
        snapshot = await self.store.load(where.key)
        name = message.from_user.first_name if message and message.from_user else ""
        brand = snapshot.answers.get("brand") if snapshot else None
        rows: list[list[tuple[str, str, str]]]
        if in_progress(snapshot):
            rows = [[(label("common", "menu.continue"), "continue", "")],
                    [(label("chat", "start_over"), "review", "")]]
        else:
            rows = [[(label("common", "menu.review"), "review", "")],
                    [(label("common", "menu.apology"), "apology", "")],
                    [(label("common", "menu.proposal"), "proposal", "")],
                    [(label("common", "menu.history"), "history", "")],
                    [(label("common", "menu.help"), "help", ""),
                     (label("common", "menu.privacy"), "privacy", "")]]
        text = render("chat/start.j2", {"in_progress": in_progress(snapshot), "name": name,
                                        "brand": brand if isinstance(brand, str) else None})
        await self._say(context, where.chat_id, text, menu_keyboard(rows))

    async def _send_history(self, context: Context, where: Where) -> None:
        decisions = await self.store.history(where.user_id, limit=10)
        items = [{"title": d.title, "verdict": d.verdict,
                  "when": d.created_at.strftime("%Y-%m-%d %H:%M UTC")} for d in decisions]
        rows = [[(f"{n}. {d.title}"[:60], "open", str(d.id))]
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
        when = stored.created_at.strftime("%Y-%m-%d %H:%M UTC")
        await self._say(context, where.chat_id, render("chat/history_entry.j2", {"when": when}))
        replies = spec.present(stored.payload, False)
        for number, reply in enumerate(replies, start=1):
            markup = (menu_keyboard([[(label("common", "export"), "export", str(stored.id))]])
                      if number == len(replies) else None)
            await self._say(context, where.chat_id, message_html(reply), markup)

    # --- sending ----------------------------------------------------------------------------------

    async def _say(self, context: Context, chat_id: int, text: str,
                   markup: InlineKeyboardMarkup | None = None) -> Message:
        await self.pacer.wait(chat_id)
        return await context.bot.send_message(chat_id, text, reply_markup=markup)

    async def _edit(self, context: Context, chat_id: int, message_id: int, text: str,
                    markup: InlineKeyboardMarkup | None) -> bool:
        try:
            await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                                reply_markup=markup)
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

    async def _document(self, context: Context, chat_id: int, reply: Reply) -> None:
        await self.pacer.wait(chat_id)
        await context.bot.send_document(
            chat_id, document=InputFile(io.BytesIO(document_bytes(reply)),
                                        filename=reply.document))

    async def _toast(self, query: CallbackQuery, what: str | None) -> None:
        try:
            if what is None:
                await query.answer()
            else:
                await query.answer(render("chat/toast.j2", {"what": what}))
        except TelegramError as error:
            log.info("callback answer failed: %s", type(error).__name__)

    async def _notice_then_step(self, context: Context, where: Where, what: str) -> None:
        await self._say(context, where.chat_id, render("chat/notice.j2", {"what": what}))
        snapshot = await self.store.load(where.key)
        if in_progress(snapshot):
            await self.apply(context, where, Event(verb="resume"))

    async def _group_notice(self, context: Context, update: Update) -> None:
        chat = update.effective_chat
        if chat is not None:
            await self._say(context, chat.id, render("chat/notice.j2", {"what": "group"}))

    # --- who is acting ---------------------------------------------------------------------

    @staticmethod
    def _private(update: Update) -> tuple[Where | None, Message | None]:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or user is None or chat.type != "private" or user.is_bot:
            return None, message
        return Where(chat_id=chat.id, user_id=user.id, update_id=update.update_id), message

    @staticmethod
    def _presser(update: Update, query: CallbackQuery) -> Where | None:
        message = query.message
        if message is None or message.chat.type != "private":
            return None
        if message.chat.id != query.from_user.id:
            return None
        return Where(chat_id=message.chat.id, user_id=query.from_user.id,
                     update_id=update.update_id)


def _title(summary: dict[str, Any]) -> str:
    parts = [str(summary.get("brand") or ""), str(summary.get("product") or "")]
    return " · ".join(part for part in parts if part)[:120]
