"""Questions declared as data, and the parsing of what a person types in answer.

A ``Question`` says what it asks (its id, kind and options), when it is asked (``When`` clauses
over earlier answers) and which answers close a gate. Labels live in ``prompts/``; the ``aliases``
here are the words a person may type for an option, so a typed label is understood too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from flows import currencies
from flows.snapshot import Answer, Money

Kind = Literal["choice", "multi", "text", "money"]


@dataclass(frozen=True, slots=True)
class Option:
    """One possible answer: its stable id and the words that mean it when typed."""

    id: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class When:
    """The question is asked only when an earlier answer is (or is not) one of ``values``."""

    question: str
    values: frozenset[str]
    negate: bool = False

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        value = answers.get(self.question)
        if value is None:
            return self.negate  # not answered yet: the path most likely asks it only if negated
        if not isinstance(value, str):
            hit = MONEY in self.values
        elif "," in value:  # several options ticked
            hit = not self.values.isdisjoint(value.split(","))
        else:
            hit = value in self.values
        return hit != self.negate


MONEY = "<money>"  # stands for any amount in a ``When`` clause


def when(question: str, *values: str) -> When:
    return When(question, frozenset(values))


def unless(question: str, *values: str) -> When:
    return When(question, frozenset(values), negate=True)


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a flow, as data."""

    id: str
    kind: Kind
    group: str
    options: tuple[Option, ...] = ()
    asked_when: tuple[When, ...] = ()
    gate: frozenset[str] = frozenset()  # answers that end the flow early
    optional: bool = False  # may be skipped
    max_length: int = 120  # for text answers
    currency_from: str | None = None  # money: take the currency of this earlier answer
    numbered: bool = True  # a typed number picks an option by position (not for counts)

    def is_asked(self, answers: Mapping[str, Answer]) -> bool:
        return all(w.holds(answers) for w in self.asked_when)

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


YES = Option(
    "yes",
    (
        "yes", "y", "yeah", "yep", "yup", "yes i do", "sure", "definitely", "absolutely",
        "of course", "ok", "okay", "totally", "for sure", "i would", "i do", "i can",
        "i think so", "👍",
    ),
)
NO = Option(
    "no",
    ("no", "n", "nope", "nah", "not really", "never", "no way", "i would not", "i wouldn't",
     "i don't", "i dont", "i can't", "i cant", "definitely not", "absolutely not",
     "of course not", "not at all", "👎"),
)
UNSURE = Option(
    "unsure",
    ("unsure", "not sure", "maybe", "don't know", "dont know", "i don't know", "idk", "perhaps",
     "hard to say", "no idea", "not yet sure", "i'm not sure", "im not sure", "probably",
     "n/a", "na", "?", "🤷"),
)
YES_NO_UNSURE = (YES, NO, UNSURE)


# --- parsing -------------------------------------------------------------------------------

class Unplaceable(ValueError):
    """The text could not be read as an answer to the question; ``problem`` says why."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


SIGNATURE = "signature"  # a flow that signs what it writes asks this; the person's name fills it
ASKED_KEPT = 64  # results of QuestionSet.asked kept per flow (a few per update in flight)
SKIPPED = "skipped"  # the answer of an optional question the person chose to skip

_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t\n.!,;:\"'()[]{}*_~`"


def normalize(text: str) -> str:
    """Fold what a person types into a comparable form: NFKC, casefolded, one space, no edges."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    folded = "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return _SPACES.sub(" ", folded).strip(_EDGE_PUNCT)


_JOINERS = "\u200c\u200d"  # zero-width (non-)joiner: inside Persian or Hindi words, and emoji
_TAGS = range(0xE0020, 0xE0080)  # tag characters: subdivision flags (England, Scotland, Wales)
_BLACK_FLAG = "\U0001F3F4"


def _visible(ch: str) -> bool:
    """A character that shows (or shapes one that does): not a space, control or format mark."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def clean_text(text: str) -> str:
    """Text kept as the person wrote it, minus control characters and surrounding space.

    Invisible format characters go (bidi overrides, zero-width spaces, byte-order marks), except
    where they are part of the text: a joiner inside a word or an emoji (👩‍💻, Persian words),
    and the tags of a flag such as 🏴 for England. Characters newer than this Python's Unicode
    data are kept: they are most likely new emoji.
    """
    normal = unicodedata.normalize("NFC", text)
    kept: list[str] = []
    last = len(normal) - 1
    for index, ch in enumerate(normal):
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co") and ch != "\n":
            continue
        if category == "Cf":
            inside = 0 < index < last and _visible(normal[index - 1]) \
                and _visible(normal[index + 1])
            tag = ord(ch) in _TAGS and bool(kept) and (
                kept[-1] == _BLACK_FLAG or ord(kept[-1]) in _TAGS)
            if not ((ch in _JOINERS and inside) or tag):
                continue
        kept.append(ch)
    return _SPACES.sub(" ", "".join(kept)).strip()


UNSURE_OPTIONS = ("unsure", "not_stated", "not_discussed", "unclear")
_NEGATED = re.compile(r"^\s+not\b")


def parse_choice(question: Question, text: str) -> str:
    """The id of the option ``text`` names: by id, by alias, by number, or by its opening words.

    "I don't know" picks the question's not-sure option (or is not placed at all), and an alias
    followed by a negation ("definitely not") never counts as that alias.
    """
    said = normalize(text)
    if not said:
        raise Unplaceable("empty")
    for option in question.options:
        if text.strip() == option.id or said == normalize(option.id.replace("_", " ")):
            return option.id
        if said in option.aliases:
            return option.id
    if said.isdigit() and question.numbered:
        index = int(said) - 1
        if 0 <= index < len(question.options):
            return question.options[index].id
        raise Unplaceable("number")
    if any(said == alias or said.startswith(alias + " ") for alias in UNSURE.aliases):
        for option in question.options:
            if option.id in UNSURE_OPTIONS:
                return option.id
        raise Unplaceable("unknown")
    # "yes, I use it daily" means yes: the longest alias that opens the text wins, if only one
    best: tuple[int, str] | None = None
    tied = False
    for option in question.options:
        for alias in option.aliases:
            rest = said[len(alias):]
            if not said.startswith(alias) or rest[:1].isalnum() or _NEGATED.match(rest):
                continue
            if best is None or len(alias) > best[0]:
                best, tied = (len(alias), option.id), False
            elif len(alias) == best[0] and best[1] != option.id:
                tied = True
    if best is not None and not tied:
        return best[1]
    inside = _phrase_inside(question, said)
    if inside is not None:
        return inside
    raise Unplaceable("unknown")


_NEGATIONS = frozenset({"not", "no", "never", "dont", "doesnt", "didnt", "cant", "cannot",
                        "wont", "isnt", "arent", "wasnt", "havent", "hardly"})


def _bare(text: str) -> str:
    """Words alone: apostrophes dropped ("can't" and "cant" alike), other punctuation a space."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("'", "")).split())


def _phrase_inside(question: Question, said: str) -> str | None:
    """Everyday variants ("tried it and didn't like it", "yes but i cant back them up"): an
    option's telling phrase (two words or more) inside the text, in its last clause (what
    follows "but"), with no negation before it that the phrase does not carry itself; the
    longest one wins, and two options' phrases of one length place nothing."""
    clause = _bare(said).split(" but ")[-1]
    best: tuple[int, str] | None = None
    tied = False
    for option in question.options:
        for alias in option.aliases:
            phrase = _bare(alias)
            if " " not in phrase:
                continue
            found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", clause)
            if found is None:
                continue
            before = clause[:found.start()].split()
            rest = clause[found.end():]
            if _NEGATIONS.intersection(before) or _NEGATED.match(rest):
                continue
            if best is None or len(phrase) > best[0]:
                best, tied = (len(phrase), option.id), False
            elif len(phrase) == best[0] and best[1] != option.id:
                tied = True
    return best[1] if best is not None and not tied else None


_LIST_SPLIT = re.compile(r"\s*(?:,|;|\n|\band\b|&|\+)\s*|\s+(?=\d)")


def parse_many(question: Question, text: str) -> str:
    """Several options at once ("1, 3", "money and not labelled"): their ids, in option order.

    A list with commas is read part by part first: "guaranteed returns, wallet" is two
    answers, though its opening words alone would read as the first."""
    parts = [part for part in _LIST_SPLIT.split(normalize(text)) if part and part.strip()]
    if "," in text or ";" in text:
        try:
            return joined(question, {parse_choice(question, part) for part in parts})
        except Unplaceable:
            pass
    try:
        return parse_choice(question, text)
    except Unplaceable:
        pass
    if not parts:
        raise Unplaceable("empty")
    chosen = {parse_choice(question, part) for part in parts}
    return joined(question, chosen)


def joined(question: Question, chosen: set[str] | frozenset[str]) -> str:
    """Several option ids as one answer: comma-separated, in the question's option order."""
    return ",".join(option.id for option in question.options if option.id in chosen)


_AMOUNT = re.compile(r"(-?)(\d[\d,.' ]*)\s*(k|m|million|mil|thousand|grand)?\b", re.IGNORECASE)
_MULTIPLIERS = {"k": 1000, "thousand": 1000, "grand": 1000, "m": 1000000, "mil": 1000000,
                "million": 1000000}
MAX_AMOUNT = Decimal("100000000")


def _number(digits: str) -> Decimal:
    digits = digits.strip().replace("'", "").replace(" ", "")
    if "," in digits and "." in digits:
        # the later separator is the decimal one: 1,500.50 or 1.500,50
        if digits.rfind(",") > digits.rfind("."):
            digits = digits.replace(".", "").replace(",", ".")
        else:
            digits = digits.replace(",", "")
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        digits = digits.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail
    elif digits.count(".") > 1 or (digits.count(".") == 1 and len(digits.rpartition(".")[2]) == 3
                                   and len(digits.partition(".")[0]) <= 3
                                   and digits.partition(".")[0] != "0"):
        digits = digits.replace(".", "")  # 1.500 reads as fifteen hundred
    try:
        return Decimal(digits)
    except InvalidOperation as error:
        raise Unplaceable("amount") from error


def parse_money(text: str, default_currency: str | None = None) -> Money:
    """An amount like ``$1,500``, ``1500 EUR``, ``€2k``, ``R$ 2.000`` or ``50000 руб``, with its
    currency (``flows/currencies.py`` reads the currency).

    In "3 posts for $1,500" the amount is the number next to the currency, not the first one.
    A bare number takes ``default_currency``; with none, it is not placed ("currency"): the
    person is asked which currency they mean rather than given dollars without a word. So is a
    mark that names several currencies with nothing to tell which ("kr", or "$" after an amount
    in Canadian dollars).
    """
    said = normalize(text)
    matches = list(_AMOUNT.finditer(said))
    if not matches:
        raise Unplaceable("amount")
    named = currencies.mentions(said)

    def distance(match: re.Match[str]) -> int:
        """How far the nearest currency mark is from this number (0: right beside it)."""
        gaps = [max(start - match.end(), match.start() - end, 0) for start, end, _, _ in named]
        return min(gaps, default=len(said))

    beside = [m for m in matches if distance(m) <= 1]
    largest = max(matches, key=lambda m: _number(m.group(2).strip(" ,.")))
    match = beside[0] if beside else largest
    if match.group(1):
        raise Unplaceable("amount")  # a negative fee is a typo, not a deal
    amount = _number(match.group(2).strip(" ,."))
    amount *= Decimal(_MULTIPLIERS.get((match.group(3) or "").lower(), 1))
    if amount <= 0 or amount > MAX_AMOUNT:
        raise Unplaceable("amount")
    currency = default_currency
    if named:
        nearest = min(named, key=lambda m: max(m[0] - match.end(), match.start() - m[1], 0))
        try:
            currency = currencies.resolve(nearest[2], nearest[3], default_currency)
        except currencies.Ambiguous:
            raise Unplaceable("currency") from None
    if currency is None:
        raise Unplaceable("currency")
    if amount == amount.to_integral_value():
        amount = Decimal(int(amount))
    return Money(amount=amount, currency=currency)


SKIP_WORDS = frozenset({"skip", "pass", "none", "no", "n/a", "na", "-", "no rate",
                        "i don't have one", "don't have one", "dont have one", "not sure",
                        "no idea", "idk", "i don't know", "dont know", "unsure"})


def parse_answer(question: Question, text: str, answers: Mapping[str, Answer]) -> Answer:
    """Read typed ``text`` as an answer to ``question``, or raise ``Unplaceable``."""
    if question.optional and normalize(text) in SKIP_WORDS:
        return SKIPPED
    if question.kind == "multi":
        return parse_many(question, text)
    if question.kind == "text":
        kept = clean_text(text)
        if not kept:
            raise Unplaceable("empty")
        if len(kept) > question.max_length:
            raise Unplaceable("too_long")
        return kept
    if question.options:
        try:
            return parse_choice(question, text)
        except Unplaceable:
            if question.kind != "money":
                raise
    default = None
    if question.currency_from:
        earlier = answers.get(question.currency_from)
        if isinstance(earlier, Money):
            default = earlier.currency
    return parse_money(text, default)


@dataclass(slots=True)
class QuestionSet:
    """The ordered questions of a flow, with the look-ups the flow engine needs."""

    questions: tuple[Question, ...]
    by_id: dict[str, Question] = field(init=False)
    _asked: dict[tuple[tuple[str, Answer], ...], tuple[Question, ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id = {q.id: q for q in self.questions}
        self._asked = {}

    def asked(self, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
        """The questions this path asks, in order; an answer left behind by an edit (to a
        question no longer asked) does not decide what else is asked.

        One update asks this of the same answers several times (the machine's conditions, the
        progress line, the review), so the last few results are kept."""
        key = tuple(answers.items())
        found = self._asked.get(key)
        if found is None:
            if len(self._asked) >= ASKED_KEPT:
                self._asked.clear()
            found = self._asked[key] = tuple(self._walk(answers))
        return found

    def _walk(self, answers: Mapping[str, Answer]) -> list[Question]:
        effective: dict[str, Answer] = {}
        asked = []
        for question in self.questions:  # the hottest loop of a flow: plain code on purpose
            conditions = question.asked_when
            if conditions and not all(w.holds(effective) for w in conditions):
                continue
            asked.append(question)
            value = answers.get(question.id)
            if value is not None:
                effective[question.id] = value
        return asked

    def next_unanswered(self, answers: Mapping[str, Answer]) -> Question | None:
        for question in self.asked(answers):
            if question.id not in answers:
                return question
        return None

    def closed_gate(self, answers: Mapping[str, Answer]) -> Question | None:
        for question in self.asked(answers):
            value = answers.get(question.id)
            if isinstance(value, str) and not question.gate.isdisjoint(value.split(",")):
                return question  # one ticked option of several is enough
        return None

    def possible(self, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
        """The questions this path may ask, in order: a question that hangs on an answer not
        given yet is kept until that answer rules it out (so a count of them only falls, and
        only when an answer closes a branch)."""
        effective: dict[str, Answer] = {}
        unsettled: set[str] = set()  # not answered yet, or not known to be asked
        found = []
        for question in self.questions:
            conditions = question.asked_when
            if any(w.question in unsettled for w in conditions):
                unsettled.add(question.id)
                found.append(question)
                continue
            if conditions and not all(w.holds(effective) for w in conditions):
                continue
            found.append(question)
            value = answers.get(question.id)
            if value is None:
                unsettled.add(question.id)
            else:
                effective[question.id] = value
        return tuple(found)

    def relevant(self, answers: Mapping[str, Answer]) -> dict[str, Answer]:
        """The answers of questions this path asks (answers left behind by an edit are ignored)."""
        return {q.id: answers[q.id] for q in self.asked(answers) if q.id in answers}
