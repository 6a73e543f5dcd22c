"""Waiting in tests, on a condition under a deadline, never on a clock alone.

``until``: an event that something in the test sets.  ``eventually``: state with no event to await
(a file as another process reads it, a database server's view, a log, a lock's waiters), looked at
again every few milliseconds.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

LOOK_EVERY = 0.005  # seconds
DEADLINE = 10.0  # seconds


async def eventually(check: Callable[[], bool | Awaitable[bool]], what: str,
                     seconds: float = DEADLINE) -> None:
    """Until ``check()`` (a bool, or an awaitable of one) holds; ``seconds`` at most."""
    deadline = time.monotonic() + seconds
    while True:
        held = check()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        await asyncio.sleep(LOOK_EVERY)  # no event to await: look again in a moment


async def until(event: asyncio.Event, what: str, seconds: float = DEADLINE) -> None:
    """Until ``event`` is set; ``seconds`` at most."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        raise AssertionError(f"timed out after {seconds:g} s waiting for {what}") from None
