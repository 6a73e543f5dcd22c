"""What the deal's messages and drafts are rendered with (``prompts/deal/``), as JSON-ready data.

``context(deal, today)`` holds the agreed terms and the dates a draft names; a term the review
never settled is None, and the template leaves a marked blank for it rather than a guess.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from flows.deal.model import Deal, missing_dates
from flows.deal.reminders import Reminder, plan
from flows.deal.stages import allowed

DraftKind = Literal["invoice", "chase_polite", "chase_firm", "renewal"]
DRAFTS: tuple[DraftKind, ...] = ("invoice", "chase_polite", "chase_firm", "renewal")
PAID_USE = ("limited_paid", "whitelisting")


def _json(value: Any) -> Any:
    return value.model_dump(mode="json") if value is not None else None


def context(deal: Deal, today: date) -> dict[str, Any]:
    """The deal as its messages and drafts read it, on ``today`` (the creator's day)."""
    terms = deal.terms
    invoiced = deal.invoiced_on or today
    due = deal.payment_due_on
    if due is None and deal.invoiced_on is None and terms.payment_days is not None:
        due = today + timedelta(days=terms.payment_days)  # an invoice dated today
    return {
        "deal_id": deal.id,
        "brand": deal.brand,
        "handle": deal.handle,
        "product": deal.product,
        "signature": deal.signature,
        "stage": deal.stage,
        "sample_first": deal.sample_first,
        "paid_deal": deal.paid_deal,
        "source": terms.source,
        "fee": _json(terms.fee),
        "extras": [{"code": code, "amount": _json(amount)}
                   for code, amount in terms.extras.items()],
        "total": _json(terms.total),
        "payment_days": terms.payment_days,
        "kill_fee": _json(terms.kill_fee),
        "usage": terms.usage,
        "usage_months": terms.usage_months,
        "exclusivity": terms.exclusivity,
        "exclusivity_months": terms.exclusivity_months,
        # a renewal is priced as agreed only when the reply priced a month of paid use
        "renewal_month": _json(terms.paid_use_month) if terms.usage in PAID_USE else None,
        "posted_on": deal.posted_on,
        "invoiced_on": invoiced,
        "payment_due": due,
        "days_late": (today - due).days if due is not None and today > due else 0,
        "usage_ends": deal.usage_ends_on,
        "exclusivity_ends": deal.exclusivity_ends_on,
        "draft_due": deal.draft_due,
        "go_live": deal.go_live,
        "sample_arrived": deal.sample_arrived,
        "trial_ends": deal.trial_end,
        "missing": missing_dates(deal),
        "verbs": allowed(deal),
    }


def card_context(deal: Deal, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """A deal's own message (``deal/deal.j2``, one line of ``deal/deals.j2``): where it stands,
    its terms, and the next reminder on the creator's calendar."""
    coming = plan(deal, tz)
    today = now.astimezone(tz).date()
    return {**context(deal, today),
            "next_kind": coming[0].kind if coming else None,
            "next_on": coming[0].due.astimezone(tz).date() if coming else None}


def reminder_context(deal: Deal, reminder: Reminder, today: date) -> dict[str, Any]:
    """A reminder's message: the deal's context, the reminder's kind, the day it is about and how
    many days from ``today`` that is."""
    return {**context(deal, today), "kind": reminder.kind, "about": reminder.about,
            "days": (reminder.about - today).days}  # a snoozed one may come on the day itself


def draft_context(deal: Deal, kind: DraftKind, today: date) -> dict[str, Any]:
    """A draft to the brand (``prompts/deal/drafts/<kind>.j2``) and the message showing it."""
    return {**context(deal, today), "draft": kind}
