"""The bot's clock: what "now" is for deals and their reminders.

Real time, unless the environment sets ``HALO_CLOCK_START`` (an ISO moment with its zone): then
the clock starts there when the bot starts and runs at real speed. Only the end-to-end tests set
it, to restart the bot days later in its own time; a running bot never changes it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
START_VARIABLE = "HALO_CLOCK_START"


def system_clock() -> Clock:
    """The clock of this process: real time, or from ``HALO_CLOCK_START`` on (tests)."""
    start = os.environ.get(START_VARIABLE)
    if not start:
        return lambda: datetime.now(UTC)
    origin = datetime.fromisoformat(start)
    if origin.tzinfo is None:
        raise ValueError(f"{START_VARIABLE} needs a time zone, e.g. 2026-12-04T15:00:00+00:00")
    began = time.monotonic()
    return lambda: (origin + timedelta(seconds=time.monotonic() - began)).astimezone(UTC)
