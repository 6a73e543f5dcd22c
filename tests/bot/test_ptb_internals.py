"""The private parts of python-telegram-bot that the bot relies on, pinned.

``bot/telegram/journal.py`` overrides ``Bot._post`` (to journal getUpdates) and sets attributes
under ``_unfrozen()``, ``bot/telegram/send.py`` builds requests from the unexported
``RequestParameter``; ``bot/telegram/transport.py`` and ``http11.py`` import
``telegram._utils``. None of it is public API, so
pyproject.toml pins python-telegram-bot to the minor version these were checked against. When a
new version is locked, these tests say what moved: check each use, then move ``CHECKED_MINOR``
and the pin together.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import telegram
from telegram import Bot
from telegram.request import BaseRequest, RequestData

from bot.conversations import Conversations
from bot.store import open_store
from bot.telegram.journal import Journal, JournalingBot
from tests.support.offline import TOKEN, OfflineRequest

CHECKED_MINOR = "22.8"


def test_the_installed_python_telegram_bot_is_the_one_checked() -> None:
    installed = ".".join(telegram.__version__.split(".")[:2])
    assert installed == CHECKED_MINOR, (
        f"python-telegram-bot {telegram.__version__} is installed, but its private parts were "
        f"checked against {CHECKED_MINOR}: re-check bot/telegram/journal.py, send.py and "
        "transport.py, then move CHECKED_MINOR and the pin in pyproject.toml")


def test_the_private_modules_still_offer_what_the_transport_imports() -> None:
    from telegram._utils.defaultvalue import DefaultValue
    from telegram._utils.types import ODVInput
    from telegram.request._requestparameter import RequestParameter

    assert ODVInput is not None
    # the transport tells "not given" from a value by this class
    assert isinstance(BaseRequest.DEFAULT_NONE, DefaultValue)
    assert list(inspect.signature(RequestParameter).parameters) == [
        "name", "value", "input_files"]


def test_raw_fields_become_the_json_telegram_reads() -> None:
    from telegram.request._requestparameter import RequestParameter

    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "v1|c|1|a|yes"}]]}
    data = RequestData([RequestParameter(name="chat_id", value=7, input_files=None),
                        RequestParameter(name="reply_markup", value=keyboard, input_files=None)])
    assert not data.contains_files
    assert json.loads(data.json_parameters["reply_markup"]) == keyboard
    assert data.json_parameters["chat_id"] == "7"


def test_post_is_still_the_path_of_every_call_and_get_updates_goes_through_it() -> None:
    parameters = list(inspect.signature(Bot._post).parameters)
    assert parameters[:3] == ["self", "endpoint", "data"], parameters
    assert "self._post(" in inspect.getsource(Bot.get_updates)


async def test_the_journaling_bot_builds_and_journals_what_get_updates_fetched(
        tmp_path: Path) -> None:
    """``_unfrozen`` lets the bot keep its journal; ``_post`` sees getUpdates' raw answer."""

    class OneUpdate(OfflineRequest):
        def _result(self, api_method: str, params: dict[str, Any]) -> Any:
            if api_method == "getUpdates":
                return [{"update_id": 5, "message": {
                    "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
                    "text": "hi"}}]
            return super()._result(api_method, params)

    store = open_store(f"sqlite:///{tmp_path}/h.db")
    bot = JournalingBot(TOKEN, request=OfflineRequest(), get_updates_request=OneUpdate(),
                        journal=Journal(store, Conversations(store)))
    async with bot:
        updates = await bot.get_updates()
    unhandled = [update_id for update_id, _ in await store.unhandled()]
    await store.close()
    assert [u.update_id for u in updates] == [5]
    assert unhandled == [5]
