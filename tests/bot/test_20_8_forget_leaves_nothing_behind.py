"""Issue 20, defect 8: /forget left data behind.

The person's proposal facts stayed in ``handoffs`` (the table had no owner column), and their id,
name and votes stayed inside a group's team-review snapshot. Forget means every table; a group's
votes are anonymised in place, so the tally the team saw does not change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversations import Conversations
from bot.store import ConversationKey, open_store
from flows.replies import Actor, Event
from flows.snapshot import Snapshot
from flows.team.flow import advance

MAYA = Actor(user_id=501, name="Maya")
BEN = Actor(user_id=502, name="Ben")
GROUP = ConversationKey.group(-100700, "team")


def team_review() -> Snapshot:
    """Ben leads a team review in which Maya joined and voted on the first question."""
    snapshot = advance(None, Event(verb="begin", arg="GreenPan's offer", actor=BEN)).snapshot
    for fact in ("GreenPan", "Ceramic skillet", "few_posts", "$900", "Lena"):
        snapshot = advance(snapshot, Event(verb="answer", arg=fact, actor=BEN)).snapshot
    snapshot = advance(snapshot, Event(verb="join", actor=MAYA)).snapshot
    snapshot = advance(snapshot, Event(verb="start", actor=BEN)).snapshot
    return advance(snapshot, Event(verb="vote", arg="no", actor=MAYA)).snapshot


async def test_forget_anonymises_a_members_votes_and_drops_their_handoffs(
        tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/halo.db")
    try:
        before = team_review()
        async with store.transaction(GROUP) as txn:
            txn.save(before)
        now = datetime.now(UTC)
        await store.put_handoff("code-maya-0123456789abcde", {"brand": "GreenPan"},
                                now + timedelta(days=7), made_by=MAYA.user_id)

        await Conversations(store).forget(ConversationKey.private(MAYA.user_id, MAYA.user_id))

        after = await store.load(GROUP)
        assert after is not None and after.team is not None
        kept = after.model_dump_json()
        assert str(MAYA.user_id) not in kept and "Maya" not in kept  # neither id nor name
        question = next(iter(before.team.votes))  # type: ignore[union-attr]
        assert sorted(after.team.votes[question].values()) == sorted(
            before.team.votes[question].values())  # type: ignore[union-attr]
        assert after.team.lead == str(BEN.user_id) and "Ben" in after.team.members.values()
        assert after.version == before.version  # the group's buttons keep working
        opened = await store.take_handoff("code-maya-0123456789abcde", now, 999)
        assert opened.payload is None
    finally:
        await store.close()


async def test_forgetting_the_lead_passes_the_lead_on(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/halo.db")
    try:
        async with store.transaction(GROUP) as txn:
            txn.save(team_review())
        await Conversations(store).forget(ConversationKey.private(BEN.user_id, BEN.user_id))
        after = await store.load(GROUP)
        assert after is not None and after.team is not None
        assert after.team.lead == str(MAYA.user_id)  # the next member leads
        assert "Ben" not in after.model_dump_json()
    finally:
        await store.close()
