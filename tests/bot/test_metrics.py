"""Updates are counted by their type, whatever the type."""

from __future__ import annotations

from telegram import Bot, Update

from bot.metrics import update_kind
from tests.support.offline import TOKEN, Updates


def test_an_update_is_counted_by_its_type() -> None:
    updates = Updates(Bot(TOKEN))
    assert update_kind(updates.text(1, "hi")) == "message"
    assert update_kind(updates.press(1, "v1|c|1|a|yes")) == "callback_query"
    assert update_kind(Update(update_id=9)) == "other"  # one the bot could not read
    assert update_kind("not an update") == "other"
