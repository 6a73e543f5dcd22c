"""The house rules that keep flows/ pure: no Telegram or bot imports, one shared machine, and a
snapshot that survives JSON at every step with nothing lost."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from transitions import Machine

import flows
from flows.creator import flow as creator_flow
from flows.creator.flow import MACHINE, SPEC
from flows.replies import Event
from flows.snapshot import Money, Snapshot
from tests.unit.conftest import (
    BACK,
    BEGIN,
    CONFIRM,
    EXPORT,
    GOOD,
    SKIP,
    advance,
    decided,
    draft,
    edit,
    event_of,
    review,
    text_of,
    tone,
    walk,
)

FLOWS_DIR = Path(flows.__file__).resolve().parent
REPO = FLOWS_DIR.parent
FORBIDDEN = ("telegram", "bot")


def _imported_roots(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_module_under_flows_imports_telegram_or_bot() -> None:
    sources = sorted(FLOWS_DIR.rglob("*.py"))
    assert len(sources) >= 8

    offending = [f"{path.relative_to(REPO)}:{line} imports {name}"
                 for path in sources for line, name in _imported_roots(path)
                 if name.split(".")[0] in FORBIDDEN]

    assert offending == []


def test_importing_every_flow_module_loads_neither_telegram_nor_bot() -> None:
    script = (
        "import importlib, json, pkgutil, sys\n"
        "import flows\n"
        "names = [m.name for m in pkgutil.walk_packages(flows.__path__, 'flows.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(json.dumps({'flows': names, 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    seen = json.loads(done.stdout)

    assert "flows.creator.flow" in seen["flows"]
    loaded = [name for name in seen["modules"] if name.split(".")[0] in FORBIDDEN]
    assert loaded == []


# --- one machine for every conversation ---------------------------------------------------------

def test_every_conversation_runs_on_the_one_module_level_machine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    added: list[Any] = []
    original_init = Machine.__init__

    def counting_init(self: Machine, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(Machine, "__init__", counting_init)
    monkeypatch.setattr(Machine, "add_model",
                        lambda self, *args, **kwargs: added.append(args))
    models_before = len(MACHINE.models)
    assert SPEC.machine is MACHINE is creator_flow.MACHINE

    for number in range(30):
        talk = decided(brand=f"Brand {number}")
        talk.then(BACK, edit("voice"), "guided", CONFIRM, tone("brief"))
        walk("Acme", "Bar", BACK, "Bar", "one_post").then(BEGIN)

    assert built == []  # no machine per conversation
    assert added == []  # and no model added to the shared one
    assert len(MACHINE.models) == models_before


def test_conversations_do_not_leak_into_each_other() -> None:
    first = walk("Acme", "Protein bar")
    second = walk("Zenith", "Serum")

    assert first.then("none").answers["brand"] == "Acme"
    assert "Is Acme's offer in one of these categories?" in first.last
    assert "Is Zenith's offer in one of these categories?" in second.last


# --- the snapshot as JSON -------------------------------------------------------------------------

FULL_REVIEW = [
    *[GOOD[q] for q in ("brand", "product", "category", "ask", "deliverables")],
    "€1,500.50", BACK, "$1,500", SKIP, BACK, "1.2k usd",
    *[GOOD[q] for q in ("money_pressure", "warning_signs", "tried", "recommend_friend",
                        "community_fit", "voice", "community_value", "buyers_glad",
                        "existing_customers", "label", "usage_rights", "exclusivity",
                        "payment_terms", "revisions", "claims", "signature")],
    edit("pay"), "$900", edit("usage_rights"), "perpetual", CONFIRM,
    tone("professional"), draft("decline"), draft("counter"), EXPORT, BACK, CONFIRM,
]


def _comparable(snapshot: Snapshot) -> dict[str, Any]:
    return snapshot.model_dump(mode="json", exclude={"updated_at"})


def test_the_snapshot_survives_json_at_every_step_and_behaves_the_same() -> None:
    snapshot, _ = advance(None, BEGIN)
    for step in FULL_REVIEW:
        stored = snapshot.to_json()
        restored = Snapshot.from_json(stored)
        assert restored == snapshot
        assert stored == restored.to_json()  # defaults left out, the same either way

        event = event_of(step)
        live, live_replies = advance(snapshot, event)
        again, again_replies = advance(restored, event)

        assert _comparable(again) == _comparable(live), step
        assert [r.model_dump() for r in again_replies] == [r.model_dump() for r in live_replies]
        assert [text_of(r) for r in again_replies] == [text_of(r) for r in live_replies]
        snapshot = live

    assert snapshot.step == "decided"
    assert snapshot.answers["pay"] == Money(amount=900, currency="USD")
    assert snapshot.answers["usual_rate"] == Money(amount=1200, currency="USD")


def test_a_restored_snapshot_keeps_money_exact() -> None:
    talk = review(pay="1.500,50 €", usual_rate="€1,499.99")

    restored = Snapshot.from_json(talk.snapshot.to_json())

    assert restored.answers["pay"] == Money(amount="1500.50", currency="EUR")
    assert restored.answers["usual_rate"] == Money(amount="1499.99", currency="EUR")
    assert isinstance(restored.answers["brand"], str)


def test_a_snapshot_from_another_flow_or_none_starts_a_fresh_review() -> None:
    stranger = Snapshot(flow="somebody_else", step="ask_x", answers={"x": "y"})

    snapshot, replies = advance(stranger, Event(verb="answer", arg="Acme"))

    assert snapshot.flow == SPEC.name
    assert snapshot.answers == {}
    # no first name came with the event (as in the terminal chat): the name is asked first
    assert "what name should I sign your replies with?" in text_of(replies[-1])
