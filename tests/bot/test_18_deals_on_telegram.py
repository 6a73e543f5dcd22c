"""Issue 18 on Telegram (offline): a decision from /history tracked as a deal, moved on with its
buttons, listed by /deals, and its reminder sent by the bot's reminder loop with buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.reminding import ReminderLoop
from bot.telegram.running import REMINDERS
from tests.support.offline import A_GOOD_DEAL

from .conftest import OfflineBot, running_offline
from .test_coach import button_data, buttons, sent

MAYA = 501
DECIDED = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = DECIDED

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(tmp_path: Path, clock: Clock) -> AsyncIterator[OfflineBot]:
    async with running_offline(tmp_path, clock=clock) as offline:
        yield offline


async def press(bot: OfflineBot, text: str) -> None:
    await bot.feed(bot.updates.press(MAYA, button_data(bot, MAYA, text)))


async def test_a_decision_tracked_from_history_is_moved_on_listed_and_reminded(
        bot: OfflineBot, clock: Clock) -> None:
    await bot.feed(bot.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await bot.feed(bot.updates.text(MAYA, text))
    await press(bot, "✅ See my recommendation")
    await bot.feed(bot.updates.text(MAYA, "/history"))
    [entry] = buttons(bot.request.calls[-1])  # the decision, in /history
    await bot.feed(bot.updates.press(MAYA, entry["callback_data"]))
    await press(bot, "📌 Track this deal")
    card = sent(bot, MAYA)[-1]
    assert "<b>Acme" in card and "Fee: $900" in card and "net 30" in card

    await press(bot, "🤝 They agreed")
    await press(bot, "✅ It's posted")
    await bot.feed(bot.updates.text(MAYA, "/deals"))
    assert "invoice them" in sent(bot, MAYA)[-1]

    loop = bot.application.bot_data[REMINDERS]
    assert isinstance(loop, ReminderLoop)
    assert await loop.tick() == 1
    reminder = next(c for c in reversed(bot.request.calls) if c.method == "sendMessage")
    assert "Time to invoice Acme" in str(reminder.params["text"])
    assert [b["text"] for b in buttons(reminder)] == ["🧾 My invoice", "📨 Invoice sent",
                                                      "⏰ Tomorrow", "🔕 Stop these"]
    clock.now += timedelta(hours=1)
    assert await loop.tick() == 0  # once

    await press(bot, "🧾 My invoice")
    draft = sent(bot, MAYA)[-1]
    assert "Your invoice message" in draft and "$900" in draft

    await press(bot, "📨 Invoice sent")
    assert "Payment due" in sent(bot, MAYA)[-1]
