"""Deal reminders, the pure planner's side: 100,000 deals with reminders due over a simulated week.

Run ``.venv/bin/python -m bench.deal_reminders [--deals N]``. Deals are spread over every stage
and six time zones, their dates over the week (seeded, so every run plans the same reminders).
Each deal is planned once (``flows.deal.reminders.plan``, as storage will on every change of a
deal), the reminders go into one index ordered by due time, and the clock then moves a minute at
a time through the week: at each minute the reminders due are taken from the index, at most
what Telegram lets the bot send in the next minute (one found overdue at night for its creator
goes back in for the morning). Printed: the
time to plan a deal, the time to find the due reminders per minute of schedule (mean, p99, worst)
next to the issue's target, the busiest minute, and that every reminder was found exactly once
and none at night local. The database side (an index on the due time, claims with SKIP LOCKED)
comes with the storage; this measures what the bot itself adds.
"""

from __future__ import annotations

import argparse
import heapq
import random
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import Figures, announce, ms, percentile, us
from flows.deal.model import STAGES, Deal, Terms
from flows.deal.reminders import Reminder, plan, sendable_from
from flows.deal.zone import QUIET_FROM, QUIET_UNTIL, zone
from flows.snapshot import Money

TARGET_SECONDS = 0.010  # the target: under 10 ms per check at 100,000 deals
START = datetime(2026, 12, 7, tzinfo=UTC)  # a Monday
MINUTES = 7 * 24 * 60
ZONES = ("Europe/London", "America/New_York", "America/Los_Angeles", "Europe/Berlin",
         "Asia/Kolkata", "Australia/Sydney")
OPEN_STAGES = [s for s in STAGES if s != "closed"]
# a check takes at most what can be sent in the minute that follows: Telegram's 30 messages a
# second; the rest wait for the next check (so a burst costs minutes of lag, not a long check)
CLAIM = 30 * 60


def _deal(number: int, rng: random.Random) -> Deal:
    def day() -> date:
        return (START + timedelta(days=rng.randint(-3, 8))).date()

    stage = rng.choice(OPEN_STAGES)
    return Deal(
        id=f"d{number}", brand="Acme", product="Protein bar", signature="Maya", stage=stage,
        sample_first=stage in ("sample_on_way", "trying"),
        terms=Terms(fee=Money(amount=1500), payment_days=30, usage_months=rng.choice((3, 12)),
                    exclusivity_months=rng.choice((None, 1, 3))),
        replied_at=START + timedelta(minutes=rng.randint(-5 * 24 * 60, 2 * 24 * 60)),
        sample_arrived=day(), draft_due=day(), go_live=day(), posted_on=day(),
        invoiced_on=day() - timedelta(days=30),
        usage_ends=day() if rng.random() < 0.3 else None,
        exclusivity_ends=day() if rng.random() < 0.3 else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=100_000)
    args = parser.parse_args(argv)
    started = announce()
    figures = Figures(f"deal reminders: {args.deals:,} deals over a simulated week")
    rng = random.Random(18)
    deals = [_deal(number, rng) for number in range(args.deals)]
    zones = [zone(ZONES[number % len(ZONES)]) for number in range(args.deals)]

    planning = time.perf_counter()
    index: list[tuple[datetime, str, int]] = []
    planned: dict[str, Reminder] = {}
    for number, deal in enumerate(deals):
        for reminder in plan(deal, zones[number]):
            planned[reminder.key] = reminder
            index.append((reminder.due, reminder.key, number))
    planning = time.perf_counter() - planning
    heapq.heapify(index)
    in_week = sum(1 for due, _, _ in index if due < START + timedelta(minutes=MINUTES))
    overdue = sum(1 for due, _, _ in index if due < START)

    checks: list[float] = []
    found: list[str] = []
    at_night: list[str] = []
    held = 0
    busiest = (0, START)
    backlog = 0.0
    lag = timedelta(0)
    for minute in range(MINUTES):
        now = START + timedelta(minutes=minute)
        began = time.perf_counter()
        due_now = []
        taken = 0
        while index and index[0][0] <= now and taken < CLAIM:
            taken += 1
            entry = heapq.heappop(index)
            _, key, number = entry
            later = sendable_from(planned[key], now, zones[number])
            if later > now:  # overdue, but night for this creator: back until the morning
                heapq.heappush(index, (later, key, number))
                held += 1
                continue
            due_now.append(entry)
        spent = time.perf_counter() - began
        if minute == 0:  # the reminders that fell due before the week began, all at once
            backlog = spent
        else:
            checks.append(spent)
        found += [key for _, key, _ in due_now]
        lag = max([lag, *(now - due for due, _, _ in due_now if due >= START)])
        at_night += [key for _, key, number in due_now if _at_night(now, zones[number])]
        if minute and len(due_now) > busiest[0]:
            busiest = (len(due_now), now)

    figures.add(f"planning one deal's reminders ({len(planned):,} for {args.deals:,} deals)",
                "", us(planning / args.deals), None)
    figures.add("finding the due reminders, per minute of schedule (mean)",
                f"< {ms(TARGET_SECONDS)}", us(sum(checks) / len(checks)),
                sum(checks) / len(checks) < TARGET_SECONDS)
    figures.add("  p99 / worst minute", f"< {ms(TARGET_SECONDS)}",
                f"{ms(percentile(checks, 99))} / {ms(max(checks))}",
                max(checks) < TARGET_SECONDS)
    figures.add("the backlog at the week's start (overdue, found at once)", "",
                f"{overdue:,}: {ms(backlog)}, {held:,} held for the morning", None)
    figures.add("reminders due in the week, found", "each once",
                f"{len(found):,} of {in_week:,}", len(found) == len(set(found)) == in_week)
    figures.add(f"busiest minute (at most {CLAIM:,} taken a check)", "",
                f"{busiest[0]:,} at {busiest[1]:%a %H:%M} UTC", None)
    figures.add("longest wait from sendable to found (due in the week)", "",
                f"{lag.total_seconds() / 60:.0f} min", None)
    figures.add("found inside a creator's quiet hours", "none", f"{len(at_night):,}",
                not at_night)
    if len(found) != len(set(found)) or len(found) != in_week:
        figures.error("a reminder was found twice, or missed")
    if at_night:
        figures.error(f"{len(at_night)} reminders would arrive at night")
    return figures.finish(started)


def _at_night(moment: datetime, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


if __name__ == "__main__":
    raise SystemExit(main())
