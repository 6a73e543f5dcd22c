"""The bot's own Bot API client: JSON calls on HTTP/1.1 keep-alive connections of its own.

Every call the bot makes is one small JSON POST to one host, answered with a small JSON body. For
that, aiohttp's client did far more than the call needs (cookies, redirects, tracing hooks, URL
and header objects, a timer and a response object per request): on loopback it cost about
175 µs of CPU a call with python-telegram-bot's request building, against about 70 µs here, and
with two calls an update it was the largest single cost of the bot (``bench/over_http.py --probe``
prints both). Here a call is one write of the request's bytes on a pooled connection and one
future the answer resolves; httptools (llhttp, the parser of Node.js and uvicorn) reads the
answers, chunked or not, so no HTTP parsing is written here. Calls with files (a contract sent
back as a document: multipart) still go through aiohttp (``AiohttpRequest``).

Same contract as ``AiohttpRequest``: ``connection_pool_size`` connections at most per host,
``TimedOut`` for timeouts (waiting for a free connection included), ``NetworkError`` for
connections refused or cut off, status and body returned as they are for ``BaseRequest`` to
interpret. The write has no timeout of its own: the read timeout bounds the whole call. Errors
name what failed, never the URL (it holds the bot token). A connection whose call timed out or
was cancelled is closed, never reused: its answer may still come, and would be read as the next
call's. A connection idle for ``KEEPALIVE_SECONDS`` is closed rather than reused (the server may
be closing it at that moment; aiohttp's default too). A host's addresses are tried as aiohttp
tries them (aiohappyeyeballs, RFC 8305): a second address after 250 ms without an answer, so a
broken IPv6 route does not cost every new connection its whole timeout. An answer with neither a
length nor chunks is read until the server closes the connection, as HTTP/1.0 servers end them.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

import aiohappyeyeballs
import httptools
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.transport import AiohttpRequest, given, json_bytes, parse_json

KEEPALIVE_SECONDS = 15.0  # an idle connection older than this is closed, not reused
NEXT_ADDRESS_SECONDS = 0.25  # RFC 8305's "connection attempt delay", as aiohttp's
_FRAMING = (b"content-length", b"transfer-encoding")  # headers that say where an answer ends


class _Connection(asyncio.Protocol):
    """One keep-alive connection: one call at a time, its answer a future."""

    __slots__ = ("answer", "body", "framed", "head_read", "idle_since", "parser", "reusable",
                 "transport")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.answer: asyncio.Future[tuple[int, bytes]] | None = None
        self.body: list[bytes] = []
        self.head_read = False  # the answer's status line and headers
        self.framed = False  # and among them a length or chunks
        self.reusable = True
        self.idle_since = 0.0

    def ask(self, request: bytes) -> asyncio.Future[tuple[int, bytes]]:
        """Send ``request``: its answer's status and body, when they have come. Raises
        ``NetworkError`` (nothing was sent) on a connection the server has closed already."""
        transport = self.transport
        if not self.reusable or transport is None or transport.is_closing():
            raise NetworkError("ConnectorError (closed before the call was sent)")
        self.answer = answer = asyncio.get_running_loop().create_future()
        self.head_read = self.framed = False
        try:
            transport.write(request)
        except (RuntimeError, OSError) as error:  # closed meanwhile: uvloop says so here
            self.answer = None
            self.close()
            raise NetworkError(f"ConnectorError ({type(error).__name__})") from None
        return answer

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()

    def fail(self, error: Exception) -> None:
        """The call under way fails with ``error``; the connection is not used again."""
        answer, self.answer = self.answer, None
        if answer is not None and not answer.done():
            answer.set_exception(error)
        self.close()

    def time_out(self) -> None:
        self.fail(TimedOut("Timed out (ReadTimeout)"))

    # asyncio's callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.answer is None:  # bytes nobody asked for: the connection cannot be trusted
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self.fail(NetworkError(f"Bad HTTP answer ({type(error).__name__})"))

    def eof_received(self) -> bool | None:
        return None  # closes the transport; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.reusable = False
        answer = self.answer
        if answer is None:
            return
        if exc is None and self.head_read and not self.framed \
                and self.parser.get_status_code() >= 200:  # an answer that ends so
            self.answer = None
            body = b"".join(self.body)
            self.body.clear()
            if not answer.done():
                answer.set_result((self.parser.get_status_code(), body))
            return
        self.fail(NetworkError("ServerDisconnectedError"))

    # httptools' callbacks

    def on_header(self, name: bytes, _value: bytes) -> None:
        if name.lower() in _FRAMING:
            self.framed = True

    def on_headers_complete(self) -> None:
        self.head_read = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        status = self.parser.get_status_code()
        body = b"".join(self.body)
        self.body.clear()
        if status < 200:  # an interim answer ("100 Continue"): the real one follows
            self.head_read = self.framed = False
            return
        answer, self.answer = self.answer, None
        if answer is None:
            self.close()
            return
        if not self.parser.should_keep_alive():
            self.close()
        if not answer.done():
            answer.set_result((status, body))


class _Host:
    """The connections to one host: at most ``limit``, the idle ones reused newest first."""

    __slots__ = ("closed", "host", "idle", "open", "port", "slots", "ssl")

    def __init__(self, host: str, port: int, context: ssl.SSLContext | None, limit: int
                 ) -> None:
        self.host, self.port, self.ssl = host, port, context
        self.idle: list[_Connection] = []
        self.open: set[_Connection] = set()
        self.slots = asyncio.Semaphore(limit)
        self.closed = False  # the client was shut down: no connection is made or kept

    async def take(self, pool: float | None, connect: float | None) -> _Connection:
        """A connection for one call: idle or new. Raises ``TimedOut`` when none is free in
        ``pool`` seconds or a new one takes longer than ``connect``."""
        if self.slots.locked():
            try:
                async with asyncio.timeout(pool):
                    await self.slots.acquire()
            except TimeoutError:
                raise TimedOut("Timed out (PoolTimeout)") from None
        else:
            await self.slots.acquire()  # free: does not wait
        try:
            if self.closed:
                raise NetworkError("ConnectorError (the client was shut down)")
            return self._idle() or await self._connect(connect)
        except BaseException:
            self.slots.release()
            raise

    def give_back(self, connection: _Connection) -> None:
        if self.closed:
            connection.close()
        if connection.reusable:
            connection.idle_since = asyncio.get_running_loop().time()
            self.idle.append(connection)
        else:
            self.open.discard(connection)
        self.slots.release()

    def _idle(self) -> _Connection | None:
        oldest = asyncio.get_running_loop().time() - KEEPALIVE_SECONDS
        while self.idle:
            connection = self.idle.pop()
            if connection.reusable and connection.idle_since > oldest \
                    and connection.transport is not None and not connection.transport.is_closing():
                return connection
            connection.close()
            self.open.discard(connection)
        return None

    async def _connect(self, within: float | None) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(within):
                addresses = await loop.getaddrinfo(self.host, self.port,
                                                   type=socket.SOCK_STREAM)
                sock = await aiohappyeyeballs.start_connection(
                    addresses, happy_eyeballs_delay=NEXT_ADDRESS_SECONDS, interleave=1)
                try:
                    _, connection = await loop.create_connection(
                        _Connection, sock=sock, ssl=self.ssl,
                        server_hostname=self.host if self.ssl is not None else None)
                except BaseException:
                    sock.close()
                    raise
        except TimeoutError:
            raise TimedOut("Timed out (ConnectionTimeoutError)") from None
        except OSError as error:  # refused, unreachable, a name not found, a TLS failure
            raise NetworkError(f"ConnectorError ({type(error).__name__})") from None
        if self.closed:  # shut down meanwhile
            connection.close()
            raise NetworkError("ConnectorError (the client was shut down)")
        self.open.add(connection)
        return connection

    def close(self) -> None:
        self.closed = True
        for connection in self.open:
            connection.close()
        self.open.clear()
        self.idle.clear()


@lru_cache(maxsize=256)
def _target(url: str) -> tuple[tuple[str, str, int], bytes]:
    """The host a URL names (scheme, name, port) and the start of a POST to it, up to the
    length's value."""
    try:
        parts = urlsplit(url)
        name = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if parts.scheme not in ("http", "https") or not name:
            raise ValueError("not an HTTP URL")
        name = name.encode("idna").decode("ascii")  # a name in another script, as DNS has it
        path = quote(parts.path or "/", safe="/:@!$&'()*+,;=-._~%")
        if parts.query:
            path += "?" + quote(parts.query, safe="/:@!$&'()*+,;=-._~%?")
        host = f"[{name}]" if ":" in name else name
        if parts.port is not None:
            host += f":{parts.port}"
        head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
                f"User-Agent: {BaseRequest.USER_AGENT}\r\n"
                f"Content-Type: application/json\r\nContent-Length: ")
        return (parts.scheme, name, port), head.encode("ascii")
    except (ValueError, UnicodeError):  # their text would hold the URL, and so the token
        raise NetworkError("Not a Bot API URL this client can call (TELEGRAM_API_URL)") from None


class Http11Request(BaseRequest):
    """``BaseRequest`` on keep-alive connections of its own (see the module's docstring);
    ``ssl_context``: the certificates to trust (by default the system's)."""

    __slots__ = ("_connect_timeout", "_files", "_hosts", "_limit", "_pool_timeout",
                 "_read_timeout", "_ssl")

    def __init__(self, connection_pool_size: int = 1, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, ssl_context: ssl.SSLContext | None = None,
                 **_: Any) -> None:
        self._limit = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._ssl = ssl_context
        self._hosts: dict[tuple[str, str, int], _Host] | None = None
        self._files = AiohttpRequest(connection_pool_size, read_timeout, write_timeout,
                                     connect_timeout, pool_timeout, ssl_context=ssl_context)

    parse_json_payload = staticmethod(parse_json)

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._hosts is None:
            self._hosts = {}
        # the client for calls with files starts with the first such call (aiohttp is imported
        # then: a bot that sends none starts without it)

    async def shutdown(self) -> None:
        hosts, self._hosts = self._hosts, None
        for host in (hosts or {}).values():
            host.close()
        await self._files.shutdown()

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
        if self._hosts is None:
            raise RuntimeError("This Http11Request is not initialized!")
        if method != "POST" or (request_data is not None and request_data.contains_files):
            await self._files.initialize()  # started once; then nothing to do
            return await self._files.do_request(url, method, request_data, read_timeout,
                                                write_timeout, connect_timeout, pool_timeout)
        read = given(read_timeout, self._read_timeout)
        connect = given(connect_timeout, self._connect_timeout)
        pool = given(pool_timeout, self._pool_timeout)
        key, head = _target(url)
        body = b"{}" if request_data is None else json_bytes(request_data.parameters)
        host = self._hosts.get(key) or self._host(key)
        connection = await host.take(pool, connect)
        try:
            answer = connection.ask(b"%b%d\r\n\r\n%b" % (head, len(body), body))
            if read is None:
                return await answer
            timer = asyncio.get_running_loop().call_later(read, connection.time_out)
            try:
                return await answer
            finally:
                timer.cancel()
        except BaseException:  # timed out, cut off or cancelled: its answer may still come
            connection.close()
            raise
        finally:
            host.give_back(connection)

    def _host(self, key: tuple[str, str, int]) -> _Host:
        scheme, name, port = key
        context = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            context = self._ssl
        assert self._hosts is not None
        host = self._hosts[key] = _Host(name, port, context, self._limit)
        return host
