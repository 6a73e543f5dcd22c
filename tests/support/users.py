"""Test-side Telegram users: they write, press buttons and wait for the bot's answers.

Every wait is a deadline on the emulator's state-change condition, never a fixed sleep.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from tests.support.emulator import (
    BotApiEmulator,
    CallbackQuery,
    EntityParseError,
    StoredMessage,
    User,
    parse_html,
)

Predicate = Callable[[StoredMessage], bool]


@runtime_checkable
class HasMessageId(Protocol):
    """A StoredMessage snapshot or a PTB ``telegram.Message``."""

    @property
    def message_id(self) -> int: ...


MessageRef = HasMessageId | int


def visible_text(message: StoredMessage | str | None) -> str:
    """What the user sees: tags stripped, entities unescaped."""
    if message is None:
        return ""
    if isinstance(message, StoredMessage):
        return message.visible  # already parsed by the emulator
    try:
        return parse_html(message, strict=False)[0]
    except EntityParseError:
        return html.unescape(re.sub(r"<[^>]*>", "", message))


class TelegramUser:
    """One person in one chat (their private chat with the bot by default)."""

    def __init__(
        self, emulator: BotApiEmulator, user_id: int, first_name: str, *,
        username: str | None = None, last_name: str | None = None,
        language_code: str | None = "en", chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> None:
        self.emulator = emulator
        self.user = emulator.register_user(
            User(user_id, first_name, username, last_name, language_code))
        self.chat_id = user_id if chat_id is None else chat_id
        self.thread_id = thread_id
        self.sent: list[StoredMessage] = []
        self._seen = emulator.revision  # wait_for returns bot messages changed after this
        self._action = emulator.revision  # revision at this user's last action

    @property
    def id(self) -> int:
        return self.user.id

    def __repr__(self) -> str:
        return f"TelegramUser({self.user.id}, {self.user.first_name!r}, chat={self.chat_id})"

    # ----------------------------------------------------------------- acting

    def _acted(self) -> None:
        self._seen = self._action = self.emulator.revision

    async def send(self, text: str, *, reply_to: MessageRef | None = None) -> StoredMessage:
        """Send a text message; ``/commands`` carry a bot_command entity."""
        self._acted()
        reply_id = reply_to.message_id if isinstance(reply_to, HasMessageId) else reply_to
        msg = await self.emulator.user_message(
            self.user, self.chat_id, text, reply_to=reply_id, thread_id=self.thread_id)
        self.sent.append(msg)
        return msg

    async def send_sticker(self) -> StoredMessage:
        self._acted()
        msg = await self.emulator.user_media(self.user, self.chat_id, "sticker",
                                             thread_id=self.thread_id)
        self.sent.append(msg)
        return msg

    async def send_photo(self, caption: str | None = None) -> StoredMessage:
        self._acted()
        msg = await self.emulator.user_media(self.user, self.chat_id, "photo",
                                             thread_id=self.thread_id, caption=caption)
        self.sent.append(msg)
        return msg

    async def send_document(self, data: bytes, file_name: str, *, caption: str | None = None,
                            forwarded_from: str | None = None) -> StoredMessage:
        """Send a file (a contract's PDF, a DOCX) as a document."""
        self._acted()
        msg = await self.emulator.user_document(self.user, data, file_name, self.chat_id,
                                                caption=caption, forwarded_from=forwarded_from)
        self.sent.append(msg)
        return msg

    async def forward(self, text: str, forwarded_from: str) -> StoredMessage:
        """Forward someone's message (a brand's DM) into the chat."""
        self._acted()
        msg = await self.emulator.user_forward(self.user, text, forwarded_from, self.chat_id)
        self.sent.append(msg)
        return msg

    async def edit_last(self, text: str) -> StoredMessage:
        """Edit this user's newest text message (``edited_message`` update)."""
        last = next((m for m in reversed(self.sent) if m.text is not None), None)
        if last is None:
            raise LookupError(f"{self!r} has sent no text message to edit")
        self._acted()
        return await self.emulator.user_edit(self.user, self.chat_id, last.message_id, text)

    def _live(self, message: MessageRef) -> StoredMessage:
        message_id = message if isinstance(message, int) else message.message_id
        live = self.emulator.get_message(self.chat_id, message_id)
        if live is None:
            raise LookupError(f"message {message_id} is not (or no longer) in chat {self.chat_id}")
        return live

    async def press(self, label: str, message: MessageRef | None = None) -> str:
        """Press the button ``label`` as currently shown; returns the callback query id.

        Without ``message``: the newest bot message in this chat showing that button.  A label
        that is not on the message's current keyboard cannot be pressed: ``LookupError``.
        """
        if message is None:
            target = next((m for m in reversed(self.messages) if m.button(label)), None)
            if target is None:
                shown = {m.message_id: m.button_labels for m in self.messages if m.keyboard}
                raise LookupError(f"no bot message in chat {self.chat_id} shows a button "
                                  f"{label!r}; keyboards: {shown}")
        else:
            target = self._live(message)
        button = target.button(label)
        if button is None:
            raise LookupError(f"message {target.message_id} has no button {label!r}; "
                              f"it shows {target.button_labels}")
        if button.get("callback_data") is None:
            raise LookupError(f"button {label!r} has no callback_data (it is {button})")
        self._acted()
        return await self.emulator.callback_query(self.user, target, str(button["callback_data"]))

    async def press_data(self, data: str, message: MessageRef) -> str:
        """Send a forged callback with arbitrary ``data`` on an existing message."""
        target = self._live(message)
        self._acted()
        return await self.emulator.callback_query(self.user, target, data)

    async def block(self) -> None:
        """Block the bot (private chat only)."""
        await self.emulator.block_bot(self.user)

    async def leave(self) -> StoredMessage:
        """Leave the group this user is in."""
        return await self.emulator.member_left(self.chat_id, self.user)

    # ----------------------------------------------------------------- observing

    @property
    def messages(self) -> list[StoredMessage]:
        """The bot's messages in this chat (and topic), current state, oldest first."""
        return self.emulator.bot_messages(self.chat_id, self.thread_id)

    def last(self) -> StoredMessage | None:
        msgs = self.messages
        return msgs[-1] if msgs else None

    @property
    def callback_answers(self) -> list[CallbackQuery]:
        """This user's answered button presses, in press order."""
        return [q for q in self.emulator.callback_queries.values()
                if q.user_id == self.user.id and q.answered]

    def _describe(self) -> str:
        lines = [f"  #{m.message_id} r{m.revision} {visible_text(m)[:80]!r} {m.button_labels}"
                 for m in self.messages[-5:]]
        return f"chat {self.chat_id}; last bot messages:\n" + ("\n".join(lines) or "  (none)")

    async def wait_for(
        self, predicate: Predicate | None = None, timeout: float = 10.0  # noqa: ASYNC109
    ) -> StoredMessage:
        """The next bot message (sent or edited) newer than the last one seen, as a snapshot."""

        def find() -> StoredMessage | None:
            fresh = [m for m in self.messages
                     if m.revision > self._seen and (predicate is None or predicate(m))]
            return min(fresh, key=lambda m: m.revision) if fresh else None

        try:
            msg = await self.emulator.wait_until(find, timeout, "a bot message")
        except TimeoutError:
            raise TimeoutError(f"no new bot message within {timeout}s in {self._describe()}"
                               ) from None
        self._seen = msg.revision
        return msg.snapshot()

    async def wait_for_text(self, substring: str, timeout: float = 10.0) -> StoredMessage:  # noqa: ASYNC109
        """A bot message sent or edited after this user's last action that shows ``substring``."""

        def find() -> StoredMessage | None:
            return next((m for m in self.messages
                         if m.revision > self._action and substring in visible_text(m)), None)

        try:
            msg = await self.emulator.wait_until(find, timeout, repr(substring))
        except TimeoutError:
            raise TimeoutError(f"no bot message containing {substring!r} within {timeout}s in "
                               f"{self._describe()}") from None
        self._seen = max(self._seen, msg.revision)
        return msg.snapshot()

    async def wait_for_answer(self, query_id: str, timeout: float = 10.0) -> CallbackQuery:  # noqa: ASYNC109
        """Wait until the bot answered the callback query ``query_id``."""
        query = self.emulator.callback_queries[query_id]
        return await self.emulator.wait_until(
            lambda: query if query.answered else None, timeout, f"answer to query {query_id}")

    async def review_typed(self, typed: list[str]) -> None:
        """A whole creator review answered by typing ``typed``, then "See my recommendation"."""
        await self.send("/review")
        await self.wait_for_text("Question 1 of")
        for text in typed:
            await self.send(text)
        await self.wait_for_text("Here's what you told me", timeout=30)
        await self.press("✅ See my recommendation")
