"""Issue 18: "📌 Track this deal" follows the decision on the card it is pressed on, through the
conversation service: on Telegram an older card's button tracks that older decision (not the
newest in /history) and leaves the review in progress alone; the terminal chat offers it too."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.console import run_chat
from bot.deals import Deals
from bot.store import ConversationKey, SQLiteStore
from tests.support.offline import A_GOOD_DEAL

from .conftest import OfflineBot, running_offline
from .test_coach import button_data, sent

MAYA = 502
KEY = ConversationKey.private(MAYA, MAYA)
TRACK = "📌 Track this deal"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[OfflineBot]:
    async with running_offline(tmp_path) as offline:
        yield offline


async def review_of(bot: OfflineBot, brand: str) -> None:
    await bot.feed(bot.updates.text(MAYA, "/review"))
    for text in [brand, *A_GOOD_DEAL[1:]]:
        await bot.feed(bot.updates.text(MAYA, text))
    await bot.feed(bot.updates.press(MAYA, button_data(bot, MAYA, "✅ See my recommendation")))


async def test_an_older_cards_button_tracks_the_decision_that_card_shows(
        bot: OfflineBot) -> None:
    await review_of(bot, "Acme")
    acme_card = button_data(bot, MAYA, TRACK)
    await review_of(bot, "Glow")  # a newer decision, now the latest in /history
    await bot.feed(bot.updates.text(MAYA, "/review"))  # and a third review under way
    asking = await bot.store.load(KEY)
    before = len(bot.request.calls)

    await bot.feed(bot.updates.press(MAYA, acme_card))
    assert "<b>Acme's Serum</b>: reply sent" in sent(bot, MAYA)[-2]
    [deal] = await bot.store.deals_of(MAYA)
    acme = next(d for d in await bot.store.history(MAYA) if d.title.startswith("Acme"))
    assert deal.deal.brand == "Acme" and deal.deal.id == str(acme.id)
    assert await bot.store.load(KEY) == asking  # the review in progress did not move
    after = {c.method for c in bot.request.calls[before:]}
    assert after <= {"answerCallbackQuery", "sendMessage"}  # nor lost its buttons


async def test_the_current_cards_button_tracks_it_once(bot: OfflineBot) -> None:
    await review_of(bot, "Acme")
    await bot.feed(bot.updates.press(MAYA, button_data(bot, MAYA, TRACK)))
    await bot.feed(bot.updates.press(MAYA, button_data(bot, MAYA, TRACK)))
    assert "<b>Acme's Serum</b>: reply sent" in sent(bot, MAYA)[-1]
    assert len(await bot.store.deals_of(MAYA)) == 1


async def test_a_decision_no_longer_kept_is_said_plainly(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "halo.db")
    try:
        said = await Deals(store, store).track_marked(
            MAYA, MAYA, "creator", "0123456789abcdef", datetime(2026, 12, 4, tzinfo=UTC))
    finally:
        await store.close()
    assert [m.template for m in said] == ["deal/untracked.j2"]
    assert said[0].context == {"why": "gone"}


def test_the_terminal_chat_tracks_the_decision_by_word_or_number(tmp_path: Path) -> None:
    for typed in ("track", None):
        out = io.StringIO()
        chat = ["Maya", *A_GOOD_DEAL, "1"]  # the terminal asks the name to sign with first
        if typed is None:  # the numbered choice, as listed under the draft
            probe = io.StringIO()
            run_chat("creator", chat, probe, folder=tmp_path)
            line = next(x for x in probe.getvalue().splitlines() if TRACK in x)
            typed = line.strip().split(".")[0]
        assert run_chat("creator", [*chat, typed], out, folder=tmp_path) == 0
        text = out.getvalue()
        assert "Acme's Serum: reply sent" in text and "Fee: $900, net 30" in text
        assert "On Telegram, /deals lets you change it" in text and "Is that right?" not in text
        assert "tap" not in text.split("Acme's Serum: reply sent")[1].casefold()
