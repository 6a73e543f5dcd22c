"""``RawSendBot.call``: the bot's sends and edits, raw, still through the rate limiter."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.telegram.send import RawSendBot
from tests.support.offline import TOKEN, OfflineRequest


class Counting(BaseRateLimiter[None]):
    """A rate limiter that lets everything through and remembers what it was asked."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
        kwargs: dict[str, Any], endpoint: str, data: dict[str, Any], rate_limit_args: None,
    ) -> Any:
        self.seen.append((endpoint, dict(data)))
        return await callback(*args, **kwargs)


async def test_a_raw_send_goes_through_the_rate_limiter_with_its_chat() -> None:
    request, polls, limiter = OfflineRequest(), OfflineRequest(), Counting()
    bot = RawSendBot(TOKEN, request=request, get_updates_request=polls, rate_limiter=limiter)
    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "v1|c|1|a|yes"}]]}
    fields = {"chat_id": -100, "text": "<b>Hi</b>", "parse_mode": "HTML",
              "reply_markup": keyboard}
    async with bot:
        answer = await bot.call("sendMessage", fields)
    assert limiter.seen[-1] == ("sendMessage", fields)  # a group's chat: its own limit applies
    assert answer["chat"]["id"] == -100 and answer["reply_markup"] == keyboard
    sent = request.calls[-1]  # on the bot's own connections, not the long poll's
    assert sent.method == "sendMessage" and sent.params["chat_id"] == -100
    assert not [call for call in polls.calls if call.method == "sendMessage"]
