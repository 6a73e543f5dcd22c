"""Issue 15: the terminal chat reads like a terminal, under a real pseudo-terminal and piped.

Numbers are for answers only (back, skip, cancel, restart, help and quit are words, listed once
at the top and in ``help``), nothing says "tap", a long text can be pasted over several lines,
an export is written to a file whose path is shown, and nothing is offered that the terminal
cannot do (a hand-off link).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pexpect

from bot.console import run_chat
from tests.support.offline import A_GOOD_DEAL
from tests.support.terminal import spawn_chat

NUMBERED_NAV = re.compile(r"^\s*\d+\. .*(Back|Cancel|Skip|Start over)", re.MULTILINE)
PROPOSAL = ["Maya Lopez", "fitness", "honest reviews", "FitFuel", "protein powder", "yes", "yes",
            "One post", "real", "own words", "$900", "clear", "organic", "none", "net 30", "two",
            "none"]


def numbered(text: str, label: str) -> str:
    """The number the terminal gives the choice ``label`` (its last listing in ``text``)."""
    found = re.findall(rf"^\s*(\d+)\. {re.escape(label)}\s*$", text, re.MULTILINE)
    assert found, f"no numbered choice {label!r} in:\n{text[-1500:]}"
    return str(found[-1])


def test_a_review_under_a_pseudo_terminal(tmp_path: Path) -> None:
    child, seen = spawn_chat(tmp_path)
    try:
        child.expect("type back")  # the words, once, at the top
        child.expect("Question 1 of")
        child.sendline("Maya")
        for typed, then in (("Acme", "Which brand"), ("Serum", "promoting")):
            child.expect(then)
            child.sendline(typed)
        child.expect("6. Aimed at children")
        child.sendline("1")  # an answer ("None of these"), never Back or Cancel
        child.expect("Question 5 of")
        child.sendline("back")
        child.expect("Question 4 of")
        child.sendline("1")
        child.expect("Question 5 of")
        for typed in A_GOOD_DEAL[3:]:
            child.sendline(typed)
        child.expect("Here's what you told me")
        child.expect("✏️ Change an answer")
        child.sendline(numbered(seen.getvalue(), "✏️ Change an answer"))
        child.expect("Which part is the answer in?")
        child.expect("↩️ To the summary")
        child.sendline(numbered(seen.getvalue(), "The terms"))
        child.expect("↩️ Other parts")
        child.sendline(numbered(seen.getvalue(), "Claims to make"))
        child.expect("Changing your answer")
        child.expect("No claims")
        child.sendline("no claims")
        child.expect("✅ See my recommendation")
        child.sendline(numbered(seen.getvalue(), "✅ See my recommendation"))
        child.expect("Your reply: accept")
        child.expect("Review another offer")
        child.sendline(numbered(seen.getvalue(), "📄 Download as Markdown"))
        child.expect(r"Saved to (\S+\.md)")
        path = Path(str(child.match.group(1)))  # type: ignore[union-attr]
        child.expect("Review another offer")  # the choices still stand after an export
        child.sendline("help")
        child.expect("Words that work at any time")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    said = seen.getvalue()
    assert said.count("type back") == 1
    assert not NUMBERED_NAV.search(said), "back, skip or cancel got a number"
    assert not re.search(r"\btap", said, re.IGNORECASE)
    assert path.parent == tmp_path.resolve() and path.exists()
    assert "# Halo Coach review: Acme, Serum" in path.read_text(encoding="utf-8")


def test_piped_a_pitch_pasted_over_lines_is_read_whole_and_no_link_is_offered(
        tmp_path: Path) -> None:
    out = io.StringIO()
    pitch = ["Hi Maya,", "We love your honest reviews.",
             "We would like usage rights in perpetuity.", ""]  # an empty line ends it
    code = run_chat("proposal", [*PROPOSAL, *pitch, "1"], out, folder=tmp_path)
    said = out.getvalue()
    assert code == 0, said[-2000:]
    assert "We love your honest reviews. We would like usage rights in perpetuity." in said
    assert "perpetuity" in said.split("What's weak in it")[-1]  # the third line was read
    assert "Link for the creator" not in said
    assert not NUMBERED_NAV.search(said) and not re.search(r"\btap", said, re.IGNORECASE)


def test_piped_a_lone_dot_ends_a_pasted_text_too(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_chat("proposal", [*PROPOSAL, "Hi Maya,", "Free product for posts.", ".", "1"],
                    out, folder=tmp_path)
    assert code == 0
    assert "Hi Maya, Free product for posts." in out.getvalue()
