"""Waiting on state that has no event to await (a file as another process reads it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

LOOK_EVERY = 0.005  # seconds


async def eventually(check: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    """Until ``check()`` holds, looking again every few milliseconds; ``seconds`` at most."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(LOOK_EVERY)  # no event to await: another process's view
