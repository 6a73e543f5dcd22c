"""The terminal chat: the same flows as on Telegram, with numbered options and typed answers.

A thin transport over the conversation service, like Telegram's: each typed line becomes an
``Inbound``, each turn is printed. The conversation lives in a store of its own in memory (or in
the one given, such as the bot's). On a terminal it is interactive; when standard input is not a
terminal it reads one answer per line, so a review can be scripted (``halo chat --json`` then
prints the decision and the draft). With a kept store it starts with the person's open deals
and the reminders due now (read, not claimed: the bot still sends its own).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections.abc import Iterable
from typing import Any, TextIO

from bot.clock import system_clock
from bot.conversations import OFFER_LENGTH, Conversations, Inbound, Turn
from bot.deals import Deals, reminder_message
from bot.store import ConversationKey, SQLiteStore, Store
from flows.deal.reminders import due
from flows.deal.zone import zone
from flows.engine import ANSWERED
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
PERSON = ConversationKey.private(1, 1)  # the one person at this terminal


class ConsoleChat:
    """One person's conversation with a flow, in and out through text streams."""

    def __init__(self, flow: str, out: TextIO, conversations: Conversations, *,
                 quiet: bool = False) -> None:
        self.flow = FLOWS[flow]
        self.out = out
        self.quiet = quiet
        self.conversations = conversations
        self.snapshot: Snapshot | None = None
        self.buttons: list[Button] = []
        # update ids from the clock: a conversation kept in a real store never sees one twice
        self._updates = itertools.count(int(time.time() * 1000) % 0x7FFFFFFF)

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def show(self, replies: Iterable[Reply]) -> None:
        for reply in replies:
            if reply.template == ANSWERED:
                continue  # the terminal keeps its scrollback: an answered question needs no edit
            self.say(render_text(reply.template, reply.context))
            flat = [button for row in reply.buttons for button in row]
            if flat:
                self.buttons = flat
                for number, button in enumerate(flat, start=1):
                    text = button_text(self.flow.name, button.label, button.ticked)
                    self.say(f"  {number}. {text}")
            self.say("")

    def event_for(self, line: str) -> Event:
        said = line.strip()
        if said.isdigit() and self.buttons and 1 <= int(said) <= len(self.buttons):
            return self.buttons[int(said) - 1].event
        return COMMANDS.get(said.casefold(), Event(verb="answer", arg=line))

    async def handle(self, event: Event) -> None:
        inbound = Inbound(PERSON, event, next(self._updates),
                          flow=self.flow.name if event.verb in ("begin", "restart") else None,
                          offer=event.verb == "answer" and len(event.arg) >= OFFER_LENGTH)
        turn = await self.conversations.handle(inbound, self._print)
        if turn is not None and turn.wanted is not None:
            await self.handle(Event(verb="resume"))  # a kept conversation in progress: go on

    async def _print(self, turn: Turn) -> None:
        self.snapshot = turn.snapshot
        self.show(turn.replies)
        for toast in turn.toasts:
            self.say(render_text(toast.template, toast.context))

    def result(self) -> dict[str, Any]:
        """The decision and the draft as JSON-ready data (``None`` when not decided)."""
        if self.snapshot is None or self.snapshot.step != DECIDED:
            return {"step": self.snapshot.step if self.snapshot else None, "decision": None}
        replies = FLOWS[self.snapshot.flow].current(self.snapshot)
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
            "draft": render_text("common/draft_text.j2", {"flow": self.flow.name, **context}),
            "draft_message": render_text(draft.template, draft.context),
        }


def run_chat(flow: str, lines: Iterable[str], out: TextIO, *, as_json: bool = False,
             store: Store | None = None, offer: str = "") -> int:
    """Run a conversation over ``lines``; 0 when it reached a decision (or the user quit).
    ``store`` keeps it (and its decision) where the bot does; by default it lives in memory.
    ``offer``: a brand's message (``halo chat --offer FILE``), read before the first question."""
    return asyncio.run(_chat(flow, lines, out, as_json, store or SQLiteStore(":memory:"),
                             kept=store is not None, offer=offer))


async def _chat(flow: str, lines: Iterable[str], out: TextIO, as_json: bool, store: Store,
                *, kept: bool, offer: str = "") -> int:
    async with store:
        chat = ConsoleChat(flow, out, Conversations(store), quiet=as_json)
        chat.say(render_text("console/messages.j2", {"what": "welcome"}))
        if kept:
            await show_deals(chat, store)
        await chat.handle(Event(verb="begin", arg=offer))
        quit_early = False
        for line in lines:
            if line.strip().casefold() in QUIT:
                quit_early = True
                break
            await chat.handle(chat.event_for(line.rstrip("\n")))
        decided = chat.snapshot is not None and chat.snapshot.step == DECIDED
        if as_json:
            print(json.dumps(chat.result(), ensure_ascii=False, indent=2), file=out)
        elif not decided and not quit_early:
            chat.say(render_text("console/messages.j2", {"what": "unfinished"}))
        chat.say(render_text("console/messages.j2", {"what": "bye", "kept": kept}))
        return 0 if decided or quit_early else 1


async def show_deals(chat: ConsoleChat, store: Store) -> None:
    """The person's open deals with what comes next, then each reminder due now."""
    now = system_clock()()
    if not await store.open_deals(PERSON.user_id, 1):
        return
    listing = await Deals(store, store).listing(PERSON.user_id, now)
    chat.say(render_text(listing.template, listing.context) + "\n")
    for stored in await store.open_deals(PERSON.user_id):
        for reminder in due(stored.deal, now, zone(stored.tz)):
            message = reminder_message(stored, reminder, now)
            chat.say(render_text(message.template, message.context) + "\n")


def interactive_lines(prompt: str = "> ") -> Iterable[str]:
    """Lines typed at a terminal, until end of input."""
    while True:
        try:
            yield input(prompt)
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stdout)
            return
