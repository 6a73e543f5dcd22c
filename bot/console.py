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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.clock import system_clock
from bot.conversations import OFFER_LENGTH, Conversations, Inbound, Turn
from bot.deals import Deals, reminder_message
from bot.store import ConversationKey, SQLiteStore, Store
from flows.deal.reminders import due
from flows.deal.zone import zone
from flows.engine import ANSWERED
from flows.machine import DECIDED, question_of
from flows.questions import Question
from flows.registry import FLOWS
from flows.replies import Button, Event, Reply
from flows.snapshot import Snapshot
from prompts import button_text, render_text

# words that act at any step, as the buttons with the same meaning do: typed, never numbered
COMMANDS = {
    "back": Event(verb="back"), "/back": Event(verb="back"),
    "cancel": Event(verb="cancel"), "/cancel": Event(verb="cancel"),
    "restart": Event(verb="restart"), "/restart": Event(verb="restart"),
    "skip": Event(verb="skip"), "/skip": Event(verb="skip"),
    "fix": Event(verb="fix"), "/fix": Event(verb="fix"),  # a fact read from a brand's message
    "undo": Event(verb="reopen"), "/undo": Event(verb="reopen"),
    "track": Event(verb="track"), "/track": Event(verb="track"),  # the decision shown: a deal
}
WORD_VERBS = frozenset({"back", "cancel", "restart", "skip"})
WORD_ON_A_QUESTION = frozenset({"reopen"})  # Undo of a start over: numbers are for answers
DONE = Event(verb="answer", arg="done")  # a multi-answer question's Done: typed here, not numbered
# a link for someone else: the terminal has no links
NOT_HERE = frozenset({"handoff"})
QUIT = {"quit", "exit", "/quit", "/exit", "q"}
HELP = {"help", "/help", "?"}
LONG_TEXT = 1000  # a text answer allowed this long (a pitch, a draft) may be pasted over lines
END_OF_TEXT = {"", "."}  # what ends a pasted text
PERSON = ConversationKey.private(1, 1)  # the one person at this terminal
UNTRACKED = "deal/untracked.j2"  # a decision "track" could not follow: no deal was made


class ConsoleChat:
    """One person's conversation with a flow, in and out through text streams."""

    def __init__(self, flow: str, out: TextIO, conversations: Conversations, *,
                 quiet: bool = False, folder: Path | None = None, kept: bool = True) -> None:
        self.flow = FLOWS[flow]
        self.out = out
        self.quiet = quiet
        self.kept = kept  # False: the store is in memory, gone with the chat (no --keep)
        self.tracked = False  # a deal was followed in this chat
        self.folder = folder or Path.cwd()  # where exports are written
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
            if reply.template == ANSWERED or reply.place == "retract":
                continue  # the terminal keeps its scrollback: an answered question needs no edit
            if reply.document is not None:
                path = self._write(reply)
                self.say(render_text("console/messages.j2", {"what": "exported",
                                                             "path": str(path)}))
                self._numbered()  # the choices still stand
                self.say("")
                continue
            if reply.buttons and all(b.event.verb == "details" for row in reply.buttons
                                     for b in row):
                # a card's details: the terminal keeps its scrollback, so it shows them at once
                reply = reply.model_copy(update={"context": {**reply.context, "details": True},
                                                 "buttons": []})
            self.say(render_text(reply.template, reply.context))
            # numbers for answers only: back, skip, cancel and restart are words
            words = WORD_VERBS | NOT_HERE | (WORD_ON_A_QUESTION if self._asking() else set())
            flat = [button for row in reply.buttons for button in row
                    if button.event.verb not in words
                    and button.event != COMMANDS["fix"]  # typed as a word
                    and not (self._many() and button.event == DONE)]
            if flat or reply.buttons:
                self.buttons = flat
                self._numbered()
            self.say("")

    def _numbered(self) -> None:
        for number, button in enumerate(self.buttons, start=1):
            ticked = button.ticked and not self._many()
            self.say(f"  {number}. {button_text(self.flow.name, button.label, ticked)}")

    def _asking(self) -> Question | None:
        """The question the conversation waits for, if any."""
        snapshot = self.snapshot
        question = question_of(snapshot.step) if snapshot is not None else None
        if snapshot is None or question is None:
            return None
        spec = FLOWS[snapshot.flow]
        return spec.questions.by_id.get(question) if hasattr(spec, "questions") else None

    def _many(self) -> bool:
        """The question takes several answers: typed at once here ("1, 3"), never ticked."""
        question = self._asking()
        return question is not None and question.kind == "multi"

    def long_text(self) -> bool:
        """The question takes a long text (a pitch, a draft), which may come over several
        lines."""
        question = self._asking()
        return question is not None and question.kind == "text" \
            and question.max_length >= LONG_TEXT

    def _write(self, reply: Reply) -> Path:
        """An export as a file in the chat's folder (a new name, never over another file)."""
        name = Path(reply.document or "halo.md").name
        path = self.folder / name
        for n in itertools.count(2):
            if not path.exists():
                break
            path = self.folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_text(render_text(reply.template, reply.context) + "\n", encoding="utf-8")
        return path.resolve()

    def event_for(self, line: str) -> Event:
        said = line.strip()
        word = COMMANDS.get(said.casefold())
        if word is not None:
            return word
        if said.isdigit() and not self._many() and self.buttons \
                and 1 <= int(said) <= len(self.buttons):
            return self.buttons[int(said) - 1].event
        return Event(verb="answer", arg=line)

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
        for message in turn.deals:  # its buttons are Telegram's: moved on there, with /deals
            self.say(render_text(message.template, message.context) + "\n")
        if any(message.template != UNTRACKED for message in turn.deals):
            self.tracked = True
            if not self.kept:  # said where it matters: the deal is gone at quit
                self.say(render_text("console/messages.j2", {"what": "tracked_not_kept"}) + "\n")

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
             store: Store | None = None, offer: str = "", folder: Path | None = None) -> int:
    """Run a conversation over ``lines``; 0 when it reached a decision (or the user quit).
    ``store`` keeps it (and its decision) where the bot does; by default it lives in memory.
    ``offer``: a brand's message (``halo chat --offer FILE``), read before the first question.
    Exports are written to ``folder`` (the working directory by default)."""
    return asyncio.run(_chat(flow, lines, out, as_json, store or SQLiteStore(":memory:"),
                             kept=store is not None, offer=offer, folder=folder))


async def _chat(flow: str, lines: Iterable[str], out: TextIO, as_json: bool, store: Store,
                *, kept: bool, offer: str = "", folder: Path | None = None) -> int:
    async with store:
        chat = ConsoleChat(flow, out, Conversations(store, deals=Deals(store, store)),
                           quiet=as_json, folder=folder, kept=kept)
        chat.say(render_text("console/messages.j2", {"what": "welcome"}))
        if kept:
            await show_deals(chat, store)
        await chat.handle(Event(verb="begin", arg=offer))
        quit_early = False
        typed = iter(lines)
        for line in typed:
            said = line.strip().casefold()
            if said in QUIT:
                quit_early = True
                break
            if said in HELP:
                chat.say(render_text("console/messages.j2", {"what": "help"}))
                continue
            text = line.rstrip("\n")
            if chat.long_text() and said not in COMMANDS and said not in END_OF_TEXT:
                text = "\n".join([text, *_until_end(typed)])  # a pasted pitch, line by line
            await chat.handle(chat.event_for(text))
        decided = chat.snapshot is not None and chat.snapshot.step == DECIDED
        if as_json:
            print(json.dumps(chat.result(), ensure_ascii=False, indent=2), file=out)
        elif not decided and not quit_early:
            chat.say(render_text("console/messages.j2", {"what": "unfinished"}))
        chat.say(render_text("console/messages.j2", {"what": "bye", "kept": kept,
                                                     "tracked": chat.tracked}))
        return 0 if decided or quit_early else 1


def _until_end(lines: Iterator[str]) -> list[str]:
    """The rest of a pasted text: lines up to an empty one or a lone ".", or the end."""
    kept = []
    for line in lines:
        if line.strip() in END_OF_TEXT:
            break
        kept.append(line.rstrip("\n"))
    return kept


async def show_deals(chat: ConsoleChat, store: Store) -> None:
    """The person's open deals with what comes next, then each reminder due now (a paid deal's
    too: the end of a usage window still reminds)."""
    now = system_clock()()
    if await store.open_deals(PERSON.user_id, 1):
        listing = await Deals(store, store).listing(PERSON.user_id, now)
        chat.say(render_text(listing.template, listing.context) + "\n")
    for stored in await store.deals_of(PERSON.user_id, None):
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
