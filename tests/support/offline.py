"""An offline Bot API for python-telegram-bot: a request class that answers like Telegram would,
in process, and records what the bot sent. Used by the bot tests and by ``bench/``.

Updates are built as Telegram would send them and fed to ``application.process_update``.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.request import BaseRequest, RequestData

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Halo Coach",
            "username": "halo_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False}


# every answer of a creator review, typed, for a deal worth taking (bench/ types it too)
# (on Telegram the reply is signed with the person's first name, so no name is typed)
A_GOOD_DEAL = ["Acme", "Serum", "none", "One post", "exact", "$900", "skip", "Not at all", "none",
               "I use it regularly", "yes", "yes", "own words", "lasting", "real", "yes",
               "same brand", "clear", "organic", "none", "net 30", "two", "none"]


@dataclass(slots=True)
class Sent:
    method: str
    params: dict[str, Any]
    message_id: int | None = None  # of the message sent or edited, as answered


@dataclass
class OfflineRequest(BaseRequest):
    """Answers getMe, sendMessage, editMessageText, sendDocument and friends with Telegram JSON."""

    calls: list[Sent] = field(default_factory=list)
    record: bool = True
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None
                         ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        result = self._result(api_method, params)
        if self.record:
            self.calls.append(Sent(api_method, params, result.get("message_id")
                                   if isinstance(result, dict) else None))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method == "getUpdates":
            return []
        if api_method == "getChatMember":  # everyone is a plain member here
            user_id = int(params.get("user_id", 0))
            return {"status": "member",
                    "user": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}}
        if api_method == "getMyDescription":
            return {"description": ""}
        if api_method == "getMyShortDescription":
            return {"short_description": ""}
        if api_method in ("sendMessage", "editMessageText", "sendDocument"):
            chat_id = int(params.get("chat_id", 0))
            message_id = int(params.get("message_id") or next(self._ids))
            message: dict[str, Any] = {
                "message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            }
            if "text" in params:
                message["text"] = params["text"]
            if "reply_markup" in params:
                markup = params["reply_markup"]
                message["reply_markup"] = json.loads(markup) if isinstance(markup, str) \
                    else markup
            if api_method == "sendDocument":
                message["document"] = {"file_id": f"doc{message_id}",
                                       "file_unique_id": f"u{message_id}",
                                       "file_name": "decision.md"}
            return message
        return True

    def sent_texts(self, chat_id: int) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.calls
                if c.method in ("sendMessage", "editMessageText")
                and int(c.params.get("chat_id", 0)) == chat_id]


class Updates:
    """Builds Telegram-shaped updates for one bot, with increasing update ids."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._ids = itertools.count(1)
        self._messages = itertools.count(1)

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def text(self, user_id: int, text: str, *, chat_id: int | None = None,
             reply_to: int | None = None, language: str | None = None,
             message_id: int | None = None) -> Update:
        """A typed message; ``reply_to``: in reply to the bot's message of that id (what a
        question asking for a typed answer gets); ``language``: the sender's language code;
        ``message_id``: the message's own id in the chat (by default a count of its own)."""
        chat = chat_id if chat_id is not None else user_id
        kind = "private" if chat > 0 else "supergroup"
        sender = self._user(user_id)
        if language is not None:
            sender["language_code"] = language
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._messages),
            "date": int(time.time()), "chat": {"id": chat, "type": kind}, "from": sender,
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = {"message_id": reply_to, "date": int(time.time()),
                                           "chat": {"id": chat, "type": kind},
                                           "from": BOT_USER, "text": "question"}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return Update.de_json({"update_id": next(self._ids), "message": message}, self.bot)

    def press(self, user_id: int, data: str, message_id: int = 1,
              *, chat_id: int | None = None) -> Update:
        chat = chat_id if chat_id is not None else user_id
        query = {
            "id": f"q{next(self._ids)}", "from": self._user(user_id), "chat_instance": "c",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "from": BOT_USER,
                        "chat": {"id": chat, "type": "private" if chat > 0 else "supergroup"},
                        "text": "question"},
        }
        return Update.de_json({"update_id": next(self._ids), "callback_query": query}, self.bot)
