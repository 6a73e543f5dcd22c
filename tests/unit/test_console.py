"""The terminal chat: the same review over typed lines, with numbered options and a JSON result."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.console import run_chat
from bot.store import SQLiteStore

# the accept path typed as a person would: names, amounts, words, numbers of options
TYPED = ["Maya", "Northwind", "Trail Runner 3", "none of these", "Ongoing partnership / ambassador",
         "exact", "$1,500", "1200", "not at all", "none", "I already use it", "yep", "Yes",
         "My own words", "Real value", "yes, definitely", "same brand", "Yes, clearly labelled",
         "reposts on their channels", "none", "net 30", "two rounds", "no claims"]
SEE_RECOMMENDATION = "1"  # the first button of the review step


def chat(lines: list[str], *, as_json: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_chat("creator", lines, out, as_json=as_json)
    return code, out.getvalue()


def test_a_scripted_review_reaches_a_recommendation() -> None:
    code, said = chat([*TYPED, SEE_RECOMMENDATION])

    assert code == 0
    assert "Question 1 of" in said
    assert "Here's what you told me." in said
    assert "My recommendation: accept" in said
    assert "Hi Northwind team" in said
    assert "Trail Runner 3" in said


def test_options_are_numbered_and_numbers_choose_them() -> None:
    # "3" is the third kind of ask (ongoing); every first option afterwards is the good answer
    # (the warning signs take several answers, so "none" is typed there)
    lines = ["Maya", "Acme", "Protein bar", "1", "3", "1", "$1,500", "$1,200", "1", "none",
             *["1"] * 13]

    code, said = chat([*lines, SEE_RECOMMENDATION])

    assert "  3. Ongoing partnership / ambassador" in said
    assert "  1. I already use it" in said
    assert "What they ask for: Ongoing partnership / ambassador" in said
    assert code == 0
    assert "My recommendation: accept" in said


def test_json_output_carries_the_decision_and_the_draft() -> None:
    code, said = chat([*TYPED, SEE_RECOMMENDATION], as_json=True)

    assert code == 0
    result: dict[str, Any] = json.loads(said)  # nothing but the JSON is printed
    assert result["step"] == "decided"
    assert result["decision"]["verdict"] == "accept"
    assert result["brand"] == "Northwind"
    assert result["product"] == "Trail Runner 3"
    assert result["answers"]["pay"] == {"amount": "1500", "currency": "USD"}
    assert result["draft_kind"] == "accept"
    assert "Northwind" in result["draft"]
    assert "Trail Runner 3" in result["draft"]
    assert "#ad" in result["draft"]
    assert "My recommendation: accept" in result["card"]


def test_back_in_the_terminal_undoes_the_last_answer() -> None:
    lines = [*TYPED[:3], "back", "Trail Runner 4", *TYPED[3:], SEE_RECOMMENDATION]

    code, said = chat(lines, as_json=True)

    assert code == 0
    result = json.loads(said)
    assert result["product"] == "Trail Runner 4"
    assert "Trail Runner 4" in result["draft"]


def test_a_gate_ends_the_terminal_review_early() -> None:
    lines = ["Maya", "FitFuel", "Protein powder", "health", "one post", "exact", "$500", "skip",
             "a lot", "none", "Tried it, didn't like it"]

    code, said = chat(lines, as_json=True)

    assert code == 0
    result = json.loads(said)
    assert result["decision"]["verdict"] == "decline"
    assert result["decision"]["early"] is True
    assert "FitFuel" in result["draft"]


def test_lines_that_end_before_a_decision_exit_with_1() -> None:
    code, said = chat(TYPED[:5])

    assert code == 1
    assert "stopped before a decision" in said

    code, said = chat(TYPED[:5], as_json=True)
    assert code == 1
    assert json.loads(said)["decision"] is None


def test_quit_ends_the_chat_without_an_error() -> None:
    code, said = chat(["Acme", "quit", "Protein bar"])

    assert code == 0
    assert "Bye!" in said
    assert "What is Acme asking for?" not in said  # nothing after quit was read


def test_the_halo_console_script_runs_a_review_from_stdin(tmp_path: Path) -> None:
    halo = Path(sys.executable).with_name("halo")
    env = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}

    done = subprocess.run([str(halo), "chat", "--json"],
                          input="\n".join([*TYPED, SEE_RECOMMENDATION]) + "\n",
                          capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["decision"]["verdict"] == "accept"
    assert result["decision"]["score"] == 100
    assert "Hi Northwind team" in result["draft"]
    assert done.stderr == ""


def test_halo_chat_keep_carries_on_where_it_stopped_and_keeps_the_decision(
        tmp_path: Path) -> None:
    halo = Path(sys.executable).with_name("halo")
    env = {**{key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"},
           "DATABASE_URL": f"sqlite:///{tmp_path}/halo.db", "HALO_ENV_FILE": ""}

    def typed(lines: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(halo), "chat", "--keep"], input="\n".join(lines) + "\n",
                              capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)

    first = typed([*TYPED[:3], "quit"])
    assert first.returncode == 0, first.stderr
    assert "Your answers are kept" in first.stdout
    second = typed([*TYPED[3:], SEE_RECOMMENDATION])  # no name, brand or product again
    assert second.returncode == 0, second.stderr
    assert "Question 1 of" not in second.stdout
    assert "My recommendation: accept" in second.stdout

    async def kept() -> list[str]:
        async with SQLiteStore(tmp_path / "halo.db") as store:
            return [decision.title for decision in await store.history(1)]

    assert asyncio.run(kept()) == ["Northwind · Trail Runner 3"]


DECLINED = ["Maya", "FitFuel", "Protein powder", "health", "one post", "exact", "$500", "skip",
            "a lot", "none", "Tried it, didn't like it"]  # a gate: the review ends in a decline
NOT_KEPT = "without --keep nothing is saved, so this deal and its reminders are gone"


def test_a_deal_tracked_without_keep_is_said_to_last_only_until_quit() -> None:
    code, said = chat([*TYPED, SEE_RECOMMENDATION, "track", "quit"])

    assert code == 0
    card = said.index("Northwind's Trail Runner 3: reply sent")  # the deal is followed...
    warned = said.index(NOT_KEPT)  # ...and said at once to go at quit, with how to keep it
    assert card < warned < said.index("Bye!")
    assert "halo chat --keep" in said[warned:said.index("Bye!")]
    bye = said[said.index("Bye!"):]
    assert "neither is the deal you tracked" in bye and "halo chat --keep" in bye


def test_a_chat_without_a_tracked_deal_says_goodbye_as_before() -> None:
    _, said = chat([*TYPED, SEE_RECOMMENDATION, "quit"])
    _, declined = chat([*DECLINED, "track", "quit"])  # a decline opens no deal to follow

    assert NOT_KEPT not in said and "Bye! Your answers are not kept in the terminal chat.\n" \
        in said
    assert "so there's no deal to follow" in declined
    assert NOT_KEPT not in declined and "deal you tracked" not in declined


def test_a_deal_tracked_with_keep_is_kept_and_nothing_warns(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_chat("creator", [*TYPED, SEE_RECOMMENDATION, "track", "quit"], out,
                    store=SQLiteStore(tmp_path / "halo.db"))
    said = out.getvalue()

    async def deals() -> list[str]:
        async with SQLiteStore(tmp_path / "halo.db") as store:
            return [kept.deal.brand for kept in await store.open_deals(1)]

    assert code == 0
    assert "Northwind's Trail Runner 3: reply sent" in said
    assert NOT_KEPT not in said and "deal you tracked" not in said
    assert "Your answers are kept" in said
    assert asyncio.run(deals()) == ["Northwind"]
