"""The deal's terms and the scam signals, read clause by clause: one reader for the proposal
check (a rep's pitch) and the creator review (a brand's message).

Each ``Fact`` keeps the clause it came from (short), the creator review's answer it means when
that is clear (``value``), and what it says in a comparable form (``detail``: "1500 USD",
"60", "2 story"; ``term``: how long). No pattern has an unbounded run before its key words, so
a reading takes time linear in the text's length.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from flows.reading.amounts import amounts, durations
from flows.reading.clauses import quoted, rx
from flows.snapshot import Answer


class Fact(BaseModel):
    """A term the text states: ``quote`` is the clause that states it, ``value`` the creator
    review's answer it means (an option id, or an amount for ``pay``), when it is that clear."""

    model_config = ConfigDict(frozen=True)

    code: str  # pay, deliverables, dates, usage_rights, exclusivity, payment_terms, revisions,
    #            label, product_first, community_value, ask, voice, claims, about_them, and the
    #            offer's own (flows/reading/offer.py)
    quote: str
    value: Answer | None = None
    per: str | None = None  # pay: "month" or "post" when the text says so; a deliverable: "month"
    detail: str | None = None  # what it says, comparably: "1500 USD", "60", "2 story", "25%"
    term: str | None = None  # how long, when the clause says: "12 months", "60 days"
    corrected: bool = False  # what the creator said the message states, not what was read


class Signal(BaseModel):
    """A scam signal (or, in a pitch, a weakness): its code and the words that show it."""

    model_config = ConfigDict(frozen=True)

    code: str
    quote: str | None = None


SEVERAL = frozenset({"deliverables", "usage_rights", "exclusivity", "dates"})
# which of two stated values of one term a creator weighs most
WEIGHT = {"perpetual": 3, "limited_paid": 2, "organic": 1, "long_vague": 2, "short_named": 1,
          "brand_refuses": 2, "clear": 1}

# --- scam signals: named first --------------------------------------------------------------
WE_PAY = rx(r"\b(?:we|we'll|we\s+will|we'd|we\s+would|our\s+team\s+will)\s+(?:\w+\s+){0,2}?"
            r"(?:pay|send|transfer|wire|cover)\b")
YOU_PAY = rx(r"\byou\s+(?:\w+\s+){0,3}?(?:pay|send|transfer|wire|cover)\b")
SCAMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scam_deposit", rx(
        r"\b(?:deposit|registration\s+fee|activation\s+fee|processing\s+fee|onboarding\s+fee|"
        r"membership\s+fee|shipping\s+fee|starter\s+fee|(?:small|one-time|refundable)\s+fee|"
        r"pay\s+(?:for\s+)?(?:the\s+)?shipping|cover\s+(?:the\s+)?shipping|"
        r"dep[óo]sito|tarifa\s+de\s+(?:registro|activaci[óo]n|inscripci[óo]n)|"
        r"taxa\s+de\s+(?:inscri[çc][ãa]o|ativa[çc][ãa]o|cadastro))")),
    ("scam_payment_link", rx(
        r"\b(?:wallet|crypto|usdt|bitcoin|btc|ethereum|gift\s+cards?|paypal\.me|cash\s?app|"
        r"western\s+union|payment\s+link|link\s+to\s+pay|pay\s+(?:via|through|at|on|using)\s+"
        r"(?:this|the|our)\s+link)\b")),
    ("scam_deadline", rx(
        r"\bwithin\s+(?:\d{1,2}|one|two|twenty[- ]four|forty[- ]eight)\s+(?:hours?|hrs?)\b|"
        r"\b(?:12|24|48)\s?-?\s?(?:hours?|hrs?|h|horas)\b|\btoday\s+only\b|"
        r"\bby\s+(?:tonight|end\s+of\s+(?:the\s+)?day)\b|\boffer\s+expires\b|"
        r"\bact\s+(?:now|fast)\b|\blast\s+chance\b|\bonly\s+\d+\s+spots?\b")),
    ("scam_returns", rx(
        r"\bguarantee\w*\s+(?:\w+\s+){0,3}?(?:returns?|profits?|income|earnings|roi|\d+\s?%)|"
        r"\b\d+\s?%\s+(?:\w+\s+)?(?:returns?|profits?|roi)\b|\bpassive\s+income\b|"
        r"\brisk[- ]free\b|\bdouble\s+your\s+money\b|\bmoney\s+back\s+double\b|"
        r"\bretorno\s+garantido\b|\bganancias\s+garantizadas\b")),
    ("scam_hide", rx(
        r"\b(?:do\s+not|don'?t|dont|no\s+need\s+to|without|avoid|never)\s+(?:[\w']+\s+){0,3}?"
        r"(?:mention\w*|say\w*|disclos\w*|tell\w*|label\w*|tag\w*)\s+(?:[\w']+\s+){0,4}?"
        r"(?:sponsor\w*|paid|an?\s+ad\b|ads\b|#ad|partnership|advert\w*|collab\w*)|"
        r"\bno\s+#?ad\s+(?:label|tag|hashtag)|\bno\s+#ad\b|\b(?:look|feel|seem)s?\s+"
        r"(?:\w+\s+)?organic\b|\bnot\s+like\s+an\s+ad\b|"
        r"\bn[ãa]o\s+(?:fale|diga|mencione|marque|coloque)\s+(?:\w+\s+){0,3}?"
        r"(?:publicidade|patroc\w*|#publi)|\bno\s+(?:digas|menciones|pongas)\s+(?:\w+\s+){0,3}?"
        r"(?:publicidad|patrocin\w*|#publi)")),
    ("scam_freemail", rx(
        r"[\w.+-]{1,64}@(?:gmail|googlemail|yahoo|hotmail|outlook|live|aol|proton|protonmail|"
        r"icloud|gmx|mail|yandex)\.[a-z]{2,3}\b")),
)


_DEPOSIT = dict(SCAMS)["scam_deposit"]
_AMOUNT = (r"(?:(?:r\$|[$€£₹]|(?:usd|eur|gbp)\s?)\d[\d,.]{0,9}|"
           r"\d[\d,.]{0,9}\s?(?:usd|eur|gbp|€|£))")
# the creator asked to pay, in other words than a deposit's: "pay the $49 starter kit", "buy
# your ambassador pack", "send us $50"
_ASKED_TO_PAY = rx(
    r"\b(?:pay|buy|purchase)\s+(?:for\s+)?(?:(?:the|a|an|your|our)\s+)?(?:" + _AMOUNT
    + r"\s+)?(?:starter|welcome|ambassador|onboarding|creator)\s+(?:kit|pack|box|bundle)\b|"
    r"\b(?:pay|send|transfer|wire)\s+us\s+(?:(?:a|the)\s+)?" + _AMOUNT)
# who pays, when it is not the creator: "your followers can buy the starter kit", "use my
# code to buy the starter kit" (the creator's line to their audience)
_OTHERS_PAY = rx(r"\b(?:we|we'll|we’ll|we\s+will|we'd|we’d|we\s+would|brand|client|company|"
                 r"they|they'll|followers|audience|community|fans|customers|viewers|shoppers)"
                 r"\s+(?:[\w'’]+\s+){0,2}$|\b(?:my|your)\s+(?:[\w-]+\s+)?(?:link|code)\s+"
                 r"(?:to\s+)?$")
_LINK = rx(r"\blinks?\b")


def asks_to_pay(clause: str) -> bool:
    """Whether a clause asks the creator to pay: a deposit or a fee of the kinds scams ask
    (unless the brand pays it: "we pay a 50% deposit"), a starter kit, money sent to them."""
    if _DEPOSIT.search(clause) and not (WE_PAY.search(clause) and not YOU_PAY.search(clause)):
        return True
    return any(not _OTHERS_PAY.search(clause[max(0, asked.start() - 30):asked.start()])
               for asked in _ASKED_TO_PAY.finditer(clause))


def _shows(code: str, pattern: re.Pattern[str], clause: str) -> bool:
    """Whether a clause shows a scam signal: any link is one to pay through when the creator
    is asked to pay ("pay the $49 starter kit through the link below"), and none when the brand
    pays through it ("Pay via PayPal link within 30 days")."""
    if code == "scam_deposit":
        return asks_to_pay(clause)
    if code == "scam_payment_link":
        return bool(pattern.search(clause) or (_LINK.search(clause) and asks_to_pay(clause)))
    return bool(pattern.search(clause))


def scam_signals(parts: list[str]) -> list[Signal]:
    """Each scam signal once, in the text's order, with the first clause that shows it."""
    found: list[Signal] = []
    for clause in parts:
        for code, pattern in SCAMS:
            if code not in {scam.code for scam in found} and _shows(code, pattern, clause):
                found.append(Signal(code=code, quote=quoted(clause)))
    return found


# --- the terms -------------------------------------------------------------------------------
CLAIMS = rx(r"\b(?:cures?|clinically|proven|burns?\s+fat|lose\s+weight|weight\s+loss|"
            r"guarantee\w*|boosts?\s+(?:your\s+)?(?:immun\w*|metabolism)|detox\w*|miracle|"
            r"100%\s+natural|prevents?\s+\w+)\b")
RETURNS = dict(SCAMS)["scam_returns"]  # promised returns are a scam signal, not a product claim
_EVIDENCE = rx(r"\b(?:stud(?:y|ies)|clinical\s+trials?|evidence|proof|substantiat\w*|"
               r"peer-reviewed|tested\s+by)\b")
CONTENT = rx(r"\byour\s+(?:[\w-]+\s+){0,2}?(?:content|videos?|posts?|channel|feed|work|"
             r"recipes?|reviews?|tutorials?|community|audience|followers|reels?|photos?|stories|"
             r"podcast|newsletter)\b")
_AUDIENCE_VALUE = rx(r"\b(?:discount|code|exclusive\s+(?:offer|access|deal)|early\s+access|"
                     r"giveaway|free\s+trial|your\s+(?:audience|followers|community)\s+"
                     r"(?:will|would|can|get)|for\s+your\s+(?:audience|followers|community))\b")
_NOT_A_FEE = rx(r"\b(?:off|discount|worth|value|valued|retail|rrp|deposit|shipping|"
                r"returns?|profit|income|cap|spend|dep[óo]sito|tarifa|taxa|registro)\b")
# what the deal pays, not what a product is worth: "a paid campaign worth $9,000"
_DEAL_WORTH = rx(r"\b(?:campaign|deal|collab\w*|partnership|sponsorship|contract|project)\s+"
                 r"(?:worth|valued\s+at)\b")
_PER_MONTH = rx(r"^\s*(?:per|a|/|each|every|for\s+the|por|al)\s*(?:month|mo|mes|mês)\b|"
                r"^\s*monthly\b|\bmonthly\s+(?:fee|retainer)|\bper\s+month\b|\ba\s+month\b|"
                r"\bpor\s+m[eê]s\b")
_PER_POST = rx(r"^\s*each\b|^\s*(?:per|a|/|each|for\s+each)\s*(?:post|video|reel|tiktok|story|"
               r"(?:live)?stream|session|read|"
               r"short|deliverable|piece|episode)\b|\bper\s+(?:post|video|reel|deliverable|episode)\b")
FORMATS = (r"posts?|videos?|vídeos?|reels?|stories|story|historias?|tiktoks?|shorts?|"
           r"carousels?|livestreams?|streams?|episodes?|integrations?|newsletters?|mentions?|"
           r"ad\s+reads|reads|issues?\s+of\s+your\s+newsletter|"
           # a review named by its platform is that platform's format ("a YouTube review")
           r"(?:youtube|tiktok)\s+reviews?|reviews?\s+on\s+(?:your\s+)?(?:youtube|tiktok)\b")
DELIVERABLE = rx(r"(?<![\d,.$€£])\b(?P<count>\d+|one|two|three|four|five|six|a|an|single|"
                 r"un|una|um|uma|dos|dois|duas|tres|três)\s(?:\(\d+\)\s)?"
                 r"(?:(?!(?:and|or|y|e|per|each|every|weeks?|days?|months?|hours?)\b)[\w-]+\s){0,2}?"
                 r"(?P<format>" + FORMATS + r")\b")
_COUNT_ONE = rx(r"^(?:one|a|an|single|1|un|una|um|uma)\b")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DATES = rx(r"\b(?:by|before|on|until|deadline|due|live\s+(?:on|in))\s+(?:the\s+)?(?:\d|"
           + _MONTH + r"\b|monday|tuesday|wednesday|thursday|friday|next|end\s+of)|\b" + _MONTH
           + r"\s+\d{1,2}\b|\bin\s+(?:early\s+|mid-|late\s+)?" + _MONTH + r"\b|"
           r"\b\d{1,2}/\d{1,2}\b|\bweek\s+of\b|\bdates?\b|\b(?:this|next)\s+(?:week|month)\b|"
           r"\bend\s+of\s+the\s+month\b|\bstarting\b")
# the brand's own channels: use there is organic use ("usage on our website")
_CHANNELS = (r"(?:web\s?sites?|sites?|web\s?shop|online\s+store|e-?shop|newsletters?|e-?mails?|"
             r"blog|product\s+pages?|(?:social\s+)?channels|socials|social\s+media|feeds?|pages?)")
OWN_CHANNELS = rx(r"\b(?:our|its|their|the\s+brand'?s)\s+(?:own\s+)?(?:[\w-]+\s+)?" + _CHANNELS
                  + r"\b")
# paid ads in Spanish and Portuguese: "anuncios desde tu cuenta", "anúncio pelo seu perfil",
# "publicidad pagada", "publicidade paga"
_PAID_ADS_ES_PT = (r"an[úu]ncios?\s+(?:pelo|pela|desde|en|de|no|na|em)\s+(?:seu|sua|tu|teu|tua)|"
                   r"an[úu]ncios?\s+pag(?:ad)?[oa]s?|publicidad\s+pagada|publicidade\s+paga")
USAGE = rx(r"\b(?:use|feature|share|repost)\s+(?:the|your|it|them|this|these|those|that)\b"
           r"(?:\s+[\w-]+){0,2}?\s+(?:on|in|across)\s+(?:our|its|their)\s+(?:own\s+)?"
           r"(?:[\w-]+\s+)?" + _CHANNELS + r"\b|"
           r"\b(?:usage|rights|licen[cs]e|repost\w*|reshare\w*|whitelist\w*|paid\s+ads?|"
           r"run\s+(?:\w+\s+){0,2}?as\s+(?:paid\s+)?ads|usar\s+(?:el|o)\s+conte[nú]\w*|"
           r"boost\w*\s+(?:it|them|the|your\s+(?:post|video|content))|spark\s+ads?|organic|"
           r"in\s+perpetuity|perpetu\w*|partnership\s+ads|no\s+end\s+date|impulsionar|"
           r"derechos\s+de\s+uso|direitos\s+de\s+uso|uso\s+de\s+(?:imagem|imagen)|"
           + _PAID_ADS_ES_PT + r")\b")
PERPETUAL_USAGE = rx(r"\b(?:perpetu\w*|forever|unlimited|all\s+media|irrevocab\w*|indefinite\w*|"
                      r"(?:de\s+)?forma\s+indefinida|por\s+tempo\s+indeterminado|"
                      r"no\s+end\s+date|tempo\s+indeterminado|tiempo\s+indefinido|"
                      r"todas\s+as\s+m[íi]dias|todos\s+los\s+medios)")
_USAGE_PAID = rx(r"\b(?:paid\s+(?:ads?|media|usage|social|amplification)|whitelist\w*|"
                 r"run\s+(?:\w+\s+){0,2}?as\s+(?:paid\s+)?ads|"
                 r"boost\w*\s+(?:it|them|the|your\s+(?:post|video|content))|spark\s+ads?|"
                 r"partnership\s+ads|ads?\s+(?:from|on|with|using)\s+your|impulsionar|"
                 r"promocionar\s+(?:tu|el)\s+(?:post|video)|" + _PAID_ADS_ES_PT + ")")
_NO_PAID = rx(r"\bno\s+paid\b|\bnot\s+(?:for|in)\s+paid\b|\bwithout\s+paid\b|"
              r"\b(?:sin|sem|nada\s+de)\s+(?:publicidad|publicidade|an[úu]ncios?)\b|"
              r"\brequires\s+(?:[\w']+\s+){0,3}?approval\s+and\s+a\s+separate\s+fee\b")
_LICENCE = rx(r"\bnon-?exclusive\s+licen[cs]e")  # a licence's kind, not an exclusivity
EXCLUSIVITY = rx(r"\b(?:exclusiv\w*|non-exclusive|competitors?|competing\s+(?:[\w-]+\s+){0,2}?"
                 r"brands?|concorrentes|competidor\w*)\b")
_NO_EXCLUSIVITY = rx(r"\bno\s+exclusiv\w*|\bnon-?exclusive\b|\bnot\s+exclusive\b|"
                     r"\bwithout\s+exclusiv\w*|\bexclusiv\w*:?\s+(?:none|no|n/a)(?=\s*(?:[.;,]|$))|"
                     r"\bsin\s+exclusividad|\bsem\s+exclusividade")
_VAGUE_EXCLUSIVITY = rx(r"\b(?:industry|categor\w*|any\s+(?:other\s+)?(?:competitor|brand)|"
                        r"all\s+(?:competitors|brands)|\d+\s+years?|a\s+year|one\s+year|"
                        r"twelve\s+months|12\s+months|(?:other|competing|concorrentes)\s+"
                        r"(?:[\w-]+\s+){0,2}?(?:brands|marcas)|marcas\s+(?:concorrentes|competidoras)|"
                        r"during\s+the\s+term|[\w-]+\s+brands)\b")
_EXCLUSIVITY_HEADING = r"^\s*(?:exclusiv\w*|exclusividad|exclusividade)\s*"
_HEADING_ONLY = rx(_EXCLUSIVITY_HEADING + r"$")  # names it, says nothing
# "Exclusivity: During the Term, Talent shall not work with any competitor": a heading and a
# few words, then the clause that states the term
_HEADED = rx(_EXCLUSIVITY_HEADING + r":\s*(?:[\w'’-]+\s*){1,4}$")
# what the clause under such a heading says when it never says "exclusive": the creator kept
# from working with others ("You won't work with other skincare brands for 60 days")
_RESTRAINT = rx(r"\b(?:won'?t|won’t|will\s+not|shall\s+not|may\s+not|must\s+not|can'?t|can’t|"
                r"cannot|agrees?\s+not\s+to|not\s+to|refrain\s+from|no)\s+(?:[\w-]+\s+){0,2}?"
                r"(?:work\w*|partner\w*|promot\w*|post\w*|collaborat\w*|feature\w*|endors\w*|"
                r"advertis\w*|other|competing|rival)\b")
# brands named in brackets right after the words for them: the list is the scope, not "brands"
_LISTED = rx(r"\b(?:(?:other|competing|[\w-]+)\s+)?(?:[\w-]+\s+){0,2}?(?:brands|competitors|"
             r"marcas)\s*\((?-i:[A-ZÀ-Ý])[^()]{0,80},[^()]{0,80}\)")
_NAMED = rx(r"\b(?:named|such\s+as|like|including|namely|specifically)\b|\(|(?-i::\s*[A-Z])")
_PAYMENT = rx(r"\bnet\s?-?\s?(\d{1,3})\b|\b(?:within|in|a|em|en)\s+(\d{1,3})\s+(?:days|d[ií]as)\b|"
              r"\b(\d{1,3})\s+(?:days|d[ií]as)\s+(?:after|from|of|após|despu[ée]s)\b|\b(?:upon|on)\s+(?:delivery|posting|"
              r"publication)\b|\bup\s?front\b|\bin\s+advance\b|\bpaid\s+(?:after|on|when)\b")
_PAYMENT_WORD = rx(r"\b(?:net|pay\w*|paid|invoice\w*|pag[oa]\w*|remittance)\b")
# "30 days of paid usage": a length of rights, not when the creator is paid
_NOT_PAYMENT = rx(r"\b\d{1,3}\s+(?:days|d[ií]as)\s+of\s+(?:paid\s+)?(?:usage|use|ads|exclusiv\w*|"
                  r"whitelist\w*|rights)\b")
_PROMPT_PAY = rx(r"\b(?:delivery|posting|publication|up\s?front|in\s+advance)\b")
REVISIONS = rx(r"\b(unlimited|endless|as\s+many)\s+(?:rounds?\s+of\s+)?(?:revisions?|edits|"
               r"changes|rounds)|\b(one|two|three|four|1|2|3|4)\s+(?:\(\d\)\s+)?(?:rounds?\s+of\s+)?"
               r"(?:reasonable\s+)?(?:revisions?|edits|rounds)\b|\brevisions?\b")
_REVISIONS_OPEN = rx(r"\brevisions?\s+as\s+requested|\bas\s+many\s+revisions")
LABEL = rx(r"#ad\b|#advert\w*|#sponsored\b|#gifted\b|#publi\w*|\bdisclos\w*|\bpaid\s+partnership"
           r"\s+(?:label|tag|tool)|\blabel(?:l?ed)?\s+(?:\w+\s+){0,2}?(?:as\s+)?(?:an?\s+)?ad\b|"
           r"\bad\s+label\b|\bbranded[- ]content\s+(?:tag|toggle|label)|\bmark\w*\s+(?:it\s+)?"
           r"as\s+(?:gifted|an?\s+ad|sponsored)")
_PRODUCT_FIRST = rx(r"\bno\s+strings\b|\bno\s+obligation\b|\bwithout\s+(?:any\s+)?obligation\b|"
                    r"\bno\s+pressure\s+to\s+post\b|\b(?:send|ship)\s+you\s+(?:\w+\s+){0,3}?"
                    r"to\s+try\b")
_ONGOING = rx(r"\b(?:ongoing|long[- ]term|ambassador\w*|retainer|partnership\s+over|"
              r"every\s+month|monthly|per\s+month|a\s+month)\b")
_OWN_WORDS = rx(r"\b(?:your\s+own\s+words|creative\s+freedom|full\s+creative|however\s+you\s+"
                r"like|your\s+own\s+(?:style|way|voice))\b")


def _term(clause: str) -> str | None:
    found = durations(clause)
    return found[0].said if found else None


def fee(clause: str) -> Fact | None:
    """The fee a clause pays the creator, if it states one (not a deposit, a discount, a cap)."""
    if (YOU_PAY.search(clause) or (_DEPOSIT.search(clause) and not WE_PAY.search(clause))
            or asks_to_pay(clause)):
        return None  # what the creator is asked to pay is no fee
    for amount in amounts(clause):
        around = clause[max(0, amount.start - 25):amount.end + 25]
        if _NOT_A_FEE.search(_DEAL_WORTH.sub(" ", around)):
            continue
        after = clause[amount.end:amount.end + 30]
        per = None
        if _PER_MONTH.search(after) or _PER_MONTH.search(clause):
            per = "month"
        elif _PER_POST.search(after) or _PER_POST.search(clause):
            per = "post"
        money = amount.money
        detail = f"{money.amount} {money.currency}" + (f"/{per}" if per else "")
        return Fact(code="pay", quote=quoted(clause), value=money, per=per, detail=detail)
    return None


def _usage(clause: str) -> str | None:
    if PERPETUAL_USAGE.search(clause):
        return "perpetual"
    if _USAGE_PAID.search(clause) and not _NO_PAID.search(clause):
        return "limited_paid"
    folded = clause.casefold()
    if "organic" in folded or "repost" in folded or OWN_CHANNELS.search(clause):
        return "organic"
    return None


def _exclusivity(clause: str) -> str:
    if _NO_EXCLUSIVITY.search(clause):
        return "none"
    clause = _LISTED.sub(" (named) ", clause)  # "competing brands (Glossier, Milk Makeup)"
    if _VAGUE_EXCLUSIVITY.search(clause) or not _NAMED.search(clause):
        return "long_vague"
    return "short_named"


def _payment(match: re.Match[str], clause: str) -> tuple[str | None, str | None]:
    days = next((int(group) for group in match.groups() if group), None)
    if days is None:
        if not _PROMPT_PAY.search(clause):
            return None, None
        upfront = re.search(r"up\s?front|in\s+advance", clause, re.I)
        return "net30", "upfront" if upfront else "delivery"
    return ("net30" if days <= 30 else "net60_plus"), str(days)


def _revisions(match: re.Match[str], clause: str) -> tuple[str | None, str | None]:
    if not (match.group(1) or match.group(2)):  # "Revisions: two rounds": the count comes later
        match = next((m for m in REVISIONS.finditer(clause) if m.group(1) or m.group(2)), match)
    if match.group(1) or _REVISIONS_OPEN.search(clause):
        return "unlimited", "unlimited"
    count = (match.group(2) or "").casefold()
    number = {"one": "1", "two": "2", "three": "3", "four": "4"}.get(count, count) or None
    return ("two_or_fewer" if number in ("1", "2") else None), number


def terms(parts: list[str], hiding: bool) -> list[Fact]:
    """Every term the clauses state, in the order they state them."""
    facts: list[Fact] = []
    seen: set[str] = set()
    said: set[str] = set()  # terms read with a value ("Revisions." alone says nothing yet)

    def add(code: str, clause: str, value: Answer | None = None, *, detail: str | None = None,
            term: str | None = None) -> None:
        # a term stated over several clauses keeps them all (a rewrite repeats every one)
        if code not in seen or code in SEVERAL or (value is not None and code not in said):
            seen.add(code)
            if value is not None:
                said.add(code)
            facts.append(Fact(code=code, quote=quoted(clause), value=value, detail=detail,
                              term=term))

    for index, clause in enumerate(parts):
        if "pay" not in seen and (paid := fee(clause)) is not None:
            seen.add("pay")
            facts.append(paid)
        if DELIVERABLE.search(clause):
            add("deliverables", clause)
        if DATES.search(clause):
            add("dates", clause)
        licence = _LICENCE.search(clause)
        following = parts[index + 1] if index + 1 < len(parts) else ""
        previous = parts[index - 1] if index else ""
        stated_next = _HEADED.match(clause) and (EXCLUSIVITY.search(following)
                                                 or _RESTRAINT.search(following))
        # "Exclusivity:" alone, then "You won't work with other skincare brands": the clause
        # under the heading states it in plain words
        headed = (_HEADING_ONLY.match(previous) or _HEADED.match(previous)) and (
            _RESTRAINT.search(clause))
        exclusive = ((EXCLUSIVITY.search(clause) or headed) and not licence
                     and not stated_next)
        hidden = hiding and dict(SCAMS)["scam_hide"].search(clause)  # "feel organic"
        if USAGE.search(clause) and not hidden:
            # "exclusivity ... for 90 days and usage in paid ads for 6 months": each its own part
            usage = clause if not exclusive else _part(clause, USAGE, EXCLUSIVITY)
            if usage is not None:
                add("usage_rights", clause, _usage(usage), term=_term(usage))
        if exclusive:
            own = _part(clause, EXCLUSIVITY, USAGE) or clause
            said_nothing = _HEADING_ONLY.match(clause)
            add("exclusivity", clause, None if said_nothing else _exclusivity(own),
                term=_term(own))
        paying = _NOT_PAYMENT.sub(" ", clause)
        if ((payment := _PAYMENT.search(paying)) and not YOU_PAY.search(clause)
                and _PAYMENT_WORD.search(paying)):
            value, detail = _payment(payment, paying)
            add("payment_terms", clause, value, detail=detail)
        if revisions := REVISIONS.search(clause):
            value, detail = _revisions(revisions, clause)
            add("revisions", clause, value, detail=detail)
        if LABEL.search(clause) and not hiding:
            add("label", clause, "clear", detail="clear")
        if _PRODUCT_FIRST.search(clause):
            add("product_first", clause, "yes")
        if _AUDIENCE_VALUE.search(clause):
            add("community_value", clause)
        if _ONGOING.search(clause):
            add("ask", clause, "ongoing")
        if _OWN_WORDS.search(clause):
            add("voice", clause, "own_words")
        if CLAIMS.search(clause) and not RETURNS.search(clause):
            add("claims", clause, "can_back" if _EVIDENCE.search(clause) else "cannot_back")
        if CONTENT.search(clause) and not stated_in(clause, facts):
            add("about_them", clause)
    return facts


_JOINS = re.compile(r"\s+(?:and|but|plus|while|y|e)\s+|;\s*", re.I)


def _part(clause: str, wanted: re.Pattern[str], other: re.Pattern[str]) -> str | None:
    """The part of a clause joining two terms ("A and B") that states ``wanted`` without the
    ``other``: the clause itself when it states only ``wanted``, None when no part does."""
    if not other.search(clause):
        return clause
    return next((part for part in _JOINS.split(clause)
                 if wanted.search(part) and not other.search(part)), None)


def stated_in(clause: str, facts: list[Fact]) -> bool:
    """Whether a term was already read from this clause (it is repeated once, as that term)."""
    return any(fact.quote == quoted(clause) for fact in facts)


def asked_for(facts: list[Fact]) -> Answer | None:
    """One post or a few, from the deliverables named, unless the text says ongoing."""
    named = [fact for fact in facts if fact.code == "deliverables"]
    if not named or any(fact.code == "ask" for fact in facts):
        return None
    counts = [DELIVERABLE.search(fact.quote) for fact in named]
    single = all(match is not None and _COUNT_ONE.match(match.group(0)) for match in counts)
    return "one_post" if single and len(named) == 1 else "few_posts"


def weighed(facts: list[Fact]) -> dict[str, Answer]:
    """The creator review's answers the facts state: of several clauses about one term, the
    one a creator weighs most (perpetual usage over paid ads over organic)."""
    found: dict[str, Answer] = {}
    for fact in facts:
        if fact.value is None:
            continue
        held = found.get(fact.code)
        if held is None or WEIGHT.get(str(fact.value), 0) > WEIGHT.get(str(held), 0):
            found[fact.code] = fact.value
    return found
