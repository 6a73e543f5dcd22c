"""CPU per Bot API call of one transport, measured in a process of its own.

``bench/over_http.py`` starts this against its emulator: ``--calls`` sendMessage requests through
the transport's ``post`` (PTB's request building and response decoding included, no Message
objects), ``--lanes`` at a time, on the bot's event loop (``EVENT_LOOP``); prints one JSON line
with this process's CPU seconds and the wall time.

    python -m bench.transport_probe --transport httpx|aiohttp --url URL --chat ID
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.loop import run
from bot.settings import Settings
from bot.telegram.http11 import Http11Request
from bot.telegram.transport import AiohttpRequest

KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "v1|c|7|a|yes"},
                                 {"text": "No", "callback_data": "v1|c|7|a|no"}]]}


async def probe(transport: BaseRequest, url: str, chat: int, calls: int, lanes: int) -> None:
    await transport.initialize()
    data = RequestData([RequestParameter.from_input(k, v) for k, v in {
        "chat_id": chat, "text": "<b>Question 7 of 24</b>\n\nHave you tried Serum?",
        "parse_mode": "HTML", "reply_markup": KEYBOARD}.items()])

    async def lane(count: int) -> None:
        for _ in range(count):
            await transport.post(f"{url}/sendMessage", data)

    await lane(10)  # connections open, code paths warm
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(lane(calls // lanes) for _ in range(lanes)))
    done = calls // lanes * lanes
    print(json.dumps({"calls": done, "cpu": time.process_time() - cpu,
                      "wall": time.perf_counter() - wall}))
    await transport.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transport", choices=("http11", "aiohttp", "httpx"), required=True)
    parser.add_argument("--url", required=True, help="the bot's API root: .../bot<token>")
    parser.add_argument("--chat", type=int, required=True)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--lanes", type=int, default=1, help="calls in flight at once")
    args = parser.parse_args()
    pool = max(args.lanes, 1)
    transport = {"http11": Http11Request, "aiohttp": AiohttpRequest,
                 "httpx": HTTPXRequest}[args.transport](connection_pool_size=pool)
    run(probe(transport, args.url, args.chat, args.calls, args.lanes), Settings().event_loop)


if __name__ == "__main__":
    main()
