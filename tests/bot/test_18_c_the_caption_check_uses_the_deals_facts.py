"""Issue 18 on Telegram (offline): the caption check of a deal uses the deal's own facts: the
platform its deliverables name (TikTok here), the brand's name (its @handle asked once, when a
caption misses it, and never invented), and the label up front in the UK's form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.telegram.callbacks import encode_menu
from flows.deal.model import Deal

from .conftest import OfflineBot, running_offline
from .test_18_deals_on_telegram import asks_to_type, press, reply
from .test_coach import sent

MAYA = 501  # the helpers of test_18_deals_on_telegram press and reply as her


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[OfflineBot]:
    async with running_offline(tmp_path) as offline:
        yield offline


async def test_a_tiktok_deals_caption_is_checked_and_the_brands_handle_asked_once(
        bot: OfflineBot) -> None:
    deal = Deal(id="7", brand="Acme", product="Serum", stage="content_due",
                platforms=["tiktok"], replied_at=datetime(2026, 12, 4, tzinfo=UTC),
                go_live=date(2026, 12, 14))
    await bot.store.save_deal(MAYA, MAYA, deal, "Europe/London")
    await bot.feed(bot.updates.press(MAYA, encode_menu("deal", "7_caption")))
    assert "Paste your caption or script for Acme" in sent(bot, MAYA)[-1]

    await reply(bot, "Loving this serum, it cures acne! #sp")
    findings, fixed = sent(bot, MAYA)[-2:]
    assert "ASA rules (UK)" in findings and "a claim like this needs proof" in findings
    assert 'On TikTok, turn on "Content disclosure"' in findings and "Instagram" not in findings
    assert "Acme isn't named or tagged" in findings and "haven't added one" in findings
    assert "<pre>Ad | Loving this serum, it cures acne! #sp</pre>" in fixed  # no handle made up

    await press(bot, "🏷️ Give their @handle")
    assert "What's Acme's handle?" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "acme skin")
    assert "doesn't look like a handle" in sent(bot, MAYA)[-1]
    await reply(bot, "@acme_skin")
    assert "Paste your caption or script for Acme" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    kept = await bot.store.deal(MAYA, "7")
    assert kept is not None and kept.deal.handle == "@acme_skin"

    await reply(bot, "Ad | Loving this serum from Acme")
    findings, fixed = sent(bot, MAYA)[-2:]
    assert "Acme's handle (@acme_skin) isn't in the caption" in findings
    await bot.feed(bot.updates.press(MAYA, encode_menu("deal", "7_caption")))
    await reply(bot, "Ad | Loving this serum with @acme_skin")
    findings, fixed = sent(bot, MAYA)[-2:]
    assert "Your ad label is clear and up front" in findings and "handle" not in findings
    assert "<pre>Ad | Loving this serum with @acme_skin</pre>" in fixed
