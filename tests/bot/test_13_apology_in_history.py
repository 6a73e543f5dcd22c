"""Issue 13: a finished apology showed in /history with an empty title, labelled "decline"."""

from __future__ import annotations

from bot.store import ConversationKey

from .conftest import OfflineBot
from .test_coach import button_data, sent

MAYA = 501
# what Maya types to each question she is asked (anything else she skips)
TYPED = {"promoted": "FitFuel's vanilla protein powder", "when": "A few weeks ago",
         "went_wrong": "for the money", "content_up": "Taken down", "changes": "always label",
         "buyers": "Help getting refunds", "forgiveness": "yes"}


async def test_a_finished_apology_is_listed_by_what_was_promoted_as_an_apology(
        offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/apology"))
    for _ in range(20):
        snapshot = await offline.store.load(ConversationKey.private(MAYA, MAYA))
        assert snapshot is not None
        if not snapshot.step.startswith("ask_"):
            break
        await offline.feed(offline.updates.text(MAYA, TYPED.get(snapshot.step[4:], "skip")))
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "✅ Write my apology")))
    await offline.feed(offline.updates.text(MAYA, "/history"))

    listing = sent(offline, MAYA)[-1]
    assert "<b>FitFuel's vanilla protein powder</b>: apology" in listing.replace("&#39;", "'")
    assert "decline" not in listing
