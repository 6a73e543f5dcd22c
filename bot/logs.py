"""Logging set-up: levels from settings, the bot token scrubbed from every record, and what people
wrote kept out of the log.

httpx logs each request URL, and a Bot API URL contains the token, so its INFO lines are silenced
and a filter replaces the token wherever it could still appear. python-telegram-bot logs a whole
batch of updates when it cannot parse one (people's messages, names and ids): that record keeps
only the count.
"""

from __future__ import annotations

import logging

from bot.settings import Settings

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


def configure_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "transitions"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # the token as used (stripped) is what could appear in a URL; scrub that form
    secret = settings.telegram_bot_token.get_secret_value().strip() \
        if settings.telegram_bot_token else ""
    scrubber = TokenScrubber(secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(UpdateContentFilter())
        handler.addFilter(scrubber)
