"""The terminal chat: the same flows as on Telegram, with numbered options and typed answers.

On a terminal it is interactive; when standard input is not a terminal it reads one answer per
line, so a review can be scripted (``halo chat --json`` then prints the decision and the draft).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from flows import engine
from flows.machine import DECIDED
from flows.registry import FLOWS
from flows.replies import Button, Event, Reply
from flows.snapshot import Snapshot
from prompts import button_text, render_text

# words that act at any step, as the buttons with the same meaning do
COMMANDS = {
    "back": Event(verb="back"), "/back": Event(verb="back"),
    "cancel": Event(verb="cancel"), "/cancel": Event(verb="cancel"),
    "restart": Event(verb="restart"), "/restart": Event(verb="restart"),
    "skip": Event(verb="skip"), "/skip": Event(verb="skip"),
}
QUIT = {"quit", "exit", "/quit", "/exit", "q"}


class ConsoleChat:
    """One person's conversation with a flow, in and out through text streams."""

    def __init__(self, flow: str, out: TextIO, *, quiet: bool = False) -> None:
        self.spec = FLOWS[flow]
        self.out = out
        self.quiet = quiet
        self.snapshot: Snapshot | None = None
        self.buttons: list[Button] = []

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def show(self, replies: Iterable[Reply]) -> None:
        for reply in replies:
            if reply.template == engine.ANSWERED:
                continue  # the terminal keeps its scrollback: an answered question needs no edit
            self.say(render_text(reply.template, reply.context))
            flat = [button for row in reply.buttons for button in row]
            if flat:
                self.buttons = flat
                for number, button in enumerate(flat, start=1):
                    text = button_text(self.spec.name, button.label, button.ticked)
                    self.say(f"  {number}. {text}")
            self.say("")

    def event_for(self, line: str) -> Event:
        said = line.strip()
        if said.isdigit() and self.buttons and 1 <= int(said) <= len(self.buttons):
            return self.buttons[int(said) - 1].event
        return COMMANDS.get(said.casefold(), Event(verb="answer", arg=line))

    def handle(self, event: Event) -> None:
        self.snapshot, replies = engine.advance(self.spec, self.snapshot, event)
        self.show(replies)

    def result(self) -> dict[str, Any]:
        """The decision and the draft as JSON-ready data (``None`` when not decided)."""
        if self.snapshot is None or self.snapshot.step != DECIDED:
            return {"step": self.snapshot.step if self.snapshot else None, "decision": None}
        replies = self.spec.decided(self.snapshot)
        card, draft = replies[0], replies[-1]
        context = card.context
        return {
            "step": self.snapshot.step,
            "brand": context.get("brand"),
            "product": context.get("product"),
            "answers": context.get("answers"),
            "decision": context.get("decision"),
            "draft_kind": context.get("draft"),
            "tone": context.get("tone"),
            "card": render_text(card.template, card.context),
            "draft": render_text("common/draft_text.j2", {"flow": self.spec.name, **context}),
            "draft_message": render_text(draft.template, draft.context),
        }


def run_chat(flow: str, lines: Iterable[str], out: TextIO, *, as_json: bool = False) -> int:
    """Run a conversation over ``lines``; 0 when it reached a decision (or the user quit)."""
    chat = ConsoleChat(flow, out, quiet=as_json)
    chat.say(render_text("console/messages.j2", {"what": "welcome"}))
    chat.handle(Event(verb="begin"))
    quit_early = False
    for line in lines:
        if line.strip().casefold() in QUIT:
            quit_early = True
            break
        chat.handle(chat.event_for(line.rstrip("\n")))
    decided = chat.snapshot is not None and chat.snapshot.step == DECIDED
    if as_json:
        print(json.dumps(chat.result(), ensure_ascii=False, indent=2), file=out)
    elif not decided and not quit_early:
        chat.say(render_text("console/messages.j2", {"what": "unfinished"}))
    chat.say(render_text("console/messages.j2", {"what": "bye"}))
    return 0 if decided or quit_early else 1


def interactive_lines(prompt: str = "> ") -> Iterable[str]:
    """Lines typed at a terminal, until end of input."""
    while True:
        try:
            yield input(prompt)
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stdout)
            return
