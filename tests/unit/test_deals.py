"""A deal after the decision: its terms taken from the review, its stages, and the reminders a
creator gets on a fake clock (``now`` is always passed in), never at night in their time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from flows.creator.flow import summary
from flows.creator.questions import QUESTIONS
from flows.deal import reminders
from flows.deal.dates import read_dates, read_day, read_net_days
from flows.deal.model import Deal, from_summary, missing_dates, with_dates
from flows.deal.reminders import REOPEN_AT, Reminder, delivered, due, plan, reschedule, snooze, stop
from flows.deal.stages import TRIGGERS, allowed, move
from flows.deal.zone import country_of, default_country, default_zone, read_zone, zone
from flows.questions import Unplaceable
from flows.snapshot import Money
from prompts import label
from tests.unit.conftest import review

LONDON = zone("Europe/London")
NEW_YORK = zone("America/New_York")
REPLIED = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # a Friday afternoon in London
REPLY_DAY = REPLIED.date()


def _summary(**answers: str) -> dict[str, Any]:
    return summary(review(**answers).snapshot)


def _deal(**answers: str) -> Deal:
    deal = from_summary(_summary(**answers), deal_id="d1", replied_at=REPLIED)
    assert deal is not None
    return deal


def _moved(deal: Deal, *verbs: str, on: date = REPLY_DAY) -> Deal:
    for verb in verbs:
        after = move(deal, verb, on)
        assert after is not None, f"{verb} from {deal.stage}"
        deal = after
    return deal


def _kinds(found: list[Reminder]) -> list[str]:
    return [r.kind for r in found]


# --- the terms, from the review -----------------------------------------------------------------

def test_an_accepted_offer_keeps_the_offered_fee_and_net_30_and_nothing_invented() -> None:
    deal = _deal()  # the good deal: $1,500, net 30, organic use, no exclusivity

    assert deal.terms.source == "offered"
    assert deal.terms.fee == Money(amount=1500, currency="USD")
    assert deal.terms.payment_days == 30
    assert deal.terms.usage_months is None  # the offer named no window, so none is assumed
    assert deal.terms.kill_fee is None and deal.terms.extras == {}
    assert deal.signature == "Maya" and deal.stage == "reply_sent"


def test_a_counter_offer_deal_holds_what_the_counter_asked_with_its_numbers() -> None:
    deal = _deal(usual_rate="$2,000", payment_terms="net60_plus", usage_rights="perpetual",
                 exclusivity="long_vague")

    assert deal.terms.source == "asked"
    assert deal.terms.fee == Money(amount=2000, currency="USD")  # "my rate for this is $2,000"
    assert deal.terms.payment_days == 30  # "net 30 from delivery"
    assert deal.terms.kill_fee == Money(amount=1000, currency="USD")
    assert deal.terms.usage_months == 12  # "12 months on your own channels"
    assert deal.terms.exclusivity_months == 3
    assert deal.terms.total == Money(amount=3200, currency="USD")  # the fee and 3 x $400


def test_a_decline_opens_no_deal_and_a_sample_request_opens_one_waiting_for_the_sample() -> None:
    assert from_summary(_summary(recommend_friend="no"), deal_id="d", replied_at=REPLIED) is None

    deal = _deal(tried="not_yet", can_try_first="yes")

    assert deal.sample_first
    assert _moved(deal, "agree").stage == "sample_on_way"


def test_use_it_longer_starts_the_trial_now_with_no_sample_to_wait_for() -> None:
    deal = _deal(tried="once", recommend_friend="unsure")

    assert deal.stage == "trying" and not deal.sample_first
    [verdict] = plan(deal, LONDON)
    assert verdict.kind == "sample_verdict" and verdict.about == date(2026, 12, 18)


def test_the_missing_dates_are_asked_once_and_a_skipped_one_never_again() -> None:
    deal = _moved(_deal(usage_rights="limited_paid"), "agree")

    assert missing_dates(deal) == ["draft_due", "go_live"]  # the paid window was priced: 3 months

    no_window = _moved(_deal(usage_rights="organic", exclusivity="short_named"), "agree")
    no_window = no_window.model_copy(update={"terms": no_window.terms.model_copy(
        update={"exclusivity_months": None, "source": "offered"})})
    assert missing_dates(no_window) == ["draft_due", "go_live", "usage_ends", "exclusivity_ends"]

    given = with_dates(no_window, {"draft_due": date(2026, 12, 10), "go_live": date(2026, 12, 14),
                                   "usage_ends": None, "exclusivity_ends": None})
    assert missing_dates(given) == []


def test_typed_dates_are_read_in_order_and_ambiguous_ones_refused() -> None:
    today = date(2026, 12, 4)

    read = read_dates("12 Dec\nJan 3\nskip", ["draft_due", "go_live", "usage_ends"], today)

    assert read == {"draft_due": date(2026, 12, 12), "go_live": date(2027, 1, 3),
                    "usage_ends": None}
    for typed in ("12/11", "31 Feb", "soon", "12 13 Dec"):
        with pytest.raises(Unplaceable):
            read_day(typed, today)
    with pytest.raises(Unplaceable):
        read_dates("12 Dec", ["draft_due", "go_live"], today)
    assert read_dates("skip", ["draft_due", "go_live"], today) == {"draft_due": None,
                                                                    "go_live": None}


def test_unsettled_payment_terms_are_asked_with_the_dates_and_the_chases_count_from_them(
        ) -> None:
    deal = _moved(_deal(payment_terms="not_stated", usage_rights="limited_paid"), "agree")
    deal = deal.model_copy(update={"terms": deal.terms.model_copy(
        update={"payment_days": None, "source": "offered"})})  # as offered: no net days
    assert missing_dates(deal) == ["draft_due", "go_live", "payment_days"]

    given = read_dates("12 Dec\n14 Dec\nnet 45", missing_dates(deal), date(2026, 12, 4))
    dated = with_dates(deal, given)
    assert dated.terms.payment_days == 45 and missing_dates(dated) == []
    invoiced = _moved(dated, "post", "invoice", on=date(2026, 12, 14))
    assert invoiced.payment_due_on == date(2027, 1, 28)  # 45 days after the invoice
    for typed, days in (("30 days", 30), ("net-60", 60), ("14", 14), ("skip", None)):
        assert read_net_days(typed) == days
    for typed in ("soon", "net", "1000 days", "30 weeks"):
        with pytest.raises(Unplaceable):
            read_net_days(typed)


def test_a_typed_time_zone_is_a_city_a_zone_name_or_a_common_alias() -> None:
    assert read_zone("berlin") == "Europe/Berlin"
    assert read_zone("New York") == "America/New_York"
    assert read_zone("america/los_angeles") == "America/Los_Angeles"
    assert read_zone(" UTC ") == "UTC"
    for unknown in ("Atlantis", "", "../../etc/passwd", "x" * 500):
        assert read_zone(unknown) is None
    assert default_zone("en-GB") == "Europe/London" and default_zone("de") == "Europe/Berlin"
    assert default_zone(None) == "UTC"
    assert country_of("en-US", "UTC") == "US" and country_of(None, "America/Chicago") == "US"
    assert country_of(None, "Europe/Berlin") == "UK"


# --- the stages ----------------------------------------------------------------------------------

def test_a_deal_goes_from_the_reply_to_paid_stamping_each_day() -> None:
    deal = _deal()
    deal = with_dates(_moved(deal, "agree"), {"draft_due": date(2026, 12, 10),
                                              "go_live": date(2026, 12, 14)})
    deal = _moved(deal, "schedule")
    deal = _moved(deal, "post", on=date(2026, 12, 14))
    deal = _moved(deal, "invoice", on=date(2026, 12, 15))
    deal = _moved(deal, "collect", on=date(2027, 1, 10))
    deal = _moved(deal, "close", on=date(2027, 1, 10))

    assert deal.stage == "closed"
    assert (deal.posted_on, deal.invoiced_on, deal.paid_on) == (
        date(2026, 12, 14), date(2026, 12, 15), date(2027, 1, 10))


def test_a_verb_that_does_not_fit_the_stage_leaves_the_deal_alone() -> None:
    deal = _deal()

    assert move(deal, "collect", REPLIED.date()) is None  # not invoiced yet
    assert move(deal, "receive", REPLIED.date()) is None  # no sample was asked for
    assert move(deal, "bogus", REPLIED.date()) is None
    posted = _moved(deal, "agree", "post")
    assert move(posted, "drop", REPLIED.date()) is None  # once posted, the money is owed
    assert allowed(posted) == ["invoice"]


def test_a_charity_post_is_closed_without_an_invoice() -> None:
    deal = _moved(_deal(ask="charity"), "agree", "post")

    assert not deal.paid_deal
    assert move(deal, "invoice", REPLIED.date()) is None
    assert _moved(deal, "close").stage == "closed"


# --- the reminders -------------------------------------------------------------------------------

def test_did_it_arrive_comes_four_days_after_the_sample_request_then_still_like_it() -> None:
    deal = _moved(_deal(tried="not_yet", can_try_first="yes"), "agree")

    assert due(deal, REPLIED + timedelta(days=3), LONDON) == []
    [arrived] = due(deal, REPLIED + timedelta(days=4), LONDON)
    assert arrived.kind == "sample_arrived"
    assert [a.verb for a in arrived.actions] == ["receive", "snooze", "stop"]

    trying = _moved(delivered(deal, arrived), "receive", on=date(2026, 12, 9))
    [verdict] = plan(trying, LONDON)
    assert verdict.kind == "sample_verdict"
    assert verdict.due == datetime(2026, 12, 23, 10, 0, tzinfo=UTC)  # two weeks, 10:00 local
    still = next(a for a in verdict.actions if a.label == "still_like")
    assert still.verb == "reopen" and still.arg == "tried"
    assert REOPEN_AT == ("tried", "can_try_first", "use_unpaid", "recommend_friend",
                         "community_fit")


def test_a_reminder_fires_once_then_a_snooze_brings_it_back_the_next_morning() -> None:
    deal = _moved(_deal(tried="not_yet", can_try_first="yes"), "agree")
    now = REPLIED + timedelta(days=5)
    [first] = due(deal, now, LONDON)

    deal = delivered(deal, first)
    assert due(deal, now + timedelta(days=30), LONDON) == []  # never twice

    evening = datetime(2026, 12, 9, 20, 30, tzinfo=UTC)  # pressed "tomorrow" at 20:30
    deal = snooze(deal, "sample_arrived", evening)
    [again] = plan(deal, LONDON)
    assert again.due == datetime(2026, 12, 10, 20, 30, tzinfo=UTC)
    assert again.key != first.key
    assert due(delivered(deal, again), now + timedelta(days=30), LONDON) == []


@pytest.mark.parametrize(("local_hour", "expected"), [(22, (12, 5, 9)), (3, (12, 5, 9)),
                                                      (8, (12, 5, 9)), (9, (12, 5, 9)),
                                                      (20, (12, 5, 20))])
def test_no_reminder_arrives_between_nine_at_night_and_nine_in_the_morning(
        local_hour: int, expected: tuple[int, int, int]) -> None:
    # a sample asked for at that hour in New York (UTC-5): "did it arrive?" four days later
    replied = datetime(2026, 12, 1, local_hour, 0, tzinfo=NEW_YORK)
    if local_hour >= 21:
        replied -= timedelta(days=1)
    deal = Deal(id="d", brand="Acme", product="bar", sample_first=True, stage="sample_on_way",
                replied_at=replied.astimezone(UTC))

    [reminder] = plan(deal, NEW_YORK)

    local = reminder.due.astimezone(NEW_YORK)
    assert (local.month, local.day, local.hour) == expected


def test_an_overdue_reminder_found_at_night_waits_for_the_morning() -> None:
    deal = _moved(_deal(tried="not_yet", can_try_first="yes"), "agree")
    night = datetime(2026, 12, 10, 23, 30, tzinfo=UTC)  # the bot was down; 23:30 in London
    [overdue] = plan(deal, LONDON)

    assert due(deal, night, LONDON) == []
    assert reminders.sendable_from(overdue, night, LONDON) == datetime(2026, 12, 11, 9, 0,
                                                                         tzinfo=UTC)
    assert _kinds(due(deal, datetime(2026, 12, 11, 9, 0, tzinfo=UTC), LONDON)) == [
        "sample_arrived"]


def test_a_reminder_keeps_to_local_time_across_a_clock_change() -> None:
    # the UK moves its clocks on 29 March 2026: 10:00 local is 10:00 UTC before, 09:00 after
    before = Deal(id="d", brand="A", product="b", stage="agreed", replied_at=REPLIED,
                  go_live=date(2026, 3, 28))
    after = before.model_copy(update={"go_live": date(2026, 3, 31)})

    assert [r.due.hour for r in plan(before, LONDON) if r.kind == "go_live"] == [10]
    assert [r.due.hour for r in plan(after, LONDON) if r.kind == "go_live"] == [9]


def test_content_reminders_come_the_day_before_and_on_the_day() -> None:
    deal = with_dates(_moved(_deal(), "agree"), {"draft_due": date(2026, 12, 10),
                                                 "go_live": date(2026, 12, 14)})

    planned = {r.kind: r.due for r in plan(deal, LONDON)}

    assert planned == {"draft_due": datetime(2026, 12, 9, 10, 0, tzinfo=UTC),
                       "caption": datetime(2026, 12, 13, 10, 0, tzinfo=UTC),
                       "go_live": datetime(2026, 12, 14, 10, 0, tzinfo=UTC)}


def test_changing_the_go_live_date_moves_its_reminders_and_they_fire_again() -> None:
    deal = with_dates(_moved(_deal(), "agree"), {"go_live": date(2026, 12, 14)})
    at = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
    for reminder in due(deal, at, LONDON):
        deal = delivered(deal, reminder)
    assert due(deal, at, LONDON) == []

    moved = reschedule(deal, "go_live", date(2026, 12, 20))

    assert moved is not None and moved.go_live == date(2026, 12, 20)
    assert _kinds(plan(moved, LONDON)) == ["caption", "go_live"]
    assert reschedule(deal, "invoice", date(2026, 12, 20)) is None  # nothing to move


def test_money_invoice_on_delivery_then_a_polite_chase_then_a_firm_one_two_weeks_later() -> None:
    deal = _moved(_deal(), "agree", "post", on=date(2026, 12, 14))
    [invoice] = due(deal, datetime(2026, 12, 14, 16, 0, tzinfo=UTC), LONDON)
    assert invoice.kind == "invoice"
    assert [a.arg for a in invoice.actions if a.verb == "draft"] == ["invoice"]

    deal = _moved(delivered(deal, invoice), "invoice", on=date(2026, 12, 15))
    assert deal.payment_due_on == date(2027, 1, 14)  # net 30
    planned = {r.kind: r.due for r in plan(deal, LONDON)}
    assert planned == {"chase_polite": datetime(2027, 1, 15, 10, 0, tzinfo=UTC),
                       "chase_firm": datetime(2027, 1, 29, 10, 0, tzinfo=UTC)}

    paid = _moved(deal, "collect", on=date(2027, 1, 16))
    assert plan(paid, LONDON) == []


def test_rights_reminders_when_the_usage_window_and_exclusivity_end() -> None:
    deal = _moved(_deal(usage_rights="whitelisting", exclusivity="short_named"), "agree")
    deal = _moved(deal, "post", on=date(2026, 12, 14))

    ends = {r.kind: r.about for r in plan(deal, LONDON) if r.kind != "invoice"}

    assert ends == {"usage_ends": date(2027, 3, 14), "exclusivity_ends": date(2027, 1, 14)}
    usage = next(r for r in plan(deal, LONDON) if r.kind == "usage_ends")
    assert [(a.verb, a.arg) for a in usage.actions] == [("draft", "renewal"), ("stop", "")]


def test_a_stopped_reminder_never_comes_and_a_closed_deal_has_none() -> None:
    deal = with_dates(_moved(_deal(), "agree"), {"draft_due": date(2026, 12, 10),
                                                 "go_live": date(2026, 12, 14)})

    assert "caption" not in _kinds(plan(stop(deal, "caption"), LONDON))
    assert plan(_moved(deal, "drop"), LONDON) == []


def test_every_button_fits_telegrams_callback_data_with_room_for_the_deal() -> None:
    for rule in reminders.RULES.values():
        for action in rule.actions:
            # the transport adds a short code, a version and a deal id of up to 16 bytes
            assert len(f"dl:v1:{'x' * 16}:{action.verb}:{action.arg}".encode()) <= 64


def test_the_time_zone_and_country_default_from_the_language_code() -> None:
    assert default_zone("en-GB") == "Europe/London"
    assert default_zone("de") == "Europe/Berlin"
    assert default_zone("pt-br") == "America/Sao_Paulo"
    assert default_zone("en") == "UTC"  # English alone says too little: ask
    assert default_zone(None) == "UTC"
    assert default_country("en-US") == "US" and default_country("en") is None
    assert zone("Not/AZone").key == "UTC"


def test_every_reminder_button_has_words_that_fit_a_button() -> None:
    for rule in reminders.RULES.values():
        for action in rule.actions:
            text = label("deal", action.label)
            assert 0 < len(text) <= 32, action.label


def test_every_stage_verb_has_a_button_label() -> None:
    for verb in TRIGGERS:
        assert 0 < len(label("deal", verb)) <= 32, verb


def test_still_like_it_reopens_the_review_at_the_values_questions_with_the_rest_kept() -> None:
    decided = review(tried="not_yet", can_try_first="yes").snapshot

    kept = reminders.kept_for_review(decided.answers)

    nxt = QUESTIONS.next_unanswered(kept)
    assert nxt is not None and nxt.id == "tried"
    assert kept["brand"] == "Acme" and kept["pay"] == decided.answers["pay"]
    assert not set(kept) & set(REOPEN_AT)
