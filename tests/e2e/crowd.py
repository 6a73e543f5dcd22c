"""People reviewing offers at once with the real bot, through the fault proxy (``faults.py``).

``run_crowd(mix, people, seed, data_dir)`` starts the emulator, the proxy and ``halo run`` (its
``TELEGRAM_API_URL`` on the proxy), and has each person go through a whole creator review: some
answers typed, some pressed, then "See my recommendation". A person waits for each next step
under a deadline; one who never gets it is stuck. Afterwards the bot is stopped and what it kept
is compared with what each person answered. The short form runs in ``test_faults.py``, the long
one in ``bench/faults.py``; both print ``Outcome.table``.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.store import ConversationKey, open_store
from flows.replies import Actor
from tests.support.conversation import Chat
from tests.support.emulator import BotApiEmulator, StoredMessage
from tests.support.users import TelegramUser

from .conftest import BotProcess
from .faults import FaultMix, FaultProxy

CONFIRM = "✅ See my recommendation"
DONE = "✔️ Done"  # a question taking several answers: pressing an option only ticks it
UNREACHABLE = "1000000"  # Telegram's overall flood limits, out of the way (the proxy sends 429s)
NOTICES = ("Sorry, something went wrong", "couldn't save")  # what a person reads as an error


def script(n: int) -> list[str]:
    """Person ``n``'s answers to a creator review, typed as they would (names and fees their own,
    so an answer applied to another question shows)."""
    return [f"Brand{n}", f"Serum {n}", "None of these", "Ongoing partnership / ambassador",
            "Exact posts, formats and dates", f"${2000 + n:,}", f"${1000 + n:,}", "Not at all",
            "None of these", "I already use it", "Yes", "Yes", "My own words",
            "Real value for both", "Yes", "The same brand, extended", "Yes, clearly labelled",
            "Reposts on their channels", "None", "Net 30 or sooner", "Two rounds or fewer",
            "No claims"]


def expected_answers(answers: list[str], name: str) -> dict[str, Any]:
    """What the flow keeps for ``answers`` typed one after another by ``name``, faults aside."""
    actor = Actor(user_id=1, name=name)
    chat = Chat("creator").do("begin", actor=actor)
    for text in answers:
        chat.do("answer", text, actor=actor)
    assert chat.snapshot is not None
    return dict(chat.snapshot.answers)


class CrowdEmulator(BotApiEmulator):
    """The emulator, noting when each chat last changed, so that fifty people waiting do not
    each rescan every transcript at every change."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.changed: dict[int, int] = {}  # chat -> revision of its last change
        self.by_chat: dict[int, list[StoredMessage]] = {}

    def _store(self, chat: Any, sender: Any, **fields: Any) -> StoredMessage:
        message = super()._store(chat, sender, **fields)
        self.by_chat.setdefault(chat.id, []).append(message)
        self.changed[chat.id] = self.revision
        return message

    def _edited(self, msg: StoredMessage) -> dict[str, Any]:
        result = super()._edited(msg)
        self.changed[msg.chat_id] = self.revision
        return result

    def shown(self, chat_id: int) -> list[StoredMessage]:
        """The bot's messages in the chat, still there, oldest first."""
        return [m for m in self.by_chat.get(chat_id, ())
                if m.from_bot and (chat_id, m.message_id) in self.messages]


@dataclass
class Person:
    """How one person's review went."""

    user: TelegramUser
    answers: list[str]
    reached: bool = False
    stuck_at: str | None = None


@dataclass
class Outcome:
    """One fault mix's run, as the people and the database saw it."""

    mix: FaultMix
    people: int
    decided: int = 0
    lost: int = 0  # answers given that were never kept
    doubled: int = 0  # answers or decisions kept twice
    misapplied: int = 0  # answers kept for another question (or another value)
    notices: int = 0  # error notices the people read
    copies: int = 0  # messages left showing a question (or decision) a second time
    stuck: int = 0  # people who never got their next step
    tracebacks: int = 0  # errors the bot logged with their traceback (none expected)
    faults: Counter[str] = field(default_factory=Counter)
    calls: int = 0  # Bot API calls that reached the proxy
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # what went wrong, person by person

    HEADER = ("fault mix", "people", "faults", "decided", "lost", "doubled", "wrong step",
              "notices", "copies", "stuck", "seconds")

    def row(self) -> tuple[str, ...]:
        faults = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items())) or "none"
        return (self.mix.name, str(self.people), f"{sum(self.faults.values())} of "
                f"{self.calls} calls ({faults})", str(self.decided), str(self.lost),
                str(self.doubled), str(self.misapplied), str(self.notices), str(self.copies),
                str(self.stuck), f"{self.seconds:.1f}")

    def misses(self, notices_per_100: float = 1.0) -> list[str]:
        """The issue's targets this run missed (empty when all are met)."""
        missed = [f"{name}: {value}" for name, value in (
            ("lost", self.lost), ("doubled", self.doubled), ("wrong step", self.misapplied),
            ("stuck", self.stuck), ("not decided", self.people - self.decided),
            ("tracebacks in the bot's log", self.tracebacks)) if value]
        if self.notices > notices_per_100 * self.people / 100:
            missed.append(f"error notices: {self.notices} for {self.people} people")
        return missed

    @staticmethod
    def table(outcomes: list[Outcome]) -> str:
        rows = [Outcome.HEADER, *(o.row() for o in outcomes)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(Outcome.HEADER))]
        return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                           strict=True))
                         for row in rows)


async def next_step(emulator: CrowdEmulator, chat_id: int,
                    find: Callable[[list[StoredMessage]], StoredMessage | None],
                    seconds: float) -> StoredMessage | None:
    """The message ``find`` picks from the chat once it shows; None after ``seconds``."""
    looked_at = -1

    def check() -> StoredMessage | None:
        nonlocal looked_at
        changed = emulator.changed.get(chat_id, 0)
        if changed == looked_at:
            return None
        looked_at = changed
        return find(emulator.shown(chat_id))

    try:
        return await emulator.wait_until(check, seconds, "the next step")
    except TimeoutError:
        return None


def question(number: int) -> Callable[[list[StoredMessage]], StoredMessage | None]:
    marker = f"Question {number} of"
    return lambda shown: next((m for m in reversed(shown) if marker in m.visible), None)


def with_button(label: str) -> Callable[[list[StoredMessage]], StoredMessage | None]:
    return lambda shown: next((m for m in reversed(shown) if m.button(label)), None)


def showing(text: str) -> Callable[[list[StoredMessage]], StoredMessage | None]:
    return lambda shown: next((m for m in reversed(shown) if text in m.visible), None)


async def review(emulator: CrowdEmulator, person: Person, rng: random.Random,
                 seconds: float) -> None:
    """One person's whole review, as they would go through it."""
    user = person.user
    await user.send("/review")
    for number, answer in enumerate(person.answers, start=1):
        shown = await next_step(emulator, user.chat_id, question(number), seconds)
        if shown is None:
            person.stuck_at = f"question {number}"
            return
        if shown.button(answer) is not None and shown.button(DONE) is None \
                and rng.random() < 0.5:
            # shown twice (a send made again), a person may press either copy
            copies = [m for m in emulator.shown(user.chat_id)
                      if f"Question {number} of" in m.visible and m.button(answer)]
            await user.press(answer, rng.choice(copies) if copies else shown)
        else:
            await user.send(answer)
    summary = await next_step(emulator, user.chat_id, with_button(CONFIRM), seconds)
    if summary is None:
        person.stuck_at = "the review step"
        return
    await user.press(CONFIRM, summary)
    if await next_step(emulator, user.chat_id, showing("Your reply:"), seconds) is None:
        person.stuck_at = "the decision"
        return
    person.reached = True


def copies_left(shown: list[StoredMessage]) -> int:
    """Messages a person sees a second time, or left behind: a question never answered in its
    own message, a summary still offering its button, a decision card or draft twice over."""
    unanswered = sum(1 for m in shown if "Question " in m.visible and " of " in m.visible)
    summaries = sum(1 for m in shown if m.button(CONFIRM))
    cards = sum(1 for m in shown if "My recommendation" in m.visible)
    drafts = sum(1 for m in shown if "Your reply:" in m.visible)
    return unanswered + summaries + max(0, cards - 1) + max(0, drafts - 1)


async def judge(outcome: Outcome, people: list[Person], emulator: CrowdEmulator,
                database: Path) -> None:
    """Compare what each person answered with what the bot kept and what they were shown."""
    store = open_store(f"sqlite:///{database}")
    try:
        for person in people:
            user = person.user
            shown = emulator.shown(user.chat_id)
            outcome.notices += sum(1 for m in shown for notice in NOTICES if notice in m.visible)
            outcome.copies += copies_left(shown)
            if not person.reached:
                outcome.stuck += 1
                outcome.problems.append(f"person {user.id} stuck at {person.stuck_at}")
            snapshot = await store.load(ConversationKey.private(user.chat_id, user.id))
            decisions = await store.history(user.id)
            if person.reached and decisions:
                outcome.decided += 1
            outcome.doubled += max(0, len(decisions) - 1)
            kept = dict(snapshot.answers) if snapshot is not None else {}
            if snapshot is not None:
                outcome.doubled += len(snapshot.history) - len(set(snapshot.history))
            name = user.user.first_name
            given = expected_answers(person.answers, name) if person.reached \
                else expected_answers(person.answers[:len(kept)], name)
            for question_id, value in given.items():
                if question_id not in kept:
                    outcome.lost += 1
                    outcome.problems.append(f"person {user.id}: {question_id} lost")
                elif kept[question_id] != value:
                    outcome.misapplied += 1
                    outcome.problems.append(f"person {user.id}: {question_id} wrong")
            outcome.misapplied += sum(1 for question_id in kept if question_id not in given)
    finally:
        await store.close()


async def run_crowd(mix: FaultMix, people: int, data_dir: Path, *, seed: int = 0,
                    step_seconds: float = 20.0) -> Outcome:
    """``people`` people through whole reviews at once, the bot's API calls faulted by ``mix``."""
    data_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (once, before anything runs)
    outcome = Outcome(mix, people)
    async with CrowdEmulator() as emulator, FaultProxy(emulator, mix, seed) as proxy:
        bot = BotProcess(emulator, data_dir, name=mix.name, TELEGRAM_API_URL=proxy.url,
                         MESSAGES_PER_SECOND=UNREACHABLE, GROUP_MESSAGES_PER_MINUTE=UNREACHABLE,
                         CHAT_MESSAGES_PER_SECOND=UNREACHABLE, LOG_LEVEL="WARNING")
        await bot.start()
        crowd = [Person(TelegramUser(emulator, 7000 + n, f"Person{n}"), script(n))
                 for n in range(people)]
        began = time.monotonic()
        try:
            await asyncio.gather(*(review(emulator, person, random.Random(f"{seed}:{n}"),
                                          step_seconds) for n, person in enumerate(crowd)))
            outcome.seconds = time.monotonic() - began
        finally:
            await bot.stop(signal.SIGTERM)
        outcome.tracebacks = bot.log().count("Traceback")
        outcome.faults = proxy.counts
        outcome.calls = sum(proxy.calls.values())
        await judge(outcome, crowd, emulator, bot.database)
    return outcome
