"""The ``halo`` command: ``halo run`` (Telegram), ``halo chat`` (terminal), ``halo start``.

``halo start`` is what ``make run`` calls: the Telegram bot when a token is set, the terminal chat
when none is, saying which. Problems with settings end in one line and exit code 2, never a
traceback, and never show the token.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.console import interactive_lines, run_chat
from bot.documents import MAX_PAGES
from bot.documents import decode as decode_document
from bot.logs import configure_logging, describe_store
from bot.settings import Settings, TokenProblem
from bot.store import Store, StoreError, open_store, sqlite_path
from flows.registry import DEFAULT_FLOW, FLOWS
from prompts import render_text

USAGE_ERROR = 2
ENV_FILE_VARIABLE = "HALO_ENV_FILE"  # where .env is, when not in the working directory


def _message(what: str, **context: str) -> str:
    return render_text("console/messages.j2", {"what": what, **context})


def _settings() -> Settings:
    """The settings, or exit code 2 after one line that says what is wrong with them."""
    env_file = os.environ.get(ENV_FILE_VARIABLE, "")
    if env_file and not Path(env_file).is_file():
        print(_message("env_file_missing", path=env_file), file=sys.stderr)
        raise SystemExit(USAGE_ERROR)
    try:
        return Settings(_env_file=env_file or ".env")  # type: ignore[call-arg]
    except ValidationError as error:
        # pydantic's text can echo the input value (a token): say the rule, never the value
        problems = "; ".join(_setting_problem(e) for e in error.errors() if e["loc"])
        print(_message("settings_invalid", detail=problems or "unknown"), file=sys.stderr)
        raise SystemExit(USAGE_ERROR) from None


def _setting_problem(error: Any) -> str:
    """What a setting must be, from one of pydantic's errors: ``WORKERS must be 1 or more``."""
    context = error.get("ctx") or {}
    limit = context.get("expected") or next(
        (context[k] for k in ("ge", "gt", "le", "lt") if k in context), "")
    return _message("setting_problem", field=str(error["loc"][0]).upper(), kind=error["type"],
                    limit=f"{limit:g}" if isinstance(limit, float) else str(limit))


def run_bot(settings: Settings, webhook: bool = False) -> int:
    webhook = webhook or settings.webhook_url is not None
    try:
        settings.token()
        if webhook:
            settings.webhook_secret_value()
            if not (settings.webhook_url or "").startswith("https://"):
                raise TokenProblem("webhook_url")
    except TokenProblem as problem:
        print(_message(f"token_{problem.reason}"), file=sys.stderr)
        return USAGE_ERROR
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram.app import run_polling, run_webhook  # loaded only when needed

    configure_logging(settings)
    store = _open_store(settings)
    if store is None:
        return USAGE_ERROR
    logging.getLogger("halo").info("store: %s (schema version %s)", describe_store(store),
                                   store.schema_version)
    try:
        return run_webhook(settings, store) if webhook else run_polling(settings, store)
    except StoreError as error:  # PostgreSQL refusing at start-up
        print(_message("store_invalid", detail=str(error)), file=sys.stderr)
        return USAGE_ERROR
    except InvalidToken:
        print(_message("token_rejected"), file=sys.stderr)
        return USAGE_ERROR
    except NetworkError:
        print(_message("api_unreachable", url=settings.telegram_api_url), file=sys.stderr)
        return 1


def health(settings: Settings) -> int:
    """``halo health``: 0 when this machine's bot answers ``/healthz`` (a HEALTHCHECK)."""
    from bot.health import local_url

    url = local_url(settings)
    if url is None:
        print(_message("health_no_port"), file=sys.stderr)
        return USAGE_ERROR
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            healthy = answer.status == 200
    except (OSError, ValueError):  # refused, timed out, 503 (HTTPError is an OSError)
        healthy = False
    print(_message("healthy" if healthy else "unhealthy", url=url),
          file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def chat(flow: str, as_json: bool, store: Store | None = None, offer: str | None = None) -> int:
    """The terminal chat; ``store`` keeps its conversation and decision (else it is in memory);
    ``offer``: a file holding a brand's message or contract (PDF, DOCX, TXT), read first."""
    text = ""
    if offer is not None:
        try:
            decoded = decode_document(Path(offer).read_bytes(), offer)
        except OSError as error:
            print(_message("offer_unreadable", path=offer, detail=error.strerror or ""),
                  file=sys.stderr)
            return USAGE_ERROR
        if decoded.text is None:  # said, then the review goes step by step
            print(render_text("reading/document.j2", {"reason": decoded.reason,
                                                      "pages": decoded.pages,
                                                      "max_pages": MAX_PAGES}))
        text = decoded.text or ""
    lines = interactive_lines() if sys.stdin.isatty() and not as_json else sys.stdin
    return run_chat(flow, lines, sys.stdout, as_json=as_json, store=store, offer=text)


def _open_store(settings: Settings) -> Store | None:
    """The configured store, or None once an unusable DATABASE_URL is said in one line (the
    store's message names no password)."""
    try:
        return open_store(settings.database_url)
    except (ValueError, StoreError) as error:
        print(_message("store_invalid", detail=str(error)), file=sys.stderr)
        return None


async def database(settings: Settings, action: str) -> int:
    """``halo db version|count|purge``: an operator's look at the store, whatever its backend.
    A SQLite file that is not there is said, not created (a mistyped path would report 0)."""
    try:
        path = Path(sqlite_path(settings.database_url))
    except ValueError:
        path = None  # PostgreSQL, or a URL that _open_store will refuse
    if path is not None and not path.exists():
        folder = path.parent.is_dir()
        print(_message("db_missing" if folder else "db_folder_missing", path=str(path),
                       folder=str(path.parent)), file=sys.stderr)
        return USAGE_ERROR
    store = _open_store(settings)
    if store is None:
        return USAGE_ERROR
    try:
        if action == "version":
            print(_message("db_version", version=str(store.schema_version)))
        elif action == "count":
            counts = await store.count()
            print(_message("db_count", **{k: str(v) for k, v in counts.items()}))
        else:
            cutoff = datetime.now(UTC) - timedelta(days=settings.retention_days)
            purged = await store.purge_idle(cutoff)
            print(_message("db_purged", purged=str(purged), days=str(settings.retention_days)))
    finally:
        await store.close()
    return 0


def _version() -> str:
    try:
        return version("halo-coach")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halo", description="Halo Coach: a sponsorship coach.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    verbs = parser.add_subparsers(dest="verb", required=True)
    run_parser = verbs.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    run_parser.add_argument("--webhook", action="store_true",
                            help="serve a webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_PORT)")
    chat_parser = verbs.add_parser("chat", help="the same coaching in the terminal, no token")
    chat_parser.add_argument("--flow", choices=[flow.name for flow in FLOWS.private()],
                             default=DEFAULT_FLOW)
    chat_parser.add_argument("--json", action="store_true",
                             help="print the decision and the draft as JSON at the end")
    chat_parser.add_argument("--keep", action="store_true",
                             help="keep the conversation and its decision in DATABASE_URL's store"
                                  " (by default they live in memory)")
    chat_parser.add_argument("--offer", metavar="FILE",
                             help="a brand's message or contract (PDF, DOCX, TXT): read first, "
                                  "then only what it doesn't say is asked")
    verbs.add_parser("start", help="run the bot if a token is set, else the terminal chat")
    verbs.add_parser("health", help="exit 0 if the bot on this machine answers /healthz")
    db_parser = verbs.add_parser("db", help="look after the database (any backend)")
    db_parser.add_argument("action", choices=["version", "count", "purge"],
                           help="version: schema version; count: rows; purge: drop "
                                "conversations idle longer than RETENTION_DAYS")
    args = parser.parse_args(argv)
    if args.verb == "chat":
        store = _open_store(_settings()) if args.keep else None
        if args.keep and store is None:
            return USAGE_ERROR
        return chat(args.flow, args.json, store, args.offer)
    settings = _settings()
    if args.verb == "health":
        return health(settings)
    if args.verb == "db":
        return asyncio.run(database(settings, args.action))
    if args.verb == "start" and not settings.has_token:
        print(_message("no_token_chat"), file=sys.stderr)
        return chat(DEFAULT_FLOW, False)
    return run_bot(settings, webhook=getattr(args, "webhook", False))


if __name__ == "__main__":
    raise SystemExit(main())
