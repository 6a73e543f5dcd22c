"""The ``halo`` command and its settings: clear one-line failures, and the token kept secret."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logs import REDACTED, TokenScrubber
from bot.settings import Settings, TokenProblem
from bot.store.sqlite import LATEST_VERSION
from bot.telegram.pacing import ChatPacer

ROOT = Path(__file__).resolve().parents[2]
SECRET = "987654321:AAFakeSecretTokenThatMustNeverLeak0123"


def halo(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, input=stdin,
                          env={**clean, **env}, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize(("token", "says"), [
    ("", "No Telegram bot token"),
    ("not-a-token", "does not look like a bot token"),
    (SECRET[:-10], "does not look like a bot token"),
])
def test_a_missing_or_malformed_token_is_one_line_and_exit_code_2(
        tmp_path: Path, token: str, says: str) -> None:
    result = halo("run", env={"TELEGRAM_BOT_TOKEN": token,
                              "DATABASE_URL": f"sqlite:///{tmp_path}/h.db"})
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    if token:
        assert token not in result.stderr + result.stdout


def test_start_without_a_token_opens_the_terminal_chat_and_says_so(tmp_path: Path) -> None:
    result = halo("start", env={"TELEGRAM_BOT_TOKEN": "", "HOME": str(tmp_path)},
                  stdin="Maya\nAcme\nSerum\nquit\n")
    assert "starting the terminal chat" in result.stderr
    assert "what name should I sign your replies with?" in result.stdout
    assert "Which brand is behind the offer?" in result.stdout
    assert "Is Acme's offer in one of these categories?" in result.stdout


@pytest.mark.parametrize("secret", ["short", "a-long-enough-secret-123\n",
                                    "a long enough secret 123"])
def test_a_webhook_secret_telegram_would_not_echo_is_refused(secret: str) -> None:
    settings = Settings(webhook_secret=secret, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(TokenProblem):
        settings.webhook_secret_value()
    ok = Settings(webhook_secret="a-long-enough-secret-123", _env_file=None)  # type: ignore[call-arg]
    assert ok.webhook_secret_value() == "a-long-enough-secret-123"


def test_settings_never_print_the_token() -> None:
    settings = Settings(telegram_bot_token=SECRET, _env_file=None)  # type: ignore[call-arg]
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())
    assert settings.token() == SECRET
    with pytest.raises(TokenProblem) as problem:
        Settings(telegram_bot_token="123:short", _env_file=None).token()  # type: ignore[call-arg]
    assert "123:short" not in str(problem.value)


def test_the_token_is_scrubbed_from_every_log_line() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenScrubber(SECRET))
    logger = logging.getLogger("halo.test.scrub")
    logger.addHandler(handler)
    try:
        logger.error("POST https://api.telegram.org/bot%s/getMe failed", SECRET)
        try:
            raise RuntimeError(f"connection to /bot{SECRET}/sendMessage reset")
        except RuntimeError:
            logger.exception("send failed")
        try:  # the token hidden in a cause, behind a harmless outer error
            try:
                raise OSError(f"https://api.telegram.org/bot{SECRET}/getUpdates: reset")
            except OSError as inner:
                raise RuntimeError("network error") from inner
        except RuntimeError:
            logger.exception("poll failed")
    finally:
        logger.removeHandler(handler)
    assert SECRET not in stream.getvalue()
    assert REDACTED in stream.getvalue()


def test_the_per_chat_pace_allows_a_burst_then_one_message_a_second() -> None:
    now = [100.0]
    pacer = ChatPacer(per_second=1.0, burst=3, clock=lambda: now[0])
    assert [pacer.delay_for(7) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pacer.delay_for(7) == pytest.approx(1.0)
    assert pacer.delay_for(8) == 0.0  # another chat is not held back
    now[0] += 5.0
    assert pacer.delay_for(7) == 0.0


def test_db_verbs_report_the_schema_count_and_purge(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/h.db", "RETENTION_DAYS": "0"}
    version = halo("db", "version", env=env)
    assert version.returncode == 0 and f"Schema version: {LATEST_VERSION}" in version.stdout
    assert "Conversations: 0" in halo("db", "count", env=env).stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "h.db") as db:
        db.execute("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
                   " snapshot_json, updated_at, rev) VALUES (1, 1, 0, '', 'creator', '{}',"
                   " '2020-01-01T00:00:00+00:00', 1)")
    assert "Conversations: 1" in halo("db", "count", env=env).stdout
    purged = halo("db", "purge", env=env)
    assert "Purged 1 conversation(s) idle for more than 0 days" in purged.stdout
    assert "Conversations: 0" in halo("db", "count", env=env).stdout
    broken = halo("db", "count", env={"DATABASE_URL": "mysql://root:hunter2@db/x"})
    assert broken.returncode == 2 and "hunter2" not in broken.stderr


def test_an_unusable_database_url_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
    for url in ("ftp://user:hunter2@files/x", "postgresql://app:hunter2@127.0.0.1:1/db"):
        result = halo("run", env={"TELEGRAM_BOT_TOKEN": token, "DATABASE_URL": url,
                                  "TELEGRAM_API_URL": "http://127.0.0.1:1"})
        assert result.returncode == 2, result.stderr
        assert "DATABASE_URL is not usable" in result.stderr
        assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_an_unreachable_bot_api_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
    for mode in ((), ("--webhook",)):
        result = halo("run", *mode, env={
            "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:9",
            "DATABASE_URL": f"sqlite:///{tmp_path}/h.db", "WEBHOOK_URL": "https://x.example/t",
            "WEBHOOK_SECRET": "a-long-enough-secret-123"} if mode else {
            "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "http://127.0.0.1:9",
            "DATABASE_URL": f"sqlite:///{tmp_path}/h.db"})
        assert result.returncode == 1, result.stderr
        assert "Could not reach the Telegram Bot API at http://127.0.0.1:9" in result.stderr
        assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr
        assert token not in result.stderr


@pytest.mark.parametrize("where", ["a-file/halo.db", "a-folder"])
@pytest.mark.parametrize("verb", [("run",), ("db", "count")])
def test_20_11_an_unusable_sqlite_path_is_one_line_not_a_traceback(
        tmp_path: Path, where: str, verb: tuple[str, ...]) -> None:
    """Issue 20, defect 11: a SQLite path that cannot be opened (here under a file, or a
    folder itself; as root, permissions alone stop nothing) ended start-up in a traceback."""
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    result = halo(*verb, env={"TELEGRAM_BOT_TOKEN": SECRET,
                              "DATABASE_URL": f"sqlite:///{tmp_path / where}"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    said = result.stderr.strip().splitlines()
    assert len(said) == 1 and "SQLite" in said[0] and str(tmp_path / where) in said[0], said
    assert SECRET not in result.stderr + result.stdout
