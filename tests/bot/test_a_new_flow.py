"""A new private flow is its folder (its module and its templates) and one registry line: with
no other edit it runs in the terminal chat and on Telegram, with its command, its menu entry,
its line in /help, its buttons and its place in /history."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.console import run_chat
from bot.telegram.profile import command_menus
from flows.registry import FLOWS
from prompts import ENV

from .conftest import OfflineBot, running_offline
from .test_coach import button_data, sent

FOLDER = {
    "flow.py": '''
"""A tasting note: what did you taste, and did you like it?"""
from typing import Any

from flows import outcome
from flows.engine import FlowSpec
from flows.machine import build_machine
from flows.questions import NO, YES, Question, QuestionSet
from flows.replies import Reply
from flows.snapshot import Snapshot

QUESTIONS = QuestionSet((Question("dish", "text", "what", max_length=80),
                         Question("liked", "choice", "verdict", (YES, NO))))


def summary(snapshot: Snapshot) -> dict[str, Any]:
    answers = outcome.plain(snapshot.answers)
    return {"flow": "tasting", **outcome.answered(QUESTIONS, snapshot.answers),
            "dish": answers.get("dish", ""), "liked": answers.get("liked") == "yes"}


def note(context: dict[str, Any]) -> Reply:
    return Reply(template="tasting/note.j2", context=context)


FLOW = FlowSpec(name="tasting", code="z", commands=("taste",), questions=QUESTIONS,
                machine=build_machine(QUESTIONS), summarize=summary,
                present=lambda context, live: [note(context)], draft=note,
                export=lambda context: outcome.export_reply("tasting", context, "tasting.md"),
                drafts=(), title=lambda context: context["dish"],
                verdict=lambda context: "liked" if context["liked"] else "disliked")
''',
    "prompts/tasting/labels.j2": '''
{% set titles = {"dish": "Dish", "liked": "Liked it"} %}
{% set labels = {} %}
{% set about = {"menu": "🍜 Note a tasting", "command": "Note what you tasted",
                "help": "note what you tasted", "review_next": "keep the note",
                "verdicts": {"liked": "a hit", "disliked": "not for me"}} %}
''',
    "prompts/tasting/questions/dish.j2": "What did you taste?",
    "prompts/tasting/questions/liked.j2": "Did you like it?",
    "prompts/tasting/note.j2": "Noted: {{ dish }}{% if liked %} was a hit{% else %} was not"
                               " for you{% endif %}.",
    "prompts/tasting/export.md.j2": "# {{ dish }}",
}


@pytest.fixture
def tasting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The flow's folder, written out; its templates where the bot's are; its registry line."""
    for name, text in FOLDER.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.strip() + "\n", encoding="utf-8")
    loader: Any = ENV.loader
    monkeypatch.setattr(loader, "searchpath", [*loader.searchpath, str(tmp_path / "prompts")])
    spec = importlib.util.spec_from_file_location("tasting_flow", tmp_path / "flow.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    FLOWS.add(module.FLOW)  # the registry line
    try:
        yield
    finally:
        FLOWS.remove("tasting")


@pytest.fixture
async def telegram(tasting: None, tmp_path: Path) -> AsyncIterator[OfflineBot]:
    async with running_offline(tmp_path) as bot:  # built once the flow is registered
        yield bot


def test_the_terminal_chat_runs_the_new_flow(tasting: None) -> None:
    out = io.StringIO()
    code = run_chat("tasting", ["Ramen", "yes", "1"], out)
    said = out.getvalue()
    assert code == 0
    assert "What did you taste?" in said and "Did you like it?" in said
    assert "If it's all right, keep the note; or change an answer first." in said
    assert "Noted: Ramen was a hit." in said


async def test_telegram_runs_the_new_flow_from_its_command_menu_and_history(
        telegram: OfflineBot) -> None:
    user = 777
    await telegram.feed(telegram.updates.text(user, "/start"))
    await telegram.feed(telegram.updates.press(user, button_data(telegram, user,
                                                                 "🍜 Note a tasting")))
    assert "What did you taste?" in sent(telegram, user)[-1]
    await telegram.feed(telegram.updates.text(user, "Ramen"))
    await telegram.feed(telegram.updates.press(user, button_data(telegram, user, "No")))
    await telegram.feed(telegram.updates.press(
        user, button_data(telegram, user, "✅ See my recommendation")))
    assert "Noted: Ramen was not for you." in telegram.texts(user)[-1]
    await telegram.feed(telegram.updates.text(user, "/history"))
    assert "<b>Ramen</b>: not for me" in sent(telegram, user)[-1]
    await telegram.feed(telegram.updates.text(user, "/help"))
    assert "/taste - note what you tasted" in sent(telegram, user)[-1]
    await telegram.feed(telegram.updates.text(user, "/taste"))
    assert "What did you taste?" in sent(telegram, user)[-1]
    menus = command_menus()
    assert ("taste", "Note what you tasted") in [(c.command, c.description)
                                                 for c in menus["private"]]
