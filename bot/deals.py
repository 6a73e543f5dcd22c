"""The deals service: what a creator does with a deal after the decision, whatever the transport.

``Deals`` opens a deal from a decision kept for /history (``track``, or ``track_marked`` for
the decision a decided step's card shows, as the conversation service asks), lists the open
ones (``listing``), shows one with the buttons that move it on (``card``), applies a press
(``press``: a stage verb, snooze / stop / change the date of a reminder, a draft to the brand,
the caption check) and reads what the creator typed when a deal's question asked for it
(``typed``: the dates the deal still needs, a changed date, a caption, a
time zone). Every change saves the deal, and saving replans its reminders in the store
(``bot.store.DealStore``). What it returns is a list of ``DealMessage``: a template of
``prompts/deal/``, its context, and buttons as label keys with the argument of the ``deal`` menu
action (``<deal id>_<verb>[_<arg>]``), which each transport renders; ``asks`` says the message
asks the creator to type (Telegram's reply field opens), ``document`` names a file to send it as.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.conversations import ANSWERS
from bot.store import ConflictError, DealStore, DecisionStore, StoredDeal
from bot.store.deals import CHANGE_ATTEMPTS
from flows.deal.caption import Platform, check, read_handle
from flows.deal.dates import read_dates, read_day
from flows.deal.drafts import DRAFTS, card_context, context, draft_context, reminder_context
from flows.deal.model import Deal, from_summary, missing_dates, terms_from, with_dates
from flows.deal.reminders import RULES, Kind, Reminder, kept_for_review, reschedule, snooze, stop
from flows.deal.stages import allowed, move
from flows.deal.zone import country_of, default_zone, read_zone, zone
from flows.flow import decision_mark
from flows.questions import Unplaceable
from flows.snapshot import Answer

ACTION = "deal"  # the menu action of a deal's buttons; ``track`` opens one from a decision
TRACK = "track"
LISTED = 10
PLATFORMS: tuple[Platform, ...] = ("instagram", "tiktok", "youtube")
MARKED = 50  # the newest decisions a card's "track" looks among for the one it shows


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
    asks: bool = False  # it asks the creator to type an answer
    document: str | None = None  # sent as a file of this name


def _card(stored: StoredDeal, now: datetime) -> DealMessage:
    deal = stored.deal
    rows = [[DealButton(v, f"{deal.id}_{v}")] for v in allowed(deal)]
    if missing_dates(deal):  # the dates step answered later (it was passed over)
        rows.append([DealButton("give_dates", f"{deal.id}_dates")])
    return DealMessage("deal/deal.j2", card_context(deal, now, zone(stored.tz)), rows)


def reminder_message(stored: StoredDeal, reminder: Reminder, now: datetime) -> DealMessage:
    """A reminder's message and the buttons that act on it."""
    today = now.astimezone(zone(stored.tz)).date()
    deal = stored.deal
    # a draft's button names the draft; the others, the reminder they act on
    buttons = [[DealButton(a.label, f"{deal.id}_{a.verb}_"
                                    f"{a.arg if a.verb == 'draft' else reminder.kind}")]
               for a in reminder.actions if a.verb in PRESSABLE]
    return DealMessage("deal/reminder.j2", reminder_context(deal, reminder, today), buttons)


STAGE_VERBS = frozenset({"agree", "receive", "schedule", "post", "invoice", "collect", "close",
                         "drop"})
# what a press can do: move the stage, act on the reminder it came with, show a draft, ask
PRESSABLE = STAGE_VERBS | {"snooze", "stop", "reschedule", "draft", "caption", "reopen",
                           "handle"}
REOPEN = "reopen"  # "still like it?": the transport begins the review again (``Deals.reopen``)


def verb_of(arg: str) -> str:
    """The verb of a deal button's argument (``<deal id>_<verb>[_<arg>]``)."""
    return arg.partition("_")[2].partition("_")[0]


def _asking(stored: StoredDeal, what: str, today: Any, **extra: Any) -> DealMessage:
    """A question about the deal, answered by typing (``what``: dates, date, caption, zone)."""
    return DealMessage("deal/ask.j2", {**context(stored.deal, today), "what": what,
                                       "problem": None, **extra}, asks=True)


Change = Callable[[Deal], Deal | None]


class Deals:
    """Deals of one store: opened from decisions, moved on by presses, listed."""

    def __init__(self, deals: DealStore, decisions: DecisionStore,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.deals = deals
        self.decisions = decisions
        self.clock = clock

    async def track(self, chat_id: int, user_id: int, decision_id: int, now: datetime,
                    language: str | None = None) -> list[DealMessage]:
        """Open a deal from a decided creator review kept in /history (again: the same deal);
        nothing when there is no such decision or its reply opens no deal (a decline). The
        creator's first deal asks their time zone once, offering the one their language
        suggests; later deals take the zone they chose."""
        deal_id = str(decision_id)
        kept = await self.deals.deal(user_id, deal_id)
        every = [] if kept is not None else await self.deals.deals_of(user_id, None)
        kept = kept or next((s for s in every if decision_id in s.deal.decisions),
                            None)  # a review reopened after the trial
        if kept is not None:
            return [_card(kept, now)]
        decision = await self.decisions.decision(user_id, decision_id)
        if decision is None or decision.flow != "creator":
            return []
        deal = from_summary(decision.payload, deal_id=deal_id, replied_at=now)
        if deal is None:
            return []
        earlier = every[:1]  # the newest deal (deals_of's order): its zone is the one chosen
        tz = earlier[0].tz if earlier else default_zone(language)
        stored = await self._saved(StoredDeal(chat_id, user_id, deal, tz), None)
        messages = [_card(stored, now)]
        if not earlier:
            messages.append(DealMessage("deal/zone.j2", {"zone": tz, "guessed": True}, [
                [DealButton("zone_ok", f"{deal.id}_zoneok")],
                [DealButton("zone_other", f"{deal.id}_zone")]]))
        return messages

    async def track_marked(self, chat_id: int, user_id: int, flow: str, mark: str,
                           now: datetime, language: str | None = None) -> list[DealMessage]:
        """Track the kept decision of ``flow`` whose answers give ``mark`` (``decision_mark``):
        the one a decided step's card shows, however many came after it (the newest of equal
        ones); said plainly when it is no longer kept or its reply opens no deal."""
        for kept in await self.decisions.history(user_id, MARKED):
            if kept.flow == flow and decision_mark(flow, kept.payload.get("answers")) == mark:
                return await self.track(chat_id, user_id, kept.id, now, language) or [
                    DealMessage("deal/untracked.j2", {"why": "no_deal"})]
        return [DealMessage("deal/untracked.j2", {"why": "gone"})]

    async def reopen(self, user_id: int, arg: str) -> dict[str, Answer] | None:
        """"Still like it?" pressed (``<deal id>_reopen_...``): the answers of the decision the
        deal follows without its values questions, to begin the review again with them (so it
        asks those first); the deal then awaits the new decision (``decided``). None when the
        deal is gone or no longer trying the sample."""
        deal_id, _, _ = arg.partition("_")
        kept = await self.deals.deal(user_id, deal_id)
        if kept is None or kept.deal.stage != "trying" or not deal_id.isdigit():
            return None
        followed = kept.deal.decisions[-1] if kept.deal.decisions else int(deal_id)
        decision = await self.decisions.decision(user_id, followed)
        if decision is None:
            return None
        answers = ANSWERS.validate_python(decision.payload.get("answers", {}))
        if await self._change(kept, lambda d: d.model_copy(update={"awaiting": "review"})) \
                is None:
            return None
        return kept_for_review(answers)

    async def decided(self, user_id: int, decision_id: int, flow: str,
                      payload: dict[str, Any]) -> None:
        """A decision kept for ``user_id``: the deal whose review was reopened after the trial
        takes it up (its terms as the new reply settles them; a decline drops the deal)."""
        if flow != "creator":
            return
        waiting = next((s for s in await self.deals.deals_of(user_id, LISTED)
                        if s.deal.awaiting == "review"), None)
        if waiting is None:
            return
        today = self.clock().astimezone(zone(waiting.tz)).date()
        declined = (payload.get("draft") or payload.get("recommended_draft")) == "decline"

        def take_up(deal: Deal) -> Deal:
            deal = deal.model_copy(update={
                "terms": terms_from(payload), "awaiting": None, "sample_first": False,
                "decisions": [*deal.decisions, decision_id]})
            return (move(deal, "drop", today) or deal) if declined else deal

        await self._change(waiting, take_up)

    async def listing(self, user_id: int, now: datetime) -> DealMessage:
        """``/deals``: the open deals with what comes next, a button to open each."""
        kept = await self.deals.open_deals(user_id, LISTED)
        cards = [card_context(s.deal, now, zone(s.tz)) for s in kept]
        buttons = [[DealButton("open_deal", f"{s.deal.id}_show")] for s in kept]
        return DealMessage("deal/deals.j2", {"deals": cards}, buttons)

    async def card(self, user_id: int, deal_id: str, now: datetime) -> DealMessage | None:
        kept = await self.deals.deal(user_id, deal_id)
        return None if kept is None else _card(kept, now)

    async def press(self, user_id: int, arg: str, now: datetime,
                    language: str | None = None) -> list[DealMessage]:
        """A deal's button pressed (``<deal id>_<verb>[_<reminder kind or draft>]``): what to
        show; nothing when the deal is gone or the press no longer fits it (an old button)."""
        deal_id, _, rest = arg.partition("_")
        verb, _, kind = rest.partition("_")
        kept = await self.deals.deal(user_id, deal_id)
        if kept is None:
            return []
        today = now.astimezone(zone(kept.tz)).date()
        if verb == "show":
            return [_card(kept, now)]
        if verb in ("draft", "file"):  # a draft to send the brand: the deal itself does not change
            if kind not in DRAFTS:
                return []
            if verb == "file":
                if kind != "invoice":
                    return []
                return [DealMessage("deal/invoice.md.j2", context(kept.deal, today),
                                    document=f"invoice-{_slug(kept.deal.brand)}-{today}.md")]
            buttons = [[DealButton("invoice_file", f"{deal_id}_file_invoice")]] \
                if kind == "invoice" else []
            return [DealMessage("deal/draft.j2", draft_context(kept.deal, kind, today), buttons)]
        if verb == "zoneok":
            return [DealMessage("deal/zone.j2", {"zone": kept.tz, "guessed": False})]
        asked = _question(verb, kind, kept, language)
        if asked is not None:
            awaiting, what, extra = asked
            stored = await self._change(kept, lambda d: d.model_copy(
                update={"awaiting": awaiting}))
            if stored is None:
                return []
            return [_asking(stored, what, today, **extra)]
        changed = await self._change(kept, lambda d: _pressed(d, verb, kind, now, kept.tz))
        if changed is None:
            return []
        return [_card(changed, now), *self._dates_asked(changed, now)]

    async def asked(self, user_id: int, deal_id: str, message_id: int) -> None:
        """The transport's message ``message_id`` shows the deal's question: the answer is a
        reply to it."""
        kept = await self.deals.deal(user_id, deal_id)
        if kept is not None and kept.deal.awaiting:
            await self._change(kept, lambda d: d.model_copy(update={"asked_in": message_id}))

    async def typed(self, user_id: int, text: str, now: datetime, reply_to: int
                    ) -> list[DealMessage]:
        """Text the creator typed in reply to a deal's question (the message ``reply_to``);
        nothing when no deal's question is that message: the text goes on to the conversation
        (a reply to a question of the review, say)."""
        waiting = next((s for s in await self.deals.deals_of(user_id, LISTED)
                        if s.deal.awaiting and s.deal.asked_in == reply_to), None)
        if waiting is None:
            return []
        deal, awaiting = waiting.deal, waiting.deal.awaiting or ""
        today = now.astimezone(zone(waiting.tz)).date()
        what, _, arg = awaiting.partition("_")
        try:
            if what == "dates":
                given = read_dates(text, missing_dates(deal), today)
                changed: Change = lambda d: _scheduled(with_dates(d, given), today)  # noqa: E731
            elif what == "date" and arg in RULES:
                day = read_day(text, today)
                kind: Kind = arg
                changed = lambda d: (reschedule(d, kind, day) if day else d)  # noqa: E731
            elif what == "zone":
                return await self._zone(waiting, text, now)
            elif what == "caption":
                return await self._caption(waiting, text, arg)
            elif what == "handle":
                return await self._handle(waiting, text, today)
            else:
                return []
        except Unplaceable as unplaced:
            extra = {"missing": missing_dates(deal)} if what == "dates" else {"kind": arg}
            message = _asking(waiting, "dates" if what == "dates" else "date", today, **extra)
            return [DealMessage(message.template, {**message.context,
                                                   "problem": unplaced.problem}, asks=True)]
        stored = await self._change(waiting, lambda d: _answered(changed(d)))
        return [] if stored is None else [_card(stored, now)]

    async def _zone(self, waiting: StoredDeal, text: str, now: datetime) -> list[DealMessage]:
        tz = read_zone(text)
        if tz is None:
            return [DealMessage("deal/ask.j2", {**context(waiting.deal, now.date()),
                                                "what": "zone", "problem": "zone"}, asks=True)]
        await self._change(waiting, _answered)
        for stored in await self.deals.deals_of(waiting.user_id, None):
            if stored.tz != tz:  # every deal's reminders follow the creator's clock
                await self._change(stored, lambda d: d, tz=tz)
        return [DealMessage("deal/zone.j2", {"zone": tz, "guessed": False})]

    async def _caption(self, waiting: StoredDeal, text: str, country: str
                       ) -> list[DealMessage]:
        """The caption checked with the deal's own facts: its platforms, the brand (its handle
        when given), gifted or paid; the brand's handle asked once when the caption misses it."""
        await self._change(waiting, _answered)
        deal = waiting.deal
        platforms = tuple(p for p in PLATFORMS if p in deal.platforms)
        found = check(text, country="US" if country == "US" else "UK",
                      needs_label=deal.paid_deal, platforms=platforms, brand=deal.brand,
                      brand_handle=deal.handle, gifted=deal.gifted)
        checked = {**found.model_dump(), "brand": deal.brand}
        ask = [[DealButton("give_handle", f"{deal.id}_handle")]] \
            if any(f.code == "brand_missing" for f in found.findings) else []
        return [DealMessage("deal/caption_check.j2", checked, ask),
                DealMessage("deal/caption_fixed.j2", checked)]

    async def _handle(self, waiting: StoredDeal, text: str, today: Any) -> list[DealMessage]:
        """The brand's handle, as the creator typed it: kept on the deal for its captions."""
        handle = read_handle(text)
        if handle is None:
            message = _asking(waiting, "handle", today)
            return [DealMessage(message.template, {**message.context, "problem": "handle"},
                                asks=True)]
        country = country_of(None, waiting.tz)  # the caption is asked again, with it
        stored = await self._change(waiting, lambda d: d.model_copy(update={
            "handle": handle, "awaiting": f"caption_{country}", "asked_in": None}))
        if stored is None:
            return []
        return [_asking(stored, "caption", today, country=country)]

    def _dates_asked(self, stored: StoredDeal, now: datetime) -> list[DealMessage]:
        """The one short step asking the dates the deal still needs, when it needs some."""
        missing = missing_dates(stored.deal)
        if not missing or stored.deal.awaiting != "dates":
            return []
        today = now.astimezone(zone(stored.tz)).date()
        return [_asking(stored, "dates", today, missing=missing)]

    async def _change(self, stored: StoredDeal, change: Change, tz: str | None = None
                      ) -> StoredDeal | None:
        """The deal changed (and moved to the time zone ``tz``, if given) and saved; read again
        and changed again when another writer (the reminder loop, another press) saved it in
        between; None when the change does not fit."""
        for attempt in range(CHANGE_ATTEMPTS):
            changed = change(stored.deal)
            if changed is None:
                return None
            if changed.stage != stored.deal.stage and missing_dates(changed) \
                    and changed.awaiting is None:
                changed = changed.model_copy(update={"awaiting": "dates"})
            try:
                return await self._saved(StoredDeal(stored.chat_id, stored.user_id, changed,
                                                    tz or stored.tz), stored.rev)
            except ConflictError:
                if attempt == CHANGE_ATTEMPTS - 1:
                    raise
                again = await self.deals.deal(stored.user_id, stored.deal.id)
                if again is None:
                    return None
                stored = again
        return None

    async def _saved(self, stored: StoredDeal, rev: int | None) -> StoredDeal:
        new_rev = await self.deals.save_deal(stored.chat_id, stored.user_id, stored.deal,
                                             stored.tz, expected=rev)
        return StoredDeal(stored.chat_id, stored.user_id, stored.deal, stored.tz, new_rev)


def _question(verb: str, kind: str, stored: StoredDeal, language: str | None
              ) -> tuple[str, str, dict[str, Any]] | None:
    """A press that asks the creator to type: what the deal then awaits, the question, and its
    context; None for any other press."""
    if verb == "reschedule" and kind in RULES and RULES[kind].changes is not None:
        return f"date_{kind}", "date", {"kind": kind}
    if verb == "caption":
        country = country_of(language, stored.tz)
        return f"caption_{country}", "caption", {"country": country}
    if verb == "zone":
        return "zone", "zone", {}
    if verb == "handle":
        return "handle", "handle", {}
    if verb == "dates" and (missing := missing_dates(stored.deal)):
        return "dates", "dates", {"missing": missing}
    return None


def _pressed(deal: Deal, verb: str, kind: str, now: datetime, tz: str) -> Deal | None:
    """The deal after a press on one of its buttons; None when the press does not fit it."""
    if verb in ("snooze", "stop"):
        if kind not in RULES:
            return None
        known: Kind = kind
        return snooze(deal, known, now) if verb == "snooze" else stop(deal, known)
    if verb in STAGE_VERBS:
        return move(deal, verb, now.astimezone(zone(tz)).date())
    return None


def _answered(deal: Deal | None) -> Deal | None:
    return None if deal is None else deal.model_copy(update={"awaiting": None, "asked_in": None})


def _scheduled(deal: Deal, today: Any) -> Deal:
    """With its dates given, an agreed deal's content is due (its reminders follow them)."""
    return move(deal, "schedule", today) or deal


def _slug(brand: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in brand.casefold()).strip("-")[:40] or "deal"
