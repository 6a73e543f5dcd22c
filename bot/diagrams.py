"""Write or check the flow diagrams in ``docs/flows/`` (``make diagrams`` writes them), and the
deal's stages beside them.

``python -m bot.diagrams --write`` regenerates every file; ``--check`` exits 1 when one is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.deal import stages
from flows.registry import FLOWS

DOCS = Path(__file__).resolve().parent.parent / "docs" / "flows"


def expected() -> dict[Path, str]:
    """Each diagram file and the text it should hold."""
    return {
        DOCS / f"{name}.md": (
            f"# The {name} flow\n\n"
            "Generated from the live state machine by `make diagrams`; a test fails when it is "
            "stale.\n\n```mermaid\n" + flow.diagram() + "```\n"
        )
        for name, flow in FLOWS.items()
    } | {DOCS / "deal.md": stages.document()}  # a deal's stages: a machine that is not a flow


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="regenerate every diagram")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 when a diagram is stale (the default)")
    args = parser.parse_args(argv)
    stale = [path for path, text in expected().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.write:
        DOCS.mkdir(parents=True, exist_ok=True)
        for path, text in expected().items():
            path.write_text(text, encoding="utf-8")
        return 0
    for path in stale:
        print(f"stale: {path}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
