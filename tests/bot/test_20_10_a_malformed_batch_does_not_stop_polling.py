"""Issue 20, defect 10: a malformed batch stopped polling for good.

The journal read every item's ``update_id`` before any check, so one item without it (or not an
object at all) failed the whole ``getUpdates``, and the same batch was fetched again forever. What
cannot be read is now skipped and logged (its position, never its content); the rest is handled.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.support.waiting import eventually

from .test_polling import Inbox, journaled, poll_until, polling, text_update

__all__ = ["polling"]  # the fixture, shared with the polling tests

JUNK: list[Any] = [{"message": {"text": "no id"}}, "not an object", {"update_id": "7"}, None,
                   {"update_id": True}]


class JunkInbox(Inbox):
    """Telegram answering one batch with junk among real updates."""

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getUpdates" and self.waiting and JUNK[0] not in self.waiting:
            batch = [self.waiting[0], *JUNK, *self.waiting[1:]]
            self.waiting = [u for u in self.waiting
                            if u["update_id"] >= int(params.get("offset") or 0)]
            if not self.waiting:
                self.drained.set()
            return batch if self.waiting else []
        return super()._result(api_method, params)


async def test_junk_in_a_batch_is_skipped_and_the_real_updates_are_answered(
        polling: tuple[Any, Inbox, Path], caplog: pytest.LogCaptureFixture) -> None:
    application, request, database = polling
    request.__class__ = JunkInbox
    request.waiting += [text_update(5, "/help"), text_update(8, "/privacy")]
    with caplog.at_level(logging.WARNING):
        poller = await poll_until(application, request.drained,
                                  "every update fetched and confirmed")
        await application.update_queue.join()
    texts = request.sent_texts(77)
    assert len(texts) == 2 and "/review" in texts[0] and "delete" in texts[1]
    assert poller.offset == 9
    assert "skipped 5 items of a batch that are not updates" in caplog.text
    assert "no id" not in caplog.text and "not an object" not in caplog.text
    await eventually(lambda: journaled(database) == 0, "an empty journal")
