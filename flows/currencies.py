"""Which currency a person means: symbols, ISO codes and names read through CLDR (Babel).

``R$ 500``, ``A$800``, ``HK$ 3000``, ``₽ 50000``, ``50000 руб``, ``500 zł``, ``₺1000``,
``10 000 ₴``, ``500 reais`` each name one currency. Some marks name several (``$``, ``kr``,
``¥``, ``pesos``): the earlier answer's currency settles those when it is one of them, English
usage settles ``$`` (US dollars) and ``¥`` (yen) when nothing else does, and otherwise the
person is asked (``Ambiguous``) rather than given a currency they did not say. When the earlier
answer is in Canadian dollars and the person now types ``$``, the two readings disagree, and the
person is asked too.

Only currencies the exchange table (``flows/exchange_rates.py``) can compare are known here: an
amount the coach cannot weigh against a rate would only look understood.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name

from flows.exchange_rates import USD_PER_UNIT

KNOWN: frozenset[str] = frozenset(USD_PER_UNIT)
# the locales whose symbols and names people type most often (CLDR's own data for each)
LOCALES = ("en", "en_GB", "en_AU", "en_CA", "en_NZ", "en_SG", "en_IN", "en_HK", "es", "es_MX",
           "pt", "pt_BR", "fr", "de", "de_CH", "it", "nl", "ru", "uk", "pl", "tr", "hi", "ja",
           "zh", "ko", "sv", "nb", "da")
# the word a currency is called by alone, in the languages above (its full names come from
# CLDR); each is looked up in CLDR's names, so "dollars" means every dollar CLDR knows
HEAD_WORDS = ("dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "rupee", "rupees",
              "reais", "peso", "pesos", "franc", "francs", "franken", "krona", "kronor",
              "krone", "kroner", "zloty", "złoty", "złotych", "zlotys", "lira", "hryvnia",
              "hryvnias", "yuan", "renminbi", "рубль", "рублей", "рубля", "гривня",
              "гривень", "гривні", "dólar", "dólares", "libra", "libras", "dollari", "sterline")
# what people type that CLDR does not spell that way (slang, and common abbreviations)
EXTRA = {"bucks": ("USD",), "quid": ("GBP",), "c$": ("CAD",), "nz$": ("NZD",), "s$": ("SGD",),
         "руб": ("RUB",), "руб.": ("RUB",), "р.": ("RUB",), "грн": ("UAH",), "грн.": ("UAH",),
         "tl": ("TRY",), "rs": ("INR",), "rs.": ("INR",), "yuan": ("CNY",),
         "rmb": ("CNY",), "fr.": ("CHF",)}

# a run of what is neither a digit, a space nor a separator: "r$", "€", "руб", "usd", "zł"
_MARK = re.compile(r"[^\d\s,.'()\-+/:;!?\"]+\.?")


class Ambiguous(ValueError):
    """A mark that names several currencies, with nothing to tell which one was meant."""


@cache
def _lexicon() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, str]]:
    """Marks (symbols, codes, head words) and full names, each with the currencies it names;
    and English's reading of each mark. Built once, on the first amount read (about 0.1 s)."""
    marks: dict[str, set[str]] = {code.casefold(): {code} for code in KNOWN}
    names: dict[str, set[str]] = {}
    english: dict[str, str] = {}
    for tag in LOCALES:
        locale = Locale.parse(tag)
        for code in KNOWN:
            symbol = locale.currency_symbols.get(code)
            if symbol:
                marks.setdefault(symbol.casefold(), set()).add(code)
                if tag == "en":
                    english.setdefault(symbol.casefold(), code)
            for count in (1, 2, 5):
                name = get_currency_name(code, count=count, locale=locale).casefold()
                if name != code.casefold():
                    names.setdefault(name, set()).add(code)
    for word in HEAD_WORDS:
        found = {code for name, codes in names.items() if word in name.split() for code in codes}
        if found:
            marks.setdefault(word, set()).update(found)
    english.update({"dollar": "USD", "dollars": "USD"})
    for mark, codes in EXTRA.items():
        marks[mark] = set(codes) & KNOWN
    # full names of one word are marks already; longer ones are looked for as phrases
    phrases = {name: frozenset(codes) for name, codes in names.items() if " " in name}
    return ({mark: frozenset(codes) for mark, codes in marks.items() if codes}, phrases, english)


def warm() -> None:
    """Build the lexicon now (a bot calls this once started, off its event loop), so the first
    amount a person types is not kept waiting for it."""
    _lexicon()


def mentions(text: str) -> list[tuple[int, int, frozenset[str], str]]:
    """Every currency named in ``text`` (already normalised: casefolded): start, end, the
    currencies it may mean, and the mark itself. Full names first ("canadian dollars"), then
    marks; linear in the text (one scan, and one ``find`` per known name)."""
    marks, phrases, _ = _lexicon()
    found: list[tuple[int, int, frozenset[str], str]] = []
    taken: list[tuple[int, int]] = []
    for name, codes in phrases.items():
        at = text.find(name)
        if at >= 0 and _bounded(text, at, at + len(name)):
            found.append((at, at + len(name), codes, name))
            taken.append((at, at + len(name)))
    for match in _MARK.finditer(text):
        start, end = match.span()
        if any(s <= start < e for s, e in taken):
            continue
        mark = match.group(0)
        meant = marks.get(mark) or marks.get(mark.rstrip(".")) or _glued(mark, marks)
        if meant:
            found.append((start, end, meant, mark))
    found.sort()
    return found


def _glued(mark: str, marks: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """A mark glued to a word or a letter ("us$", "usd.") that is a known mark once trimmed."""
    for size in range(min(len(mark), 4), 0, -1):
        if mark[-size:] in marks and not mark[-size:].isalpha():
            return marks[mark[-size:]]
    return None


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()


def resolve(codes: frozenset[str], mark: str, default: str | None) -> str:
    """The one currency ``mark`` means, given the earlier answer's currency ``default``."""
    if len(codes) == 1:
        return next(iter(codes))
    reading = _lexicon()[2].get(mark)
    if default in codes:
        if reading is not None and reading != default:
            raise Ambiguous(mark)  # "$" after an amount in Canadian dollars: which dollars?
        return default
    if reading in codes:
        return reading
    raise Ambiguous(mark)
