"""Money and text for everyone (issue 19): currencies read through CLDR, never assumed; text kept
as written, joiners and flags included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flows.questions import Unplaceable, clean_text, parse_money
from tests.unit.conftest import reach

READ = [
    ("R$ 500", "500", "BRL"), ("R$ 2.000", "2000", "BRL"), ("500 reais", "500", "BRL"),
    ("A$800", "800", "AUD"), ("C$800", "800", "CAD"), ("CA$800", "800", "CAD"),
    ("500 canadian dollars", "500", "CAD"), ("HK$ 3000", "3000", "HKD"),
    ("₽ 50000", "50000", "RUB"), ("50000 руб", "50000", "RUB"), ("50 000 рублей", "50000", "RUB"),
    ("500 zł", "500", "PLN"), ("500 złotych", "500", "PLN"), ("₺1000", "1000", "TRY"),
    ("10 000 ₴", "10000", "UAH"), ("₹50,000", "50000", "INR"), ("¥3000", "3000", "JPY"),
    ("CHF 500", "500", "CHF"), ("US$ 900", "900", "USD"), ("$1,500", "1500", "USD"),
    ("$1.5k", "1500", "USD"), ("1.500 €", "1500", "EUR"), ("200 quid", "200", "GBP"),
    ("1500 pounds", "1500", "GBP"), ("3 posts for £1,500", "1500", "GBP"),
]
CODES = ["USD", "EUR", "GBP", "BRL", "AUD", "CAD", "HKD", "RUB", "PLN", "TRY", "UAH", "INR", "JPY",
         "CNY", "SEK", "NOK", "DKK", "CHF", "MXN"]


@pytest.mark.parametrize(("typed", "amount", "currency"), READ)
def test_a_currency_written_the_way_people_write_it_is_read_as_that_currency(
        typed: str, amount: str, currency: str) -> None:
    money = parse_money(typed)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize("code", CODES)
def test_every_iso_code_is_read_before_or_after_the_amount(code: str) -> None:
    assert parse_money(f"{code} 700").currency == code
    assert parse_money(f"700 {code.lower()}").currency == code


@pytest.mark.parametrize("typed", ["900", "2 million", "500 kr", "kr 500"])
def test_a_bare_number_or_a_mark_of_several_currencies_is_asked_about(typed: str) -> None:
    with pytest.raises(Unplaceable) as raised:
        parse_money(typed)
    assert raised.value.problem == "currency"


def test_the_earlier_answer_settles_a_mark_it_is_one_reading_of() -> None:
    assert parse_money("500 kr", "SEK").currency == "SEK"
    assert parse_money("900", "CAD").currency == "CAD"
    assert parse_money("$900", "USD").currency == "USD"
    with pytest.raises(Unplaceable):  # "$" after Canadian dollars: US or Canadian? asked
        parse_money("$900", "CAD")


def test_the_review_asks_which_currency_a_bare_rate_is_in_when_the_fee_had_none_to_give() -> None:
    talk = reach("pay").then("500 kr")
    assert talk.asking == "pay" and "Which currency" in talk.last
    assert talk.then("500 SEK").asking == "usual_rate"


@pytest.mark.parametrize(("typed", "kept"), [
    ("👩\u200d💻 Dev Studio", "👩\u200d💻 Dev Studio"),  # an emoji made of three, joined
    ("می\u200cخواهم", "می\u200cخواهم"),  # a Persian word keeps its non-joiner
    ("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F Tea",
     "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F Tea"),  # England's flag
    ("\u202eAcme", "Acme"), ("A\u200bcme", "Acme"), ("\ufeffAcme", "Acme"),
    ("Acme \u200d Co", "Acme Co"), ("Acme\x00\x07", "Acme"),
])
def test_text_is_kept_as_written_minus_invisible_controls(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept
