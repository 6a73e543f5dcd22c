"""The deals service: what a creator does with a deal after the decision, whatever the transport.

``Deals`` opens a deal from a decision kept for /history (``track``), lists the open ones
(``listing``), shows one with the buttons that move it on (``card``), and applies a press
(``press``: a stage verb, snooze / stop on a reminder, or a draft to the brand). Every press
that changes the deal saves it, and saving replans its reminders in the store
(``bot.store.DealStore``). What it returns is a ``DealMessage``: a template of ``prompts/deal/``,
its context, and buttons as label keys with the argument of the ``deal`` menu action
(``<deal id>_<verb>[_<arg>]``), which each transport renders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.store import DealStore, DecisionStore, StoredDeal
from flows.deal.drafts import DRAFTS, card_context, draft_context, reminder_context
from flows.deal.model import from_summary
from flows.deal.reminders import RULES, Kind, Reminder, snooze, stop
from flows.deal.stages import allowed, move
from flows.deal.zone import zone

ACTION = "deal"  # the menu action of a deal's buttons; ``track`` opens one from a decision
TRACK = "track"
LISTED = 10


@dataclass(frozen=True, slots=True)
class DealButton:
    """A button: ``label`` is a key of ``prompts/deal/labels.j2``; ``action`` and ``arg`` its
    menu press."""

    label: str
    arg: str
    action: str = ACTION


@dataclass(frozen=True, slots=True)
class DealMessage:
    template: str
    context: dict[str, Any]
    buttons: list[list[DealButton]] = field(default_factory=list)


def _card(stored: StoredDeal, now: datetime) -> DealMessage:
    deal = stored.deal
    verbs = allowed(deal)
    return DealMessage("deal/deal.j2", card_context(deal, now, zone(stored.tz)),
                       [[DealButton(v, f"{deal.id}_{v}")] for v in verbs])


def reminder_message(stored: StoredDeal, reminder: Reminder, now: datetime) -> DealMessage:
    """A reminder's message and the buttons that act on it (those a transport can offer here:
    stage verbs, snooze and stop)."""
    today = now.astimezone(zone(stored.tz)).date()
    deal = stored.deal
    # a draft's button names the draft; the others, the reminder they act on
    buttons = [[DealButton(a.label, f"{deal.id}_{a.verb}_"
                                    f"{a.arg if a.verb == 'draft' else reminder.kind}")]
               for a in reminder.actions if a.verb in PRESSABLE]
    return DealMessage("deal/reminder.j2", reminder_context(deal, reminder, today), buttons)


# what a press can do now: move the stage, snooze or stop the reminder it came with, show a draft
PRESSABLE = frozenset({"agree", "receive", "schedule", "post", "invoice", "collect", "close",
                       "drop", "snooze", "stop", "draft"})
REMINDER_VERBS = frozenset({"snooze", "stop"})


class Deals:
    """Deals of one store: opened from decisions, moved on by presses, listed."""

    def __init__(self, deals: DealStore, decisions: DecisionStore) -> None:
        self.deals = deals
        self.decisions = decisions

    async def track(self, chat_id: int, user_id: int, decision_id: int, now: datetime,
                    tz: str) -> DealMessage | None:
        """Open a deal from a decided creator review kept in /history (again: the same deal);
        None when there is no such decision or its reply opens no deal (a decline)."""
        deal_id = str(decision_id)
        kept = await self.deals.deal(user_id, deal_id)
        if kept is not None:
            return _card(kept, now)
        decision = await self.decisions.decision(user_id, decision_id)
        if decision is None or decision.flow != "creator":
            return None
        deal = from_summary(decision.payload, deal_id=deal_id, replied_at=now)
        if deal is None:
            return None
        await self.deals.save_deal(chat_id, user_id, deal, tz)
        return _card(StoredDeal(chat_id, user_id, deal, tz), now)

    async def listing(self, user_id: int, now: datetime) -> DealMessage:
        """``/deals``: the open deals with what comes next, a button to open each."""
        kept = await self.deals.open_deals(user_id, LISTED)
        cards = [card_context(s.deal, now, zone(s.tz)) for s in kept]
        buttons = [[DealButton("open_deal", f"{s.deal.id}_show")] for s in kept]
        return DealMessage("deal/deals.j2", {"deals": cards}, buttons)

    async def card(self, user_id: int, deal_id: str, now: datetime) -> DealMessage | None:
        kept = await self.deals.deal(user_id, deal_id)
        return None if kept is None else _card(kept, now)

    async def press(self, user_id: int, arg: str, now: datetime) -> DealMessage | None:
        """A deal's button pressed (``<deal id>_<verb>[_<reminder kind>]``): the deal as it
        now stands; None when the deal is gone or the press no longer fits it (an old button)."""
        deal_id, _, rest = arg.partition("_")
        verb, _, kind = rest.partition("_")
        kept = await self.deals.deal(user_id, deal_id)
        if kept is None:
            return None
        if verb == "show":
            return _card(kept, now)
        deal = kept.deal
        if verb == "draft":  # a draft to send the brand: the deal itself does not change
            if kind not in DRAFTS:
                return None
            today = now.astimezone(zone(kept.tz)).date()
            return DealMessage("deal/draft.j2", draft_context(deal, kind, today))
        if verb in REMINDER_VERBS:
            if kind not in RULES:
                return None
            known: Kind = kind
            changed = snooze(deal, known, now) if verb == "snooze" else stop(deal, known)
        elif verb in PRESSABLE:
            moved = move(deal, verb, now.astimezone(zone(kept.tz)).date())
            if moved is None:
                return None
            changed = moved
        else:
            return None
        await self.deals.save_deal(kept.chat_id, user_id, changed, kept.tz)
        return _card(StoredDeal(kept.chat_id, user_id, changed, kept.tz), now)
