"""Sample deals for the deal tests and for rendering every deal template (test_templates): an
accepted deal, a counter-offer's, one in two currencies, one the review said almost nothing about.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flows.creator.flow import summary
from flows.deal.caption import check
from flows.deal.drafts import DRAFTS, card_context, context, draft_context, reminder_context
from flows.deal.model import STAGES, Deal, Terms, from_summary, with_dates
from flows.deal.reminders import RULES, Reminder
from flows.deal.stages import move
from flows.deal.zone import zone
from flows.snapshot import Money
from tests.unit.conftest import review

REPLIED = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
TODAY = date(2027, 1, 29)
NOW = datetime(2027, 1, 29, 12, 0, tzinfo=UTC)
LONDON = zone("Europe/London")
DEALS_LISTED = 10  # /deals lists at most this many open deals at once


def _from_review(**answers: str) -> Deal:
    deal = from_summary(summary(review(**answers).snapshot), deal_id="d1", replied_at=REPLIED)
    assert deal is not None
    return deal


def _invoiced(deal: Deal) -> Deal:
    for verb, on in (("agree", date(2026, 12, 5)), ("post", date(2026, 12, 14)),
                     ("invoice", date(2026, 12, 15))):
        deal = move(deal, verb, on) or deal
    return deal


def sample_deals(brand: str = "Acme", product: str = "Protein bar") -> list[Deal]:
    """An accepted deal, a counter-offer's, one in two currencies, and one the review said
    almost nothing about (no fee amount, no terms, no name)."""
    names = {"brand": brand, "product": product}
    accepted = _from_review(**names)
    countered = _from_review(**names, usual_rate="$2,000", payment_terms="net60_plus",
                             usage_rights="whitelisting", exclusivity="long_vague")
    mixed = countered.model_copy(update={"terms": countered.terms.model_copy(update={
        "fee": Money(amount=Decimal("1800"), currency="EUR")})})
    bare = Deal(id="d2", brand=brand, product=product, replied_at=REPLIED,
                terms=Terms(fee=None))
    return [_invoiced(deal) for deal in (accepted, countered, mixed, bare)]


def deal_contexts(names: list[tuple[str, str]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every deal template with sample contexts, for each (brand, product) in ``names``."""
    for brand, product in names:
        for deal in sample_deals(brand, product):
            for kind in DRAFTS:
                found = draft_context(deal, kind, TODAY)
                yield "deal/draft.j2", found
                yield f"deal/drafts/{kind}.j2", found
            yield "deal/invoice.md.j2", context(deal, TODAY)
            for stage in STAGES:
                card = card_context(deal.model_copy(update={"stage": stage}), NOW, LONDON)
                yield "deal/deal.j2", card
                yield "deal/stage_name.j2", card
                yield "deal/next.j2", card
            for kind in RULES:
                for about in (TODAY - timedelta(days=20), TODAY, TODAY + timedelta(days=1)):
                    reminder = Reminder(deal_id=deal.id, kind=kind, due=REPLIED, about=about,
                                        key="k", actions=())
                    yield "deal/reminder.j2", reminder_context(deal, reminder, TODAY)
            dated = with_dates(deal.model_copy(update={"stage": "agreed"}), {})
            yield "deal/ask_dates.j2", {**context(dated, TODAY),
                                        "missing": ["draft_due", "go_live", "payment_due",
                                                    "usage_ends", "exclusivity_ends"]}
            for problem in (None, "dates_count", "date", "zone", "net_days"):
                asked = {**context(dated, TODAY), "problem": problem, "country": "UK",
                         "missing": ["draft_due", "go_live", "payment_days", "usage_ends"]}
                for what in ("dates", "caption", "zone"):
                    yield "deal/ask.j2", {**asked, "what": what}
                for kind in RULES:
                    yield "deal/ask.j2", {**asked, "what": "date", "kind": kind}
        for zone_name, guessed in (("Europe/London", True), ("UTC", True),
                                   ("America/Argentina/ComodRivadavia", False)):
            yield "deal/zone.j2", {"zone": zone_name, "guessed": guessed}
        cards = [card_context(deal, NOW, LONDON) for deal in sample_deals(brand, product)]
        yield "deal/deals.j2", {"deals": (cards * 3)[:DEALS_LISTED]}
        yield "deal/deals.j2", {"deals": []}
        for country in ("US", "UK"):
            for platform in ("instagram", "tiktok", "youtube", "other"):
                found = check(f"thanks @x this cures all {product} #sp #ad " * 40,
                              country=country, platform=platform, brand_handle=brand[:30])
                yield "deal/caption_check.j2", {**found.model_dump(), "brand": brand}
                yield "deal/caption_fixed.j2", found.model_dump()
            for caption in ("#ad fine", "<b>" * 2000, "a cure " * 700):  # the longest shown
                found = check(caption, country=country)
                yield "deal/caption_check.j2", {**found.model_dump(), "brand": brand}
                yield "deal/caption_fixed.j2", found.model_dump()
