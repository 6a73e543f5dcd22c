"""Fuzzed updates and callback data into the real application, offline: nothing crashes.

hypothesis draws runs of updates (messages, commands with payloads, edits, button presses with
forged, near-valid and valid data, members leaving, private and group chats, bots, topics) and
feeds each run, after a review has begun, to a fresh bot. No update may end in an unhandled
error: neither python-telegram-bot's error handler nor the bot's own "something went wrong"
recovery may run. Bounded: a fixed number of examples, derandomized, no deadline (CI machines
are slow and shared).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.store import ConversationKey, Store
from bot.telegram.callbacks import MENU, MENU_ACTIONS, VERB_CODES
from flows.registry import FLOWS
from tests.support.offline import BOT_USER, OfflineRequest

from .conftest import OfflineBot, running_offline

MAYA, LEO = 901, 902
GROUP = -100901
PRIVATE = {"id": MAYA, "type": "private"}
TEAM = {"id": GROUP, "type": "supergroup", "title": "Team"}
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

users = st.fixed_dictionaries(
    {"id": st.sampled_from([MAYA, LEO, 1, 2**40]), "is_bot": st.booleans(),
     "first_name": st.text(max_size=12)},
    optional={"username": st.text(max_size=8), "language_code": st.sampled_from(["en", "", "xx"])})
chats = st.one_of(
    st.builds(lambda uid: {"id": uid, "type": "private"}, st.sampled_from([MAYA, LEO])),
    st.fixed_dictionaries({"id": st.just(GROUP), "type": st.sampled_from(
        ["group", "supergroup", "channel"]), "title": st.text(max_size=8)},
        optional={"is_forum": st.booleans()}))
commands = st.sampled_from(["/start", "/review", "/new", "/apology", "/proposal", "/back",
                            "/cancel", "/skip", "/history", "/forget", "/privacy", "/help",
                            "/nope", "/start@halo_test_bot", "/review@other_bot"])
texts = st.one_of(
    st.text(max_size=300),
    st.builds(lambda c, tail: f"{c} {tail}".rstrip(), commands, st.one_of(
        st.just(""), st.text(max_size=40), st.builds(lambda s: "h-" + s, st.text(
            "ABCDEFabcdef0123456789_-", min_size=0, max_size=30)))),
    st.sampled_from(["yes", "no", "Yes", "$1,500", "900 EUR", "-5 USD", "1e9 USD", "skip",
                     "0", "99", "Not at all", "I use it regularly", "done", "a " * 400]))
callback_data = st.one_of(
    st.none(),
    st.text(max_size=70),
    st.builds(lambda scope, version, code, arg: f"v1|{scope}|{version}|{code}|{arg}",
              st.sampled_from([*FLOWS.by_code, MENU, "z", ""]),
              st.sampled_from(["CURRENT", "0", "1", "ffffffff", "1ffffffff", "g", ""]),
              st.sampled_from([*VERB_CODES.values(), *MENU_ACTIONS,
                               *(flow.commands[0] for flow in FLOWS.private()), "?"]),
              st.sampled_from(["", "yes", "no", "ongoing", "regularly", "1", "9" * 30, "a" * 40,
                               "warm", "decline", "UP", "x y"])))


def message(chat: dict[str, Any], sender: dict[str, Any] | None, text: str | None,
            extra: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"message_id": 0, "date": 1_700_000_000, "chat": chat, **extra}
    if sender is not None:
        body["from"] = sender
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0,
                                 "length": len(text.split()[0]) if text.split() else 1}]
    return body


extras = st.fixed_dictionaries({}, optional={
    "message_thread_id": st.sampled_from([1, 7]),
    "is_topic_message": st.booleans(),
    "reply_to_message": st.builds(
        lambda chat, from_bot, mid: {"message_id": mid, "date": 1_700_000_000, "chat": chat,
                                     "from": BOT_USER if from_bot else {
                                         "id": LEO, "is_bot": False, "first_name": "Leo"},
                                     "text": "question"},
        chats, st.booleans(), st.sampled_from([0, 1, 5, 10**6])),
    "sticker": st.just({"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                        "height": 1, "is_animated": False, "is_video": False}),
    "left_chat_member": users,
    "caption": st.text(max_size=20),
})
messages = st.builds(message, chats, st.one_of(st.none(), users), st.one_of(st.none(), texts),
                     extras)
presses = st.builds(
    lambda sender, data, on, chat, mid: {
        "id": "q", "from": sender, "chat_instance": "c",
        **({"data": data} if data is not None else {}),
        **({"message": {"message_id": mid, "date": 0 if on == "gone" else 1_700_000_000,
                        "chat": chat, "from": BOT_USER, "text": "question"}}
           if on != "none" else {})},
    users, callback_data, st.sampled_from(["message", "gone", "none"]), chats,
    st.sampled_from([1, 2, 3, 10**6]))
updates = st.one_of(
    st.builds(lambda m: {"message": m}, messages),
    st.builds(lambda m: {"edited_message": {**m, "edit_date": 1_700_000_001}}, messages),
    st.builds(lambda q: {"callback_query": q}, presses),
)


class Crashes(logging.Handler):
    """Records the bot's error logs: an unhandled error or a recovery from one."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


async def feed_all(folder: Path, run: list[dict[str, Any]]) -> list[str]:
    """A fresh bot, a review begun by Maya, then ``run``; the errors the bot logged."""
    crashes = Crashes()
    ids = itertools.count(1)
    messages_sent = itertools.count(100)
    async with running_offline(folder, OfflineRequest(record=False)) as bot:
        await _feed_all(bot, run, crashes, ids, messages_sent)
    return crashes.seen


async def _feed_all(bot: OfflineBot, run: list[dict[str, Any]], crashes: Crashes,
                    ids: itertools.count[int], messages_sent: itertools.count[int]) -> None:
    application, store = bot.application, bot.store
    logging.getLogger("halo").addHandler(crashes)
    try:
        leo = {"id": LEO, "is_bot": False, "first_name": "Leo"}
        for chat, sender, text in (
                (PRIVATE, {"id": MAYA, "is_bot": False, "first_name": "Maya"}, "/review"),
                (PRIVATE, {"id": MAYA, "is_bot": False, "first_name": "Maya"}, "Acme"),
                (PRIVATE, {"id": MAYA, "is_bot": False, "first_name": "Maya"}, "Serum"),
                (TEAM, leo, "/review")):
            begun = message(chat, sender, text, {})
            begun["message_id"] = next(messages_sent)
            await application.process_update(Update.de_json(
                {"update_id": next(ids), "message": begun}, application.bot))
        for raw in run:
            payload = _with_version(raw, await _version(store, raw))
            payload["update_id"] = next(ids)
            for kind in ("message", "edited_message"):
                if kind in payload:
                    payload[kind] = {**payload[kind], "message_id": next(messages_sent)}
            if "callback_query" in payload:
                payload["callback_query"] = {**payload["callback_query"],
                                             "id": f"q{payload['update_id']}"}
            try:
                update = Update.de_json(payload, application.bot)
            except Exception:  # python-telegram-bot cannot read it: polling skips it, logged
                continue
            await application.process_update(update)
    finally:
        logging.getLogger("halo").removeHandler(crashes)


async def _version(store: Store, raw: dict[str, Any]) -> int:
    """The version of the conversation a press is for (its chat's): what a valid press names."""
    message_ = (raw.get("callback_query") or {}).get("message") or {}
    chat = (message_.get("chat") or {}).get("id")
    key = ConversationKey.group(GROUP, "team", 0) if chat == GROUP \
        else ConversationKey.private(MAYA, MAYA)
    current = await store.load(key)
    return current.version if current else 0


def _with_version(raw: dict[str, Any], version: int) -> dict[str, Any]:
    """Callback data naming the "CURRENT" version gets the conversation's own (a valid press)."""
    query = raw.get("callback_query")
    data = query.get("data") if query else None
    if not isinstance(data, str) or "CURRENT" not in data:
        return dict(raw)
    return {"callback_query": {**query, "data": data.replace("CURRENT", f"{version:x}")}}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@FUZZ
@given(st.lists(updates, min_size=1, max_size=12))
def test_no_update_shape_or_callback_data_ends_in_an_unhandled_error(
        run: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        crashes = asyncio.run(feed_all(Path(folder), run))
    assert crashes == []
