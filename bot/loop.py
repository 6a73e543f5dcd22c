"""The event loop the bot runs on (``EVENT_LOOP``): uvloop's, or the standard library's.

uvloop runs asyncio's event loop on libuv, with its sockets, timers and transports in C: the bot's
HTTP client and server, and asyncpg's connections, cost less CPU per call on it (bench/README.md,
"The event loop"). Where uvloop cannot be imported (a platform without its wheels), the standard
loop runs and the log says so once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def loop_factory(kind: Literal["uvloop", "asyncio"]) -> Callable[[], asyncio.AbstractEventLoop]:
    """A function that makes a new event loop of ``kind`` (the standard one if uvloop is
    missing)."""
    if kind == "uvloop":
        try:
            import uvloop
        except ImportError:
            log.warning("EVENT_LOOP=uvloop but uvloop is not installed: running on asyncio's loop")
        else:
            return uvloop.new_event_loop
    return asyncio.new_event_loop


def run(main: Coroutine[Any, Any, T], kind: Literal["uvloop", "asyncio"]) -> T:
    """``asyncio.run(main)`` on an event loop of ``kind``."""
    with asyncio.Runner(loop_factory=loop_factory(kind)) as runner:
        return runner.run(main)
