"""How replies reach a Telegram chat: sent, or edited into the message that showed the step.

``Delivery`` keeps one live question message per conversation (an answered question is
rewritten without its buttons, the next step sent), paces sends to each chat (``ChatPacer``) and
batches live vote tallies in groups (``TallyEdits``): every message the bot sends passes here.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import CallbackQuery, InputFile
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.pacing import ChatPacer
from bot.telegram.render import document_bytes, keyboard, message_html
from bot.telegram.send import Markup, edit_text, send_text
from flows.replies import Reply

log = logging.getLogger("halo.telegram")

StillCurrent = Callable[[], Awaitable[bool]]  # whether a conversation is still at a version


class Delivery:
    """Sends a turn's replies to one chat at a time, within Telegram's limits."""

    def __init__(self, pacer: ChatPacer, tally_seconds: float = 3.0) -> None:
        self.pacer = pacer
        self.tallies = TallyEdits(tally_seconds)

    async def deliver(self, bot: Any, chat_id: int, thread: int | None, flow: str, version: int,
                      replies: list[Reply], *, target: int | None,
                      still_current: StillCurrent | None = None) -> int | None:
        """Send (or edit into place) each reply; return the message now showing the current step.
        ``still_current`` (a group's) lets live tallies wait and merge.

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
            self.tallies.cancel(chat_id, target)
            settled = asyncio.ensure_future(self.edit(bot, chat_id, target, text, None))
            try:
                showing = await self._each(bot, chat_id, thread, flow, version, replies[1:], None,
                                           still_current)
            finally:
                try:
                    edited = await settled
                except Forbidden:
                    raise  # blocked by the user: nothing more can reach them
                except TelegramError as error:
                    log.info("rewrite failed: %s", type(error).__name__)
                    edited = False
            if not edited:
                await self.say(bot, chat_id, text, None, thread)
            return showing
        return await self._each(bot, chat_id, thread, flow, version, replies, target,
                                still_current)

    async def _each(self, bot: Any, chat_id: int, thread: int | None, flow: str, version: int,
                    replies: list[Reply], target: int | None,
                    still_current: StillCurrent | None) -> int | None:
        showing: int | None = None
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
                if await self.edit(bot, chat_id, target, text, markup):
                    showing = target if markup else showing
                    continue
            sent = await self.say(bot, chat_id, text, markup, thread)
            if markup is not None:
                showing = sent
        return showing

    async def say(self, bot: Any, chat_id: int, text: str, markup: Markup | None = None,
                  thread: int | None = None) -> int:
        """Send an HTML message; its id."""
        await self.pacer.wait(chat_id)
        return await send_text(bot, chat_id, text, markup, thread)

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
        await bot.send_document(
            chat_id, document=InputFile(io.BytesIO(document_bytes(reply)),
                                        filename=reply.document), message_thread_id=thread)

    @staticmethod
    async def answer(query: CallbackQuery, text: str | None) -> None:
        """Answer a button press (a pop-up when ``text``); a press too old to answer is let be."""
        try:
            await query.answer(text)
        except TelegramError as error:
            log.info("callback answer failed: %s", type(error).__name__)


def _rewrite_then_new(replies: list[Reply]) -> bool:
    """A plain rewrite of the message that showed the step (an answered question, the review
    becoming the decision) followed only by new messages: the two can go out at once."""
    first = replies[0] if replies else None
    return first is not None and len(replies) > 1 and first.place == "replace" \
        and not first.buttons and first.document is None \
        and not first.batch and all(r.place == "new" for r in replies[1:])


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
