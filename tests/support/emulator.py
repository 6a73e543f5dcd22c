"""In-process Telegram Bot API emulator for end-to-end tests.

A real bot (python-telegram-bot, possibly in a subprocess) points ``base_url`` at
``BotApiEmulator.base_url`` and talks HTTP to it exactly as it would to api.telegram.org.
Tests inject user updates (see ``users.TelegramUser``) and inspect what the bot did: every
API call, each chat's transcript as the user sees it now, uploaded documents.

Deliberate deviation: with ``strict_html=True`` (default) a bare ``&`` or ``>`` in HTML text
is rejected, although Telegram tolerates both; this catches a missing ``html.escape`` before a
user-supplied ``<`` breaks production.  Markdown parse modes are accepted but not validated.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import itertools
import json
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

JSON = dict[str, Any]
T = TypeVar("T")
DEFAULT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
MAX_TEXT, MAX_CAPTION, MAX_CALLBACK_DATA, MAX_ALERT = 4096, 1024, 64, 200
MAX_DOWNLOAD = 20 * 1024 * 1024  # the largest file getFile lets a bot download
# Telegram sends these update types only when explicitly listed in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
     "upload_document", "choose_sticker", "find_location", "record_video_note",
     "upload_video_note"})
BUTTON_ACTIONS = ("callback_data", "url", "web_app", "login_url", "switch_inline_query",
                  "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                  "copy_text", "callback_game", "pay")
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
SUPERSEDED = ("Conflict: terminated by other getUpdates request; make sure that only one bot "
              "instance is running")
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """An error answer of the Bot API (HTTP status + Telegram's description)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _bad(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class EntityParseError(ValueError):
    """HTML that Telegram would refuse with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parsing

_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:([a-zA-Z]+)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7}));?")
_TAG_NAME_RE = re.compile(r"[^\s>]*")  # tdlib reads a tag name up to whitespace or ">"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s>"']+)"""
_ATTRS_RE = re.compile(rf"((?:\s+[^\s=>]+(?:\s*=\s*{_VALUE})?)*)\s*>")
_ATTR_RE = re.compile(rf"([^\s=>]+)(?:\s*=\s*({_VALUE}))?")
_END_RE = re.compile(r"\s*>")


def _decode_entity(match: re.Match[str]) -> str | None:
    """Decode one HTML entity the way tdlib does: 4 names plus numeric references."""
    name, dec, hexa = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(dec) if dec is not None else int(hexa, 16)
    return None if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)


def _unescape(text: str) -> str:
    return _ENTITY_RE.sub(lambda m: _decode_entity(m) or m.group(0), text)


def parse_html(source: str, *, strict: bool = True) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (visible text, entities) or raise ``EntityParseError``.

    Follows tdlib's ``parse_html`` and its error texts; offsets are UTF-16 code units.
    """
    out: list[str] = []
    pos, i, n = 0, 0, len(source)  # pos: visible length so far, in UTF-16 units
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []

    def at(k: int) -> str:
        return f"at byte offset {len(source[:k].encode())}"

    while i < n:
        c = source[i]
        if c not in "<&>":
            j = i + 1
            while j < n and source[j] not in "<&>":
                j += 1
            chunk, i = source[i:j], j
        elif c == "&" and (m := _ENTITY_RE.match(source, i)) and (char := _decode_entity(m)):
            chunk, i = char, m.end()
        elif c != "<":
            if strict:
                escaped = "&amp;" if c == "&" else "&gt;"
                raise EntityParseError(f'Character "{c}" must be escaped as "{escaped}" {at(i)}')
            chunk, i = c, i + 1
        else:
            i = _parse_tag(source, i, pos, stack, entities, at)
            continue
        out.append(chunk)
        pos += utf16_len(chunk)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_tag(
    src: str, begin: int, pos: int, stack: list[tuple[str, int, dict[str, str]]],
    entities: list[JSON], at: Callable[[int], str],
) -> int:
    """Handle the tag starting at ``src[begin] == "<"``; returns the index after it."""
    closing = src.startswith("</", begin)
    name_match = _TAG_NAME_RE.match(src, begin + 1 + closing)
    assert name_match is not None  # the pattern also matches the empty string
    name = name_match.group(0).lower()
    if closing:
        if not stack:
            raise EntityParseError(f"Unexpected end tag {at(begin)}")
        end = _END_RE.match(src, name_match.end())
        if end is None:
            raise EntityParseError(f"Unclosed end tag {at(begin)}")
        tag, start, attrs = stack.pop()
        if name and name != tag:
            raise EntityParseError(
                f'Unmatched end tag {at(begin)}, expected "</{tag}>", found "</{name}>"')
        _close_tag(tag, attrs, start, pos - start, stack, entities)
        return end.end()
    if name not in _TAG_ENTITY:
        raise EntityParseError(f'Unsupported start tag "{name}" {at(begin)}')
    body = _ATTRS_RE.match(src, name_match.end())
    if body is None:
        raise EntityParseError(f"Unclosed start tag {at(begin)}")
    attrs: dict[str, str] = {}
    for attr in _ATTR_RE.finditer(body.group(1)):
        key, raw = attr.group(1).lower(), attr.group(2)
        if raw is None and not (name == "blockquote" and key == "expandable"):
            raise EntityParseError(f'Expected equal sign in declaration of an attribute of the '
                                   f'tag "{name}" {at(begin)}')
        quoted = raw is not None and raw[:1] in "\"'"
        attrs[key] = "" if raw is None else _unescape(raw[1:-1]) if quoted else raw.lower()
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" {at(begin)}')
    if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise EntityParseError("Invalid custom emoji identifier specified")
    stack.append((name, pos, attrs))
    return body.end()


def _close_tag(
    tag: str, attrs: dict[str, str], offset: int, length: int,
    stack: list[tuple[str, int, dict[str, str]]], entities: list[JSON],
) -> None:
    """Turn a closed tag into a MessageEntity (empty ranges produce none, as in tdlib)."""
    language = attrs.get("class", "").removeprefix("language-") if tag == "code" else ""
    if language and stack and stack[-1][0] == "pre":
        stack[-1][2]["language"] = language  # <pre><code class="language-x"> is one pre entity
        return
    if length <= 0:
        return
    entity: JSON = {"type": _TAG_ENTITY[tag], "offset": offset, "length": length}
    if tag == "a":
        entity.update({"url": attrs["href"]} if attrs.get("href") else {"type": "url"})
    elif tag == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    entities.append(entity)


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Strip surrounding whitespace as Telegram does, clipping entities to the rest."""
    stripped = text.strip()
    shift, total = utf16_len(text[: len(text) - len(text.lstrip())]), utf16_len(stripped)
    kept = []
    for e in entities:
        start, end = max(0, e["offset"] - shift), min(total, e["offset"] - shift + e["length"])
        if end > start:
            kept.append({**e, "offset": start, "length": end - start})
    return stripped, kept


# --------------------------------------------------------------------------- data model


def _compact(**fields: Any) -> JSON:
    return {k: v for k, v in fields.items() if v not in (None, "", [], {}, False)}


@dataclass
class User:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> JSON:
        return {"id": self.id, "is_bot": self.is_bot, **_compact(
            first_name=self.first_name, last_name=self.last_name, username=self.username,
            language_code=self.language_code)}


@dataclass
class Chat:
    """A chat the emulator knows; ``bot_status`` is member | kicked | left | blocked."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    is_forum: bool = False
    bot_status: str = "member"
    next_message_id: int = 1
    admins: set[int] = field(default_factory=set)
    gone: set[int] = field(default_factory=set)  # members who left

    def to_api(self) -> JSON:
        return {"id": self.id, "type": self.type, **_compact(
            title=self.title, first_name=self.first_name, username=self.username,
            is_forum=self.is_forum)}


@dataclass
class StoredFile:
    """An uploaded or injected file, kept with its bytes."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes
    chat_id: int | None = None
    message_id: int | None = None

    def to_api(self) -> JSON:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_name": self.file_name, "mime_type": self.mime_type,
                "file_size": len(self.data)}


@dataclass
class StoredMessage:
    """A message in its current state; ``text``/``caption`` are visible text (tags parsed)."""

    chat: Chat
    message_id: int
    sender: User
    date: int
    revision: int  # emulator-wide counter, bumped on send and on every edit
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    source_text: str | None = None  # text or caption exactly as the bot sent it
    parse_mode: str | None = None
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    message_thread_id: int | None = None
    reply_to: StoredMessage | None = None
    document: JSON | None = None
    extra: JSON = field(default_factory=dict)  # photo, sticker, left_chat_member, ...
    edit_count: int = 0
    edit_date: int | None = None

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def visible(self) -> str:
        """What the user reads: text, else caption, else empty."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def keyboard(self) -> list[list[JSON]]:
        """Inline keyboard rows currently shown (reply keyboards are not bound to a message)."""
        return list((self.reply_markup or {}).get("inline_keyboard") or [])

    @property
    def button_labels(self) -> list[str]:
        return [b["text"] for row in self.keyboard for b in row]

    def button(self, label: str) -> JSON | None:
        return next((b for row in self.keyboard for b in row if b.get("text") == label), None)

    def snapshot(self) -> StoredMessage:
        """A copy that later edits will not change."""
        return dataclasses.replace(
            self, entities=list(self.entities), reply_markup=copy.deepcopy(self.reply_markup),
            extra=copy.deepcopy(self.extra), caption_entities=list(self.caption_entities))

    def to_api(self, *, nested: bool = True) -> JSON:
        reply = self.reply_to.to_api(nested=False) if nested and self.reply_to else None
        return {
            "message_id": self.message_id, "from": self.sender.to_api(),
            "chat": self.chat.to_api(), "date": self.date,
            **_compact(message_thread_id=self.message_thread_id,
                       is_topic_message=self.chat.is_forum and self.message_thread_id is not None,
                       reply_to_message=reply, edit_date=self.edit_date),
            **({"text": self.text} if self.text is not None else {}),
            **_compact(entities=self.entities, document=self.document, caption=self.caption,
                       caption_entities=self.caption_entities),
            **({"reply_markup": {"inline_keyboard": self.keyboard}} if self.keyboard else {}),
            **self.extra,
        }


@dataclass
class CallbackQuery:
    """A button press and, once the bot answered, what answerCallbackQuery said."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


@dataclass
class ApiCall:
    """One HTTP call of the bot (uploads appear in params as StoredFile); ok is None while
    the call is still running."""

    method: str
    params: JSON
    time: float
    ok: bool | None = None
    result: Any = None
    error: str | None = None
    disconnected: bool = False  # the client was gone when the answer was ready


# --------------------------------------------------------------------------- param helpers


def _json_param(params: JSON, key: str, error: str | None = None) -> Any:
    """Form bodies carry structured values as JSON strings; JSON bodies carry them as is."""
    value = params.get(key)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(error or f"can't parse {key} JSON object") from None
    return value


def _int_param(params: JSON, key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"invalid {key} specified") from None


def _bool_param(params: JSON, key: str) -> bool:
    return params.get(key) in (True, "true", "True", "1", 1)


def _command_entities(text: str | None) -> list[JSON]:
    """A leading ``/command`` (with optional ``@botname``) becomes a bot_command entity."""
    if not text or not text.startswith("/"):
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]


def _inline(markup: JSON | None) -> Any:
    return (markup or {}).get("inline_keyboard") or None


def _forward_origin(name: str) -> JSON:
    """What Telegram adds to a forwarded message whose sender hides their account."""
    return {"forward_origin": {"type": "hidden_user", "sender_user_name": name,
                               "date": int(time.time()) - 3600}}


def _error_response(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code)


# --------------------------------------------------------------------------- the server


def _update_chat(update: JSON) -> int | None:
    """The chat an update belongs to (None for updates without one)."""
    for kind in ("message", "edited_message", "my_chat_member", "chat_member"):
        if kind in update:
            return int(update[kind]["chat"]["id"])
    query = update.get("callback_query")
    if query and query.get("message"):
        return int(query["message"]["chat"]["id"])
    return None


class BotApiEmulator:
    """Telegram Bot API over HTTP on 127.0.0.1, with bookkeeping and update injection."""

    METHODS = ("getMe", "getUpdates", "sendMessage", "editMessageText", "editMessageReplyMarkup",
               "deleteMessage", "answerCallbackQuery", "sendDocument", "sendChatAction",
               "setMyCommands", "getMyCommands", "deleteMyCommands", "setWebhook", "getChatMember",
               "deleteWebhook", "getWebhookInfo", "close", "logOut", "setMyDescription",
               "getMyDescription", "setMyShortDescription", "getMyShortDescription", "getFile")

    def __init__(
        self, token: str = DEFAULT_TOKEN, *, username: str = "halo_test_bot",
        first_name: str = "Halo Coach", delay: float = 0.0, strict_html: bool = True,
    ) -> None:
        self.token = token
        self.bot = User(int(token.split(":")[0]), first_name, username, None, None, is_bot=True)
        self.delay = delay
        self.strict_html = strict_html
        self.port = 0
        self.calls: list[ApiCall] = []
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, User] = {}
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.deleted: list[StoredMessage] = []
        self.files: dict[str, StoredFile] = {}
        self.file_paths: dict[str, StoredFile] = {}  # getFile's file_path -> the file
        self.downloads: list[str] = []  # file paths the bot downloaded, in order
        self.documents: list[StoredFile] = []  # documents the bot sent, in order
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}  # (field, language) -> text
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_target = ""  # where webhook updates really go (the TLS proxy's backend)
        self.webhook_attempts: list[tuple[int, int]] = []  # (update_id, HTTP status or 0)
        # Webhook delivery without rescans: each chat's pending updates in order, the chats
        # whose first update can be posted now, and the chats with a post in flight.
        self._queues: dict[int | None, deque[JSON]] = {}
        self._ready: deque[int | None] = deque()
        self._busy: set[int | None] = set()
        self._wake = asyncio.Event()
        self._posting: set[asyncio.Task[None]] = set()
        self.webhook_max_connections = 40
        self._webhook_task: asyncio.Task[None] | None = None
        self.updates: list[JSON] = []  # pending, i.e. not yet confirmed by an offset
        self.outages: dict[str, int] = {}  # method -> calls still answered 502 (see outage())
        self.holds: dict[str, asyncio.Event] = {}  # method -> released (see hold)
        self.update_log: list[JSON] = []  # every update ever injected
        self.revision = 0
        self.polls_waiting = 0
        self.allowed_updates: frozenset[str] = frozenset()  # empty: Telegram's default set
        self._ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._active_poll = 0
        self._closing = False
        self._cond = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, Callable[[JSON], Awaitable[Any]]]] = {
            name.lower(): (name, getattr(self, f"_api_{name}")) for name in self.METHODS}

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)``: getFile gives a ``file_path`` to download under it."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> BotApiEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    def deliver_webhooks_to(self, target: str) -> None:
        """Post updates to ``target`` while a webhook is set, as Telegram posts to the public
        HTTPS URL that a proxy forwards; unanswered or failed deliveries are retried."""
        self.webhook_target = target
        if self._webhook_task is None:
            self._webhook_task = asyncio.create_task(self._webhook_loop())
        self._requeue()

    @property
    def _delivering(self) -> bool:
        return bool(self.webhook_url and self.webhook_target)

    def _requeue(self) -> None:
        """Queue the pending updates for posting afresh (the webhook was set or changed):
        Telegram drops those the bot no longer wants."""
        self._queues.clear()
        self._ready.clear()
        if not self._delivering:
            return
        self.updates = [u for u in self.updates if self._wanted(u)]
        for update in self.updates:
            self._queue(update)

    def _queue(self, update: JSON) -> None:
        """One chat's updates are posted one at a time, in order: a chat becomes ready when its
        first update arrives and nothing of it is in flight."""
        chat = _update_chat(update)
        queue = self._queues.setdefault(chat, deque())
        queue.append(update)
        if len(queue) == 1 and chat not in self._busy:
            self._ready.append(chat)
            self._wake.set()

    async def _webhook_loop(self) -> None:
        import aiohttp  # only webhook tests need a client

        async with aiohttp.ClientSession() as session:
            while not self._closing:
                while self._ready and len(self._busy) < self.webhook_max_connections:
                    chat = self._ready.popleft()
                    queue = self._queues.get(chat)
                    if not queue:
                        continue
                    self._busy.add(chat)
                    task = asyncio.create_task(self._post_update(session, queue[0]))
                    self._posting.add(task)
                    task.add_done_callback(self._posting.discard)
                self._wake.clear()
                await self._wake.wait()

    async def _post_update(self, session: Any, update: JSON) -> None:
        status = 0
        try:
            async with session.post(self.webhook_target, json=update, headers={
                    "X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}) as response:
                status = response.status
        except Exception:
            status = 0
        self.webhook_attempts.append((update["update_id"], status))
        chat = _update_chat(update)
        queue = self._queues.get(chat)
        if status == 200:
            if any(pending is update for pending in self.updates):
                self.updates.remove(update)
            if queue and queue[0] is update:
                queue.popleft()
        else:
            await asyncio.sleep(0.05)  # Telegram's retry back-off, emulated (not a test wait)
        self._busy.discard(chat)
        if queue:
            self._ready.append(chat)
        elif queue is not None:
            del self._queues[chat]
        self._wake.set()
        await self._notify()

    async def stop(self) -> None:
        self._closing = True  # wakes pending long polls so shutdown does not wait for them
        self._wake.set()
        await self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- waiting

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    def expire_queries(self) -> None:
        """Every press not answered yet becomes too old to answer, as Telegram's do after a
        few seconds (the bot was down when they came)."""
        for query in self.callback_queries.values():
            query.answered = True  # answerCallbackQuery now fails with QUERY_TOO_OLD

    def hold(self, method: str) -> asyncio.Event:
        """Calls of ``method`` are taken (recorded) but not acted on until the event returned is
        set: Telegram slow to answer. A held call whose bot is gone by then is dropped, as a
        request that never got through (recorded as failed)."""
        self.holds[method] = released = asyncio.Event()
        return released

    def outage(self, method: str, calls: int) -> None:
        """Answer the next ``calls`` calls of ``method`` with 502 Bad Gateway."""
        self.outages[method] = calls

    async def wait_until(
        self, predicate: Callable[[], T], timeout: float = 10.0, what: str = "condition",  # noqa: ASYNC109
    ) -> T:
        """Wait (on the state-change condition, no sleeps) until ``predicate()`` is truthy."""
        result: T = predicate()

        def check() -> bool:
            nonlocal result
            result = predicate()
            return bool(result)

        if not result:
            try:
                async with asyncio.timeout(timeout), self._cond:
                    await self._cond.wait_for(check)
            except TimeoutError:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None
        return result

    def calls_to(self, method: str, *, finished: bool = True) -> list[ApiCall]:
        """Calls of ``method`` (any case), by default only the answered ones."""
        return [c for c in self.calls if c.method.lower() == method.lower()
                and (c.ok is not None or not finished)]

    def failed_calls(self) -> list[ApiCall]:
        """Error answers, minus the 409 to a poll the bot itself abandoned (PTB shutdown or
        restart: its cleanup getUpdates supersedes it, possibly before we see the hang-up)."""
        return [c for c in self.calls if c.ok is False and not c.disconnected
                and not (c.error or "").startswith(SUPERSEDED)]

    async def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 10.0, *, finished: bool = True,  # noqa: ASYNC109
    ) -> list[ApiCall]:
        """Wait until at least ``count`` calls of ``method`` were made (answered by default)."""
        def enough() -> list[ApiCall] | None:
            calls = self.calls_to(method, finished=finished)
            return calls if len(calls) >= count else None

        return await self.wait_until(enough, timeout, f"{count} x {method}")

    async def wait_for_polling(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot sits in a long-polling getUpdates (i.e. is ready)."""
        await self.wait_until(lambda: self.polls_waiting > 0, timeout, "a long poll")

    # ----------------------------------------------------------------- inspection

    def get_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return self.messages.get((chat_id, message_id))

    def transcript(self, chat_id: int, thread_id: int | None = None) -> list[StoredMessage]:
        """Live messages of a chat (optionally one forum topic), oldest first."""
        return sorted((m for (cid, _), m in self.messages.items() if cid == chat_id
                       and (thread_id is None or m.message_thread_id == thread_id)),
                      key=lambda m: m.message_id)

    def bot_messages(self, chat_id: int, thread_id: int | None = None) -> list[StoredMessage]:
        return [m for m in self.transcript(chat_id, thread_id) if m.from_bot]

    # ----------------------------------------------------------------- injection

    def register_user(self, user: User) -> User:
        self.users[user.id] = user
        return user

    def create_group(
        self, title: str = "Test group", *, chat_id: int | None = None,
        supergroup: bool = True, is_forum: bool = False, username: str | None = None,
        admins: tuple[int, ...] = (),
    ) -> Chat:
        """Declare a group the bot is a member of (forum topics need ``is_forum``)."""
        if chat_id is None:
            chat_id = -(1001000000000 if supergroup else 4000000) - len(self.chats) - 1
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title=title,
                    username=username, is_forum=is_forum, admins=set(admins))
        self.chats[chat_id] = chat
        return chat

    def chat_for(self, user: User, chat_id: int | None = None) -> Chat:
        """The private chat with ``user`` or the given group, created on first use."""
        if chat_id is None or chat_id == user.id:
            return self.chats.setdefault(user.id, Chat(
                user.id, "private", first_name=user.first_name, username=user.username))
        if chat_id not in self.chats:
            self.create_group(f"Group {chat_id}", chat_id=chat_id,
                              supergroup=chat_id <= -1000000000000)
        return self.chats[chat_id]

    def _bump(self) -> int:
        self.revision += 1
        return self.revision

    def _store(self, chat: Chat, sender: User, **fields: Any) -> StoredMessage:
        msg = StoredMessage(chat, chat.next_message_id, sender, int(time.time()), self._bump(),
                            **fields)
        chat.next_message_id += 1
        self.messages[(chat.id, msg.message_id)] = msg
        return msg

    def _new_file(self, data: bytes, name: str, mime: str | None = None) -> StoredFile:
        n = next(self._file_ids)
        mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
        stored = StoredFile(f"BQACAgI{n:06d}{secrets.token_hex(8)}", f"AgAD{n:06d}", name,
                            mime, data)
        self.files[stored.file_id] = stored
        return stored

    async def _push(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": next(self._ids), kind: payload}
        self.updates.append(update)
        self.update_log.append(update)
        if self._delivering:
            if self._wanted(update):
                self._queue(update)
            else:  # Telegram drops what the webhook did not ask for
                self.updates.remove(update)
        await self._notify()
        return update

    async def _deliver(self, msg: StoredMessage, kind: str = "message") -> StoredMessage:
        if msg.chat.bot_status in ("member", "blocked"):
            await self._push(kind, msg.to_api())
        else:  # Telegram delivers nothing from chats the bot is no longer in
            await self._notify()
        return msg

    async def user_message(
        self, user: User, chat_id: int | None = None, text: str | None = None, *,
        reply_to: int | None = None, thread_id: int | None = None, extra: JSON | None = None,
    ) -> StoredMessage:
        """A user writes ``text`` (``/cmd`` gets a bot_command entity) or sends ``extra``."""
        chat = self.chat_for(user, chat_id)
        if chat.bot_status == "blocked":
            chat.bot_status = "member"  # writing to a bot you blocked unblocks it
        msg = self._store(chat, user, text=text, entities=_command_entities(text),
                          message_thread_id=thread_id, extra=extra or {},
                          reply_to=self.get_message(chat.id, reply_to) if reply_to else None)
        return await self._deliver(msg)

    async def user_media(
        self, user: User, chat_id: int | None = None, kind: str = "sticker", *,
        thread_id: int | None = None, caption: str | None = None,
    ) -> StoredMessage:
        """A user sends a photo or a sticker (a message without text)."""
        f = self._new_file(b"\xff\xd8fake-image", f"{kind}.jpg", "image/jpeg")
        ids = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": len(f.data)}
        extra: JSON = {
            "photo": {"photo": [{**ids, "width": 90, "height": 90},
                                {**ids, "width": 800, "height": 800}]},
            "sticker": {"sticker": {**ids, "type": "regular", "width": 512, "height": 512,
                                    "is_animated": False, "is_video": False, "emoji": "👍"}},
        }[kind]
        msg = self._store(self.chat_for(user, chat_id), user, caption=caption,
                          message_thread_id=thread_id, extra=extra)
        return await self._deliver(msg)

    async def user_document(
        self, user: User, data: bytes, file_name: str, chat_id: int | None = None, *,
        mime_type: str | None = None, caption: str | None = None,
        forwarded_from: str | None = None, reply_to: int | None = None,
    ) -> StoredMessage:
        """A user sends a file (a PDF, a DOCX...) as a document, optionally forwarded from
        someone (``forwarded_from``: the name Telegram shows for a hidden sender)."""
        f = self._new_file(data, file_name, mime_type)
        extra: JSON = {"document": {**f.to_api()}}
        if forwarded_from is not None:
            extra.update(_forward_origin(forwarded_from))
        chat = self.chat_for(user, chat_id)
        msg = self._store(chat, user, caption=caption, extra=extra,
                          reply_to=self.get_message(chat.id, reply_to) if reply_to else None)
        f.chat_id, f.message_id = chat.id, msg.message_id
        return await self._deliver(msg)

    async def user_forward(self, user: User, text: str, forwarded_from: str,
                           chat_id: int | None = None) -> StoredMessage:
        """A user forwards someone's message (a brand's DM) into the chat."""
        return await self.user_message(user, chat_id, text, extra=_forward_origin(forwarded_from))

    async def user_edit(self, user: User, chat_id: int, message_id: int, text: str
                        ) -> StoredMessage:
        """A user edits one of their own messages (``edited_message`` update)."""
        msg = self.get_message(chat_id, message_id)
        if msg is None or msg.sender.id != user.id:
            raise LookupError(f"user {user.id} has no message {message_id} in chat {chat_id}")
        msg.text, msg.entities = text, _command_entities(text)
        self._edited(msg)
        return await self._deliver(msg, "edited_message")

    async def callback_query(self, user: User, message: StoredMessage, data: str) -> str:
        """A user presses a button carrying ``data`` on ``message`` (no keyboard check here).

        Like ``_deliver``: from a chat the bot is no longer in, no update reaches the bot (the
        query is still recorded, and stays unanswered).
        """
        query = CallbackQuery(str(secrets.randbits(62)), user.id, message.chat_id,
                              message.message_id, data)
        self.callback_queries[query.id] = query
        if message.chat.bot_status in ("member", "blocked"):
            await self._push("callback_query", {
                "id": query.id, "from": user.to_api(), "message": message.to_api(),
                "chat_instance": str(abs(message.chat_id) * 7919), "data": data})
        else:
            await self._notify()
        return query.id

    def _member_update(self, chat: Chat, by: User, who: User, old: str, new: str) -> JSON:
        new_member = {"user": who.to_api(), "status": new, **({"until_date": 0}
                                                              if new == "kicked" else {})}
        return {"chat": chat.to_api(), "from": by.to_api(), "date": int(time.time()),
                "old_chat_member": {"user": who.to_api(), "status": old},
                "new_chat_member": new_member}

    async def remove_bot(self, chat_id: int, by: User, *, kicked: bool = True) -> JSON:
        """The bot is kicked from (or leaves) a group: ``my_chat_member`` update."""
        chat = self.chats[chat_id]
        chat.bot_status = "kicked" if kicked else "left"
        return await self._push("my_chat_member", self._member_update(
            chat, by, self.bot, "member", chat.bot_status))

    async def block_bot(self, user: User) -> JSON:
        """The user blocks the bot in private: ``my_chat_member`` with status kicked."""
        chat = self.chat_for(user)
        chat.bot_status = "blocked"
        return await self._push("my_chat_member", self._member_update(
            chat, user, self.bot, "member", "kicked"))

    async def user_reaction(self, user: User, chat_id: int, message_id: int, emoji: str
                            ) -> JSON:
        """A user reacts to a message: ``message_reaction``, sent only to a bot that opted in."""
        return await self._push("message_reaction", {
            "chat": self.chats[chat_id].to_api(), "message_id": message_id,
            "user": user.to_api(), "date": int(time.time()), "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": emoji}]})

    async def member_left(self, chat_id: int, user: User) -> StoredMessage:
        """A user leaves a group: service message, plus ``chat_member`` if the bot opted in."""
        chat = self.chats[chat_id]
        chat.gone.add(user.id)
        msg = await self._deliver(self._store(chat, user,
                                              extra={"left_chat_member": user.to_api()}))
        await self._push("chat_member", self._member_update(chat, user, user, "member", "left"))
        return msg

    # ----------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error_response(401, "Unauthorized")
        entry = self._methods.get(request.match_info["method"].lower())
        if entry is None:
            return _error_response(404, "Not Found")
        name, handler = entry
        if self.outages.get(name, 0) > 0:  # Telegram's front end failing, as it sometimes does
            self.outages[name] -= 1
            self.calls.append(ApiCall(name, {}, time.monotonic(), ok=False, error="Bad Gateway"))
            await self._notify()
            return _error_response(502, "Bad Gateway")
        try:
            params = await self._read_params(request)
        except ValueError:
            return _error_response(400, "Bad Request: can't parse request parameters")
        call = ApiCall(name, params, time.monotonic())
        self.calls.append(call)
        await self._notify()
        if self.delay:
            await asyncio.sleep(self.delay)
        held = self.holds.get(name)
        if held is not None:
            await held.wait()
            if request.transport is None or request.transport.is_closing():
                call.ok, call.error = False, "the bot went away"
                await self._notify()
                return _error_response(502, "Bad Gateway")
        try:
            call.result = await handler(params)
            call.ok = True
            response = web.json_response({"ok": True, "result": call.result})
        except ApiError as exc:
            call.ok, call.error = False, exc.description
            response = _error_response(exc.code, exc.description)
        call.disconnected = request.transport is None or request.transport.is_closing()
        await self._notify()
        return response

    async def _read_params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if not request.can_read_body:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            return params | body
        for key, value in (await request.post()).items():
            params[key] = (self._new_file(value.file.read(), value.filename, value.content_type)
                           if isinstance(value, web.FileField) else value)
        return params

    # ----------------------------------------------------------------- validation

    def _chat(self, params: JSON) -> Chat:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            chat = next((c for c in self.chats.values()
                         if c.username and c.username.lower() == raw[1:].lower()), None)
        else:
            chat = self.chats.get(int(raw)) if re.fullmatch(r"-?\d+", str(raw)) else None
        if chat is None:
            raise _bad("chat not found")
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        forbidden = {"kicked": f"bot was kicked from the {kind}",
                     "left": f"bot is not a member of the {kind}",
                     "blocked": "bot was blocked by the user"}.get(chat.bot_status)
        if forbidden:
            raise ApiError(403, f"Forbidden: {forbidden}")
        return chat

    def _format(self, text: str, params: JSON, prefix: str = "") -> tuple[str, list[JSON]]:
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            try:
                return _trim(*parse_html(text, strict=self.strict_html))
            except EntityParseError as exc:
                raise _bad(f"can't parse entities: {exc}") from None
        if mode not in ("", "markdown", "markdownv2"):
            raise _bad("unsupported parse_mode")
        return _trim(text, list(_json_param(params, f"{prefix}entities") or []))

    def _text(self, params: JSON) -> tuple[str, list[JSON]]:
        text, entities = self._format(str(params.get("text") or ""), params)
        if not text:
            raise _bad("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise _bad("message is too long")
        return text, entities

    def _caption(self, params: JSON) -> tuple[str | None, list[JSON]]:
        caption, entities = self._format(str(params.get("caption") or ""), params, "caption_")
        if utf16_len(caption) > MAX_CAPTION:
            raise _bad("message caption is too long")
        return caption or None, entities

    def _markup(self, params: JSON) -> JSON | None:
        error = "can't parse reply keyboard markup JSON object"
        markup = _json_param(params, "reply_markup", error)
        if markup is None or (isinstance(markup, dict) and "inline_keyboard" not in markup):
            return markup  # reply keyboards / remove / force_reply are kept as sent
        if not isinstance(markup, dict):
            raise _bad(error)
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of '
                       "Arrays")
        for button in (b for row in rows for b in row):
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise _bad('can\'t parse inline keyboard button: Field "text" must be of type '
                           "String")
            if not button["text"].strip():
                raise _bad("BUTTON_TEXT_INVALID")
            if not any(button.get(k) not in (None, "") for k in BUTTON_ACTIONS):
                raise _bad("can't parse inline keyboard button: Text buttons are unallowed in "
                           "the inline keyboard")  # also what Telegram says for callback_data ""
            data = button.get("callback_data")
            if data is not None and len(str(data).encode()) > MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
        return markup

    def _reply_target(self, chat: Chat, params: JSON) -> StoredMessage | None:
        reply = _json_param(params, "reply_parameters") or {}
        message_id = reply.get("message_id") or _int_param(params, "reply_to_message_id")
        if message_id is None:
            return None
        target = self.get_message(chat.id, int(message_id))
        if target is None and not (reply.get("allow_sending_without_reply")
                                   or _bool_param(params, "allow_sending_without_reply")):
            raise _bad("message to be replied not found")
        return target

    def _own_message(self, params: JSON, action: str) -> StoredMessage:
        if params.get("inline_message_id"):
            raise _bad("inline messages are not supported by the emulator")
        chat = self._chat(params)
        message_id = _int_param(params, "message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        msg = self.get_message(chat.id, message_id)
        if msg is None:
            raise _bad(f"message to {action} not found")
        if not msg.from_bot and (action == "edit" or chat.type != "private"):
            raise _bad(f"message can't be {'edited' if action == 'edit' else 'deleted'}")
        return msg

    def _edited(self, msg: StoredMessage) -> JSON:
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        msg.revision = self._bump()
        return msg.to_api()

    def _bot_message(self, chat: Chat, params: JSON, **fields: Any) -> JSON:
        msg = self._store(chat, self.bot, parse_mode=params.get("parse_mode"),
                          reply_markup=self._markup(params),
                          message_thread_id=_int_param(params, "message_thread_id"),
                          reply_to=self._reply_target(chat, params), **fields)
        return msg.to_api()

    # ----------------------------------------------------------------- API methods

    async def _api_getChatMember(self, params: JSON) -> JSON:
        chat = self._chat(params)
        user_id = _int_param(params, "user_id")
        user = self.users.get(user_id or 0)
        if user is None:
            raise _bad("PARTICIPANT_ID_INVALID")
        if user.id in chat.gone:
            return {"status": "left", "user": user.to_api()}
        if user.id in chat.admins:
            return {"status": "creator", "user": user.to_api(), "is_anonymous": False}
        return {"status": "member", "user": user.to_api()}

    async def _api_getMe(self, params: JSON) -> JSON:
        return {**self.bot.to_api(), "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False,
                "can_connect_to_business": False, "has_main_web_app": False}

    def _wanted(self, update: JSON) -> bool:
        """Whether the bot's allowed_updates (or Telegram's default set) take ``update``."""
        kind = next(k for k in update if k != "update_id")
        return kind in self.allowed_updates if self.allowed_updates else (
            kind not in OPT_IN_UPDATES)

    def _deliverable(self, limit: int) -> list[JSON]:
        return [u for u in self.updates if self._wanted(u)][:limit]

    def _check_webhook(self) -> None:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")

    async def _api_getUpdates(self, params: JSON) -> list[JSON]:
        self._check_webhook()
        offset = _int_param(params, "offset") or 0
        limit = min(max(_int_param(params, "limit") or 100, 1), 100)
        timeout = float(params.get("timeout") or 0)
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:  # sticky across calls, as in Telegram
            self.allowed_updates = frozenset(allowed)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        self._active_poll = me = self._active_poll + 1

        def ready() -> bool:  # on every change: stops at the first update the bot wants
            return (self._closing or self._active_poll != me or bool(self.webhook_url)
                    or any(self._wanted(u) for u in self.updates))

        if timeout > 0 and not ready():
            self.polls_waiting += 1
            await self._notify()
            try:
                async with asyncio.timeout(timeout), self._cond:
                    await self._cond.wait_for(ready)
            except TimeoutError:
                pass
            finally:
                self.polls_waiting -= 1
        if self._active_poll != me:
            raise ApiError(409, SUPERSEDED)
        self._check_webhook()
        return self._deliverable(limit)

    async def _api_sendMessage(self, params: JSON) -> JSON:
        chat = self._chat(params)
        text, entities = self._text(params)
        return self._bot_message(chat, params, text=text, entities=entities,
                                 source_text=str(params["text"]))

    async def _api_editMessageText(self, params: JSON) -> JSON:
        msg = self._own_message(params, "edit")
        if msg.text is None:
            raise _bad("there is no text in the message to edit")
        text, entities = self._text(params)
        markup = self._markup(params)  # omitted markup removes the keyboard, as in Telegram
        if (text, entities, _inline(markup)) == (msg.text, msg.entities, _inline(msg.reply_markup)):
            raise _bad(NOT_MODIFIED)
        msg.text, msg.entities, msg.reply_markup = text, entities, markup
        msg.source_text, msg.parse_mode = str(params["text"]), params.get("parse_mode")
        return self._edited(msg)

    async def _api_editMessageReplyMarkup(self, params: JSON) -> JSON:
        msg = self._own_message(params, "edit")
        markup = self._markup(params)
        if _inline(markup) == _inline(msg.reply_markup):
            raise _bad(NOT_MODIFIED)
        msg.reply_markup = markup
        return self._edited(msg)

    async def _api_deleteMessage(self, params: JSON) -> bool:
        msg = self._own_message(params, "delete")
        del self.messages[(msg.chat_id, msg.message_id)]
        self.deleted.append(msg)
        return True

    async def _api_answerCallbackQuery(self, params: JSON) -> bool:
        query = self.callback_queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query.answered:
            raise _bad(QUERY_TOO_OLD)
        text = str(params.get("text") or "") or None
        if text and utf16_len(text) > MAX_ALERT:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered, query.text, query.url = True, text, params.get("url")
        query.show_alert = _bool_param(params, "show_alert")
        return True

    async def _api_sendDocument(self, params: JSON) -> JSON:
        chat = self._chat(params)
        ref = params.get("document")
        if isinstance(ref, str) and ref.startswith("attach://"):
            ref = params.get(ref.removeprefix("attach://"))
        if not ref:
            raise _bad("there is no document in the request")
        document = ref if isinstance(ref, StoredFile) else self.files.get(str(ref))
        if document is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        if not document.data:
            raise _bad("file must be non-empty")
        caption, caption_entities = self._caption(params)
        result = self._bot_message(chat, params, document=document.to_api(), caption=caption,
                                   caption_entities=caption_entities,
                                   source_text=params.get("caption"))
        document.chat_id, document.message_id = chat.id, result["message_id"]
        self.documents.append(document)
        return result

    async def _api_getFile(self, params: JSON) -> JSON:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        suffix = stored.file_name.rpartition(".")[2] if "." in stored.file_name else "bin"
        path = f"documents/file_{stored.file_unique_id}.{suffix}"
        self.file_paths[path] = stored
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": path}

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error_response(401, "Unauthorized")
        stored = self.file_paths.get(request.match_info["path"])
        if stored is None:
            return _error_response(404, "Not Found")
        self.downloads.append(request.match_info["path"])
        return web.Response(body=stored.data, content_type=stored.mime_type)

    async def _api_sendChatAction(self, params: JSON) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        scope = _json_param(params, "scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _api_setMyCommands(self, params: JSON) -> bool:
        commands = _json_param(params, "commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _api_getMyCommands(self, params: JSON) -> list[JSON]:
        return list(self.commands.get(self._commands_key(params), []))

    async def _api_deleteMyCommands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _description(self, params: JSON, field: str, limit: int, error: str) -> bool:
        text = str(params.get(field) or "")
        if len(text) > limit:
            raise _bad(error)
        self.descriptions[(field, str(params.get("language_code") or ""))] = text
        return True

    async def _api_setMyDescription(self, params: JSON) -> bool:
        return self._description(params, "description", 512, "BOT_DESCRIPTION_INVALID")

    async def _api_setMyShortDescription(self, params: JSON) -> bool:
        return self._description(params, "short_description", 120,
                                 "BOT_SHORT_DESCRIPTION_INVALID")

    async def _api_getMyDescription(self, params: JSON) -> JSON:
        key = ("description", str(params.get("language_code") or ""))
        return {"description": self.descriptions.get(key, "")}

    async def _api_getMyShortDescription(self, params: JSON) -> JSON:
        key = ("short_description", str(params.get("language_code") or ""))
        return {"short_description": self.descriptions.get(key, "")}

    async def _api_setWebhook(self, params: JSON) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if _bool_param(params, "drop_pending_updates"):
            self.updates.clear()
        self.webhook_url = url  # delivered to webhook_target when a test sets one
        self.webhook_secret = str(params.get("secret_token") or "")
        self.webhook_max_connections = int(params.get("max_connections") or 40)
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:  # sticky, as in Telegram
            self.allowed_updates = frozenset(allowed)
        self._requeue()
        await self._notify()  # a pending long poll must now fail with 409
        return True

    async def _api_deleteWebhook(self, params: JSON) -> bool:
        return await self._api_setWebhook({**params, "url": ""})

    async def _api_getWebhookInfo(self, params: JSON) -> JSON:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    async def _api_close(self, params: JSON) -> bool:
        return True

    _api_logOut = _api_close
