"""A decided review followed as a deal, and its reminders sent by the loop on a fake clock: once
each, in the creator's daytime, again later when Telegram fails, not to one who blocked the bot."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import START_VARIABLE
from bot.console import PERSON, run_chat
from bot.deals import DealMessage, Deals
from bot.reminding import ReminderLoop, retry_after
from bot.store import ConversationKey, SQLiteStore, StoredDeal
from flows.creator.flow import summary
from flows.deal.model import Deal
from prompts import label, render, render_text
from tests.support.waiting import eventually
from tests.unit.conftest import review

ALICE = ConversationKey.private(chat_id=111, user_id=111)
DECIDED = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # a Friday afternoon in London
ARRIVAL = DECIDED + timedelta(days=4)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Telegram:
    """What the loop sent, and failures to raise instead, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, list[str]]] = []
        self.failures: list[BaseException] = []

    async def send(self, stored: StoredDeal, message: DealMessage) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((stored.chat_id, render(message.template, message.context),
                          [label("deal", b.label) for row in message.buttons for b in row]))


class Blocked(Exception):
    pass


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "halo.db")
    yield store
    await store.close()


async def decided_sample_request(store: SQLiteStore) -> int:
    """A creator review that ended in asking for a sample, kept in /history; its id."""
    async with store.transaction(ALICE) as tx:
        tx.record_decision(ALICE.user_id, "creator", "Acme", "sample",
                           summary(review(tried="not_yet", can_try_first="yes").snapshot))
    [decision] = await store.history(ALICE.user_id)
    return decision.id


async def tracked(store: SQLiteStore) -> tuple[Deals, str]:
    deals = Deals(store, store)
    decision = await decided_sample_request(store)
    card, _ = await deals.track(ALICE.chat_id, ALICE.user_id, decision, DECIDED, "en-GB")
    assert card.context["stage"] == "reply_sent"
    [agreed] = await deals.press(ALICE.user_id, f"{decision}_agree", DECIDED)
    assert agreed.context["stage"] == "sample_on_way"
    return deals, str(decision)


async def test_a_decision_becomes_a_deal_listed_with_what_comes_next(store: SQLiteStore) -> None:
    deals = Deals(store, store)
    decision = await decided_sample_request(store)
    card, zone = await deals.track(ALICE.chat_id, ALICE.user_id, decision, DECIDED, "en-GB")
    assert [b.label for row in card.buttons for b in row] == ["agree", "drop"]
    assert zone.context == {"zone": "Europe/London", "guessed": True}

    await deals.press(ALICE.user_id, f"{decision}_agree", DECIDED)
    listing = await deals.listing(ALICE.user_id, DECIDED)
    text = render(listing.template, listing.context)
    assert "Acme" in text and "did the sample arrive?" in text
    assert await deals.press(222, f"{decision}_agree", DECIDED) == []  # not someone else's
    assert await deals.press(ALICE.user_id, f"{decision}_collect", DECIDED) == []  # too early


async def test_did_it_arrive_is_sent_once_when_due_and_its_button_moves_the_deal(
        store: SQLiteStore) -> None:
    deals, deal_id = await tracked(store)
    clock, telegram = Clock(ARRIVAL - timedelta(minutes=1)), Telegram()
    loop = ReminderLoop(store, telegram.send, clock)

    assert await loop.tick() == 0
    clock.now = ARRIVAL
    assert await loop.tick() == 1
    clock.now = ARRIVAL + timedelta(hours=2)
    assert await loop.tick() == 0
    [(chat, text, buttons)] = telegram.sent
    assert chat == ALICE.chat_id and "Did" in text and "arrive?" in text
    assert buttons == ["✅ It arrived", "⏰ Tomorrow", "🔕 Stop these"]

    [moved] = await deals.press(ALICE.user_id, f"{deal_id}_receive_sample_arrived", clock.now)
    assert moved.context["stage"] == "trying"


async def test_a_snoozed_reminder_comes_back_the_next_day(store: SQLiteStore) -> None:
    deals, deal_id = await tracked(store)
    clock, telegram = Clock(ARRIVAL), Telegram()
    loop = ReminderLoop(store, telegram.send, clock)
    assert await loop.tick() == 1
    await deals.press(ALICE.user_id, f"{deal_id}_snooze_sample_arrived", clock.now)

    clock.now = ARRIVAL + timedelta(hours=23)
    assert await loop.tick() == 0
    clock.now = ARRIVAL + timedelta(days=1)
    assert await loop.tick() == 1


async def test_a_failed_send_is_tried_again_later_and_then_sent_once(store: SQLiteStore) -> None:
    await tracked(store)
    clock, telegram = Clock(ARRIVAL), Telegram()
    telegram.failures.append(TimeoutError())
    loop = ReminderLoop(store, telegram.send, clock)

    assert await loop.tick() == 0
    clock.now = ARRIVAL + retry_after(1) - timedelta(seconds=1)
    assert await loop.tick() == 0
    clock.now = ARRIVAL + retry_after(1) + timedelta(seconds=1)
    assert await loop.tick() == 1
    assert await loop.tick() == 0
    assert len(telegram.sent) == 1


async def test_a_user_who_blocked_the_bot_is_marked_and_skipped(store: SQLiteStore) -> None:
    await tracked(store)
    clock, telegram = Clock(ARRIVAL), Telegram()
    telegram.failures.append(Blocked())
    loop = ReminderLoop(store, telegram.send, clock,
                        blocked=lambda error: isinstance(error, Blocked))

    assert await loop.tick() == 0
    clock.now = ARRIVAL + timedelta(hours=3)
    assert await loop.tick() == 0  # skipped, not tried again
    await store.set_blocked(ALICE.user_id, False)  # they wrote to the bot again
    assert await loop.tick() == 1


async def test_a_reminder_found_due_at_night_waits_for_the_morning(store: SQLiteStore) -> None:
    await tracked(store)
    night = datetime(2026, 12, 8, 23, 0, tzinfo=UTC)  # 23:00 in London: after it fell due
    clock, telegram = Clock(night), Telegram()
    loop = ReminderLoop(store, telegram.send, clock)

    assert await loop.tick() == 0
    clock.now = datetime(2026, 12, 9, 8, 59, tzinfo=UTC)
    assert await loop.tick() == 0
    clock.now = datetime(2026, 12, 9, 9, 1, tzinfo=UTC)
    assert await loop.tick() == 1


async def test_the_invoice_as_a_file_holds_the_agreed_terms_and_blanks_for_the_rest(
        store: SQLiteStore) -> None:
    deals = Deals(store, store)
    async with store.transaction(ALICE) as tx:
        tx.record_decision(ALICE.user_id, "creator", "Acme", "accept",
                           summary(review(payment_terms="net30").snapshot))
    [decision] = await store.history(ALICE.user_id)
    await deals.track(ALICE.chat_id, ALICE.user_id, decision.id, DECIDED, "en-GB")
    for verb in ("agree", "post"):
        await deals.press(ALICE.user_id, f"{decision.id}_{verb}", DECIDED)

    [draft] = await deals.press(ALICE.user_id, f"{decision.id}_draft_invoice", DECIDED)
    assert [b.label for row in draft.buttons for b in row] == ["invoice_file"]
    [file] = await deals.press(ALICE.user_id, f"{decision.id}_file_invoice", DECIDED)
    assert file.document is not None and file.document.endswith("-2026-12-04.md")
    text = render_text(file.template, file.context)
    assert text.startswith("# Invoice [invoice number]")
    assert "net 30 from the invoice date" in text and "[bank name]" in text


async def test_a_review_reopened_after_the_trial_that_ends_in_no_drops_the_deal(
        store: SQLiteStore) -> None:
    deals, deal_id = await tracked(store)
    await deals.press(ALICE.user_id, f"{deal_id}_receive_sample_arrived", ARRIVAL)
    answers = await deals.reopen(ALICE.user_id, f"{deal_id}_reopen_sample_verdict")
    assert answers is not None and "tried" not in answers and answers["brand"] == "Acme"

    declined = summary(review(tried="disliked").snapshot)
    assert declined["draft"] == "decline"
    await deals.decided(ALICE.user_id, 99, "creator", declined)
    kept = await store.deal(ALICE.user_id, deal_id)
    assert kept is not None and kept.deal.stage == "closed" and kept.deal.decisions == [99]
    assert await deals.reopen(ALICE.user_id, f"{deal_id}_reopen_sample_verdict") is None


async def test_a_burst_of_due_reminders_is_sent_in_small_claims_without_waiting_rounds(
        store: SQLiteStore) -> None:
    for n in range(45):
        await store.save_deal(ALICE.chat_id, ALICE.user_id,
                              Deal(id=f"d{n}", brand="Acme", product="Oat bar",
                                   stage="sample_on_way", sample_first=True, replied_at=DECIDED),
                              "Europe/London")
    telegram = Telegram()
    loop = ReminderLoop(store, telegram.send, Clock(ARRIVAL), batch=20, every=3600)
    stopping = asyncio.Event()
    running = asyncio.create_task(loop.run(stopping))
    try:
        # three claims (20, 20, 5) in a row: an hour's wait only after the last, partial one
        await eventually(lambda: len(telegram.sent) == 45, "all 45 reminders sent")
    finally:
        stopping.set()
        await running


def test_the_terminal_chat_starts_with_the_deals_and_the_reminders_due(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SQLiteStore(tmp_path / "halo.db")
    deal = Deal(id="d1", brand="Acme", product="Oat bar", stage="sample_on_way",
                sample_first=True, replied_at=DECIDED)
    asyncio.run(store.save_deal(PERSON.chat_id, PERSON.user_id, deal, "Europe/London"))
    paid = Deal(id="d2", brand="Glow", product="Serum", stage="paid", replied_at=DECIDED,
                posted_on=DECIDED.date(), usage_ends=ARRIVAL.date())  # paid, its usage ending
    asyncio.run(store.save_deal(PERSON.chat_id, PERSON.user_id, paid, "Europe/London"))
    monkeypatch.setenv(START_VARIABLE, ARRIVAL.isoformat())
    out = io.StringIO()

    run_chat("creator", ["quit"], out, store=store)
    text = out.getvalue()
    assert "Your deals" in text and "Acme" in text and "Glow's Serum" not in text  # open ones
    assert "Did Acme" in text and "arrive?" in text
    assert "Glow's right to use your content ends today" in text
