"""What the conversation service counts for /metrics: updates by flow, decisions by verdict."""

from __future__ import annotations

import itertools

from prometheus_client import REGISTRY

from bot.conversations import Conversations, Inbound, Turn
from bot.store import ConversationKey, SQLiteStore
from flows.replies import Actor, Event

MAYA = ConversationKey.private(701, 701)
SCAM = ["/begin", "CoinVault", "AI trading bot", "crypto", "one post", "exact", "$5,000", "skip",
        "a lot", "guaranteed returns"]


async def test_a_kept_decision_is_counted_once_by_flow_and_verdict() -> None:
    def scraped(name: str, **labels: str) -> float:
        """A sample as /metrics shows it (0 before it was first counted)."""
        return REGISTRY.get_sample_value(name, labels) or 0.0

    def declined() -> float:
        return scraped("halo_decisions_total", flow="creator", verdict="decline")

    def updates() -> float:
        return scraped("halo_flow_updates_total", flow="creator")

    before, seen = declined(), updates()
    ids = itertools.count(1)

    async def shown(turn: Turn) -> int | None:
        return None

    async with SQLiteStore(":memory:") as store:
        service = Conversations(store)
        for text in SCAM:
            event = Event(verb="begin") if text == "/begin" else Event(verb="answer", arg=text)
            await service.handle(Inbound(MAYA, event, next(ids), actor=Actor(user_id=701,
                                                                             name="Maya"),
                                         flow="creator" if text == "/begin" else None), shown)
        assert (await store.load(MAYA)).step == "decided"  # type: ignore[union-attr]
        await service.handle(Inbound(MAYA, Event(verb="tone", arg="brief"), next(ids)), shown)
    assert declined() == before + 1  # not again for a change of tone
    assert updates() == seen + len(SCAM) + 1
