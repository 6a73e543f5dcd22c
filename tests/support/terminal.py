"""``halo chat`` under a real pseudo-terminal (pexpect), as a person runs it: no token or
database settings from the environment, a home of its own, and everything it printed kept."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]


def spawn_chat(folder: Path) -> tuple[pexpect.spawn, io.StringIO]:
    """The terminal chat started in ``folder``, and what it prints as it prints it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    child = pexpect.spawn(sys.executable, ["-m", "bot.cli", "chat"], cwd=str(folder),
                          env={**env, "HOME": str(folder), "PYTHONPATH": str(ROOT)},
                          encoding="utf-8", timeout=30, dimensions=(40, 100))
    seen = io.StringIO()
    child.logfile_read = seen
    return child, seen
