"""Issue 18: ``halo chat`` without ``--keep`` keeps its store in memory, so a deal tracked there
goes at quit with its reminders. The terminal says so when ``track`` follows it, with how to keep
one (``halo chat --keep``), and again in the goodbye; under a real pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pexpect

from tests.support.terminal import spawn_chat
from tests.unit.test_console import SEE_RECOMMENDATION, TYPED


def test_track_without_keep_says_the_deal_lasts_until_quit_and_again_at_goodbye(
        tmp_path: Path) -> None:
    child, seen = spawn_chat(tmp_path)
    try:
        child.expect("Question 1 of")
        for typed in TYPED:
            child.sendline(typed)
        child.expect("✅ See my recommendation")
        child.sendline(SEE_RECOMMENDATION)
        child.expect("📌 Track this deal")
        child.expect("Review another offer")
        child.sendline("track")
        child.expect("reply sent")  # the deal's card: followed, for now
        child.expect("this deal and its reminders are gone when you quit")
        child.expect(r"halo chat\s+--keep")
        child.sendline("quit")
        child.expect("neither is the deal you tracked")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    said = seen.getvalue()
    assert said.count("reminders are gone when you quit") == 1
    assert child.exitstatus == 0
