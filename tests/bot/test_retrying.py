"""The retrying layer in front of the Bot API: what it makes again, and where it stops."""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram.error import NetworkError, TimedOut

from bot.telegram.retrying import RetryingRequest
from tests.support.offline import OfflineRequest

API = "https://api.telegram.org/bot123:abc"


class Scripted(OfflineRequest):
    """Answers each call with the next of ``answers``: a status, or an exception to raise."""

    def __init__(self, *answers: int | Exception) -> None:
        super().__init__()
        self.answers = list(answers)
        self.count = 0

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        self.count += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        result = {"message_id": self.count, "chat": {"id": 7}} if answer == 200 else None
        return answer, json.dumps({"ok": answer == 200, "result": result}).encode()


def retrying(inner: Scripted) -> RetryingRequest:
    return RetryingRequest(inner, delays=(0.0, 0.0, 0.0, 0.0))


async def test_a_call_failing_every_way_is_made_again_until_it_goes_through() -> None:
    inner = Scripted(502, TimedOut("Timed out"), NetworkError("aiohttp.ClientOSError"), 503, 200)
    status, _ = await retrying(inner).do_request(f"{API}/editMessageText", "POST")
    assert (status, inner.count) == (200, 5)


async def test_a_call_that_keeps_failing_gives_up_after_four_repeats() -> None:
    inner = Scripted(*[NetworkError("aiohttp.ServerDisconnectedError")] * 6)
    with pytest.raises(NetworkError):
        await retrying(inner).do_request(f"{API}/sendMessage", "POST")
    assert inner.count == 5


@pytest.mark.parametrize(("endpoint", "answer"), [
    ("sendMessage", 429),  # the rate limiter waits what Telegram asks, then tries again
    ("sendMessage", 400),  # a request Telegram refuses is refused again
    ("getUpdates", 502),  # the polling loop has its own back-off
])
async def test_what_is_not_made_again(endpoint: str, answer: int) -> None:
    inner = Scripted(answer, 200)
    status, _ = await retrying(inner).do_request(f"{API}/{endpoint}", "POST")
    assert (status, inner.count) == (answer, 1)


async def test_a_send_made_again_after_a_lost_answer_is_remembered_as_a_possible_copy() -> None:
    inner = Scripted(NetworkError("aiohttp.ServerDisconnectedError"), 200)
    request = retrying(inner)
    await request.do_request(f"{API}/sendMessage", "POST")
    assert request.lost_sends == 1 and request.resent == {7: 2}
    refused = Scripted(502, 200)  # refused by Telegram's front end: never shown, no copy
    request = retrying(refused)
    await request.do_request(f"{API}/sendMessage", "POST")
    assert request.lost_sends == 0 and request.resent == {}
