"""Issue 16: a step that rewrites or unbuttons an older message and sends a new one makes the two
Bot API calls at once, so the person waits one round trip, not two (the 600 updates/s p99 was
made of exactly those steps: the decision card then the draft; /review after a decision).

The Bot API here holds every edit until a message has been sent: sent one after the other
(edit first), the edit would wait in vain for its deadline and the test fails."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.request import RequestData

from tests.support.offline import A_GOOD_DEAL, OfflineRequest

from .conftest import OfflineBot, running_offline
from .test_coach import buttons

MAYA = 503
EDITS = ("editMessageText", "editMessageReplyMarkup")
HELD_AT_MOST = 3.0  # seconds an edit waits for a send before it gives up (then the test fails)


@dataclass
class EditsWaitForASend(OfflineRequest):
    """Edits are answered only once a message has been sent since ``hold()``."""

    holding: bool = False
    waited_in_vain: list[str] = field(default_factory=list)
    _sent: asyncio.Event = field(default_factory=asyncio.Event)

    def hold(self) -> None:
        self.holding = True
        self._sent.clear()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if self.holding and api_method in EDITS:
            try:
                async with asyncio.timeout(HELD_AT_MOST):
                    await self._sent.wait()
            except TimeoutError:
                self.waited_in_vain.append(api_method)
        if api_method == "sendMessage":
            self._sent.set()
        return await super().do_request(url, method, request_data, read_timeout,
                                         write_timeout, connect_timeout, pool_timeout)


def press_on(bot: OfflineBot, label: str) -> Any:
    """A press of the newest button labelled ``label``, on the message that shows it."""
    for call in reversed(bot.request.calls):
        for button in buttons(call):
            if button["text"] == label:
                message = call.message_id if call.message_id is not None \
                    else int(call.params["message_id"])
                return bot.updates.press(MAYA, str(button["callback_data"]), message)
    raise LookupError(label)


async def at_the_recommendation(bot: OfflineBot) -> None:
    await bot.feed(bot.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await bot.feed(bot.updates.text(MAYA, text))


def methods_since(bot: OfflineBot, before: int) -> list[str]:
    return [c.method for c in bot.request.calls[before:] if c.method != "answerCallbackQuery"]


async def test_the_decision_card_and_the_draft_go_out_at_once(tmp_path: Path) -> None:
    request = EditsWaitForASend()
    async with running_offline(tmp_path, request) as bot:
        await at_the_recommendation(bot)
        before = len(request.calls)
        request.hold()
        await bot.feed(press_on(bot, "✅ See my recommendation"))
        made = methods_since(bot, before)
        texts = [str(c.params.get("text", "")) for c in request.calls[before:]]
    assert request.waited_in_vain == []
    assert "editMessageText" in made and "sendMessage" in made
    assert any("My recommendation: accept" in t for t in texts)  # the card, in place
    assert any("Your reply: accept" in t for t in texts)  # the draft, a new message


async def test_review_after_a_decision_asks_while_the_old_buttons_go(tmp_path: Path) -> None:
    request = EditsWaitForASend()
    async with running_offline(tmp_path, request) as bot:
        await at_the_recommendation(bot)
        await bot.feed(press_on(bot, "✅ See my recommendation"))
        before = len(request.calls)
        request.hold()
        await bot.feed(bot.updates.text(MAYA, "/review"))
        made = methods_since(bot, before)
        asked = [str(c.params.get("text", "")) for c in request.calls[before:]
                 if c.method == "sendMessage"]
    assert request.waited_in_vain == []
    assert "editMessageReplyMarkup" in made  # the draft's buttons still go
    assert any("Which brand is behind the offer?" in t for t in asked)


async def test_a_question_asked_again_goes_out_while_the_first_ask_loses_its_buttons(
        tmp_path: Path) -> None:
    request = EditsWaitForASend()
    async with running_offline(tmp_path, request) as bot:
        await bot.feed(bot.updates.text(MAYA, "/review"))
        for text in A_GOOD_DEAL[:3]:  # brand, product, category: at the format's buttons
            await bot.feed(bot.updates.text(MAYA, text))
        before = len(request.calls)
        request.hold()
        # typed below the question (a later id than the bot's): it is asked again anew
        await bot.feed(bot.updates.text(MAYA, "something unclear", message_id=10_000))
        made = methods_since(bot, before)
        asked = [str(c.params.get("text", "")) for c in request.calls[before:]
                 if c.method == "sendMessage"]
    assert request.waited_in_vain == []
    assert "editMessageReplyMarkup" in made
    assert any("I'm not sure which answer that is" in t for t in asked)
