"""Bot API calls tried again when Telegram fails them (5xx, timeouts, connection resets).

A ``BaseRequest`` around the bot's HTTP client: a call answered 500-599, timed out, or cut off
is made again after a bounded back-off (``DELAYS``), so a passing fault costs the person a
moment instead of an error notice and a second copy of their question. 429 is not retried here:
python-telegram-bot's rate limiter waits what Telegram asks and tries again itself. ``getUpdates``
has its own back-off (``polling.py``) and is passed through.

What a repeat can do twice:
- Edits, callback answers, chat actions, deletions, command menus: nothing. Made twice they
  change nothing visible (Telegram answers the repeat "message is not modified" or "query is too
  old", which the callers already take as done).
- Sends: a send refused before Telegram took it (a 5xx from its front end, a connection that
  never opened) is repeated safely. A send whose answer was lost (timed out or cut off after the
  request left) may have been applied, and the Bot API has no idempotency key and no way to read
  a chat back: it is repeated all the same, because a person left without their next question is
  worse than a person shown it twice. Such a copy carries the same buttons as the one the bot
  knows of, so a press on either applies to the same step (its version), and once the step
  moves on a press on the copy is answered as stale. The copies are counted (``lost_sends``) and
  logged without their text.
"""

from __future__ import annotations

import asyncio
import logging

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

log = logging.getLogger("halo.telegram")

DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds before each repeat: at most four, 3.7 s in all
PASSED_THROUGH = frozenset({"getUpdates"})  # the polling loop has a back-off of its own
SENDS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"})


class RetryingRequest(BaseRequest):
    """``inner`` with failed Bot API calls made again (see the module's docstring)."""

    __slots__ = ("delays", "inner", "lost_sends", "repeats")

    def __init__(self, inner: BaseRequest, delays: tuple[float, ...] | None = None) -> None:
        self.inner = inner
        self.delays = DELAYS if delays is None else delays
        self.repeats = 0  # calls made again
        self.lost_sends = 0  # sends repeated after an answer that was lost: maybe shown twice

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        attempts = 1 if endpoint in PASSED_THROUGH else len(self.delays) + 1
        for attempt in range(attempts):
            try:
                status, payload = await self.inner.do_request(
                    url, method, request_data, read_timeout=read_timeout,
                    write_timeout=write_timeout, connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout)
            except NetworkError as error:  # TimedOut included; Forbidden and the like are not
                if attempt + 1 == attempts:
                    raise
                self._again(endpoint, attempt, error)
            else:
                if status < 500 or attempt + 1 == attempts:
                    return status, payload
                self._again(endpoint, attempt, None, status)
            await asyncio.sleep(self.delays[attempt])  # the back-off itself
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _again(self, endpoint: str, attempt: int, error: NetworkError | None,
               status: int = 0) -> None:
        self.repeats += 1
        why = f"HTTP {status}" if error is None else type(error).__name__
        if endpoint in SENDS and error is not None and _maybe_applied(error):
            self.lost_sends += 1
            log.info("%s lost its answer (%s): sent again, maybe shown twice", endpoint, why)
        else:
            log.info("%s failed (%s): trying again (%d)", endpoint, why, attempt + 1)


def _maybe_applied(error: NetworkError) -> bool:
    """Whether Telegram may have taken a request that failed so: yes unless the connection
    was never made (a pool or connect timeout is named so by the client)."""
    text = str(error)
    return not any(word in text for word in ("Connector", "ConnectionTimeout", "Pool"))


def retrying(request: BaseRequest) -> BaseRequest:
    """``request`` with failed calls made again."""
    return request if isinstance(request, RetryingRequest) else RetryingRequest(request)

