"""Per-chat pacing: Telegram asks bots to send about one message a second to any one chat.

python-telegram-bot's ``AIORateLimiter`` keeps the overall and per-group limits but not this one.
A token bucket per chat allows a short burst (a question after an answer, a decision card and its
draft) and then paces; buckets of quiet chats are dropped so memory does not grow with users.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.telegram.render import edit_text

log = logging.getLogger("halo.telegram")


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class ChatPacer:
    """Waits, per chat, until sending one more message keeps the chat within its pace."""

    def __init__(self, per_second: float = 1.0, burst: int = 4,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def delay_for(self, chat_id: int) -> float:
        """Take one message's token for ``chat_id``; return how long to wait before sending it."""
        now = self.clock()
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.per_second)
        bucket.stamp = now
        bucket.tokens -= 1
        if len(self._buckets) > 10_000:
            self._drop_full(now)
        return 0.0 if bucket.tokens >= 0 else -bucket.tokens / self.per_second

    async def wait(self, chat_id: int) -> None:
        """Before a message to ``chat_id``: a private chat's pace (a group's is the rate
        limiter's, per minute)."""
        if chat_id <= 0:
            return
        delay = self.delay_for(chat_id)
        if delay > 0:
            await asyncio.sleep(delay)  # pacing itself, not a test wait

    def _drop_full(self, now: float) -> None:
        refill = self.burst / self.per_second
        for chat_id in [c for c, b in self._buckets.items() if now - b.stamp >= refill]:
            del self._buckets[chat_id]


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

    @property
    def waiting(self) -> int:
        return len(self._pending)

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
