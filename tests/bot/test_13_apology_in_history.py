"""Issue 13: a finished apology showed in /history with an empty title, labelled "decline"."""

from __future__ import annotations

from .conftest import OfflineBot
from .test_coach import button_data, sent

MAYA = 501
AN_APOLOGY = ["FitFuel's vanilla protein powder", "A few weeks ago", "skip", "for the money",
              "Taken down", "always label", "Help getting refunds", "yes", "skip"]


async def test_a_finished_apology_is_listed_by_what_was_promoted_as_an_apology(
        offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/apology"))
    for text in AN_APOLOGY:
        await offline.feed(offline.updates.text(MAYA, text))
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "✅ Write my apology")))
    await offline.feed(offline.updates.text(MAYA, "/history"))

    listing = sent(offline, MAYA)[-1]
    assert "<b>FitFuel's vanilla protein powder</b>: apology" in listing.replace("&#39;", "'")
    assert "decline" not in listing
