"""Per-chat pacing: Telegram asks bots to send about one message a second to any one chat.

python-telegram-bot's ``AIORateLimiter`` keeps the overall and per-group limits but not this one.
A token bucket per chat allows a short burst (a question after an answer, a decision card and its
draft) and then paces; buckets of quiet chats are dropped so memory does not grow with users.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

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
