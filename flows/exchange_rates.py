"""A dated, offline table of exchange rates, so a fee and a rate in different currencies can be
compared without any network call.

The figures are approximate mid-market rates (US dollars per unit) of ``AS_OF``; the card says
how old they are, and the comparison built on them is only ever coarse (below your rate, or
several times above it). Update the table and ``AS_OF`` together.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flows.snapshot import Money

AS_OF = date(2025, 6, 30)

USD_PER_UNIT: dict[str, Decimal] = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.17"),
    "GBP": Decimal("1.37"),
    "CHF": Decimal("1.25"),
    "CAD": Decimal("0.733"),
    "AUD": Decimal("0.655"),
    "NZD": Decimal("0.607"),
    "SGD": Decimal("0.785"),
    "HKD": Decimal("0.1274"),
    "JPY": Decimal("0.00693"),
    "KRW": Decimal("0.00074"),
    "INR": Decimal("0.01167"),
    "SEK": Decimal("0.105"),
    "NOK": Decimal("0.099"),
    "DKK": Decimal("0.157"),
    "PLN": Decimal("0.276"),
    "BRL": Decimal("0.183"),
    "MXN": Decimal("0.053"),
    "ZAR": Decimal("0.0563"),
    "CNY": Decimal("0.1396"),
    "RUB": Decimal("0.01274"),
    "UAH": Decimal("0.0240"),
    "TRY": Decimal("0.0251"),
}


def convert(money: Money, currency: str) -> Money | None:
    """``money`` in ``currency`` at the table's rates; None when either is not in the table."""
    if money.currency == currency:
        return money
    source, target = USD_PER_UNIT.get(money.currency), USD_PER_UNIT.get(currency)
    if source is None or target is None:
        return None
    amount = money.amount * source / target
    # whole units, as people quote fees; cents only for amounts too small for that
    return Money(amount=amount.quantize(Decimal("1") if amount >= 100 else Decimal("0.01")),
                 currency=currency)


def months_old(today: date) -> int:
    """Whole months between ``AS_OF`` and ``today`` (0 if today is earlier)."""
    months = (today.year - AS_OF.year) * 12 + today.month - AS_OF.month
    return max(0, months - (today.day < AS_OF.day))
