"""A deal's stages as one shared ``transitions`` machine, and ``move`` to fire a verb on a deal.

Stages name where the deal stands (``reply_sent``, ``agreed``, ``sample_on_way``, ``trying``,
``content_due``, ``posted``, ``invoiced``, ``paid``, ``closed``); triggers are the creator's verbs
(``agree``, ``receive``, ``schedule``, ``post``, ``invoice``, ``collect``, ``close``, ``drop``);
conditions are ``is_*``/``has_*`` predicates over a throwaway ``Holder``, so one module-level
machine serves every deal (no ``add_model``). ``mermaid`` draws the same declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from transitions import EventData, Machine, MachineError
from transitions.extensions import GraphMachine

from flows.deal.model import STAGES, Deal, Stage
from flows.diagram import draw

TRIGGERS = ("agree", "receive", "schedule", "post", "invoice", "collect", "close", "drop")
# the date each stage stamps on the deal when it is entered
STAMPS: dict[str, str] = {"trying": "sample_arrived", "posted": "posted_on",
                          "invoiced": "invoiced_on", "paid": "paid_on", "closed": "closed_on"}


@dataclass(slots=True)
class Holder:
    """The model a trigger runs on: the deal and its stage, thrown away afterwards."""

    state: str
    deal: Deal


def _named(name: str, test: Callable[[Deal], bool]) -> Callable[[EventData], bool]:
    def predicate(event: EventData) -> bool:
        holder = event.model
        assert isinstance(holder, Holder)
        return test(holder.deal)

    predicate.__name__ = predicate.__qualname__ = name
    return predicate


IS_SAMPLE_FIRST = _named("is_sample_first", lambda d: d.sample_first)
HAS_DATES = _named("has_dates", lambda d: d.draft_due is not None or d.go_live is not None)
IS_PAID_DEAL = _named("is_paid_deal", lambda d: d.paid_deal)
IS_UNPAID_DEAL = _named("is_unpaid_deal", lambda d: not d.paid_deal)
BEFORE_POSTING = ["reply_sent", "agreed", "sample_on_way", "trying", "content_due"]

TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "agree", "source": "reply_sent", "dest": "sample_on_way",
     "conditions": [IS_SAMPLE_FIRST]},
    {"trigger": "agree", "source": "reply_sent", "dest": "agreed", "unless": [IS_SAMPLE_FIRST]},
    {"trigger": "receive", "source": "sample_on_way", "dest": "trying"},
    # after the trial the review is answered again; a yes the brand takes is agreed
    {"trigger": "agree", "source": "trying", "dest": "agreed"},
    {"trigger": "schedule", "source": "agreed", "dest": "content_due", "conditions": [HAS_DATES]},
    {"trigger": "post", "source": ["agreed", "content_due"], "dest": "posted"},
    {"trigger": "invoice", "source": "posted", "dest": "invoiced", "conditions": [IS_PAID_DEAL]},
    {"trigger": "collect", "source": "invoiced", "dest": "paid"},
    {"trigger": "close", "source": "paid", "dest": "closed"},
    {"trigger": "close", "source": "posted", "dest": "closed", "conditions": [IS_UNPAID_DEAL]},
    # a deal that falls through before anything is posted; once posted, the money is owed
    {"trigger": "drop", "source": BEFORE_POSTING, "dest": "closed"},
]


def build_machine(machine_class: type[Machine] = Machine, **options: Any) -> Machine:
    """The one machine every deal fires on (``model=None``, no auto transitions)."""
    return machine_class(model=None, states=list(STAGES), transitions=TRANSITIONS,
                         initial=STAGES[0], auto_transitions=False, send_event=True, **options)


MACHINE = build_machine()


def move(deal: Deal, trigger: str, today: date) -> Deal | None:
    """The deal after the creator's verb, with the day stamped on the stage it entered; None
    when that verb cannot move the deal from where it stands."""
    event = MACHINE.events.get(trigger)
    holder = Holder(state=deal.stage, deal=deal)
    try:
        if event is None or not event.trigger(holder):
            return None
    except MachineError:
        return None
    stage: Stage = holder.state  # type: ignore[assignment]
    stamp = STAMPS.get(stage)
    update: dict[str, Any] = {"stage": stage}
    if stamp is not None and getattr(deal, stamp) is None:
        update[stamp] = today
    return deal.model_copy(update=update)


def allowed(deal: Deal) -> list[str]:
    """The verbs that can move this deal now (its message offers these as buttons)."""
    return [t for t in TRIGGERS if move(deal, t, deal.replied_at.date()) is not None]


def mermaid() -> str:
    """The deal's stage diagram as Mermaid source, drawn from the live declarations."""
    return draw(build_machine(GraphMachine, graph_engine="mermaid", show_conditions=True,
                              title="deal stages"))


def document() -> str:
    """``docs/flows/deal.md`` as it should read (the same frame as the flows' diagrams)."""
    return ("# The deal stages\n\nGenerated from the live state machine by `make diagrams`; a "
            "test fails when it is stale.\n\n```mermaid\n" + mermaid() + "```\n")
