"""Read a pasted pitch: the terms it states, the scam signals in it, and what is weak in it.

The pitch is cut into clauses first (at sentence marks, commas followed by a space, colons and
line breaks: "$1,500" stays whole), and every pattern then looks for a few words inside one
clause. No pattern has an unbounded run before its key words, so a reading takes time linear in
the pitch's length, and it is cached by text: a decided check shows it again without reading it
again. Each fact keeps the clause it came from, so a rewrite can keep the brand's own words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from flows.questions import Unplaceable, parse_money
from flows.snapshot import Answer

QUOTE_LIMIT = 160  # characters of a clause quoted back


class Weakness(BaseModel):
    """Something a creator would trip over; ``quote`` is the pitch's own words, if it shows it."""

    model_config = ConfigDict(frozen=True)

    code: str
    quote: str | None = None


class Fact(BaseModel):
    """A term the pitch states: ``quote`` is the clause that states it, ``value`` the creator
    review's answer it means (an option id, or an amount for ``pay``), when it is that clear."""

    model_config = ConfigDict(frozen=True)

    code: str  # pay, deliverables, dates, usage_rights, exclusivity, payment_terms, revisions,
    #            label, product_first, community_value, ask, voice
    quote: str
    value: Answer | None = None
    per: str | None = None  # pay only: "month" or "post" when the pitch says so


class PitchReading(BaseModel):
    """What a pitch says and what it lacks, scam signals first."""

    model_config = ConfigDict(frozen=True)

    facts: list[Fact]
    scams: list[Weakness]
    weaknesses: list[Weakness]

    def fact(self, code: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.code == code), None)

    def answers(self) -> dict[str, Answer]:
        """The creator review's answers the pitch states itself: of several clauses about one
        term, the one a creator weighs most (perpetual usage over paid ads over organic)."""
        found: dict[str, Answer] = {}
        for fact in self.facts:
            if fact.value is None:
                continue
            held = found.get(fact.code)
            if held is None or WEIGHT.get(str(fact.value), 0) > WEIGHT.get(str(held), 0):
                found[fact.code] = fact.value
        return found


SEVERAL = frozenset({"deliverables", "usage_rights", "exclusivity", "dates"})
# which of two stated values of one term a creator weighs most
WEIGHT = {"perpetual": 3, "limited_paid": 2, "organic": 1, "long_vague": 2, "short_named": 1,
          "brand_refuses": 2, "clear": 1}


_EDGES = " \t\r\n-•*–—.,;:!?\"'()[]"
_PAUSES = frozenset(".!?;:,")
_CLOSING = frozenset("\"”’'")  # a quotation closing a sentence: "... you sleep." Payment


_LEADING_AND = re.compile(r"^(?:and|or|plus|with)\s+(?=\S)", re.I)


def _heading(text: str, start: int, index: int) -> bool:
    """A colon after a word or two ("Usage: 6 months") labels its clause rather than ends one."""
    return text[index] == ":" and len(text[start:index].split()) <= 2


def clauses(text: str) -> list[str]:
    """The pitch cut where a reader pauses: at a sentence mark, comma or colon followed by a
    space, and at line breaks, never inside brackets ("(Lodge, Le Creuset)") or "$1,500"."""
    parts: list[str] = []
    start = depth = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "\n" or (depth == 0 and (char in _PAUSES or (
                char in _CLOSING and text[index - 1:index] in _PAUSES))
                and text[index + 1:index + 2] in (" ", "\t", "\n")
                and not _heading(text, start, index)):
            parts.append(text[start:index + 1])
            start = index + 1
            if char == "\n":
                depth = 0
    parts.append(text[start:])
    return [_LEADING_AND.sub("", kept) for part in parts if (kept := part.strip(_EDGES))]


def _quoted(clause: str) -> str:
    words = " ".join(clause.split())
    return words if len(words) <= QUOTE_LIMIT else words[:QUOTE_LIMIT - 1].rstrip() + "…"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# --- scam signals: named first, and a pitch that has one is not polished ---------------------
_WE_PAY = _rx(r"\b(?:we|we'll|we\s+will|we'd|we\s+would|our\s+team\s+will)\s+(?:\w+\s+){0,2}?"
              r"(?:pay|send|transfer|wire|cover)\b")
_YOU_PAY = _rx(r"\byou\s+(?:\w+\s+){0,2}?(?:pay|send|transfer|wire|cover)\b")
SCAMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scam_deposit", _rx(
        r"\b(?:deposit|registration\s+fee|activation\s+fee|processing\s+fee|onboarding\s+fee|"
        r"membership\s+fee|shipping\s+fee|starter\s+fee|(?:small|one-time|refundable)\s+fee|"
        r"pay\s+(?:for\s+)?(?:the\s+)?shipping|cover\s+(?:the\s+)?shipping)")),
    ("scam_payment_link", _rx(
        r"\b(?:wallet|crypto|usdt|bitcoin|btc|ethereum|gift\s+cards?|paypal\.me|cash\s?app|"
        r"western\s+union|payment\s+link|link\s+to\s+pay|pay\s+(?:via|through|at|on|using)\s+"
        r"(?:this|the|our)\s+link)\b")),
    ("scam_deadline", _rx(
        r"\bwithin\s+(?:\d{1,2}|one|two|twenty[- ]four|forty[- ]eight)\s+(?:hours?|hrs?)\b|"
        r"\b(?:12|24|48)\s?-?\s?(?:hours?|hrs?|h)\b|\btoday\s+only\b|"
        r"\bby\s+(?:tonight|end\s+of\s+(?:the\s+)?day)\b|\boffer\s+expires\b|"
        r"\bact\s+(?:now|fast)\b|\blast\s+chance\b|\bonly\s+\d+\s+spots?\b")),
    ("scam_returns", _rx(
        r"\bguarantee\w*\s+(?:\w+\s+){0,3}?(?:returns?|profits?|income|earnings|roi|\d+\s?%)|"
        r"\b\d+\s?%\s+(?:\w+\s+)?(?:returns?|profits?|roi)\b|\bpassive\s+income\b|"
        r"\brisk[- ]free\b|\bdouble\s+your\s+money\b")),
    ("scam_hide", _rx(
        r"\b(?:do\s+not|don'?t|dont|no\s+need\s+to|without|avoid|never)\s+(?:[\w']+\s+){0,3}?"
        r"(?:mention\w*|say\w*|disclos\w*|tell\w*|label\w*|tag\w*)\s+(?:[\w']+\s+){0,4}?"
        r"(?:sponsor\w*|paid|an?\s+ad\b|ads\b|#ad|partnership|advert\w*|collab\w*)|"
        r"\bno\s+#?ad\s+(?:label|tag|hashtag)|\bno\s+#ad\b|\b(?:look|feel|seem)s?\s+"
        r"(?:\w+\s+)?organic\b|\bnot\s+like\s+an\s+ad\b")),
    ("scam_freemail", _rx(
        r"[\w.+-]{1,64}@(?:gmail|googlemail|yahoo|hotmail|outlook|live|aol|proton|protonmail|"
        r"icloud|gmx|mail|yandex)\.[a-z]{2,3}\b")),
)

# --- what a creator would trip over, quoted -------------------------------------------------
QUOTED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("free_product_for_posts", _rx(
        r"\b(?:in\s+exchange\s+for\s+(?:free\s+)?(?:product|products)|free\s+products?\s+"
        r"(?:for|in\s+return)|gifted\s+in\s+exchange)\b")),
    ("just_one_post", _rx(
        r"\b(?:just\s+(?:one|a|1)\s+(?:quick\s+)?(?:post|video|story|reel)|one\s+quick\s+"
        r"(?:post|video)|quick\s+post)\b")),
    ("scripted", _rx(
        r"\b(?:script|scripted|word\s+for\s+word|use\s+(?:the\s+|our\s+)?following\s+caption|"
        r"caption\s+(?:we|below)|shot\s+list|must\s+say|exact\s+wording)\b")),
    ("perpetual_usage", _rx(
        r"\b(?:perpetu\w*|forever|unlimited\s+usage|all\s+media|full\s+usage\s+rights|"
        r"usage\s+in\s+all|irrevocabl\w*)\b")),
    ("claims", _rx(
        r"\b(?:cures?|clinically|proven|burns?\s+fat|lose\s+weight|weight\s+loss|guarantee\w*|"
        r"boosts?\s+(?:your\s+)?immun\w*|detox\w*|miracle|100%\s+natural)\b")),
)
QUOTED_CLAIMS = dict(QUOTED)["claims"]
_RETURNS = dict(SCAMS)["scam_returns"]  # promised returns are a scam signal, not a product claim
_EVIDENCE = _rx(r"\b(?:stud(?:y|ies)|clinical\s+trials?|evidence|proof|substantiat\w*|"
                r"peer-reviewed|tested\s+by)\b")
_GREETING = _rx(r"^\s*(?:hi|hey|hello|dear|greetings)\b")
_CONTENT = _rx(r"\byour\s+(?:[\w-]+\s+){0,2}?(?:content|videos?|posts?|channel|feed|work|"
               r"recipes?|reviews?|tutorials?|community|audience|followers|reels?|photos?|stories|podcast|"
               r"newsletter)\b")
_AUDIENCE_VALUE = _rx(r"\b(?:discount|code|exclusive\s+(?:offer|access|deal)|early\s+access|"
                      r"giveaway|free\s+trial|your\s+(?:audience|followers|community)\s+"
                      r"(?:will|would|can|get)|for\s+your\s+(?:audience|followers|community))\b")
_FEE_WORDS = _rx(r"\b(?:fees?|rates?|budget|pay\s+you|paying\s+you|compensation|retainer)\b")

# --- the terms -------------------------------------------------------------------------------
_MONEY = _rx(r"[$€£]\s?\d[\d,.]*(?:\s?(?:k|m)\b)?|\b\d[\d,.]*\s?(?:k\s?)?"
             r"(?:usd|eur|gbp|cad|aud|dollars|euros|pounds)\b")
_NOT_A_FEE = _rx(r"\b(?:off|discount|worth|value|valued|retail|rrp|deposit|shipping|"
                 r"returns?|profit|income)\b")
_PER_MONTH = _rx(r"^\s*(?:per|a|/|each|every)\s*(?:month|mo)\b|^\s*monthly\b|"
                 r"\bmonthly\s+(?:fee|retainer)|\bper\s+month\b|\ba\s+month\b")
_PER_POST = _rx(r"^\s*(?:per|a|/|each|for\s+each)\s*(?:post|video|reel|tiktok|story|short|"
                r"deliverable|piece)\b|\bper\s+(?:post|video|reel|deliverable)\b")
_DELIVERABLE = _rx(r"(?<![\d,.$€£])\b(?:\d+|one|two|three|four|five|six|a|an|single)\s+"
                   r"(?:[\w-]+\s+){0,2}?"
                   r"(?:posts?|videos?|reels?|stories|story|tiktoks?|shorts?|carousels?|"
                   r"livestreams?|streams?|episodes?|integrations?|newsletters?|mentions?)\b")
_COUNT_ONE = _rx(r"^(?:one|a|an|single|1)\b")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATES = _rx(r"\b(?:by|before|on|until|deadline|due|live\s+(?:on|in))\s+(?:the\s+)?(?:\d|"
             + _MONTH + r"\b|monday|tuesday|wednesday|thursday|friday|next|end\s+of)|\b" + _MONTH
             + r"\s+\d{1,2}\b|\bin\s+(?:early\s+|mid-|late\s+)?" + _MONTH + r"\b|"
             r"\b\d{1,2}/\d{1,2}\b|\bweek\s+of\b|\bdates?\b|\b(?:this|next)\s+(?:week|month)\b|"
             r"\bend\s+of\s+the\s+month\b|\bstarting\b")
_USAGE = _rx(r"\b(?:usage|rights|licen[cs]e|repost\w*|reshare\w*|whitelist\w*|paid\s+ads?|"
             r"boost\w*|spark\s+ads?|organic|in\s+perpetuity|perpetu\w*)\b")
_USAGE_PERPETUAL = _rx(r"\b(?:perpetu\w*|forever|unlimited|all\s+media|irrevocab\w*)")
_USAGE_PAID = _rx(r"\b(?:paid\s+(?:ads?|media|usage|social)|whitelist\w*|boost\w*|spark\s+ads?|"
                  r"ads?\s+(?:from|on|with)\s+your)\b")
_NO_PAID = _rx(r"\bno\s+paid\b|\bnot\s+(?:for|in)\s+paid\b|\bwithout\s+paid\b")
_EXCLUSIVITY = _rx(r"\b(?:exclusiv\w*|non-exclusive|competitors?|competing\s+brands?)\b")
_NO_EXCLUSIVITY = _rx(r"\bno\s+exclusiv\w*|\bnon-?exclusive\b|\bnot\s+exclusive\b|"
                      r"\bwithout\s+exclusiv\w*")
_VAGUE_EXCLUSIVITY = _rx(r"\b(?:industry|category|any\s+(?:other\s+)?(?:competitor|brand)|"
                         r"all\s+(?:competitors|brands)|\d+\s+years?|a\s+year|one\s+year|"
                         r"twelve\s+months|12\s+months)\b")
_NAMED = _rx(r"\b(?:named|such\s+as|like|including|namely|specifically)\b|\(|:\s*\w")
_PAYMENT = _rx(r"\bnet\s?-?\s?(\d{1,3})\b|\b(?:within|in)\s+(\d{1,3})\s+days\b|"
               r"\b(\d{1,3})\s+days\s+(?:after|from|of)\b|\b(?:upon|on)\s+(?:delivery|posting|"
               r"publication)\b|\bup\s?front\b|\bin\s+advance\b|\bpaid\s+(?:after|on|when)\b")
_PROMPT_PAY = _rx(r"\b(?:delivery|posting|publication|up\s?front|in\s+advance)\b")
_REVISIONS = _rx(r"\b(unlimited|endless|as\s+many)\s+(?:rounds?\s+of\s+)?(?:revisions?|edits|"
                 r"changes|rounds)|\b(one|two|three|four|1|2|3|4)\s+(?:rounds?\s+of\s+)?"
                 r"(?:revisions?|edits|rounds)\b|\brevisions?\b")
_LABEL = _rx(r"#ad\b|#advert\w*|#sponsored\b|\bdisclos\w*|\bpaid\s+partnership\s+(?:label|tag|"
             r"tool)|\blabel(?:l?ed)?\s+(?:\w+\s+){0,2}?(?:as\s+)?(?:an?\s+)?ad\b|\bad\s+label\b|"
             r"\bbranded[- ]content\s+(?:tag|toggle|label)")
_PRODUCT_FIRST = _rx(r"\bno\s+strings\b|\bno\s+obligation\b|\bwithout\s+(?:any\s+)?obligation\b|"
                     r"\bno\s+pressure\s+to\s+post\b|\b(?:send|ship)\s+you\s+(?:\w+\s+){0,3}?"
                     r"to\s+try\b")
_ONGOING = _rx(r"\b(?:ongoing|long[- ]term|ambassador\w*|retainer|partnership\s+over|"
               r"every\s+month|monthly|per\s+month|a\s+month)\b")
_OWN_WORDS = _rx(r"\b(?:your\s+own\s+words|creative\s+freedom|full\s+creative|however\s+you\s+"
                 r"like|your\s+own\s+(?:style|way|voice))\b")


def _fee(clause: str) -> Fact | None:
    if _YOU_PAY.search(clause):
        return None
    for match in _MONEY.finditer(clause):
        if _NOT_A_FEE.search(clause[max(0, match.start() - 25):match.end() + 25]):
            continue
        try:
            amount = parse_money(match.group(0))
        except Unplaceable:
            continue
        after = clause[match.end():match.end() + 30]
        per = None
        if _PER_MONTH.search(after) or _PER_MONTH.search(clause):
            per = "month"
        elif _PER_POST.search(after) or _PER_POST.search(clause):
            per = "post"
        return Fact(code="pay", quote=_quoted(clause), value=amount, per=per)
    return None


def _usage(clause: str) -> str | None:
    if _USAGE_PERPETUAL.search(clause):
        return "perpetual"
    if _USAGE_PAID.search(clause) and not _NO_PAID.search(clause):
        return "limited_paid"
    return "organic" if "organic" in clause.casefold() or "repost" in clause.casefold() else None


def _exclusivity(clause: str) -> str:
    if _NO_EXCLUSIVITY.search(clause):
        return "none"
    if _VAGUE_EXCLUSIVITY.search(clause) or not _NAMED.search(clause):
        return "long_vague"
    return "short_named"


def _payment(match: re.Match[str], clause: str) -> str | None:
    days = next((int(group) for group in match.groups() if group), None)
    if days is None:
        return "net30" if _PROMPT_PAY.search(clause) else None
    return "net30" if days <= 30 else "net60_plus"


def _revisions(match: re.Match[str]) -> str | None:
    if match.group(1):
        return "unlimited"
    count = (match.group(2) or "").casefold()
    return "two_or_fewer" if count in ("one", "two", "1", "2") else None


def _terms(parts: list[str], hiding: bool) -> list[Fact]:
    """Every term the pitch states, in the order it states them."""
    facts: list[Fact] = []
    seen: set[str] = set()

    def add(code: str, clause: str, value: Answer | None = None) -> None:
        # a term stated over several clauses keeps them all (a rewrite repeats every one)
        if code not in seen or code in SEVERAL:
            seen.add(code)
            facts.append(Fact(code=code, quote=_quoted(clause), value=value))

    for clause in parts:
        if "pay" not in seen and (fee := _fee(clause)) is not None:
            seen.add("pay")
            facts.append(fee)
        if _DELIVERABLE.search(clause):
            add("deliverables", clause)
        if _DATES.search(clause):
            add("dates", clause)
        if _USAGE.search(clause) and not _EXCLUSIVITY.search(clause):
            add("usage_rights", clause, _usage(clause))
        if _EXCLUSIVITY.search(clause):
            add("exclusivity", clause, _exclusivity(clause))
        if (payment := _PAYMENT.search(clause)) and not _YOU_PAY.search(clause):
            add("payment_terms", clause, _payment(payment, clause))
        if revisions := _REVISIONS.search(clause):
            add("revisions", clause, _revisions(revisions))
        if _LABEL.search(clause) and not hiding:
            add("label", clause, "clear")
        if _PRODUCT_FIRST.search(clause):
            add("product_first", clause, "yes")
        if _AUDIENCE_VALUE.search(clause):
            add("community_value", clause)
        if _ONGOING.search(clause):
            add("ask", clause, "ongoing")
        if _OWN_WORDS.search(clause):
            add("voice", clause, "own_words")
        if QUOTED_CLAIMS.search(clause) and not _RETURNS.search(clause):
            add("claims", clause, "can_back" if _EVIDENCE.search(clause) else "cannot_back")
        if _CONTENT.search(clause) and not facts_in(clause, facts):
            add("about_them", clause)
    return facts


def facts_in(clause: str, facts: list[Fact]) -> bool:
    """Whether a term was already read from this clause (it is repeated once, as that term)."""
    return any(fact.quote == _quoted(clause) for fact in facts)


def _ask(facts: list[Fact]) -> Answer | None:
    """One post or a few, from the deliverables the pitch names, unless it says ongoing."""
    named = [fact for fact in facts if fact.code == "deliverables"]
    if not named or any(fact.code == "ask" for fact in facts):
        return None
    counts = [_DELIVERABLE.search(fact.quote) for fact in named]
    single = all(match is not None and _COUNT_ONE.match(match.group(0)) for match in counts)
    return "one_post" if single and len(named) == 1 else "few_posts"


@lru_cache(maxsize=256)
def read_pitch(text: str, creator_name: str) -> PitchReading:
    """The pitch's terms, its scam signals and its weaknesses, in the order a creator meets them.

    A weakness of absence ("no fee") is reported only when the pitch states no such term."""
    parts = clauses(text)
    scams: list[Weakness] = []  # in the pitch's order, each signal once
    for clause in parts:
        for code, pattern in SCAMS:
            if (code not in {scam.code for scam in scams} and pattern.search(clause)
                    and not (code == "scam_deposit" and _WE_PAY.search(clause)
                             and not _YOU_PAY.search(clause))):
                scams.append(Weakness(code=code, quote=_quoted(clause)))
    hiding = any(scam.code == "scam_hide" for scam in scams)
    facts = _terms(parts, hiding)
    if hiding:
        facts.append(Fact(code="label", quote=next(s.quote or "" for s in scams
                                                   if s.code == "scam_hide"),
                          value="brand_refuses"))
    if (ask := _ask(facts)) is not None:
        facts.append(Fact(code="ask", quote=next(f.quote for f in facts
                                                 if f.code == "deliverables"), value=ask))
    found: list[Weakness] = []
    first_name = creator_name.split()[0].casefold() if creator_name.split() else ""
    if not first_name or first_name not in text.casefold():
        greeting = _GREETING.match(parts[0]) if parts else None
        found.append(Weakness(code="not_personal",
                              quote=_quoted(parts[0]) if greeting and parts else None))
    if not any(_CONTENT.search(clause) for clause in parts):
        found.append(Weakness(code="nothing_about_them"))
    codes = {fact.code for fact in facts}
    if "community_value" not in codes:
        found.append(Weakness(code="no_audience_value"))
    scam_quotes = {scam.quote for scam in scams}
    for code, pattern in QUOTED:
        shows = next((clause for clause in parts if pattern.search(clause)), None)
        if shows is not None and _quoted(shows) not in scam_quotes:
            found.append(Weakness(code=code, quote=_quoted(shows)))
    if "pay" not in codes and not any(_FEE_WORDS.search(clause) for clause in parts):
        found.append(Weakness(code="no_fee"))
    for code, term in (("no_deliverables", "deliverables"), ("no_dates", "dates"),
                       ("no_usage", "usage_rights"), ("no_exclusivity", "exclusivity"),
                       ("no_disclosure", "label")):
        if term not in codes:
            found.append(Weakness(code=code))
    return PitchReading(facts=facts, scams=scams, weaknesses=found)

