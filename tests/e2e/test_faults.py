"""The fault-injection suite, short form: fifty people through whole reviews while the Bot API
fails 5% of the bot's calls (429, 5xx, resets, lost and late answers). Nobody's answer is lost,
applied twice or to the wrong step, nobody is left without their next step, and error notices
stay at one per hundred people at most. ``bench/faults.py`` runs the long form with its table.
"""

from __future__ import annotations

from pathlib import Path

from .crowd import Outcome, run_crowd
from .faults import FaultMix

# Telegram asks for whole seconds after a 429, and python-telegram-bot's limiter then holds
# every call: a fifth of a second keeps the run short and takes the same path.
FIVE_PERCENT = FaultMix("5% of calls: 429, 5xx, reset, lost, late", 0.05, retry_after=0.2,
                        late_seconds=1.0)


async def test_fifty_people_finish_their_reviews_through_five_percent_of_failed_calls(
        tmp_path: Path) -> None:
    outcome = await run_crowd(FIVE_PERCENT, 50, tmp_path, seed=20)
    print(Outcome.table([outcome]))
    assert sum(outcome.faults.values()) > 100, "the proxy injected too few faults to tell"
    assert set(outcome.faults) == {"429", "5xx", "reset", "lost", "late"}
    assert outcome.misses() == [], (outcome.misses(), outcome.problems[:20])
