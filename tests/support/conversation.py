"""The one test driver for conversations with a flow, below any transport.

``take(flow, snapshot, event)`` runs one event through the registered flow and checks that every
message it shows renders within Telegram's limit; it returns the next snapshot and what the step
shows, its pop-ups last (as replies of their template). ``Chat`` is a conversation driven one event
at a time, typed or pressed, by anyone (``actor``), for any flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.flow import Effect, Toast
from flows.machine import REVIEW
from flows.registry import FLOWS
from flows.replies import Actor, Event, Reply
from flows.snapshot import Snapshot
from prompts import MESSAGE_LIMIT, render, render_text, visible_length

_STRAY_BLANKS = re.compile(r"\n[ \t]*\n[ \t]*\n")


def assert_no_stray_blank_lines(markup: str, where: str) -> None:
    """A message as a phone shows it: never two empty lines in a row, none at its end."""
    assert not _STRAY_BLANKS.search(markup), f"{where}: two empty lines in a row"
    assert markup == markup.rstrip(), f"{where}: ends with an empty line"


def take(flow: str, snapshot: Snapshot | None, event: Event
         ) -> tuple[Snapshot, list[Reply], tuple[Effect, ...]]:
    """One event: the next snapshot, what it shows (its pop-ups last) and its effects."""
    step = FLOWS[flow].advance(snapshot, event)
    shown = [*step.replies, *(Reply(template=effect.template, context=effect.context)
                              for effect in step.effects if isinstance(effect, Toast))]
    for reply in shown:  # every message on the way renders and fits, not only the last
        markup = render(reply.template, reply.context)
        assert visible_length(markup) <= MESSAGE_LIMIT, reply.template
        assert_no_stray_blank_lines(markup, reply.template)
    return step.snapshot, shown, step.effects


@dataclass
class Chat:
    """One conversation with a flow, typed or pressed one step at a time."""

    flow: str
    snapshot: Snapshot | None = None
    replies: list[Reply] = field(default_factory=list)  # what the last event showed
    effects: tuple[Effect, ...] = ()

    def do(self, verb: str, arg: str = "", actor: Actor | None = None) -> Chat:
        event = Event(verb=verb, arg=arg, actor=actor)  # type: ignore[arg-type]
        self.snapshot, self.replies, self.effects = take(self.flow, self.snapshot, event)
        return self

    def say(self, *texts: str) -> Chat:
        for text in texts:
            self.do("answer", text)
        return self

    def text(self, template: str) -> str:
        reply = next(r for r in self.replies if r.template == template)
        return render_text(reply.template, reply.context)

    @property
    def step(self) -> str:
        assert self.snapshot is not None
        return self.snapshot.step

    def at_length(self) -> Chat:
        """Answer each question asked until the review step with the most it takes: the
        longest text, every option of a multi-answer question, the largest amount, else the
        first option."""
        questions = FLOWS[self.flow].questions  # type: ignore[attr-defined]
        for _ in questions.questions:
            if self.step == REVIEW:
                break
            question = questions.by_id[self.step[4:]]
            if question.kind == "text":
                self.say("ŵ" * question.max_length)
            elif question.kind == "multi":
                self.say(", ".join(str(n + 1) for n in range(len(question.options))))
            elif question.kind == "money":
                self.say("$99,999,999")
            else:
                self.say(question.option_ids()[0])
        return self

