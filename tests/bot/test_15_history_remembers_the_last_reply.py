"""Issue 15: a decision reopened from /history showed the draft as first written, not the tone
and reply kind last chosen. The decided step's changes of tone or reply are kept with it."""

from __future__ import annotations

import itertools

from bot.conversations import Conversations, Inbound, Turn
from bot.store import ConversationKey, SQLiteStore
from flows.registry import FLOWS
from flows.replies import Actor, Event
from prompts import render_text
from tests.unit.conftest import GOOD

MAYA = ConversationKey.private(801, 801)


async def test_history_shows_the_reply_kind_and_tone_last_chosen() -> None:
    ids = itertools.count(1)
    actor = Actor(user_id=801, name="Maya")

    async def shown(turn: Turn) -> int | None:
        return None

    async with SQLiteStore(":memory:") as store:
        service = Conversations(store)

        async def do(event: Event, flow: str | None = None) -> None:
            await service.handle(Inbound(MAYA, event, next(ids), actor=actor, flow=flow), shown)

        await do(Event(verb="begin"), "creator")
        for _ in range(40):
            snapshot = await store.load(MAYA)
            assert snapshot is not None
            if not snapshot.step.startswith("ask_"):
                break
            await do(Event(verb="answer", arg=GOOD[snapshot.step[4:]]))
        await do(Event(verb="confirm"))
        first = (await store.history(801))[0]
        assert first.payload["tone"] == "warm" and first.payload["draft"] == "accept"

        await do(Event(verb="draft", arg="counter"))
        await do(Event(verb="tone", arg="brief"))
        kept = (await store.history(801))[0]
        assert len(await store.history(801)) == 1  # the same decision, not a second one
        assert (kept.payload["tone"], kept.payload["draft"]) == ("brief", "counter")
        shown_again = FLOWS["creator"].present(kept.payload, False)
        said = "\n".join(render_text(r.template, r.context) for r in shown_again)
        assert "counter-offer (brief tone" in said
