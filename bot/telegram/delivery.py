"""How replies reach a Telegram chat: sent, or edited into the message that showed the step.

``Delivery`` keeps one live question message per conversation (an answered question is
rewritten without its buttons, the next step sent), paces sends to each chat (``ChatPacer``) and
batches live vote tallies in groups (``TallyEdits``): every message the bot sends passes here.

Whether the step is still a private chat's last message is known from every message seen there:
in memory for recent chats, and noted with the conversation in the store (``note_last``), so
that a bot started again, or another webhook worker, knows it from the conversation's record
(``recall``). Where each answered line shows comes with the turn, from that record too.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from telegram import CallbackQuery, InputFile
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.store import ConversationKey, ConversationStore
from bot.telegram.pacing import ChatPacer
from bot.telegram.render import document_bytes, keyboard, message_html
from bot.telegram.send import Markup, edit_text, send_text
from flows.replies import Reply

log = logging.getLogger("halo.telegram")

MESSAGE_LIMIT = 4096  # Telegram's, on the visible text; the HTML source is never shorter
LATEST_KEPT = 100_000  # chats whose last message is remembered (an int pair each)

T = TypeVar("T")
StillCurrent = Callable[[], Awaitable[bool]]  # whether a conversation is still at a version


class Delivery:
    """Sends a turn's replies to one chat at a time, within Telegram's limits."""

    def __init__(self, pacer: ChatPacer, tally_seconds: float = 3.0,
                 store: ConversationStore | None = None) -> None:
        self.pacer = pacer
        self.tallies = TallyEdits(tally_seconds)
        self.store = store  # where a private chat's last message is noted (None: memory only)
        # each private chat's last message id, as this process saw it (recent chats only)
        self.latest: OrderedDict[int, int] = OrderedDict()

    async def deliver(self, bot: Any, chat_id: int, thread: int | None, flow: str, version: int,
                      replies: list[Reply], *, target: int | None, showing: int | None = None,
                      pressed: bool = False, still_current: StillCurrent | None = None,
                      lines: Mapping[str, int] | None = None,
                      quoting: int | None = None) -> int | None:
        """Send (or edit into place) each reply; return the message now showing the current step.
        ``still_current`` (a group's) lets live tallies wait and merge; ``lines`` says where
        each answered question's line shows, for an answer taken back to say so there;
        ``quoting`` is the person's message the update came with, which a ``quote`` reply
        answers.

        One live question (``showing``: the message that showed the step): in a private chat,
        an answer pressed on ``target`` edits that message into the next step, its answered line
        on top, and the step shown again goes into ``showing`` when that is still the chat's last
        message; in any chat, any other new message with buttons first takes the buttons off
        ``showing`` (a group's fact asked again after a refused answer, say).

        An answered question is rewritten while the next step is sent, not before: the two are
        different messages, and the person waits one Bot API round trip instead of two. The next
        step leaves first (the rewrite's task starts once this one waits for Telegram: yielding
        to it first would queue the next step behind every update in flight). Should the
        rewrite fail (a message too old to edit, or Telegram unreachable for it), it is sent
        after the next step instead: the next step is already out, so it must not fail the
        update (the recovery would show that step a second time).
        """
        touched: set[int] = set()  # messages this turn rewrites: their buttons are its own
        if any(reply.place == "retract" for reply in replies):
            replies = await self._retract(bot, chat_id, replies, target if pressed else None,
                                          lines or {})
        if pressed and target is not None:
            merged, shown = await self._answered_in_place(bot, chat_id, thread, flow, version,
                                                          replies, target, still_current)
            if merged:
                return shown
            if len(replies) == 1 and replies[0].place == "new" and replies[0].buttons:
                replies = [replies[0].model_copy(update={"place": "replace"})]  # back, a notice
        elif showing is not None and chat_id > 0 and len(replies) == 1 \
                and replies[0].place == "new" and replies[0].buttons \
                and self.latest.get(chat_id) == showing:
            # the step shown again while it is the chat's last message: in place (a private
            # chat's; in a group the bot sees few of the members' messages, so it never knows)
            replies, target = [replies[0].model_copy(update={"place": "replace"})], showing
        if target is not None and _rewrite_then_new(replies):
            first = replies[0]
            text = message_html(first)
            markup = keyboard(flow, version, first.buttons)
            self.tallies.cancel(chat_id, target)
            touched.add(target)
            settled = asyncio.ensure_future(self.edit(bot, chat_id, target, text, markup))
            try:
                shown = await self._each(bot, chat_id, thread, flow, version, replies[1:], None,
                                         still_current, showing, touched, quoting)
            finally:
                try:
                    edited = await settled
                except Forbidden:
                    raise  # blocked by the user: nothing more can reach them
                except TelegramError as error:
                    log.info("rewrite failed: %s", type(error).__name__)
                    edited = False
            rewritten = target if edited else await self.say(bot, chat_id, text, markup, thread)
            # the step shows in the last message with buttons: a new one's, else the rewrite's
            return shown if shown is not None or markup is None else rewritten
        return await self._each(bot, chat_id, thread, flow, version, replies, target,
                                still_current, showing, touched, quoting)

    async def _answered_in_place(self, bot: Any, chat_id: int, thread: int | None, flow: str,
                                 version: int, replies: list[Reply], target: int,
                                 still_current: StillCurrent | None) -> tuple[bool, int | None]:
        """An answer pressed on ``target``: that message becomes the next step, the answered
        line on top, and the rest is sent; whether it was done, and the message showing the
        step. Not done when the replies are not of that shape or the edit fails."""
        if len(replies) < 2 or not replies[0].settles or replies[1].place != "new" \
                or replies[1].document is not None:
            return False, None
        step = replies[1]
        text = f"{message_html(replies[0])}\n\n{message_html(step)}"
        markup = keyboard(flow, version, step.buttons)
        if len(text) > MESSAGE_LIMIT or not await self.edit(bot, chat_id, target, text, markup):
            return False, None
        rest = await self._each(bot, chat_id, thread, flow, version, replies[2:], None,
                                still_current, target if markup else None, {target})
        return True, rest if rest is not None else (target if markup else None)

    async def _each(self, bot: Any, chat_id: int, thread: int | None, flow: str, version: int,
                    replies: list[Reply], target: int | None,
                    still_current: StillCurrent | None, showing: int | None = None,
                    touched: set[int] | None = None, quoting: int | None = None) -> int | None:
        shown: int | None = None
        touched = set() if touched is None else touched
        for reply in replies:
            markup = keyboard(flow, version, reply.buttons)
            if reply.document is not None:
                await self.document(bot, chat_id, reply, thread)
                continue
            text = message_html(reply)
            if reply.place == "replace" and target is not None:
                if reply.batch and still_current is not None:
                    # live tallies: one edit per window, whatever the number of votes
                    self.tallies.schedule(bot, chat_id, target, text, markup, still_current)
                    continue
                self.tallies.cancel(chat_id, target)
                touched.add(target)
                if await self.edit(bot, chat_id, target, text, markup):
                    shown = target if markup else shown
                    continue
            sending = self.say(bot, chat_id, text, markup, thread,
                               quoting if reply.quote else None)
            if markup is not None and showing is not None and showing not in touched:
                touched.add(showing)  # one live question: the old one loses its buttons
                sent = await beside(sending, self.unbutton(bot, chat_id, showing))
            else:
                sent = await sending
            if markup is not None:
                shown = sent
        return shown

    async def _retract(self, bot: Any, chat_id: int, replies: list[Reply], replaced: int | None,
                       lines: Mapping[str, int]) -> list[Reply]:
        """Answers taken back: their answered lines (where ``lines`` says they show) say so,
        unless the message is about to become the step again (``replaced``); the other replies,
        to show as usual."""
        for reply in replies:
            question = reply.context.get("question")
            if reply.place != "retract" or not isinstance(question, str):
                continue
            line = lines.get(question)
            if line is not None and line != replaced:
                await self.edit(bot, chat_id, line, message_html(reply), None)
        return [reply for reply in replies if reply.place != "retract"]

    def note(self, chat_id: int, message_id: int) -> None:
        """A message seen in a chat (the person's or the bot's): the chat's last one, noted with
        a private chat's conversation too (written with what the store writes next)."""
        if self._remember(chat_id, message_id) and self.store is not None and chat_id > 0:
            # Telegram gives a private chat its person's id; groups and channels are negative
            self.store.note_last(ConversationKey.private(chat_id, chat_id), message_id)

    def recall(self, chat_id: int, stored: int | None) -> None:
        """The chat's last message as its conversation's record has it (``Turn.last``): taken
        when later than any this process saw (it started since, or another worker sent it)."""
        if stored is not None:
            self._remember(chat_id, stored)

    def _remember(self, chat_id: int, message_id: int) -> bool:
        """Keep ``message_id`` as the chat's last message if it is later; whether it was."""
        if message_id <= self.latest.get(chat_id, 0):
            return False
        self.latest[chat_id] = message_id
        self.latest.move_to_end(chat_id)
        if len(self.latest) > LATEST_KEPT:
            self.latest.popitem(last=False)
        return True

    def is_last(self, chat_id: int, message_id: int | None) -> bool:
        """Whether ``message_id`` is the last message of the chat, as far as this process saw."""
        return message_id is not None and self.latest.get(chat_id) == message_id

    async def unbutton(self, bot: Any, chat_id: int, message_id: int) -> None:
        """Take the buttons off one of the bot's messages (none left there: nothing to do)."""
        try:
            await bot.call("editMessageReplyMarkup", {"chat_id": chat_id,
                                                      "message_id": message_id})
        except Forbidden:
            raise
        except TelegramError as error:
            log.info("buttons not taken off: %s", type(error).__name__)

    async def say(self, bot: Any, chat_id: int, text: str, markup: Markup | None = None,
                  thread: int | None = None, reply_to: int | None = None) -> int:
        """Send an HTML message (as a reply to ``reply_to``, if given); its id."""
        await self.pacer.wait(chat_id)
        sent = await send_text(bot, chat_id, text, markup, thread, reply_to)
        self.note(chat_id, sent)
        return sent

    async def edit(self, bot: Any, chat_id: int, message_id: int, text: str,
                   markup: Markup | None) -> bool:
        """Rewrite a message; False when Telegram refuses (the caller sends it instead)."""
        try:
            await edit_text(bot, chat_id, message_id, text, markup)
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return True
            # too old to edit, or deleted by the user: the reply goes out as a new message
            log.info("edit failed, sending instead: %s", type(error).__name__)
            return False
        return True

    async def settle(self, bot: Any, chat_id: int, source: int | None, text: str) -> None:
        """Rewrite the message pressed (``source``) to ``text``, or send it."""
        if source is None or not await self.edit(bot, chat_id, source, text, None):
            await self.say(bot, chat_id, text)

    async def document(self, bot: Any, chat_id: int, reply: Reply,
                       thread: int | None = None) -> None:
        await self.pacer.wait(chat_id)
        sent = await bot.send_document(
            chat_id, document=InputFile(io.BytesIO(document_bytes(reply)),
                                        filename=reply.document), message_thread_id=thread)
        if sent is not None and isinstance(getattr(sent, "message_id", None), int):
            self.note(chat_id, sent.message_id)

    @staticmethod
    async def answer(query: CallbackQuery, text: str | None) -> None:
        """Answer a button press (a pop-up when ``text``); a press too old to answer is let be."""
        try:
            await query.answer(text)
        except TelegramError as error:
            log.info("callback answer failed: %s", type(error).__name__)


def _rewrite_then_new(replies: list[Reply]) -> bool:
    """A rewrite of the message that showed the step (an answered question; the review
    becoming the decision card, its own button kept) followed only by new messages: the two
    can go out at once."""
    first = replies[0] if replies else None
    return first is not None and len(replies) > 1 and first.place == "replace" \
        and first.document is None \
        and not first.batch and all(r.place == "new" for r in replies[1:])


async def beside(main: Awaitable[T], side: Awaitable[Any]) -> T:
    """``main``'s result, ``side`` (taking buttons off an older message) going out at the same
    time: the person waits one Bot API round trip instead of two. The side's task starts once
    ``main`` first waits (for Telegram, or the chat's pace). The side is always awaited: what it
    raises (``Forbidden``: the person blocked the bot) is raised, unless ``main`` failed, whose
    error it then does not hide."""
    task = asyncio.ensure_future(side)
    try:
        result = await main
    except BaseException:
        with contextlib.suppress(Exception):
            await task
        raise
    await task
    return result


class TallyEdits:
    """Live vote tallies in groups: edits of one message are merged, at most one per window.

    Telegram allows about 20 messages a minute in a group; a vote of five members would otherwise
    cost five edits. The latest tally waits ``window`` seconds and goes out once; an immediate
    edit of the same message (the question closing) cancels what is pending.
    """

    def __init__(self, window: float = 3.0) -> None:
        self.window = window
        self._pending: dict[tuple[int, int], tuple[Any, str, Any, Any]] = {}
        self._tasks: dict[tuple[int, int], asyncio.Task[None]] = {}

    def schedule(self, bot: Any, chat_id: int, message_id: int, text: str, markup: Any,
                 still_current: Callable[[], Awaitable[bool]] | None = None) -> None:
        """Edit the message to ``text`` within the window, if ``still_current()`` then holds."""
        key = (chat_id, message_id)
        self._pending[key] = (bot, text, markup, still_current)
        if key not in self._tasks:
            self._tasks[key] = asyncio.create_task(self._flush(key))

    def cancel(self, chat_id: int, message_id: int) -> None:
        key = (chat_id, message_id)
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()
        self._pending.pop(key, None)

    async def _flush(self, key: tuple[int, int]) -> None:
        # the task stays known until its edit is done, so that closing the question cancels an
        # edit still being made (or made again after a failure: it would land after the close)
        try:
            await asyncio.sleep(self.window)  # the batching window itself
            pending = self._pending.pop(key, None)
            if pending is None:
                return
            bot, text, markup, still_current = pending
            # another worker may have closed the question meanwhile: then this tally is stale
            if still_current is not None and not await still_current():
                return
            await edit_text(bot, key[0], key[1], text, markup)
        except Exception as error:  # a tally that could not be shown is not worth a crash
            log.info("tally edit failed: %s", type(error).__name__)
        finally:
            if self._tasks.get(key) is asyncio.current_task():
                del self._tasks[key]
                if key in self._pending:  # a newer tally came while this one was sent
                    self._tasks[key] = asyncio.create_task(self._flush(key))
