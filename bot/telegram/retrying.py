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
  logged without their text. A copy is recognised when it is pressed: a press on a message that
  is not the one the bot knows as showing the step, with that step's version, is a press on a
  copy of it; once applied, the other copy is removed (``drop_copy``), so one message is left.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError
from telegram.request import BaseRequest, RequestData

from bot.telegram.transport import WrappedRequest

log = logging.getLogger("halo.telegram")

DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds before each repeat: at most four, 3.7 s in all
PASSED_THROUGH = frozenset({"getUpdates"})  # the polling loop has a back-off of its own
RESENT_KEPT = 1024  # chats whose last send was made again, remembered for drop_copy
SENDS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"})


class RetryingRequest(WrappedRequest):
    """``inner`` with failed Bot API calls made again (see the module's docstring)."""

    __slots__ = ("delays", "lost_sends", "repeats", "resent")

    def __init__(self, inner: BaseRequest, delays: tuple[float, ...] | None = None) -> None:
        super().__init__(inner)
        self.delays = DELAYS if delays is None else delays
        self.repeats = 0  # calls made again
        self.lost_sends = 0  # sends repeated after an answer that was lost: maybe shown twice
        self.resent: dict[int, int] = {}  # chat -> the message a send made again gave, lately

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        attempts = 1 if endpoint in PASSED_THROUGH else len(self.delays) + 1
        lost = False  # an earlier attempt of this call may have been applied
        for attempt in range(attempts):
            try:
                status, payload = await self.inner.do_request(
                    url, method, request_data, read_timeout=read_timeout,
                    write_timeout=write_timeout, connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout)
            except NetworkError as error:  # TimedOut included; Forbidden and the like are not
                if attempt + 1 == attempts:
                    raise
                lost = self._again(endpoint, attempt, error) or lost
            else:
                if status < 500 or attempt + 1 == attempts:
                    if lost and status == 200:
                        self._note_resent(payload)
                    return status, payload
                self._again(endpoint, attempt, None, status)
            await asyncio.sleep(self.delays[attempt])  # the back-off itself
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _again(self, endpoint: str, attempt: int, error: NetworkError | None,
               status: int = 0) -> bool:
        """Note a call made again; whether it was a send Telegram may have taken already."""
        self.repeats += 1
        why = f"HTTP {status}" if error is None else type(error).__name__
        if endpoint in SENDS and error is not None and _maybe_applied(error):
            self.lost_sends += 1
            log.info("%s lost its answer (%s): sent again, maybe shown twice", endpoint, why)
            return True
        log.info("%s failed (%s): trying again (%d)", endpoint, why, attempt + 1)
        return False

    def _note_resent(self, payload: bytes) -> None:
        try:
            message = json.loads(payload)["result"]
            self.resent[int(message["chat"]["id"])] = int(message["message_id"])
        except (ValueError, KeyError, TypeError):
            return
        if len(self.resent) > RESENT_KEPT:
            del self.resent[next(iter(self.resent))]


def _maybe_applied(error: NetworkError) -> bool:
    """Whether Telegram may have taken a request that failed so: yes unless the connection
    was never made (a pool or connect timeout is named so by the client)."""
    text = str(error)
    return not any(word in text for word in ("Connector", "ConnectionTimeout", "Pool"))


def retrying(request: BaseRequest) -> BaseRequest:
    """``request`` with failed calls made again."""
    return request if isinstance(request, RetryingRequest) else RetryingRequest(request)



async def drop_copy(bot: Any, chat_id: int, shown_in: int | None, *, pressed: int | None) -> None:
    """After a press on ``pressed`` applied to the step that ``shown_in`` showed: when they are
    two messages, the two were copies of one step (a send made again, or the step shown again),
    and ``shown_in`` is removed (its buttons, when it is too old to delete)."""
    if shown_in is None or pressed is None or shown_in == pressed:
        return
    request = getattr(bot, "request", None)
    resent = request.resent if isinstance(request, RetryingRequest) else {}
    if resent.get(chat_id) == shown_in:  # the send made again: the copy pressed is the first
        del resent[chat_id]
        try:
            await bot.call("deleteMessage", {"chat_id": chat_id, "message_id": shown_in})
            return
        except TelegramError as error:
            log.info("a copy could not be deleted (%s): its buttons go", type(error).__name__)
    try:  # a message that has no buttons (any more) is left as it is
        await bot.call("editMessageReplyMarkup", {"chat_id": chat_id, "message_id": shown_in})
    except TelegramError as error:
        log.info("a copy's buttons stay (%s)", type(error).__name__)
