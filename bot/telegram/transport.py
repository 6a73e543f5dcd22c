"""A python-telegram-bot request class on aiohttp, a drop-in for ``HTTPXRequest``.

python-telegram-bot's default ``HTTPXRequest`` spends several times more CPU per Bot API call than
aiohttp's client on loopback (``bench/over_http.py --probe`` prints each client's cost). The bot's
own client (``bot/telegram/http11.py``, cheaper still) sends calls with files through this one;
``TELEGRAM_HTTP_CLIENT=aiohttp`` sends every call through it.

Same contract as ``HTTPXRequest`` but a JSON body (multipart when files are attached) holding
each parameter as its JSON value (a number, an object) rather than as JSON text inside a string,
as python-telegram-bot's ``json_payload`` does: the Bot API takes both, and this way the
parameters are encoded once, not twice. Bodies are written and answers read with orjson
(``json_bytes``, ``parse_json``): on a message's fields and Telegram's answer to them it costs a
fifth of the standard library's (about 30 µs an update of two calls, 3% of its CPU).

``TimedOut`` for timeouts (waiting for a pooled connection included), ``NetworkError`` for
connection failures, status and body returned as they are for ``BaseRequest`` to interpret.
Errors never chain aiohttp's exceptions: their text holds the URL, which holds the bot token, and
a log line must never show it. aiohttp is imported when this client starts, not with the module:
the bot's own client needs it only for a call with a file, and a polling bot without
``HEALTH_PORT`` then starts without it (about 150 ms of its start-up).
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    import aiohttp

JSON_HEADERS = {"Content-Type": "application/json"}
log = logging.getLogger("halo.telegram")


def json_bytes(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON. What orjson refuses to write (a lone surrogate in a
    text, an integer wider than 64 bits) is written by the standard library, as before."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(value).encode()


def parse_json(payload: bytes) -> Any:
    """Telegram's answer, parsed. What orjson refuses (bytes that are not UTF-8, a lone
    surrogate escape, bad JSON) is read as python-telegram-bot reads it: bad bytes replaced, and
    ``TelegramError`` for what is not JSON. Unlike python-telegram-bot, the answer's text is not
    logged (an answer to a send holds the message sent), only its length. (orjson reads an
    integer wider than 64 bits as a float; no field of the Bot API is that wide.)"""
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(payload.decode("utf-8", "replace"))
    except ValueError:
        log.error("the Bot API's answer is not JSON (%d bytes)", len(payload))
        raise TelegramError("Invalid server response") from None


class AiohttpRequest(BaseRequest):
    """``BaseRequest`` on one ``aiohttp.ClientSession`` with a bounded connection pool."""

    __slots__ = ("_connect_timeout", "_limit", "_pool_timeout", "_read_timeout", "_session",
                 "_ssl", "_write_timeout")

    def __init__(self, connection_pool_size: int = 1, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, ssl_context: ssl.SSLContext | None = None,
                 **_: Any) -> None:
        self._ssl = ssl_context  # the certificates to trust (by default the system's)
        self._limit = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    parse_json_payload = staticmethod(parse_json)

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        import aiohttp  # see the module's docstring

        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit, limit_per_host=self._limit,
                                               ssl=self._ssl if self._ssl is not None else True),
                headers={"User-Agent": self.USER_AGENT},
                # PTB's own timeouts are applied per request; the session adds none
                timeout=aiohttp.ClientTimeout(total=None),
            )

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        import aiohttp  # imported by initialize already

        read = given(read_timeout, self._read_timeout)
        connect = given(connect_timeout, self._connect_timeout)
        pool = given(pool_timeout, self._pool_timeout)
        # aiohttp has no write timeout of its own: sending is bounded by the read timeout.
        # Its "connect" is the whole wait for a connection, the pool's and a new connection's
        # setup together; "sock_connect" bounds the setup alone.
        timeout = _timeout(read, connect, pool)

        body: Any = None
        headers = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime) in request_data.multipart_data.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                body = form
            else:
                # one JSON body: cheaper than percent-encoding every parameter as a form
                body = json_bytes(request_data.parameters)
                headers = JSON_HEADERS
        # aiohttp's exceptions carry the URL, and the URL carries the bot token: neither their
        # text nor the exceptions themselves (as __cause__) may reach a log
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, asyncio.TimeoutError) as error:  # noqa: UP041 (py3.11: the same)
            raise TimedOut(f"Timed out ({type(error).__name__})") from None
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}") from None


def given(value: ODVInput[float], default: float | None) -> float | None:
    """A call's timeout: the one python-telegram-bot passed, or the client's own when it passed
    none (its ``DEFAULT_NONE``)."""
    return default if isinstance(value, DefaultValue) else value


@lru_cache(maxsize=64)
def _timeout(read: float | None, connect: float | None, pool: float | None
             ) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for PTB's: a few combinations, each built once."""
    import aiohttp  # imported by initialize already

    return aiohttp.ClientTimeout(
        total=None, connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect, sock_read=read)


class WrappedRequest(BaseRequest):
    """A Bot API client that adds something to another one (retries, counting): it starts,
    stops and times out as the client it wraps; a subclass overrides ``do_request``."""

    __slots__ = ("inner",)

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    parse_json_payload = staticmethod(parse_json)

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()
