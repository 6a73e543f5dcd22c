"""Waiting on state that has no event to await (a file as another process reads it)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

LOOK_EVERY = 0.005  # seconds


async def eventually(check: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    """Until ``check()`` holds, looking again every few milliseconds; ``seconds`` at most."""
    for _ in range(int(seconds / LOOK_EVERY)):
        if check():
            return
        await asyncio.sleep(LOOK_EVERY)
    raise AssertionError(f"timed out waiting for {what}")
