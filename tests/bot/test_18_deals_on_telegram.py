"""Issue 18 on Telegram (offline): a decision tracked as a deal (from /history or right on the
decided step), its dates asked in one short step, the creator's time zone asked once, moved on
with its buttons, listed by /deals, and its reminders sent by the bot's reminder loop with buttons
that act: snooze, change the date, stop, check a caption, a draft as a message or a file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.deals import TRACK
from bot.reminding import ReminderLoop
from bot.store import ConversationKey
from bot.telegram.callbacks import encode_menu
from bot.telegram.running import REMINDERS
from flows.creator.flow import summary
from flows.creator.questions import QUESTIONS
from tests.support.offline import A_GOOD_DEAL, Sent
from tests.unit.conftest import review

from .conftest import OfflineBot, running_offline
from .test_coach import button_data, buttons, sent

MAYA = 501
# a review's answers after the trial, by the step asking them (any other: "yes")
AFTER_TRIAL = {"ask_tried": "I use it regularly", "ask_voice": "own words",
               "ask_relationship": "lasting", "ask_community_value": "real",
               "ask_existing_customers": "same brand", "ask_label": "clear",
               "ask_usage_rights": "organic", "ask_exclusivity": "none",
               "ask_payment_terms": "net 30", "ask_revisions": "two", "ask_claims": "none"}
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


async def reply(bot: OfflineBot, text: str) -> None:
    """Typed in the reply field the last question of a deal opened (a reply to that message)."""
    asking = next(c for c in reversed(bot.request.calls) if _opens_the_reply_field(c))
    await bot.feed(bot.updates.text(MAYA, text, reply_to=asking.message_id))


def _opens_the_reply_field(call: Sent) -> bool:
    markup = call.params.get("reply_markup") if call.method == "sendMessage" else None
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return bool(markup and markup.get("force_reply"))


def asks_to_type(bot: OfflineBot) -> bool:
    """Whether the bot's last message opened the reply field (a question to answer by typing)."""
    return _opens_the_reply_field(
        next(c for c in reversed(bot.request.calls) if c.method == "sendMessage"))


async def decided(bot: OfflineBot) -> None:
    await bot.feed(bot.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await bot.feed(bot.updates.text(MAYA, text))
    await press(bot, "✅ See my recommendation")


async def tracked_and_dated(bot: OfflineBot) -> None:
    """Tracked from the decided step, agreed, its draft due 12 December and live on the 14th
    (the end of their use of the content skipped)."""
    await decided(bot)
    await press(bot, "📌 Track this deal")
    await press(bot, "🤝 They agreed")
    await reply(bot, "12 Dec\n14 Dec\nskip")


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
    card, zone = sent(bot, MAYA)[-2:]
    assert "<b>Acme" in card and "Fee: $900" in card and "net 30" in card
    assert "<b>UTC</b>" in zone  # asked once, with the first deal

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


async def test_a_decided_review_offers_to_track_the_deal_right_there(bot: OfflineBot) -> None:
    await decided(bot)
    await press(bot, "📌 Track this deal")

    card, zone = sent(bot, MAYA)[-2:]
    assert "<b>Acme's Serum</b>: reply sent" in card and "Fee: $900, net 30" in card
    assert "Is that right?" in zone
    await press(bot, "📌 Track this deal")  # pressed again: the same deal, not a second one
    assert len(await bot.store.deals_of(MAYA)) == 1
    assert "Is that right?" not in sent(bot, MAYA)[-1]  # the time zone is asked once


async def test_a_declined_offer_has_no_deal_to_track(bot: OfflineBot) -> None:
    await bot.feed(bot.updates.text(MAYA, "/review"))
    declined = [*A_GOOD_DEAL]
    declined[declined.index("I use it regularly") + 1] = "no"  # would not use it unpaid: a gate
    for text in declined:
        await bot.feed(bot.updates.text(MAYA, text))
    with pytest.raises(LookupError):
        button_data(bot, MAYA, "📌 Track this deal")


async def test_the_dates_are_asked_in_one_short_step_and_each_may_be_skipped(
        bot: OfflineBot) -> None:
    await decided(bot)
    await press(bot, "📌 Track this deal")
    await press(bot, "🤝 They agreed")
    asked = sent(bot, MAYA)[-1]
    assert asks_to_type(bot)
    card = [c for c in bot.request.calls if c.method == "sendMessage"][-2]
    await bot.feed(bot.updates.text(MAYA, "12 Dec\n14 Dec\nskip", reply_to=card.message_id))
    [deal] = await bot.store.deals_of(MAYA)
    assert deal.deal.go_live is None  # a reply to another message is not the dates' answer
    assert asked.index("When is your draft due?") < asked.index("When does it go live?") \
        < asked.index("When does their right to use your content end?")  # organic, no window

    await reply(bot, "12/12\n14 Dec\nskip")
    assert "couldn't read that as a date" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "just one line")
    assert "one line for each date" in sent(bot, MAYA)[-1]
    await press(bot, "📅 Give the dates")  # on the deal's card: the same step again
    assert "When is your draft due?" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "skip\n2026-12-14\n14 December 2027")
    card = sent(bot, MAYA)[-1]
    assert "content due" in card and "Goes live: 14 December 2026" in card
    assert "Their use of your content: until 14 December 2027" in card
    assert "Draft due" not in card
    [deal] = await bot.store.deals_of(MAYA)
    assert deal.deal.go_live is not None and deal.deal.awaiting is None
    assert "draft_due" in deal.deal.skipped  # not asked again

    await reply(bot, "hello")  # the question was answered: not a date any more
    assert "Goes live" not in sent(bot, MAYA)[-1]


async def test_the_time_zone_is_asked_once_and_every_reminder_follows_it(
        bot: OfflineBot) -> None:
    await decided(bot)
    await press(bot, "📌 Track this deal")
    await press(bot, "🌍 Another time zone")
    assert "Which time zone are you in?" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "Atlantis")
    assert "I don't know that time zone" in sent(bot, MAYA)[-1]
    await reply(bot, "los angeles")
    assert "<b>America/Los_Angeles</b>" in sent(bot, MAYA)[-1]

    await press(bot, "🤝 They agreed")
    await reply(bot, "12 Dec\n14 Dec\nskip")
    [deal] = await bot.store.deals_of(MAYA)
    assert deal.tz == "America/Los_Angeles"
    # the caption check comes the morning before going live, in Los Angeles: 10:00 there
    due = await bot.store.claim_due(datetime(2026, 12, 13, 18, 0, tzinfo=UTC), 10,
                                    timedelta(minutes=5))
    assert sorted(c.key.split("/")[1] for c in due) == ["caption", "draft_due"]
    for claimed in due:
        local = claimed.due.astimezone(deal.zone)
        assert 9 <= local.hour < 21  # never at night for the creator


async def test_a_reminders_buttons_change_its_date_and_check_a_caption(
        bot: OfflineBot, clock: Clock) -> None:
    await tracked_and_dated(bot)
    loop = bot.application.bot_data[REMINDERS]
    clock.now = datetime(2026, 12, 13, 10, 0, tzinfo=UTC)
    assert await loop.tick() == 2  # the draft (due yesterday) and the caption, go-live tomorrow
    assert "Paste your caption or script" in sent(bot, MAYA)[-1]

    await press(bot, "📝 Check my caption")
    assert "Paste your caption or script for Acme" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "Loving this serum, it cures acne! #sp")
    findings, fixed = sent(bot, MAYA)[-2:]
    # no language or zone says the US: the UK's rules, where "#sp" is not a label
    assert "ASA rules (UK)" in findings and "isn't enough for the ASA" in findings
    assert "a claim like this needs proof" in findings
    assert fixed.startswith("<b>Your caption, ready to post:</b>") and "Ad | Loving" in fixed

    await press(bot, "📅 Change the date")  # on the caption reminder: the go-live date
    assert "What's the new date?" in sent(bot, MAYA)[-1] and asks_to_type(bot)
    await reply(bot, "18 Dec")
    assert "Goes live: 18 December 2026" in sent(bot, MAYA)[-1]
    clock.now = datetime(2026, 12, 14, 10, 0, tzinfo=UTC)
    assert await loop.tick() == 0  # not going live on the 14th any more
    clock.now = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)
    assert await loop.tick() == 1
    assert "goes live tomorrow, 18 December 2026" in sent(bot, MAYA)[-1]

    await press(bot, "🔕 Stop these")
    clock.now = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)
    assert await loop.tick() == 1  # the go-live reminder; the caption ones stopped
    assert "caption" not in sent(bot, MAYA)[-1]


async def test_the_invoice_comes_as_a_message_or_a_markdown_file(bot: OfflineBot) -> None:
    await tracked_and_dated(bot)
    await press(bot, "✅ It's posted")
    loop = bot.application.bot_data[REMINDERS]
    assert await loop.tick() == 1
    await press(bot, "🧾 My invoice")
    assert "Your invoice message" in sent(bot, MAYA)[-1]

    await press(bot, "📄 As a Markdown file")
    assert [c.params["chat_id"] for c in bot.request.calls if c.method == "sendDocument"] \
        == [MAYA]  # the file itself: test_deals_and_reminders reads it


async def test_still_like_it_reopens_the_review_at_its_values_and_the_new_decision_updates_the_deal(
        bot: OfflineBot, clock: Clock) -> None:
    key = ConversationKey.private(MAYA, MAYA)
    async with bot.store.transaction(key) as tx:  # a review that asked for a sample first
        tx.record_decision(MAYA, "creator", "Acme", "sample",
                           summary(review(tried="not_yet", can_try_first="yes").snapshot))
    [kept] = await bot.store.history(MAYA)
    await bot.feed(bot.updates.press(MAYA, encode_menu(TRACK, str(kept.id))))
    for verb in ("🤝 They agreed", "✅ It arrived"):
        if verb == "✅ It arrived":
            clock.now += timedelta(days=4)
            assert await bot.application.bot_data[REMINDERS].tick() == 1  # did it arrive?
        await press(bot, verb)
    clock.now += timedelta(days=14, hours=1)
    assert await bot.application.bot_data[REMINDERS].tick() == 1
    assert "Still like" in sent(bot, MAYA)[-1]

    await press(bot, "👍 Still like it")
    welcome, question = sent(bot, MAYA)[-2:]
    assert "Welcome back to your review of Acme" in welcome
    assert "Question 1 of" in question  # the values asked again from the first
    snapshot = await bot.store.load(key)
    assert snapshot is not None and snapshot.step == "ask_tried"
    assert snapshot.answers["brand"] == "Acme" and "pay" in snapshot.answers  # the rest kept
    assert "tried" not in snapshot.answers

    # tried now, and liked: the values answered again, then what the first path never asked
    for _ in range(len(QUESTIONS.questions)):
        snapshot = await bot.store.load(key)
        assert snapshot is not None
        if snapshot.step == "review":
            break
        await bot.feed(bot.updates.text(MAYA, AFTER_TRIAL.get(snapshot.step, "yes")))
    await press(bot, "✅ See my recommendation")
    [deal] = await bot.store.deals_of(MAYA)
    [reopened, _] = await bot.store.history(MAYA)
    assert deal.deal.decisions == [reopened.id] and deal.deal.stage == "trying"
    assert deal.deal.terms.fee is not None and not deal.deal.sample_first

    await press(bot, "📌 Track this deal")  # the reopened decision: the same deal, moved on
    assert "<b>Acme" in sent(bot, MAYA)[-1] and len(await bot.store.deals_of(MAYA)) == 1
