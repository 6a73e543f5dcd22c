"""Issue 13: ``python -m bot.diagrams --check``, as its docstring says, exited 2 (no such flag)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot import diagrams

ROOT = Path(__file__).resolve().parents[2]


def test_check_passes_on_the_committed_diagrams() -> None:
    done = subprocess.run([sys.executable, "-m", "bot.diagrams", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_check_names_a_stale_diagram_and_fails(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(diagrams, "DOCS", tmp_path)
    (tmp_path / "creator.md").write_text("an old drawing\n", encoding="utf-8")
    assert diagrams.main(["--check"]) == 1
    assert "creator.md" in capsys.readouterr().err
    assert diagrams.main(["--write"]) == 0
    assert diagrams.main(["--check"]) == 0
