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
from bot.store.sqlite import LATEST_VERSION, SQLiteStore
from bot.telegram.pacing import ChatPacer

ROOT = Path(__file__).resolve().parents[2]
SECRET = "987654321:AAFakeSecretTokenThatMustNeverLeak0123"


def halo(*args: str, env: dict[str, str], stdin: str = "", cwd: Path = ROOT
         ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TELEGRAM_", "DATABASE_", "HALO_", "WEBHOOK_", "LOG_"))}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, input=stdin,
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
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/h.db", "RETENTION_DAYS": "1"}
    assert halo("run", env={**env, "TELEGRAM_BOT_TOKEN": "x"}).returncode == 2  # no store yet
    SQLiteStore(str(tmp_path / "h.db"))  # what halo run creates at its first start
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
    assert "Purged 1 conversation(s) idle for more than 1 days" in purged.stdout
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


def said_once(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command printed (it printed nothing else, and exited 2)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize(("setting", "value", "says"), [
    ("WORKERS", "0", "WORKERS must be 1 or more"),
    ("RETENTION_DAYS", "-1", "RETENTION_DAYS must be 1 or more"),
    ("LOG_LEVEL", "verbose", "LOG_LEVEL must be 'DEBUG', 'INFO', 'WARNING' or 'ERROR'"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be 'text' or 'json'"),
    ("EVENT_LOOP", "tokio", "EVENT_LOOP must be 'uvloop' or 'asyncio'"),
    ("MESSAGES_PER_SECOND", "0", "MESSAGES_PER_SECOND must be more than 0"),
    ("CONCURRENT_UPDATES", "0", "CONCURRENT_UPDATES must be 1 or more"),
    ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT must be 65535 or less"),
    ("TALLY_EDIT_SECONDS", "soon", "TALLY_EDIT_SECONDS must be a number"),
])
def test_a_setting_that_makes_no_sense_is_refused_in_one_line_with_exit_code_2(
        tmp_path: Path, setting: str, value: str, says: str) -> None:
    result = halo("run", env={"TELEGRAM_BOT_TOKEN": SECRET, setting: value,
                              "DATABASE_URL": f"sqlite:///{tmp_path}/h.db"})
    assert said_once(result) == f"Settings refused: {says}."
    assert not (tmp_path / "h.db").exists()  # refused before anything was opened
    assert SECRET not in result.stderr + result.stdout


def test_a_negative_retention_purges_nothing(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/h.db"}
    SQLiteStore(str(tmp_path / "h.db"))
    import sqlite3

    with sqlite3.connect(tmp_path / "h.db") as db:  # a conversation in progress, active now
        db.execute("INSERT INTO conversations (chat_id, user_id, thread_id, review_id, flow,"
                   " snapshot_json, updated_at, rev) VALUES (1, 1, 0, '', 'creator', '{}',"
                   " datetime('now'), 1)")
    refused = halo("db", "purge", env={**env, "RETENTION_DAYS": "-1"})
    assert "RETENTION_DAYS must be 1 or more" in said_once(refused)
    assert "Conversations: 1" in halo("db", "count", env=env).stdout


@pytest.mark.parametrize("verb", ["version", "count", "purge"])
@pytest.mark.parametrize("where", ["typo/halo.db", "halo.db"])
def test_db_commands_create_no_database_at_a_path_where_there_is_none(
        tmp_path: Path, verb: str, where: str) -> None:
    result = halo("db", verb, env={"DATABASE_URL": f"sqlite:///{tmp_path / where}"})
    line = said_once(result)
    assert line.startswith(f"No SQLite database at {tmp_path / where}")
    assert ("the folder" in line) == ("/" in where)
    assert sorted(tmp_path.iterdir()) == []  # neither a folder nor a file was made


@pytest.mark.parametrize("mode", [{"WEBHOOK_URL": "https://bot.example.com/telegram"},
                                  {"HALO_RUN_FLAG": "--webhook"}])
def test_a_webhook_without_its_secret_is_refused(tmp_path: Path, mode: dict[str, str]) -> None:
    flag = mode.pop("HALO_RUN_FLAG", None)
    result = halo("run", *([flag] if flag else []), env={
        "TELEGRAM_BOT_TOKEN": SECRET, "DATABASE_URL": f"sqlite:///{tmp_path}/h.db", **mode})
    assert said_once(result).startswith("Webhook mode needs WEBHOOK_SECRET")


def test_settings_come_from_the_env_file_in_the_working_directory_or_halo_env_file(
        tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WORKERS=0\n", encoding="utf-8")
    here = halo("run", env={"TELEGRAM_BOT_TOKEN": SECRET}, cwd=tmp_path)
    assert said_once(here) == "Settings refused: WORKERS must be 1 or more."
    elsewhere = tmp_path / "conf" / "halo.env"
    elsewhere.parent.mkdir()
    elsewhere.write_text("LOG_LEVEL=loud\n", encoding="utf-8")
    named = halo("run", env={"TELEGRAM_BOT_TOKEN": SECRET, "HALO_ENV_FILE": str(elsewhere)},
                 cwd=tmp_path)
    assert "LOG_LEVEL must be" in said_once(named)  # that file, not the working directory's
    missing = halo("run", env={"HALO_ENV_FILE": str(tmp_path / "nope.env")})
    assert said_once(missing).startswith(f"HALO_ENV_FILE names {tmp_path / 'nope.env'}")


def test_the_version_and_python_m_bot() -> None:
    from importlib.metadata import version

    for command in (["-m", "bot", "--version"], ["-m", "bot.cli", "--version"]):
        result = subprocess.run([sys.executable, *command], capture_output=True, text=True,
                                timeout=60, check=False)
        assert result.returncode == 0 and result.stdout.strip() == f"halo {version('halo-coach')}"


def test_the_terminal_chat_reads_an_offer_file_first_and_asks_only_the_rest(
        tmp_path: Path) -> None:
    offer = tmp_path / "offer.txt"
    offer.write_text("Hi Maya! We're GreenPan and we'd like to offer $1,500 for two Instagram "
                     "reels by May 15, usage rights in perpetuity. Payment net 60.")
    result = halo("chat", "--offer", str(offer), env={"TELEGRAM_BOT_TOKEN": ""},
                  stdin="quit\n")
    assert "What I read in the brand's message" in result.stdout
    assert "usage rights in perpetuity" in result.stdout and "Serious" in result.stdout
    assert "Which brand is behind the offer?" not in result.stdout  # it said so itself
    missing = halo("chat", "--offer", str(tmp_path / "nope.pdf"), env={}, stdin="quit\n")
    assert missing.returncode == 2 and "Could not open" in missing.stderr
