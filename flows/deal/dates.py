"""Read the dates a creator types in the deal's one short step: one a line, in the order asked
(the payment terms among them as days: ``net 30``, ``30 days``).

Takes ``2026-12-12``, ``12 Dec``, ``Dec 12``, ``12 December 2026``; "skip" (or "-") leaves one
out (one "skip" alone leaves them all out). A day without a year is the next one on or after
today. Ambiguous forms such as ``12/11`` (the US and the UK read them differently) are refused
rather than guessed.
"""

from __future__ import annotations

from datetime import date

from flows.deal.model import StepField
from flows.questions import Unplaceable, normalize

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
SKIP = frozenset({"skip", "-", "no", "not yet", "don't know", "dont know", "unsure", "?"})
MAX_LINE = 40


def read_day(text: str, today: date) -> date | None:
    """One typed day; None for "skip". Raises ``Unplaceable("date")`` when it is not a date."""
    typed = normalize(text)[:MAX_LINE]
    if typed in SKIP:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError:
        pass
    parts = typed.replace(",", " ").split()
    days = [p for p in parts if p.isdigit() and len(p) <= 2]
    months = [MONTHS[p.rstrip(".")] for p in parts if p.rstrip(".") in MONTHS]
    years = [int(p) for p in parts if p.isdigit() and len(p) == 4]
    if len(days) != 1 or len(months) != 1 or len(years) > 1 \
            or len(parts) != 2 + len(years):
        raise Unplaceable("date")
    try:
        if years:
            return date(years[0], months[0], int(days[0]))
        found = date(today.year, months[0], int(days[0]))
        return found if found >= today else date(today.year + 1, months[0], int(days[0]))
    except ValueError as error:
        raise Unplaceable("date") from error


MAX_NET_DAYS = 365


def read_net_days(text: str) -> int | None:
    """Payment terms typed as days (``net 30``, ``30 days``, ``45``); None for "skip". Raises
    ``Unplaceable("net_days")`` when they are not a number of days."""
    typed = normalize(text)[:MAX_LINE]
    if typed in SKIP:
        return None
    words = typed.replace("-", " ").split()
    if words[:1] == ["net"]:
        words = words[1:]
    if words[1:] in ([], ["days"], ["day"]) and words and words[0].isdigit() \
            and int(words[0]) <= MAX_NET_DAYS:
        return int(words[0])
    raise Unplaceable("net_days")


def read_dates(text: str, fields: list[StepField], today: date
               ) -> dict[StepField, date | int | None]:
    """The dates for ``fields`` (payment terms in days), one a typed line; too few or too many
    lines is refused."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and normalize(lines[0]) in SKIP:
        return dict.fromkeys(fields)  # one "skip" for all of them
    if len(lines) != len(fields):
        raise Unplaceable("dates_count")
    return {field: read_net_days(line) if field == "payment_days" else read_day(line, today)
            for field, line in zip(fields, lines, strict=True)}
