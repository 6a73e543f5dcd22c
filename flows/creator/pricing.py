"""The money of an offer, checked rather than assumed: the fee against the creator's rate (in one
currency, through the dated table in ``flows/exchange_rates.py``), the extra rights priced from
the rate, and the walk-away number (the least the creator should take; for the card only).

The conventions, said once here and on the card (published rate tools vary; these sit mid-range):
- paid use of the content (the brand's ads, or ads run from the creator's account) costs
  ``PAID_USE_SHARE`` of the rate a month, for as long as the counter gives it (perpetual
  rights are countered with organic use, paid use priced on top if wanted);
- exclusivity costs ``EXCLUSIVITY_SHARE`` of the rate a month, for a named list of competitors,
  counted as one month when short and as long as the counter gives it when long or vague;
- how long the counter gives a right is ``flows/reading/windows.py``'s rule (the clause
  review's too): whole months are priced, at least one;
- under five days to make it adds a rush fee of ``RUSH_SHARE``; the kill fee is
  ``windows.KILL_SHARE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from math import ceil
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flows.creator.questions import PAID_ASKS
from flows.exchange_rates import AS_OF, convert
from flows.reading.windows import KILL_SHARE, MONTH_DAYS, Right, window
from flows.snapshot import Answer, Money

PAID_USE_SHARE = Decimal("0.25")
EXCLUSIVITY_SHARE = Decimal("0.20")
RUSH_SHARE = Decimal("0.25")
FAR_ABOVE = 3  # a fee this many times the rate is a reason to verify the brand first

ExtraCode = Literal["paid_use", "whitelisting", "exclusivity", "rush"]


class Extra(BaseModel):
    """One priced extra: per month over ``months`` months, or once (``months`` None)."""

    model_config = ConfigDict(frozen=True)

    code: ExtraCode
    amount: Money  # in all
    per_month: Money | None = None
    months: int | None = None


class Pricing(BaseModel):
    """What the card and the counter-offer say about money: the fee as offered, everything else
    in the creator's own currency (the rate's), the rate converted only to compare."""

    model_config = ConfigDict(frozen=True)

    fee: Money | None = None  # offered
    rate: Money | None = None  # the creator's usual rate, as typed
    rate_here: Money | None = None  # the rate in the fee's currency, when it had to convert
    rates_as_of: str | None = None  # the exchange table's date, when it converted
    multiple: float | None = None  # fee / rate
    extras: list[Extra] = []
    walk_away: Money | None = None  # the rate plus the priced extras
    ask_fee: Money | None = None  # the fee the counter-offer asks for, when not the offered one
    kill_fee: Money | None = None
    paid_use_month: Money | None = None  # the price of a month of paid use, asked or not
    budget: Literal["drop_extras", "fewer_posts"] | None = None  # a fixed-budget alternative

    @property
    def worth_showing(self) -> bool:
        return self.fee is not None or self.rate is not None


def _part(amount: Decimal, share: Decimal) -> Decimal:
    part = amount * share  # whole units, as fees are quoted; cents only for tiny amounts
    return part.quantize(Decimal("1") if part >= 100 else Decimal("0.01"), rounding=ROUND_HALF_UP)


def _months(days: int) -> int:
    """The months priced for a right given for ``days``: whole months begun, at least one."""
    return max(1, ceil(days / MONTH_DAYS))


def _extras(answers: Mapping[str, Answer], base: Money,
            lengths: Mapping[str, int]) -> list[Extra]:
    extras = []
    unit = base.currency
    usage = answers.get("usage_rights")
    if usage in ("limited_paid", "whitelisting"):  # perpetual is countered with organic use
        per_month = _part(base.amount, PAID_USE_SHARE)
        code: Right = "whitelisting" if usage == "whitelisting" else "paid_use"
        months = _months(window(code, lengths.get(code)).days)
        extras.append(Extra(code=code, per_month=Money(amount=per_month, currency=unit),
                            months=months,
                            amount=Money(amount=per_month * months, currency=unit)))
    exclusivity = answers.get("exclusivity")
    if exclusivity in ("short_named", "long_vague"):
        months = 1 if exclusivity == "short_named" \
            else _months(window("exclusivity", lengths.get("exclusivity")).days)
        per_month = _part(base.amount, EXCLUSIVITY_SHARE)
        extras.append(Extra(code="exclusivity", per_month=Money(amount=per_month, currency=unit),
                            months=months,
                            amount=Money(amount=per_month * months, currency=unit)))
    if answers.get("deliverables") == "rush":
        extras.append(Extra(code="rush", amount=Money(amount=_part(base.amount, RUSH_SHARE),
                                                      currency=unit)))
    return extras


def price(answers: Mapping[str, Answer], lengths: Mapping[str, int] | None = None) -> Pricing:
    """The offer's money, from the answers this path asked and how long the brand's message
    asked for each extra right (``lengths``: days, by extra code)."""
    fee = answers.get("pay") if isinstance(answers.get("pay"), Money) else None
    rate = answers.get("usual_rate") if isinstance(answers.get("usual_rate"), Money) else None
    assert fee is None or isinstance(fee, Money)
    assert rate is None or isinstance(rate, Money)
    rate_here = convert(rate, fee.currency) if rate is not None and fee is not None else rate
    multiple = float(fee.amount / rate_here.amount) \
        if fee and rate_here and rate_here.amount > 0 else None
    base = rate or fee  # priced in the creator's own currency, or the fee's without a rate
    extras = _extras(answers, base, lengths or {}) if base is not None else []
    added = sum((extra.amount.amount for extra in extras), Decimal(0))
    walk_away = Money(amount=rate.amount + added, currency=rate.currency) \
        if rate is not None else None
    ask_fee = None
    paid_for_product = answers.get("ask") in PAID_ASKS and answers.get("pay") == "product_only"
    below = multiple is not None and multiple < 1
    if rate is not None and (paid_for_product or below
                             or answers.get("ask") in ("gifted_only", "affiliate_only")):
        ask_fee = rate
    agreed = ask_fee or fee
    budget: Literal["drop_extras", "fewer_posts"] | None = None
    if fee is not None and ask_fee is None and extras and any(
            e.code != "rush" for e in extras):
        budget = "drop_extras"
    elif fee is not None and ask_fee is not None and answers.get("ask") in ("few_posts",
                                                                           "ongoing"):
        budget = "fewer_posts"
    return Pricing(
        fee=fee, rate=rate, rate_here=rate_here if rate_here is not rate else None,
        rates_as_of=AS_OF.isoformat() if rate_here is not None and rate_here is not rate
        else None,
        multiple=round(multiple, 2) if multiple is not None else None,
        extras=extras, walk_away=walk_away, ask_fee=ask_fee,
        kill_fee=Money(amount=_part(agreed.amount, KILL_SHARE), currency=agreed.currency)
        if agreed is not None else None,
        paid_use_month=Money(amount=_part(base.amount, PAID_USE_SHARE), currency=base.currency)
        if base is not None else None,
        budget=budget)
