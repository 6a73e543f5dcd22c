"""Issue 17: the deliverables read from a brand's message could only be taken out from the Fix
a fact list, not corrected ("3 reels", not the 2 read). Typed as the message states them, they
replace what was read: the facts message, the review's "one post or several" and the reply's
kept terms all follow."""

from __future__ import annotations

import io

from bot.console import run_chat
from tests.unit.conftest import GOOD
from tests.unit.test_drafts_from_messages import answered, drafted
from tests.unit.test_fixing_facts import begun, labels, press, shown

DM = ("Hi Maya! We're Glow Lab. We can offer $1,200 for one Instagram reel about our night "
      "serum, posted by June 20, usage on our organic channels for 12 months. Payment net 30. "
      "No exclusivity. Two rounds of revisions. Please label it #ad.")


def test_the_deliverables_are_corrected_by_typing_them() -> None:
    snapshot, _ = begun(DM)
    assert snapshot.answers["ask"] == "one_post"
    step_before = snapshot.step
    snapshot, (listing,) = press(snapshot, "fix")
    assert "Deliverables" in labels(listing)
    snapshot, (fact,) = press(snapshot, "fix", "deliverables")
    assert "Type how many of each, like <code>3 reels</code>" in shown(fact)
    assert "❌ The message doesn't say that" in labels(fact)
    snapshot, replies = press(snapshot, "answer", "3 reels and 2 stories")
    assert "Deliverables: 3 reels, 2 stories (as you corrected it)" in shown(replies[0])
    assert snapshot.answers["ask"] == "few_posts"  # several posts now, not one
    assert snapshot.step == step_before and snapshot.fixing is None
    decided = press(answered(snapshot), "confirm")[0]
    accept, _ = drafted(decided, "warm", "accept")
    assert "3 reels, 2 stories" in accept and "1 reel" not in accept


def test_words_without_a_count_are_asked_again_and_the_same_count_changes_nothing() -> None:
    snapshot, _ = begun(DM)
    snapshot, _ = press(snapshot, "fix", "deliverables")
    snapshot, (again,) = press(snapshot, "answer", "more of them")
    assert "I couldn't find a count and a format in that" in shown(again)
    assert snapshot.fixing == "deliverables"
    before = snapshot.offer
    snapshot, replies = press(snapshot, "answer", "1 reel")
    assert snapshot.offer == before and "(as you corrected it)" not in shown(replies[0])


def test_in_the_terminal_the_count_is_typed_too() -> None:
    out = io.StringIO()
    run_chat("creator", [GOOD["signature"], "fix", "4", "2 reels", "quit"], out, offer=DM)
    said = out.getvalue()
    assert "Deliverables: 2 reels (as you corrected it)" in said, said[-1500:]
    assert "tap" not in said.lower()
