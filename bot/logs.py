"""Logging set-up: levels and format (text or JSON lines) from settings, the bot token scrubbed
from every record, and what people wrote kept out of the log at every level.

httpx logs each request URL, and a Bot API URL contains the token, so its INFO lines are silenced
and a filter replaces the token wherever it could still appear. python-telegram-bot logs a whole
batch of updates when it cannot parse one (people's messages, names and ids): that record keeps
only the count. At DEBUG it logs every call's parameters and every answer (messages, names):
``LibraryContentFilter`` keeps their shape (method names, ids, counts) and drops their content.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from bot.settings import Settings

if TYPE_CHECKING:  # python-telegram-bot is loaded only by the commands that use it
    from bot.store import Store

REDACTED = "<token>"


class TokenScrubber(logging.Filter):
    """Replace the secret in a record's message and arguments before any handler sees it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, REDACTED), None
        if record.exc_info and record.exc_info[1] is not None and self._in_chain(
                record.exc_info[1]):
            record.exc_info = None
            record.msg = f"{record.msg} ({REDACTED} in exception text, traceback dropped)"
        return True

    def _in_chain(self, error: BaseException) -> bool:
        """Whether the secret is in the text of ``error`` or of any exception behind it."""
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if self.secret in str(current) or self.secret in repr(current.args):
                return True
            current = current.__cause__ or current.__context__
        return False


UNPARSED_BATCH = "Error while parsing updates! Received data was %r"  # python-telegram-bot's


class UpdateContentFilter(logging.Filter):
    """python-telegram-bot's record of a batch it could not parse, without the batch."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == UNPARSED_BATCH and isinstance(record.args, tuple) and record.args:
            batch = record.args[0]
            count = len(batch) if isinstance(batch, list) else 1
            record.msg = "Error while parsing a batch of %d updates (their content is not logged)"
            record.args = (count,)
        return True


API_METHOD = re.compile(r"[a-z][A-Za-z]{1,40}")  # sendMessage, getUpdates: never a sentence


def shape(value: Any) -> Any:
    """What a library may log of ``value``: numbers, Bot API method names and ids as they are;
    text, objects and mappings as their kind and size only."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if API_METHOD.fullmatch(value) else f"<text of {len(value)} characters>"
    if isinstance(getattr(value, "update_id", None), int):  # an Update
        return f"<update {value.update_id}>"
    if isinstance(value, (list, tuple)) and all(isinstance(v, int) for v in value):
        return value  # update ids
    if isinstance(value, (dict, list, tuple, bytes)):
        return f"<{type(value).__name__} of {len(value)}>"
    return f"<{type(value).__name__}>"  # a Message, a User, ...: never their fields


class LibraryContentFilter(logging.Filter):
    """python-telegram-bot's records (its DEBUG lines dump updates and call parameters) with
    their arguments reduced to ``shape``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(shape(arg) for arg in args)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and the traceback, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def describe_store(store: Store) -> str:
    """Which store the bot uses, for its start-up line: never a password or a user name."""
    where = getattr(store, "where", None)  # PostgreSQL's host:port/database
    if where is not None:
        schema = getattr(store, "schema", None)
        return f"PostgreSQL at {where}" + (f", schema {schema}" if schema else "")
    return f"SQLite at {getattr(store, 'path', '?')}"


def configure_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
    for noisy in ("httpx", "httpcore", "transitions"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # the token as used (stripped) is what could appear in a URL; scrub that form
    secret = settings.telegram_bot_token.get_secret_value().strip() \
        if settings.telegram_bot_token else ""
    scrubber = TokenScrubber(secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(UpdateContentFilter())
        handler.addFilter(LibraryContentFilter())
        handler.addFilter(scrubber)
