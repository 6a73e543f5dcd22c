"""The deal's drafts, read as the brand's accounts team would: the invoice and its message, the
polite and the firm payment chase, the renewal. Each states only the agreed terms, marks what the
review never said as a [blank], and is signed with the creator's first name."""

from __future__ import annotations

from datetime import date

from flows.deal.drafts import DRAFTS, card_context, context, draft_context, reminder_context
from flows.deal.model import Deal
from flows.deal.reminders import Reminder
from prompts import render_text
from tests.unit.deal_samples import LONDON, NOW, REPLIED, TODAY, sample_deals


def _draft(deal: Deal, kind: str) -> str:
    return render_text(f"deal/drafts/{kind}.j2", draft_context(deal, kind, TODAY))  # type: ignore[arg-type]


ACCEPTED, COUNTERED, MIXED, BARE = sample_deals()


def test_the_invoice_message_gives_accounts_the_amount_dates_and_what_it_is_for() -> None:
    text = _draft(ACCEPTED, "invoice")

    assert "my invoice [invoice number]" in text
    assert "Amount: $1,500" in text
    assert "Invoice date: 15 December 2026" in text
    assert "Due: 14 January 2027 (net 30, as agreed)" in text
    assert "went live on 14 December 2026" in text
    assert text.rstrip().endswith("Thank you,\nMaya")


def test_the_markdown_invoice_lists_the_agreed_lines_and_marks_the_blanks() -> None:
    text = render_text("deal/invoice.md.j2", context(COUNTERED, TODAY))

    assert "# Invoice [invoice number]" in text
    assert "| Sponsored content about Protein bar, live on 14 December 2026 | $2,000 |" in text
    assert "| Ads run from my account, 3 months | $1,500 |" in text
    assert "| Exclusivity, 3 months | $1,200 |" in text
    assert "**Total due** | **$4,700**" in text
    assert "[account number or IBAN]" in text and "[your address]" in text
    assert "net 30 from the invoice date" in text


def test_amounts_in_two_currencies_are_never_added_up() -> None:
    text = render_text("deal/invoice.md.j2", context(MIXED, TODAY))

    assert "€1,800" in text and "$1,500" in text and "**[total]**" in text
    assert "plus the extras listed" in _draft(MIXED, "invoice")


def test_what_the_review_never_said_is_a_marked_blank_never_a_guess() -> None:
    for kind in DRAFTS:
        text = _draft(BARE, kind)
        assert "[your name]" in text, kind
        assert "$" not in text and "net 30" not in text, kind
    assert "[amount]" in _draft(BARE, "invoice")
    assert "[due date]" in _draft(BARE, "chase_polite")
    assert "[your price] a month" in _draft(BARE, "renewal")


def test_the_polite_chase_assumes_good_faith_and_the_firm_one_sets_a_date() -> None:
    polite = _draft(ACCEPTED, "chase_polite")
    firm = _draft(ACCEPTED, "chase_firm")

    assert "due on 14 January 2027" in polite and "may already be on its way" in polite
    assert "overdue" not in polite
    assert "now 15 days overdue" in firm and "within the next 7 days" in firm
    for text in (polite, firm):
        assert "$1,500" in text and text.rstrip().endswith("Maya")
        for threat in ("lawyer", "legal action", "late fee", "interest"):
            assert threat not in text.lower()  # nothing the deal did not agree


def test_the_renewal_is_priced_as_agreed_only_when_the_reply_priced_a_month() -> None:
    priced = _draft(COUNTERED, "renewal")
    unpriced = _draft(ACCEPTED, "renewal")

    assert "$500 a month, the rate we agreed" in priced  # 25% of the $2,000 rate, as asked
    assert "until 14 March 2027" in priced  # three months from going live
    assert "[your price] a month" in unpriced
    assert "for [the agreed period]" in unpriced  # organic use with no window named


def test_a_counter_offers_terms_are_flagged_for_the_creator_to_confirm() -> None:
    message = render_text("deal/draft.j2", draft_context(COUNTERED, "invoice", TODAY))

    assert "Fill in what is in [brackets]" in message
    assert "your counter-offer asked for" in message
    assert "counter-offer" not in render_text("deal/draft.j2",
                                             draft_context(ACCEPTED, "invoice", TODAY))


def _reminder(deal: Deal, kind: str, about: date) -> str:
    reminder = Reminder(deal_id=deal.id, kind=kind, due=REPLIED, about=about,  # type: ignore[arg-type]
                        key="k", actions=())
    return render_text("deal/reminder.j2", reminder_context(deal, reminder, TODAY))


def test_a_reminder_says_tomorrow_today_or_the_date_as_it_is_when_it_arrives() -> None:
    assert "is due tomorrow, 30 January 2027" in _reminder(ACCEPTED, "draft_due",
                                                           date(2027, 1, 30))
    # snoozed to the day itself, or delivered late after an outage: never a false "tomorrow"
    assert "is due today, 29 January 2027" in _reminder(ACCEPTED, "draft_due", TODAY)
    assert "was due on 2 January 2027" in _reminder(ACCEPTED, "draft_due", date(2027, 1, 2))
    assert "payment was due yesterday, 28 January 2027" in _reminder(
        ACCEPTED, "chase_polite", date(2027, 1, 28))


def test_a_deals_message_says_where_it_stands_its_terms_and_what_comes_next() -> None:
    card = render_text("deal/deal.j2", card_context(COUNTERED, NOW, LONDON))

    assert "Acme's Protein bar: invoiced" in card
    assert "Fee: $4,700, net 30 (as your counter-offer asked)" in card
    assert "Their use of your content: until 14 March 2027" in card
    assert "Payment due: 14 January 2027" in card
    assert "Next: payment reminder, 15 January 2027" in card  # overdue: not sent yet
    listed = render_text("deal/deals.j2", {"deals": [card_context(ACCEPTED, NOW, LONDON)]})
    assert "1. Acme's Protein bar: invoiced. Next: payment reminder, 15 January 2027" in listed
