"""Money, payment days and durations as brands write them, in English, Spanish and Portuguese.

"$1.5k", "1.500 €", "R$ 2.000", "₹50,000", "USD 2,000", "3 mil reais", "net 60", "within 45
days of invoice", "12 months", "seis meses", "in perpetuity". Written here rather than taken from
a library: price-parser reads one price from a short string (not every amount in a sentence),
and dateparser reads calendar dates, not "net 60" or "for 6 months". Each amount found goes
through ``flows.questions.parse_money`` (and its CLDR currencies, ``flows/currencies.py``), the
review's own reading of a typed amount, so a fee read from a message and a fee typed in answer
are the same ``Money``; only "k" and "mil" are read here ("3 mil reais" is three thousand).
Each pattern is a run of bounded pieces, so reading is linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from flows.questions import parse_money
from flows.snapshot import Money

_THOUSANDS = {"k": 1000, "mil": 1000, "thousand": 1000, "grand": 1000, "m": 1_000_000,
              "million": 1_000_000, "millón": 1_000_000, "milhão": 1_000_000}
_SIGN = r"(?:r\$|au?\$|ca?\$|us\$|mx\$|\$|€|£|₹|¥)"
_CODE = r"(?:usd|eur|gbp|brl|inr|cad|aud|mxn|chf|sek|jpy|sgd|rs\.?)"
_WORD = (r"(?:usd|eur|gbp|brl|inr|cad|aud|mxn|chf|sek|jpy|sgd|dollars?|dólares|euros?|pounds|"
         r"reais|real|rupees|pesos)")
_NUMBER = r"(?:\d{1,3}(?:[.,'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d{1,9}(?:[.,]\d{1,2})?)"
_MULT = r"(?:\s?(?:k|m|mil|thousand|grand|million|millón|milhão)\b)?"
MONEY = re.compile(
    rf"(?P<sign>{_SIGN})\s?(?P<n1>{_NUMBER})(?P<m1>{_MULT})"
    rf"|\b(?P<code>{_CODE})\s?(?P<n2>{_NUMBER})(?P<m2>{_MULT})"
    rf"|(?<![\w.,])(?P<n3>{_NUMBER})(?P<m3>{_MULT})\s?(?:(?P<after>€|£|₹)|(?P<word>{_WORD})\b)",
    re.I)


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount found in a text: where it stands, and what it is."""

    start: int
    end: int
    money: Money


def amounts(text: str) -> list[Amount]:
    """Every amount of money the text states with its currency, in order (a bare number is no
    amount: "3 posts" is a count, and a fee without a currency is left for the review to ask)."""
    found = []
    for match in MONEY.finditer(text):
        number = match["n1"] or match["n2"] or match["n3"]
        mark = (match["sign"] or match["code"] or match["after"] or match["word"] or "")
        multiplier = (match["m1"] or match["m2"] or match["m3"] or "").strip().casefold()
        digits = number.replace("\u00a0", "").replace("\u202f", "")
        try:  # the review's own reading: the currency a mark names (flows/currencies.py)
            money = parse_money(f"{digits} {mark}")
        except ValueError:  # no currency, or a mark that names several ("kr", "pesos" alone)
            continue
        currency = money.currency
        amount = money.amount * _THOUSANDS.get(multiplier, 1)
        if amount == amount.to_integral_value():
            amount = Decimal(int(amount))
        found.append(Amount(match.start(), match.end(), Money(amount=amount, currency=currency)))
    return found


_NUMBER_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
                 "eighteen": 18, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
                 "um": 1, "uma": 1, "un": 1, "una": 1, "dos": 2, "dois": 2, "duas": 2,
                 "tres": 3, "três": 3, "seis": 6, "doce": 12, "doze": 12, "treinta": 30,
                 "trinta": 30, "sesenta": 60, "sessenta": 60, "noventa": 90}
_COUNT = (r"(?:\d{1,3}|one|a|an|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|"
          r"eighteen|thirty|forty-five|sixty|ninety|um|uma|un|una|dos|dois|duas|tres|três|seis|"
          r"doce|doze|treinta|trinta|sesenta|sessenta|noventa)")
_UNITS = {"day": 1, "days": 1, "día": 1, "días": 1, "dia": 1, "dias": 1,
          "week": 7, "weeks": 7, "semana": 7, "semanas": 7,
          "month": 30, "months": 30, "mes": 30, "meses": 30, "mês": 30,
          "year": 365, "years": 365, "año": 365, "años": 365, "ano": 365, "anos": 365}
DURATION = re.compile(
    rf"\b(?P<count>{_COUNT})[\s-](?:\(\d{{1,3}}\)\s)?(?:(?:business|working|calendar|full|hábiles|úteis)\s)?"
    r"(?P<unit>days?|días?|dias?|weeks?|semanas?|months?|mes(?:es)?|mês|years?|años?|anos?)\b",
    re.I)
PERPETUAL = re.compile(r"\b(?:perpetu\w*|forever|in\s+perpetuity|indefinitely|sin\s+límite\s+"
                       r"de\s+tiempo|para\s+sempre|por\s+tiempo\s+indefinido|irrevocabl\w*)",
                       re.I)
NET_DAYS = re.compile(r"\bnet\s?-?\s?(\d{1,3})\b", re.I)


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time found in a text, in days, with how it was written."""

    start: int
    end: int
    days: int
    said: str


def durations(text: str) -> list[Duration]:
    """Every length of time the text states ("6 months", "90 days", "one year", "seis meses")."""
    found = []
    for match in DURATION.finditer(text):
        count = match["count"].casefold()
        number = int(count) if count.isdigit() else _NUMBER_WORDS.get(count, 0)
        unit = _UNITS.get(match["unit"].casefold(), 0)
        if number and unit:
            found.append(Duration(match.start(), match.end(), number * unit,
                                  " ".join(match.group(0).split())))
    return found


def payment_days(text: str) -> int | None:
    """The days a payment waits, as written: "net 60", "within 45 days of invoice", "a 90 días"."""
    net = NET_DAYS.search(text)
    if net:
        return int(net.group(1))
    days = [d for d in durations(text) if d.days < 365]
    return days[0].days if days else None
