"""``halo run`` as ``bench/over_http.py`` and ``bench/memory.py`` start it: the real CLI, with
Telegram's flood limits set out of reach so the bot, not the limit, is measured.

The limiter stays in the path (its cost is part of the bot's), with limits no run reaches.
``--transport`` picks the bot's HTTP client (``TELEGRAM_HTTP_CLIENT``); ``--pool N`` sets how many
updates are handled at once, and so the connections of the API pool (``CONCURRENT_UPDATES``).
Everything else, settings from the environment included, is ``python -m bot.cli run``.

``--webhook`` starts a webhook worker (``halo run --webhook``) instead of long polling.

    python -m bench.halo_process [--transport http11|aiohttp|httpx] [--pool N] [--webhook]
"""

from __future__ import annotations

import argparse
import os

from bot import cli

UNREACHABLE = "1000000"  # messages a second (or a minute, for groups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transport", choices=("http11", "aiohttp", "httpx"), default="http11",
                        help="the bot's HTTP client for the Bot API")
    parser.add_argument("--pool", type=int, default=0,
                        help="updates handled at once, and API connections (0: the bot's own)")
    parser.add_argument("--webhook", action="store_true",
                        help="a webhook worker (``halo run --webhook``) instead of long polling")
    args = parser.parse_args()
    os.environ.update(MESSAGES_PER_SECOND=UNREACHABLE, GROUP_MESSAGES_PER_MINUTE=UNREACHABLE,
                      TELEGRAM_HTTP_CLIENT=args.transport)
    if args.pool:
        os.environ["CONCURRENT_UPDATES"] = str(args.pool)
    return cli.main(["run", "--webhook"] if args.webhook else ["run"])


if __name__ == "__main__":
    raise SystemExit(main())
