"""Every figure of the README's performance table, in one command.

The in-process race of ``bench/throughput.py`` (the echo bot, the echo bot saving a row, Halo
Coach) and the four over-HTTP variants of ``bench/over_http.py`` (saturated; 600 actions a second
with 50 ms a call, polling and webhook; 100 a second, polling), each ``--runs`` times in turn
(A B C D E A B C D E ...), every figure printed as min – median – max with the machine's 1-minute
load average before and after its runs, then the same rows as the README's Markdown table.

The targets assume a machine whose load average is under 1.5 before a run; the load after
includes the benchmark's own processes (about one busy core while it runs). About 5 minutes
(``--quick``: about 2, with fewer users and shorter steady states; the figures then are rougher).

    .venv/bin/python -m bench.table [--quick] [--runs 3]
"""

from __future__ import annotations

import argparse

from bench import over_http, throughput
from bench.common import ErrorLog, Figures, announce, interleaved
from bot import loop
from bot.settings import Settings
from bot.telegram.app import settle_memory

QUICK = {"users": 100, "seconds": 5.0, "realistic_users": 20, "throughput_users": 200}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    over_http.arguments(parser)
    parser.add_argument("--throughput-users", type=int, default=400,
                        help="creators of the in-process race (default 400)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer users and shorter steady states: about 2 minutes")
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.only = []
    figures = Figures("bench/table.py" + (" --quick" if args.quick else ""))
    errors = ErrorLog.install()
    settle_memory()  # the bot's collector policy in this process too (see over_http.py)
    started = announce()
    variants = over_http.variants(args)
    runs = {throughput.RACE: throughput.racer(args.throughput_users, 100, figures)}
    runs.update({variant.name: over_http.runner(args, variant, figures) for variant in variants})
    samples = await interleaved(runs, args.runs)
    throughput.report(samples[throughput.RACE], figures)
    for variant in variants:
        over_http.report(variant, samples[variant.name], figures, samples)
    for record in errors.records:
        figures.error(f"logged: {record}")
    code = figures.finish(started)
    figures.markdown()
    return code


if __name__ == "__main__":
    raise SystemExit(loop.run(main(), Settings().event_loop))  # the bot's event loop
