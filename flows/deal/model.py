"""A deal, as data: what follows a creator review's decision, from the reply sent to paid.

``from_summary`` starts a deal from a decided review's summary (``flows.creator.flow.summary``):
the agreed terms are only those the review settled (the fee, payment terms, a usage window or an
exclusivity window the reply itself named), never guessed; ``missing_dates`` says which dates the
creator is still to give, asked in one short step. Dates are the creator's calendar days; the
reply's moment is UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.snapshot import Money

Stage = Literal["reply_sent", "agreed", "sample_on_way", "trying", "content_due", "posted",
                "invoiced", "paid", "closed"]
STAGES: tuple[Stage, ...] = ("reply_sent", "agreed", "sample_on_way", "trying", "content_due",
                             "posted", "invoiced", "paid", "closed")
# the dates a creator may give or change, each a calendar day
DateField = Literal["sample_arrived", "trial_ends", "draft_due", "go_live", "posted_on",
                    "invoiced_on", "payment_due", "paid_on", "usage_ends", "exclusivity_ends"]
DATE_FIELDS: tuple[DateField, ...] = ("sample_arrived", "trial_ends", "draft_due", "go_live",
                                      "posted_on", "invoiced_on", "payment_due", "paid_on",
                                      "usage_ends", "exclusivity_ends")
# what the deal's one short step asks: the dates, and the payment terms when none were settled
StepField = Literal["sample_arrived", "trial_ends", "draft_due", "go_live", "posted_on",
                    "invoiced_on", "payment_due", "paid_on", "usage_ends", "exclusivity_ends",
                    "payment_days"]
Source = Literal["offered", "asked"]  # the brand's terms as offered, or the counter-offer's asks

TRIAL_DAYS = 14  # how long a sample is tried before "still like it?", unless the creator says
USAGE_MONTHS_ASKED = 12  # the counter-offer's usage ask: 12 months on the brand's own channels


class Terms(BaseModel):
    """The deal's terms, as the review settled them; None is "the review never said"."""

    model_config = ConfigDict(frozen=True)

    source: Source = "offered"
    fee: Money | None = None
    payment_days: int | None = None  # net days from the invoice
    kill_fee: Money | None = None  # only when the counter-offer asked for one
    usage: str | None = None  # the review's usage answer (organic, limited_paid, ...)
    usage_months: int | None = None  # only when the reply named a window
    paid_use_month: Money | None = None  # a month of paid use, when the reply priced it
    exclusivity: str | None = None  # the review's exclusivity answer
    exclusivity_months: int | None = None
    exclusivity_month: Money | None = None  # a month of exclusivity, when the reply priced it
    extras: dict[str, Money] = {}  # priced extras the counter-offer asked (paid_use, rush, ...)

    @property
    def total(self) -> Money | None:
        """The fee and the extras, when all are in the fee's currency (else None: say each)."""
        if self.fee is None or any(m.currency != self.fee.currency
                                   for m in self.extras.values()):
            return None
        return Money(amount=self.fee.amount + sum(m.amount for m in self.extras.values()),
                     currency=self.fee.currency)


class Deal(BaseModel):
    """One deal per decision: its stage, its dates, its terms, and what its reminders did.

    ``sent`` holds the keys of reminders already delivered, ``snoozed`` a reminder kind's new
    time, ``stopped`` the kinds the creator turned off, ``skipped`` the dates they chose not to
    give (never asked again). ``awaiting`` names what the deal's last question asked the creator
    to type (``dates``, ``date_<reminder kind>``, ``caption_<country>``, ``zone``), if any, and
    ``asked_in`` the message that asked it.
    """

    id: str
    brand: str
    product: str
    signature: str = ""
    stage: Stage = "reply_sent"
    sample_first: bool = False
    paid_deal: bool = True  # a charity post is not invoiced
    terms: Terms = Terms()
    replied_at: datetime  # the moment the reply went to the brand (UTC)
    sample_arrived: date | None = None
    trial_ends: date | None = None
    draft_due: date | None = None
    go_live: date | None = None
    posted_on: date | None = None
    invoiced_on: date | None = None
    payment_due: date | None = None
    paid_on: date | None = None
    usage_ends: date | None = None
    exclusivity_ends: date | None = None
    closed_on: date | None = None
    sent: list[str] = Field(default_factory=list)
    snoozed: dict[str, datetime] = Field(default_factory=dict)
    stopped: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    awaiting: str | None = None
    asked_in: int | None = None  # the transport's message asking it: the answer replies to it
    decisions: list[int] = Field(default_factory=list)  # later decisions it took up (reopened)

    @property
    def trial_end(self) -> date | None:
        """When the trial ends: the creator's date, else two weeks after the sample arrived."""
        if self.trial_ends is not None or self.sample_arrived is None:
            return self.trial_ends
        return self.sample_arrived + timedelta(days=TRIAL_DAYS)

    @property
    def payment_due_on(self) -> date | None:
        """The creator's due date, else the invoice date plus the agreed net days."""
        if self.payment_due is not None or self.invoiced_on is None:
            return self.payment_due
        days = self.terms.payment_days
        return self.invoiced_on + timedelta(days=days) if days is not None else None

    @property
    def usage_ends_on(self) -> date | None:
        return self.usage_ends or _months_after(self.posted_on, self.terms.usage_months)

    @property
    def exclusivity_ends_on(self) -> date | None:
        return self.exclusivity_ends or _months_after(self.posted_on,
                                                      self.terms.exclusivity_months)


def _months_after(start: date | None, months: int | None) -> date | None:
    if start is None or months is None:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):  # the 31st of a shorter month is its last day
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def _money(value: Any) -> Money | None:
    if isinstance(value, Money):
        return value
    if isinstance(value, Mapping) and "amount" in value:
        return Money(amount=Decimal(str(value["amount"])), currency=str(value.get("currency",
                                                                                  "USD")))
    return None


def _extra(money: Mapping[str, Any], *codes: str) -> Mapping[str, Any] | None:
    return next((e for e in money.get("extras") or [] if e.get("code") in codes), None)


# the counter-offer's ask that priced each extra
EXTRA_ASKED = {"paid_use": "usage_rights.limited_paid", "whitelisting": "usage_rights.whitelisting",
               "rush": "deliverables.rush"}
EXCLUSIVITY_ASKS = {"exclusivity.long_vague", "exclusivity.short_named"}


def terms_from(summary: Mapping[str, Any]) -> Terms:
    """The terms a decided review settled: the offered ones for an accept, the asked ones for a
    counter-offer (what its draft said, with its numbers), nothing the reply did not name."""
    answers: Mapping[str, Any] = summary.get("answers", {})
    money: Mapping[str, Any] = summary["decision"].get("money") or {}
    countered = summary.get("draft") == "counter"
    asks = set(summary.get("asks", [])) if countered else set()
    fee = _money(money.get("ask_fee")) if countered and money.get("ask_fee") else None
    fee = fee or _money(answers.get("pay"))
    payment = answers.get("payment_terms")
    asked_payment = bool(asks & {"payment_terms.net60_plus", "payment_terms.not_stated"})
    usage, exclusivity = answers.get("usage_rights"), answers.get("exclusivity")
    usage_window = bool(asks & {"usage_rights.perpetual", "usage_rights.not_stated"})
    paid = _extra(money, "paid_use", "whitelisting")
    paid_window = bool(asks & {"usage_rights.limited_paid", "usage_rights.whitelisting"})
    exclusive = _extra(money, "exclusivity")
    exclusive_window = bool(asks & EXCLUSIVITY_ASKS)
    extras = {str(e["code"]): amount for e in money.get("extras") or []
              if (amount := _money(e.get("amount"))) is not None
              and (EXTRA_ASKED.get(e["code"]) in asks
                   or (e["code"] == "exclusivity" and exclusive_window))}
    return Terms(
        source="asked" if countered else "offered",
        fee=fee,
        payment_days=30 if payment == "net30" or asked_payment else None,
        kill_fee=_money(money.get("kill_fee")) if asked_payment else None,
        usage=usage if isinstance(usage, str) else None,
        usage_months=USAGE_MONTHS_ASKED if usage_window
        else int(paid["months"]) if paid and paid_window else None,
        paid_use_month=_money(paid["per_month"]) if paid and paid_window
        else _money(money.get("paid_use_month")) if usage_window else None,
        exclusivity=exclusivity if isinstance(exclusivity, str) else None,
        exclusivity_months=int(exclusive["months"]) if exclusive and exclusive_window else None,
        exclusivity_month=_money(exclusive["per_month"]) if exclusive and exclusive_window
        else None,
        extras=extras,
    )


def from_summary(summary: Mapping[str, Any], *, deal_id: str, replied_at: datetime
                 ) -> Deal | None:
    """A deal for a decided review whose reply opens one (None for a decline: nothing follows)."""
    kind = summary.get("draft") or summary.get("recommended_draft")
    if kind == "decline":
        return None
    answers: Mapping[str, Any] = summary.get("answers", {})
    # "use it longer, then decide": the creator has the product, so the trial starts now
    longer = kind == "sample" and summary["decision"].get("basis") == "use_longer"
    return Deal(
        id=deal_id, brand=str(summary.get("brand", "")), product=str(summary.get("product", "")),
        signature=str(summary.get("signature", "")),
        stage="trying" if longer else "reply_sent", sample_first=kind == "sample" and not longer,
        trial_ends=replied_at.date() + timedelta(days=TRIAL_DAYS) if longer else None,
        paid_deal=answers.get("ask") != "charity",
        terms=terms_from(summary), replied_at=replied_at)


# which dates each stage needs to plan its reminders, in the order they are asked
NEEDED: dict[Stage, tuple[DateField, ...]] = {
    "agreed": ("draft_due", "go_live"),
    "content_due": ("draft_due", "go_live"),
    "invoiced": ("payment_due",),
}


def missing_dates(deal: Deal) -> list[StepField]:
    """The dates still to ask, in one short step: those the stage's reminders need, the payment
    terms of a paid deal the review left unsettled (its chases count from them), and the end of
    a usage or exclusivity window the reply left open. Skipped ones are not asked again."""
    wanted: list[StepField] = [f for f in NEEDED.get(deal.stage, ())
                               if getattr(deal, f) is None]
    if deal.stage == "invoiced" and deal.payment_due_on is not None:
        wanted = [f for f in wanted if f != "payment_due"]
    if deal.stage in ("agreed", "content_due"):
        if deal.paid_deal and deal.terms.fee is not None and deal.terms.payment_days is None:
            wanted.append("payment_days")
        if deal.terms.usage not in (None, "perpetual", "not_stated") \
                and deal.terms.usage_months is None and deal.usage_ends is None:
            wanted.append("usage_ends")
        if deal.terms.exclusivity in ("short_named", "long_vague") \
                and deal.terms.exclusivity_months is None and deal.exclusivity_ends is None:
            wanted.append("exclusivity_ends")
    return [f for f in wanted if f not in deal.skipped]


def with_dates(deal: Deal, given: Mapping[StepField, date | int | None]) -> Deal:
    """The deal with the dates (and payment terms, in days) the creator gave; None skips one
    (not asked again)."""
    update: dict[str, Any] = {f: d for f, d in given.items()
                              if d is not None and f != "payment_days"}
    days = given.get("payment_days")
    if isinstance(days, int):
        update["terms"] = deal.terms.model_copy(update={"payment_days": days})
    skipped = [f for f, d in given.items() if d is None and f not in deal.skipped]
    if skipped:
        update["skipped"] = [*deal.skipped, *skipped]
    return deal.model_copy(update=update)
