"""The deal store's contract on every backend: deals kept across restarts, and reminders claimed
by one worker at a time, each sent once, even when workers race or one dies mid-send."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from bot.deals import DealMessage, Deals
from bot.reminding import ReminderLoop
from bot.store import ClaimedReminder, ConflictError, Store, StoredDeal
from flows.deal.model import Deal
from flows.deal.reminders import Reminder, delivered, plan, stop
from flows.deal.stages import move

REPLIED = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # a Friday afternoon in London
ARRIVAL = REPLIED + timedelta(days=4)  # "did it arrive?" four days after the sample request
LEASE = timedelta(minutes=5)
ALICE, BOB = 111, 222


def waiting_for_sample(deal_id: str = "d1") -> Deal:
    return Deal(id=deal_id, brand="Acme", product="Oat bar", stage="sample_on_way",
                sample_first=True, replied_at=REPLIED)


async def claim_all(store: Store, now: datetime, limit: int = 10) -> list[ClaimedReminder]:
    return await store.claim_due(now, limit, LEASE)


async def test_a_deal_is_kept_across_a_restart_and_only_its_owner_sees_it(
        store: Store, open_new: Callable[[], Store]) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample(), "Europe/London")
    await store.close()

    again = open_new()
    kept = await again.deal(ALICE, "d1")
    assert kept is not None
    assert (kept.chat_id, kept.user_id, kept.tz) == (ALICE, ALICE, "Europe/London")
    assert kept.deal == waiting_for_sample()
    assert await again.deal(BOB, "d1") is None
    assert [d.deal.id for d in await again.open_deals(ALICE)] == ["d1"]
    assert await again.open_deals(BOB) == []


async def test_open_deals_leaves_out_paid_and_closed_ones(store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample("d1"), "UTC")
    dropped = move(waiting_for_sample("d2"), "drop", REPLIED.date())
    assert dropped is not None and dropped.stage == "closed"
    await store.save_deal(ALICE, ALICE, dropped, "UTC")
    assert [d.deal.id for d in await store.open_deals(ALICE)] == ["d1"]


async def test_a_reminder_is_claimed_when_due_and_once_sent_never_again(store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample(), "Europe/London")

    assert await claim_all(store, ARRIVAL - timedelta(minutes=1)) == []
    [claimed] = await claim_all(store, ARRIVAL)
    assert claimed.reminder is not None and claimed.reminder.kind == "sample_arrived"
    assert claimed.due == ARRIVAL and claimed.attempts == 1
    assert claimed.stored.chat_id == ALICE
    assert await claim_all(store, ARRIVAL + timedelta(minutes=1)) == []  # claimed: no one else

    await store.reminder_sent(claimed.key, ARRIVAL)
    assert await claim_all(store, ARRIVAL + LEASE * 10) == []


async def test_saving_the_deal_again_never_brings_back_a_sent_reminder(store: Store) -> None:
    deal = waiting_for_sample()
    await store.save_deal(ALICE, ALICE, deal, "UTC")
    [claimed] = await claim_all(store, ARRIVAL)
    await store.reminder_sent(claimed.key, ARRIVAL)

    # a press that saved the deal before it knew the reminder went out
    await store.save_deal(ALICE, ALICE, deal, "UTC")
    assert await claim_all(store, ARRIVAL + LEASE * 10) == []
    assert claimed.reminder is not None
    await store.save_deal(ALICE, ALICE, delivered(deal, claimed.reminder), "UTC")
    assert await claim_all(store, ARRIVAL + LEASE * 10) == []


async def test_a_deal_moved_on_drops_its_unsent_reminders_for_the_new_ones(store: Store) -> None:
    deal = waiting_for_sample()
    await store.save_deal(ALICE, ALICE, deal, "UTC")
    trying = move(deal, "receive", ARRIVAL.date())
    assert trying is not None
    await store.save_deal(ALICE, ALICE, trying, "UTC")

    assert await claim_all(store, ARRIVAL) == []  # "did it arrive?" is no longer owed
    [verdict] = await claim_all(store, ARRIVAL + timedelta(days=15))
    assert verdict.reminder is not None and verdict.reminder.kind == "sample_verdict"


async def test_a_deferred_reminder_comes_back_when_its_time_comes(store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample(), "UTC")
    [claimed] = await claim_all(store, ARRIVAL)
    later = ARRIVAL + timedelta(hours=1)
    await store.defer_reminder(claimed.key, later)  # Telegram failed: try again in an hour

    assert await claim_all(store, later - timedelta(seconds=1)) == []
    [again] = await claim_all(store, later + timedelta(seconds=1))
    assert again.key == claimed.key and again.attempts == 2


async def test_a_user_who_blocked_the_bot_is_skipped_until_they_are_back(store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample("a"), "UTC")
    await store.save_deal(BOB, BOB, waiting_for_sample("b"), "UTC")
    await store.set_blocked(ALICE, True)

    assert [c.stored.user_id for c in await claim_all(store, ARRIVAL)] == [BOB]
    await store.set_blocked(ALICE, False)
    assert [c.stored.user_id for c in await claim_all(store, ARRIVAL)] == [ALICE]


async def test_forget_removes_the_users_deals_and_reminders_only(store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample("a"), "UTC")
    await store.save_deal(BOB, BOB, waiting_for_sample("b"), "UTC")
    await store.set_blocked(ALICE, True)

    assert await store.forget(ALICE) == 2  # the deal (its reminder with it) and the block
    assert await store.deal(ALICE, "a") is None and await store.open_deals(ALICE) == []
    assert [c.stored.user_id for c in await claim_all(store, ARRIVAL)] == [BOB]
    assert await store.deal(BOB, "b") is not None


async def test_two_workers_racing_for_the_same_due_reminders_send_each_once(
        open_new: Callable[[], Store]) -> None:
    first, second = open_new(), open_new()
    for n in range(40):
        await first.save_deal(ALICE, ALICE, waiting_for_sample(f"d{n:02}"), "UTC")
    sent: Counter[str] = Counter()

    async def worker(store: Store) -> None:
        while claimed := await store.claim_due(ARRIVAL, 3, LEASE):
            for reminder in claimed:
                sent[reminder.key] += 1
                await asyncio.sleep(0)  # sending: the other worker claims meanwhile
                await store.reminder_sent(reminder.key, ARRIVAL)

    await asyncio.gather(worker(first), worker(second))
    assert len(sent) == 40
    assert set(sent.values()) == {1}


async def test_a_worker_killed_mid_send_leaves_the_reminder_to_another_once(
        open_new: Callable[[], Store]) -> None:
    killed, survivor = open_new(), open_new()
    await killed.save_deal(ALICE, ALICE, waiting_for_sample(), "UTC")
    [claimed] = await killed.claim_due(ARRIVAL, 10, LEASE)
    await killed.close()  # gone before the send was noted

    assert await survivor.claim_due(ARRIVAL + LEASE / 2, 10, LEASE) == []  # still its claim
    [retaken] = await survivor.claim_due(ARRIVAL + LEASE + timedelta(seconds=1), 10, LEASE)
    assert retaken.key == claimed.key and retaken.attempts == 2
    await survivor.reminder_sent(retaken.key, ARRIVAL + LEASE)
    assert await survivor.claim_due(ARRIVAL + LEASE * 10, 10, LEASE) == []


async def test_saving_a_deal_keeps_a_workers_claim_on_its_reminder(store: Store) -> None:
    deal = waiting_for_sample()
    await store.save_deal(ALICE, ALICE, deal, "UTC")
    assert len(await claim_all(store, ARRIVAL)) == 1
    await store.save_deal(ALICE, ALICE, deal, "UTC")  # a press while the reminder is being sent
    assert await claim_all(store, ARRIVAL + timedelta(minutes=1)) == []


async def test_a_write_made_from_an_older_revision_is_refused(store: Store) -> None:
    first = await store.save_deal(ALICE, ALICE, waiting_for_sample(), "UTC")
    read = await store.deal(ALICE, "d1")
    assert read is not None and read.rev == first
    arrived = move(read.deal, "receive", ARRIVAL.date())
    assert arrived is not None
    assert await store.save_deal(ALICE, ALICE, arrived, "UTC", expected=read.rev) > first

    with pytest.raises(ConflictError):  # another writer still holding what it read before
        await store.save_deal(ALICE, ALICE, delivered(read.deal, _reminder(read.deal)), "UTC",
                              expected=read.rev)
    kept = await store.deal(ALICE, "d1")
    assert kept is not None and kept.deal.stage == "trying" and kept.deal.sent == []


async def test_two_writers_from_the_same_revision_one_wins(
        open_new: Callable[[], Store]) -> None:
    first, second = open_new(), open_new()
    rev = await first.save_deal(ALICE, ALICE, waiting_for_sample(), "UTC")
    stopped = stop(waiting_for_sample(), "sample_arrived")
    arrived = move(waiting_for_sample(), "receive", ARRIVAL.date())
    assert arrived is not None

    results = await asyncio.gather(
        first.save_deal(ALICE, ALICE, stopped, "UTC", expected=rev),
        second.save_deal(ALICE, ALICE, arrived, "UTC", expected=rev), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["ConflictError", "int"]
    kept = await first.deal(ALICE, "d1")
    assert kept is not None and kept.deal in (stopped, arrived)


async def test_a_press_while_the_loop_sends_its_reminder_is_kept(store: Store) -> None:
    deals = Deals(store, store)
    await store.save_deal(ALICE, ALICE, waiting_for_sample(), "Europe/London")

    async def send_while_the_creator_presses(stored: StoredDeal, message: DealMessage) -> None:
        # the loop read the deal when it claimed the reminder; the creator presses meanwhile
        assert await deals.press(ALICE, "d1_receive", ARRIVAL)

    loop = ReminderLoop(store, send_while_the_creator_presses, lambda: ARRIVAL)
    assert await loop.tick() == 1
    kept = await store.deal(ALICE, "d1")
    assert kept is not None
    assert kept.deal.stage == "trying"  # the press, not overwritten by the loop's write
    assert kept.deal.sent == [f"d1/sample_arrived/{ARRIVAL:%Y%m%dT%H%M}"]  # and the loop's note


class LoopWritesAfterTheFirstRead:
    """The store as a press sees it when the reminder loop saves the deal right after the press
    read it (and before the press writes)."""

    def __init__(self, store: Store, loop_write: Callable[[], Awaitable[object]]) -> None:
        self.store = store
        self.loop_write: Callable[[], Awaitable[object]] | None = loop_write

    async def deal(self, user_id: int, deal_id: str) -> StoredDeal | None:
        read = await self.store.deal(user_id, deal_id)
        if self.loop_write is not None:
            write, self.loop_write = self.loop_write, None
            await write()
        return read

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


async def test_a_press_that_loses_the_race_is_made_again_on_the_deal_as_saved(
        store: Store) -> None:
    await store.save_deal(ALICE, ALICE, waiting_for_sample(), "UTC")
    [claimed] = await claim_all(store, ARRIVAL)
    assert claimed.reminder is not None
    sent = delivered(claimed.stored.deal, claimed.reminder)
    racing = LoopWritesAfterTheFirstRead(store, lambda: store.save_deal(
        ALICE, ALICE, sent, "UTC", expected=claimed.stored.rev))
    deals = Deals(cast(Store, racing), store)

    [card] = await deals.press(ALICE, "d1_snooze_sample_arrived", ARRIVAL)
    kept = await store.deal(ALICE, "d1")
    assert kept is not None and kept.deal.sent == [claimed.key]  # the loop's note kept
    assert "sample_arrived" in kept.deal.snoozed  # and the press made again over it
    assert card.context["stage"] == "sample_on_way"


def _reminder(deal: Deal) -> Reminder:
    [first] = plan(deal, ZoneInfo("UTC"))
    return first
