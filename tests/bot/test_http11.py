"""The bot's own Bot API client (``bot/telegram/http11.py``) against real servers on loopback:
what Telegram receives, answers read whole however they come, and a connection never trusted
after something went wrong on it."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram import http11
from bot.telegram.http11 import Http11Request, _Connection, _target
from bot.telegram.retrying import RetryingRequest
from tests.support.waiting import eventually

TOKEN = "123456:secret-token-never-in-an-error"
OK = json.dumps({"ok": True, "result": {"message_id": 7}}).encode()


def fields(**values: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


MESSAGE = fields(chat_id=42, text="<b>Question</b> & more \U0001f600", parse_mode="HTML",
                 reply_markup={"inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]})


@asynccontextmanager
async def raw_server(serve: Callable[[asyncio.StreamReader, asyncio.StreamWriter],
                                     Awaitable[None]]) -> AsyncIterator[str]:
    """A TCP server on a free port that answers as ``serve`` writes; the bot's API root."""
    tasks: set[asyncio.Task[None]] = set()
    writers: list[asyncio.StreamWriter] = []

    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        writers.append(writer)
        try:
            await serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connected, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot{TOKEN}"
    finally:
        server.close()
        for writer in writers:  # a handler waiting to read is told the connection ended
            writer.close()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 5)


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One request: its head and its body."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    return head, await reader.readexactly(length)


def answer(body: bytes = OK, *extra: bytes) -> bytes:
    head = b"".join(line + b"\r\n" for line in (b"Content-Type: application/json", *extra))
    return b"HTTP/1.1 200 OK\r\n%bContent-Length: %d\r\n\r\n%b" % (head, len(body), body)


def idle(request: Http11Request) -> list[_Connection]:
    return [c for host in (request._hosts or {}).values() for c in host.idle]


@asynccontextmanager
async def client(pool: int = 1, **options: Any) -> AsyncIterator[Http11Request]:
    request = Http11Request(connection_pool_size=pool, **options)
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


async def test_a_call_is_one_json_post_and_the_next_one_reuses_its_connection() -> None:
    heads: list[bytes] = []
    bodies: list[Any] = []
    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            head, body = await read_request(reader)
            heads.append(head)
            bodies.append(json.loads(body))
            writer.write(answer())

    async with raw_server(serve) as root, client() as request:
        for _ in range(3):
            status, body = await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)
            assert (status, json.loads(body)["result"]) == (200, {"message_id": 7})
    assert connections == 1
    assert bodies == [{"chat_id": 42, "text": "<b>Question</b> & more \U0001f600",
                       "parse_mode": "HTML", "reply_markup": {
                           "inline_keyboard": [[{"text": "Yes", "callback_data": "y"}]]}}] * 3
    lines = heads[0].decode().split("\r\n")
    assert lines[0] == f"POST /bot{TOKEN}/sendMessage HTTP/1.1"
    assert {"Host: 127.0.0.1:" + root.split(":")[2].split("/")[0],
            "Content-Type: application/json"} <= set(lines)


async def test_an_answer_in_chunks_or_in_pieces_is_read_whole() -> None:
    big = json.dumps({"ok": True, "result": [{"update_id": n, "text": "x" * 500}
                                             for n in range(100)]}).encode()

    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(big), 4096):
            await response.write(big[start:start + 4096])
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/getUpdates", chunked)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with client() as request:
            port = runner.addresses[0][1]
            status, body = await request.do_request(
                f"http://127.0.0.1:{port}/bot{TOKEN}/getUpdates", "POST", fields(offset=1))
    finally:
        await runner.cleanup()
    assert (status, body) == (200, big)

    async def dribble(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        # an interim answer first, then the answer a few bytes at a time
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        for start in range(0, len(whole := answer()), 7):
            writer.write(whole[start:start + 7])
            await writer.drain()
            await asyncio.sleep(0)
        await reader.read()

    async with raw_server(dribble) as root, client() as request:
        assert await request.do_request(f"{root}/sendMessage", "POST", MESSAGE) == (200, OK)


async def test_a_connection_the_server_closes_is_not_used_again() -> None:
    connections = 0
    done = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await read_request(reader)
        if connections == 1:  # says it will close, and reads nothing more
            writer.write(answer(OK, b"Connection: close"))
            await done.wait()
        else:  # or just closes it once idle, as a keep-alive timeout does
            writer.write(answer())
            await writer.drain()

    async with raw_server(serve) as root, client(read_timeout=2) as request:
        for calls in range(1, 4):
            assert await request.do_request(f"{root}/sendMessage", "POST", MESSAGE) == (200, OK)
            assert connections == calls
            if calls > 1:  # closed by the server: seen before the next call
                await eventually(lambda: bool(idle(request))
                                 and all(not c.reusable for c in idle(request)),
                                 "the server's close seen")
        done.set()


async def test_an_answer_that_comes_after_its_timeout_is_never_read_as_the_next_calls() -> None:
    late = asyncio.Event()
    served: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            _, body = await read_request(reader)
            text = json.loads(body)["text"]
            served.append(text)
            if text == "first":
                await late.wait()
            writer.write(answer(json.dumps({"ok": True, "result": text}).encode()))

    async with raw_server(serve) as root, client(read_timeout=0.2) as request:
        with pytest.raises(TimedOut) as timed_out:
            await request.do_request(f"{root}/sendMessage", "POST", fields(text="first"))
        late.set()  # the server answers the first call now, on its connection
        _, body = await request.do_request(f"{root}/sendMessage", "POST", fields(text="second"))
    assert json.loads(body)["result"] == "second"
    assert served == ["first", "second"]
    assert TOKEN not in str(timed_out.value)


async def test_a_cancelled_call_leaves_no_answer_behind_for_the_next() -> None:
    held = asyncio.Event()
    release = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            _, body = await read_request(reader)
            text = json.loads(body)["text"]
            if text == "first":
                held.set()
                await release.wait()
            writer.write(answer(json.dumps({"ok": True, "result": text}).encode()))

    async with raw_server(serve) as root, client() as request:
        call = asyncio.ensure_future(
            request.do_request(f"{root}/sendMessage", "POST", fields(text="first")))
        await held.wait()
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        release.set()
        _, body = await request.do_request(f"{root}/sendMessage", "POST", fields(text="second"))
    assert json.loads(body)["result"] == "second"


async def test_the_pool_bounds_the_connections_and_a_wait_past_its_timeout_sent_nothing(
) -> None:
    in_flight = most = 0
    release = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal in_flight, most
        while True:
            await read_request(reader)
            in_flight += 1
            most = max(most, in_flight)
            await release.wait()
            in_flight -= 1
            writer.write(answer())

    async with raw_server(serve) as root, client(pool=2) as request:
        calls = [asyncio.ensure_future(request.do_request(f"{root}/sendMessage", "POST", MESSAGE))
                 for _ in range(2)]
        await eventually(lambda: in_flight == 2, "two calls at the server")
        with pytest.raises(TimedOut) as waited:
            await request.do_request(f"{root}/sendMessage", "POST", MESSAGE, pool_timeout=0.05)
        third = asyncio.ensure_future(request.do_request(f"{root}/sendMessage", "POST", MESSAGE))
        release.set()
        assert await asyncio.gather(*calls, third) == [(200, OK)] * 3
    assert most == 2
    # a call that never got a connection was never sent: made again without fear of a copy
    assert await lost_sends_after(waited.value) == 0


async def lost_sends_after(error: Exception) -> int:
    """The sends RetryingRequest counts as maybe shown twice after one attempt failing so."""

    class FailsOnce(Http11Request):
        failed = False

        async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            if not self.failed:
                self.failed = True
                raise error
            return 200, OK

    retrying = RetryingRequest(FailsOnce(), delays=(0.0,))
    await retrying.do_request(f"http://127.0.0.1:1/bot{TOKEN}/sendMessage", "POST", MESSAGE)
    return retrying.lost_sends


async def test_failures_say_what_failed_never_the_url_and_whether_the_call_may_have_gone(
) -> None:
    async def cut_off(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)  # taken, then the connection dropped: maybe applied

    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"SMTP ready\r\n\r\n")
        await reader.read()

    errors: list[NetworkError] = []
    for serve in (cut_off, garbage):
        async with raw_server(serve) as root, client() as request:
            with pytest.raises(NetworkError) as failed:
                await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)
            errors.append(failed.value)
    with socket.socket() as bound:  # a port held, where nothing listens
        bound.bind(("127.0.0.1", 0))
        async with client() as request:
            with pytest.raises(NetworkError) as refused:
                await request.do_request(
                    f"http://127.0.0.1:{bound.getsockname()[1]}/bot{TOKEN}/sendMessage", "POST",
                    MESSAGE)
    assert [str(error).partition(" (")[0] for error in (*errors, refused.value)] == [
        "ServerDisconnectedError", "Bad HTTP answer", "ConnectorError"]
    assert str(refused.value) == "ConnectorError (ConnectionRefusedError)"
    assert [await lost_sends_after(error) for error in (*errors, refused.value)] == [1, 1, 0]


async def test_a_call_with_a_file_goes_as_multipart() -> None:
    received: list[tuple[str, str | None]] = []

    async def api(request: web.Request) -> web.Response:
        form = await request.post()
        document = form["document"]
        assert isinstance(document, web.FileField)
        received.append((str(form["chat_id"]), document.filename))
        return web.json_response({"ok": True, "result": {"message_id": 9}})

    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/sendDocument", api)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    data = RequestData([
        RequestParameter.from_input("chat_id", 42),
        RequestParameter.from_input("document", InputFile(io.BytesIO(b"%PDF-1.4"),
                                                          filename="reply.pdf"))])
    try:
        async with client() as request:
            status, _ = await request.do_request(
                f"http://127.0.0.1:{runner.addresses[0][1]}/bot{TOKEN}/sendDocument", "POST",
                data)
    finally:
        await runner.cleanup()
    assert (status, received) == (200, [("42", "reply.pdf")])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


async def test_https_checks_the_servers_certificate(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            writer.write(answer())

    server = await asyncio.start_server(lambda r, w: serve(r, w), "127.0.0.1", 0,
                                        ssl=server_side)
    port = server.sockets[0].getsockname()[1]
    url = f"https://localhost:{port}/bot{TOKEN}/sendMessage"
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        async with client(ssl_context=trusting) as request:
            assert await request.do_request(url, "POST", MESSAGE) == (200, OK)
        async with client() as request:  # the system's certificates: this one is unknown
            with pytest.raises(NetworkError) as refused:
                await request.do_request(url, "POST", MESSAGE)
        assert str(refused.value) == "ConnectorError (SSLCertVerificationError)"
        async with client(ssl_context=trusting) as request:  # trusted, but not 127.0.0.1's
            with pytest.raises(NetworkError) as wrong_name:
                await request.do_request(url.replace("localhost", "127.0.0.1"), "POST", MESSAGE)
        assert str(wrong_name.value) == "ConnectorError (SSLCertVerificationError)"
    finally:
        server.close()


async def test_a_connection_closed_before_the_call_is_written_sent_nothing() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        return  # closed as soon as accepted (a server restarting, a balancer shedding load)

    async with raw_server(hang_up) as root:
        port = int(root.split(":")[2].split("/")[0])
        _, connection = await asyncio.get_running_loop().create_connection(
            _Connection, "127.0.0.1", port)
        await eventually(lambda: not connection.reusable, "the server's close seen")
        with pytest.raises(NetworkError) as failed:
            connection.ask(b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
    assert await lost_sends_after(failed.value) == 0  # sent again without fear of a copy


async def test_an_answer_ended_by_closing_is_read_and_one_cut_short_is_not() -> None:
    served = 0

    async def http10(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal served
        await read_request(reader)
        served += 1
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + OK)

    async def cut_short(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + OK[:10])

    async with raw_server(http10) as root, client() as request:
        assert await request.do_request(f"{root}/sendMessage", "POST", MESSAGE) == (200, OK)
        assert await request.do_request(f"{root}/sendMessage", "POST", MESSAGE) == (200, OK)
    assert served == 2  # once each: nothing was sent again
    async with raw_server(cut_short) as root, client() as request:
        with pytest.raises(NetworkError, match="ServerDisconnectedError"):
            await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)


async def test_a_shut_down_client_fails_its_calls_and_keeps_no_connection() -> None:
    held = asyncio.Event()
    ended = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal ended
        try:
            await read_request(reader)
            held.set()
            await reader.read()  # until the client closes the connection
        finally:
            ended += 1

    async with raw_server(serve) as root:
        request = Http11Request(connection_pool_size=1)
        await request.initialize()
        first = asyncio.ensure_future(request.do_request(f"{root}/sendMessage", "POST", MESSAGE))
        await held.wait()
        waiting = asyncio.ensure_future(
            request.do_request(f"{root}/sendMessage", "POST", MESSAGE))
        await asyncio.sleep(0)  # the second call waits for the only connection
        await request.shutdown()
        results = await asyncio.gather(first, waiting, return_exceptions=True)
        await eventually(lambda: ended == 1, "the server told the connection ended")
    assert [str(result) for result in results] == [
        "ServerDisconnectedError", "ConnectorError (the client was shut down)"]


async def test_a_connection_idle_too_long_is_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            await read_request(reader)
            writer.write(answer())

    async with raw_server(serve) as root, client() as request:
        await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)
        await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)
        assert connections == 1
        monkeypatch.setattr(http11, "KEEPALIVE_SECONDS", 0.0)
        await request.do_request(f"{root}/sendMessage", "POST", MESSAGE)
        assert connections == 2


async def test_an_address_that_never_answers_does_not_keep_a_hosts_other_one_from_use(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a listener whose queue is full drops new connections' first packets: a black hole, as a
    # broken IPv6 route is for a host with an IPv6 address
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(0)
    queued = [socket.socket() for _ in range(3)]
    for sock in queued:
        sock.setblocking(False)
        with suppress(BlockingIOError):
            sock.connect(hole.getsockname())

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer())
        await reader.read()

    loop = asyncio.get_running_loop()
    try:
        async with raw_server(serve) as root:
            port = int(root.split(":")[2].split("/")[0])

            async def addresses(host: str, *_: Any, **__: Any) -> list[Any]:
                assert host == "api.example"
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", hole.getsockname()),
                        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

            monkeypatch.setattr(loop, "getaddrinfo", addresses)
            async with client(connect_timeout=3.0) as request:
                assert await request.do_request(
                    f"http://api.example:{port}/bot{TOKEN}/sendMessage", "POST",
                    MESSAGE) == (200, OK)
    finally:
        for sock in (*queued, hole):
            sock.close()


def test_the_host_header_and_a_bad_url_that_never_shows_the_token() -> None:
    def host_of(url: str) -> str:
        return _target(url)[1].decode().split("\r\n")[1]

    assert host_of(f"https://api.telegram.org/bot{TOKEN}/getMe") == "Host: api.telegram.org"
    assert host_of(f"http://user:pw@127.0.0.1:8081/bot{TOKEN}/x") == "Host: 127.0.0.1:8081"
    assert host_of(f"http://[::1]:8081/bot{TOKEN}/x") == "Host: [::1]:8081"
    assert _target(f"https://b\u00fccher.example/bot{TOKEN}/x")[0] == (
        "https", "xn--bcher-kva.example", 443)
    for bad in (f"ftp://host/bot{TOKEN}/x", f"http://host:99999/bot{TOKEN}/x",
                f"http://{'a' * 64}.example/bot{TOKEN}/x"):
        with pytest.raises(NetworkError) as refused:
            _target(bad)
        assert TOKEN not in str(refused.value) and refused.value.__cause__ is None
