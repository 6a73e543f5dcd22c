"""A brand's message read for the creator: who wrote it, what it offers and asks, its terms and
its scam signals, each fact with the words it came from; and the creator review's answers the
facts settle, so a review can start with them filled in.

``read_offer(text)`` is pure and cached by text. The reading keeps only the facts and their
short quotes: nothing of it holds the message itself (issue 17, privacy).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from flows.creator.questions import QUESTIONS
from flows.reading.amounts import durations
from flows.reading.clauses import QUOTE_SHOWN, clauses, quoted
from flows.reading.terms import (
    DELIVERABLE,
    FORMATS,
    PERPETUAL_USAGE,
    Fact,
    Signal,
    scam_signals,
    terms,
    weighed,
)
from flows.snapshot import Answer

# the kinds of fact one message states at most once (the rest may come several times)
ONCE = frozenset({"brand", "product", "pay", "kill_fee", "gifted", "affiliate", "whitelisting",
                  "approvals", "claims", "label", "ip_assignment", "morals", "auto_renewal",
                  "payment_terms", "revisions", "post_duration"})
NOT_SCAMS = frozenset({"scam_deadline", "scam_hide"})  # signals that alone make no scam
VOUCHABLE = frozenset({"scam_freemail"})  # the only signal a creator who knows the brand can lift
# scam signal -> the creator review's warning sign it ticks
WARNING_SIGNS = {"scam_deposit": "upfront_payment", "scam_payment_link": "payment_link",
                 "scam_returns": "guaranteed_returns", "scam_freemail": "unofficial_contact",
                 "scam_deadline": "deadline"}


class OfferReading(BaseModel):
    """What a brand's message states, scam signals first; never the message itself."""

    model_config = ConfigDict(frozen=True)

    facts: list[Fact]
    scams: list[Signal]
    # the creator says the sender is the real brand: a free-mail sender is then a warning to
    # verify (the review's "unofficial contact" still asks for proof), no longer a scam
    vouched: bool = False

    def of(self, code: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.code == code]

    @property
    def is_scam(self) -> bool:
        """A signal a real brand never sends: anything but a short deadline, or a request not to
        label the ad (a real brand's request too: the review's label gate declines it), or a
        free-mail sender the creator vouched for."""
        lowered = NOT_SCAMS | (VOUCHABLE if self.vouched else frozenset())
        return any(scam.code not in lowered for scam in self.scams)

    @property
    def can_vouch(self) -> bool:
        """A scam only by who sent it: the creator may know it is the real brand. Asking the
        creator to pay, a wallet link or guaranteed returns is a scam whoever sends it."""
        return self.is_scam and all(scam.code in NOT_SCAMS | VOUCHABLE for scam in self.scams)

    def answers(self) -> dict[str, Answer]:
        """The creator review's answers the message settles (question ids of
        ``flows/creator/questions.py``), to start a review with them filled in."""
        found = {code: value for code, value in weighed(self.facts).items()
                 if code in _REVIEW_QUESTIONS}
        if self.of("whitelisting") and found.get("usage_rights") != "perpetual":
            found["usage_rights"] = "whitelisting"
        gifted, affiliate = bool(self.of("gifted")), bool(self.of("affiliate"))
        if "pay" not in found and "ask" not in found and (gifted or affiliate):
            found["ask"] = "affiliate_only" if affiliate else "gifted_only"
        for code in ("brand", "product"):
            fact = next(iter(self.of(code)), None)
            if fact is not None and fact.detail:
                found[code] = fact.detail[:QUESTIONS.by_id[code].max_length]
        if self.of("deliverables"):
            rushed = any(RUSH.search(fact.detail or "") for fact in self.of("dates"))
            found["deliverables"] = "rush" if rushed else "exact"
        if self.scams:
            found["warning_signs"] = ",".join(
                sign for code, sign in WARNING_SIGNS.items()
                if any(scam.code == code for scam in self.scams))
        return {code: value for code, value in found.items() if value != ""}


_REVIEW_QUESTIONS = frozenset({"ask", "pay", "usage_rights", "exclusivity", "payment_terms",
                               "revisions", "label", "claims", "voice"})

_NOT_NAMES = frozenset({"hi", "hey", "hello", "dear", "we", "i", "the", "our", "this", "brand",
                        "company", "client", "influencer", "creator", "talent", "congratulations",
                        "subject", "paid", "you", "hola", "oi", "somos", "it", "a", "an", "uk",
                        "us", "eu", "pr", "partner", "partners", "felicidades", "parabéns"})
_NAME = r"(?P<name>[A-ZÀ-Ý][\w'’.&-]*(?:\s(?:&\s)?[A-ZÀ-Ý][\w'’.&-]*){0,3})"
_BRAND = tuple(re.compile(pattern) for pattern in (
    r"^(?:[Bb]rand|[Cc]lient|[Aa]dvertiser|[Mm]arca|[Cc]liente)\s*:\s*" + _NAME,
    r"\b(?:[Oo]n\s+behalf\s+of|[Oo]ur\s+client|[Ww]e\s+represent|[Dd]e\s+parte\s+de|"
    r"[Jj]oin\s+the|(?:I|[Ww]e)\s+work\s+with|[Aa]qui\s+é(?:\s+(?:a|o))?)\s+" + _NAME,
    r"\b(?:[Tt]his\s+is|I'?m|I\s+am)\s+[A-Z]\w+\s+from\s+" + _NAME,
    r"\b(?:[Ww]e(?:'re|’re|\s+are)|[Ss]omos(?:\s+(?:a|o|la|el))?|[Tt]his\s+is(?:\s+the)?|"
    r"[Ff]or\s+our\s+brand,)\s+" + _NAME,
    _NAME + r"\s+(?:here\b|would\s+(?:love|like)|wants\b|is\s+(?:hosting|launching)|"
    r"(?:brand\s+)?ambassador|partnerships\s+team|ha(?:s|ve)\s+(?:chosen|selected)\b|PR\s+team|affiliate\s+program|"
    # the brand as the one who chose the creator: "Adidas selected you for ..."
    r"(?:selected|picked|chose|hand-?picked)\s+you\b|ambassadorship)",
    r"\b(?:embajadora?|embaixadora?|ambassador)\s+(?:de|for|of)\s+" + _NAME,
    r"\b(?:[Ff]rom)\s+" + _NAME,
))
_PRODUCT = re.compile(
    r"\b(?:send|gift|share|ship|enviar|enviarte|take\s+home)\s+(?:you\s+|te\s+)?"
    r"(?:a\s+pair\s+of\s+)?"
    r"(?:our|their|its|a|an|the|nosso|nossa|nuestro|nuestra)\s+|"
    r"\b(?:about|on|for|promote|mention\s+that|launching|playing|featur(?:e|es|ing))\s+"
    r"(?:our|their|its)\s+(?=(?:new\s+)?[\w-]+)|"
    # a product offered to try first: "try our ...", "test out our ...", "give our ... a try"
    r"\b(?:try|trying|test|testing|taste|tasting|sample|(?:try|test)\s+out|experimentar|"
    r"probar|provar)\s+(?:our|their|its|nosso|nossa|nossos|nossas|nuestro|nuestra|nuestros|"
    r"nuestras)\s+(?=(?:new\s+)?[\w-]+)|"
    r"\bgive\s+(?:our|their|its)\s+(?=(?:[\w-]+\s){1,4}an?\s+(?:try|go|test)\b)|"
    r"\b(?:promote|launching|feature)\s+(?:a|an)\s+(?=[\w-]+)|"
    r"\b(?:a\s+)?free\s+(?=[a-z])|(?:\b(?:a|an)|^the)\s+(?=[\w-]+\s+app\b)|\bour\s+new\s+|"
    r"\bwith\s+our\s+(?=[\w-]+\s+on\s+(?:screen|camera)\b)|"
    r"\babout\s+the\s+(?=[A-Z][\w-]+\s+[a-z])", re.I)
_PRODUCT_WORDS = re.compile(r"(?:new\s+|novo\s+|nova\s+|nuevo\s+)?([\w'’-]+(?:\s[\w'’-]+){0,3})",
                            re.I)
_PRODUCT_STOP = frozenset({
    "and", "with", "to", "for", "in", "by", "on", "that", "as", "did", "is", "are", "e", "y",
    "para", "por", "de", "em", "en", "this", "these", "from", "we", "you", "your", "if", "it",
    "at", "via", "so", "would", "will", "burns", "free", "collection,", "range,", "a", "an",
    "worth", "valued"})
_NOT_PRODUCTS = frozenset({"channels", "channel", "brand", "client", "partners", "call", "budget",
                           "team", "wallet", "link", "payment", "account", "launch", "program",
                           "community", "content", "campaign", "handle", "spark", "ads", "code",
                           "deposit", "fee", "shipping", "starter", "dedicated", "month",
                           "organic", "paid", "competitors", "year", "video", "post", "reel",
                           "story", "stories", "posts", "videos", "reels", "spring",
                           "autumn", "affiliate", "ambassador", "pr", "ad", "issue", "gift",
                           "programme", "details", "info", "best", "hardest", "website",
                           "site", "newsletter", "blog", "feed", "page", "pages", "socials"})
# words for whatever a brand ships, never the name of its product
_GENERIC = frozenset({"samples", "sample", "products", "product", "items", "item", "goodies",
                      "stuff", "things", "freebies", "swag", "muestras", "amostras",
                      "productos", "produtos"})
_SENDER = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,3}")
_GIFTED = re.compile(
    r"\bgift(?:ed|ing)?\b(?!\s+cards?)|\bas\s+a\s+gift\b|"
    r"\b(?:send|ship)\s+you\b(?!\s+(?:more|the|a\s+contract|an?\s+e-?mail|details|info|our\s+"
    r"(?:brief|media\s+kit|rates)))|"
    r"\bfor\s+free\b|\btotally\s+free\b|\b(?:a\s+)?free\s+(?!trial|shipping|product\s+for)"
    r"[a-z]+|\benviar(?:te)?\b|\bte\s+enviar\b|\bin\s+exchange\s+for\b|"
    r"\+\s*(?:free\s+)?products?\b|\btake\s+home\b|\bkeep\s+the\s+products?\b", re.I)
_AFFILIATE = re.compile(r"\b(?:affiliate|commission|comisi[óo]n|comiss[ãa]o)\b", re.I)
_PERCENT = re.compile(r"\b(\d{1,2}(?:[.,]\d)?)\s?%")
_WHITELISTING = re.compile(
    r"\bwhitelist\w*|\bspark\s+ads?\b|\bpartnership\s+ads\b|\bpaid\s+amplification\b|"
    r"\b(?:ads?|paid\s+ads)\s+(?:from|on|through|via|using)\s+(?:your|creator'?s|the\s+creator'?s)"
    r"\s+(?:\w+\s+)?(?:handle|account|profile|page)|\busing\s+your\s+handle\b|"
    r"\bboost\w*\s+(?:it|them|the\s+(?:post|video|content))\b|\bfrom\s+your\s+(?:handle|account)|"
    # from the creator's account in Spanish and Portuguese: "anuncios desde tu cuenta"
    r"\ban[úu]ncios?\s+(?:pelo|pela|desde|en|de|no|na|em)\s+(?:seu|sua|tu|teu|tua)\s+"
    r"(?:propi[oa]\s+|pr[óo]pri[oa]\s+)?(?:perfil|conta|cuenta|canal|p[áa]gina)\b",
    re.I)
_APPROVALS = re.compile(
    r"\b(?:brand|client|company|we)\s+(?:\w+\s+){0,2}?(?:approv\w*)\b|\bclient\s+approval\b|"
    r"\bapproval\s+of\s+(?:the\s+)?(?:scripts?|content|drafts?|videos?)\b|"
    r"\bsubject\s+to\s+(?:[\w']+\s+){0,3}?approval\b|\bmust\s+approve\b", re.I)
_CREATORS_APPROVAL = re.compile(r"\byour\s+approval\b|\bcreator'?s\s+(?:\w+\s+)?approval\b|"
                                r"\bapproval\s+stays\s+with\s+you\b", re.I)
_IP = re.compile(r"\bassign\w*\b[^.;]{0,60}?\b(?:right|title|interest|copyright|ownership|"
                 r"intellectual)|\ball\s+right,\s+title\b|\bwork\s+(?:made\s+)?for\s+hire\b|"
                 r"\bintellectual\s+property\s+(?:shall\s+)?(?:belong|vest|transfer)|"
                 r"\bown\s+(?:the\s+|all\s+|your\s+)?(?:[\w-]+\s+){0,2}?outright\b|"
                 r"\bfull\s+ownership\b|\bbuy-?\s?out\s+of\s+(?:the\s+)?(?:rights|content)", re.I)
_MORALS = re.compile(r"\bmorals?\b|\bmorality\b|\bdisrepute\b|\bharm\s+(?:its|their|the\s+"
                     r"brand'?s)\s+reputation\b|\bcl[áa]usula\s+moral\b", re.I)
_RENEWAL = re.compile(r"\bautomatic\w*\s+renew\w*|\bauto-?renew\w*|\brenew\w*\s+automatic\w*|"
                      r"\brenova\w*\s+autom[aá]tic\w*|\brenovaci[óo]n\s+autom[aá]tica", re.I)
_KILL_FEE = re.compile(r"\bkill\s+fee\b|\bcancell?ation\s+fee\b", re.I)
_STAYS_UP = re.compile(r"\b(?:stays?|remains?)\s+(?:live|up|posted|online)\b|"
                       r"\bkeep\s+(?:the\s+|it\s+)?(?:\w+\s+)?(?:up|live)\b|\bbio\s+for\b|"
                       r"\bin\s+bio\b|"
                       r"\blive\s+for\b|\bup\s+for\b", re.I)
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_MESES = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
          "diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|"
          "dezembro")
# a date under five days away whatever today is: "by tomorrow", "by Friday", "this week"
RUSH = re.compile(r"\b(?:tomorrow|tonight|today|this\s+week|monday|tuesday|wednesday|thursday|"
                  r"friday|saturday|sunday)\b", re.I)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?"
    rf"(?:{_MONTHS})\b|\b\d{{1,2}}\s+de\s+(?i:{_MESES})\b|"
    rf"\b(?:[Ii]n|[Bb]y|[Uu]ntil|[Bb]efore|[Dd]uring)\s+(?:early\s+|mid-|late\s+)?(?:{_MONTHS})\b"
    r"(?!\.?\s\d)|"
    r"\b(?i:by|on|before|until)\s+(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tomorrow|tonight)\b|\b(?i:tomorrow)\b|\b(?i:this|next)\s+(?i:week|month)\b|"
    r"\b(?i:end\s+of\s+(?:the\s+)?month)\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")


# what a date before it is for: the content (a post, going live, a video due) or something else
# (shipping the product, a call, a reply, a payment); the last one named before the date decides
_FOR_CONTENT = re.compile(
    r"\b(?:post\w*|live|publish\w*|publicad\w*|publicar|due|record\w*|film\w*|upload\w*|"
    r"drafts?|content|deliverables?|up|shoot|reels?|videos?|tiktoks?|stories|story|shorts?|"
    r"livestreams?|streams?|carousels?|episodes?|integrations?|reads?|issues?)\b", re.I)
_NOT_CONTENT = re.compile(
    r"\b(?:ship\w*|send\w*|sent|(?:e-?)?mail\w*|arriv\w*|courier|parcels?|packages?|"
    r"(?:pr\s+)?box(?:es)?\s+drops?|call|chat|meet\w*|zoom|repl\w*|respond\w*|response|"
    r"hear\s+back|get\s+back|follow[-\s]up|let\s+(?:us|me)\s+know|lmk|confirm\w*|"
    r"pa(?:y|id|yable|yment)\w*|invoic\w*|net\s?\d+|"
    r"pag(?:ar|o|a|amos|ad[oa]s?|ader[oa]s|amento))\b", re.I)


def _for_content(before: str) -> bool:
    """Whether a date belongs to the content, by the words before it: "live by May 3", not
    "ship the samples next week", "a call next week", "reply by Friday" or "paid at the end of
    the month"."""
    content = [m.end() for m in _FOR_CONTENT.finditer(before)]
    other = [m.end() for m in _NOT_CONTENT.finditer(before)]
    return not other or (bool(content) and content[-1] > other[-1])


# a number inside a product's name ("SPF 50 mineral sunscreen", "Trail 2 hiking boots"), never
# one that starts it or ends it ("our kit for 2 reels")
_MODEL = re.compile(r"^\d{1,3}$")
_A_FORMAT = re.compile(rf"(?:{FORMATS})\W*$", re.I)


def _product(clause: str) -> tuple[str, int] | None:
    """The product a clause names, and where the words that offer it start ("send you our")."""
    for match in _PRODUCT.finditer(clause):
        words = _PRODUCT_WORDS.match(clause, match.end())
        if words is None:
            continue
        kept: list[str] = []
        said = words.group(1).split()
        for index, word in enumerate(said):
            following = said[index + 1] if index + 1 < len(said) else ""
            named = (_MODEL.match(word) and kept and following  # "SPF 50 mineral sunscreen"
                     and following.casefold() not in _PRODUCT_STOP
                     and not _A_FORMAT.match(following))  # not "our kit 2 reels"
            if word.casefold() in _PRODUCT_STOP or (
                    any(ch.isdigit() for ch in word) and not named):
                break
            kept.append(word)
        if any(word.casefold().strip(".,!?") in _GENERIC for word in kept):
            continue  # "ship the samples", "a few goodies": no product's name
        if kept and kept[-1].casefold() not in _NOT_PRODUCTS and not (
                len(kept) == 1 and kept[0].casefold() in _NOT_PRODUCTS):
            return " ".join(kept), match.start()
    return None


def _naming(clause: str, start: int, words: str) -> str:
    """A clause quoted so that what it states shows: from the words that state it (at
    ``start``) when the facts message, which shows a quote's first ``QUOTE_SHOWN`` characters,
    would cut the whole clause before them ("we have loved your recipes for ages and ...")."""
    whole = quoted(clause)
    at = whole.find(" ".join(words.split()))
    # (a quote longer than that shows one character less, then an ellipsis)
    return whole if at >= 0 and at + len(words) < QUOTE_SHOWN else quoted(clause[start:])


# signed off as someone of the brand: "- Jess @ Bloom Bars", "- Amira, Terra Goods"
_SIGNED = re.compile(r"(?:^|\s)[-–—~]\s*[A-Z][\w'’-]+\s*(?:@|,|from|at)\s*" + _NAME + r"\s*$",
                     re.M)


def _signed(text: str) -> tuple[str, str] | None:
    """The brand a message is signed off for, on its last line, when it names none before."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    match = _SIGNED.search(lines[-1]) if lines else None
    if match is None or match.group("name").casefold() in _NOT_NAMES:
        return None
    return match.group("name").rstrip(".’'"), lines[-1].strip()


def _brand(parts: list[str]) -> tuple[str, str] | None:
    for pattern in _BRAND:
        for clause in parts:
            for match in pattern.finditer(clause):
                name = match.group("name").rstrip(".’'")
                if name.endswith(("'s", "’s")):
                    continue  # "from Creator's account"
                words = name.split()
                while words and words[0].casefold() in _NOT_NAMES:
                    words.pop(0)
                if words and words[-1] in ("here", "Team"):
                    words.pop()
                if words:
                    return " ".join(words), clause
    return None


# "2 TikToks a month", "2 TikTok videos per month": the count comes every month
_EACH_MONTH = re.compile(r"(?:\s+[\w-]+)?\s*(?:(?:a|per|each|every|/)\s*month\b|monthly\b|"
                         r"al\s+mes\b|por\s+m[eê]s\b)", re.I)


def deliverables_in(clause: str) -> list[tuple[str, str | None]]:
    """Each count and format named ("2 tiktok"), and "month" when it comes every month (also
    what a creator types to correct the deliverables read: "3 reels and 2 stories")."""
    items = []
    for match in DELIVERABLE.finditer(clause):
        count = match["count"].casefold()
        number = count if count.isdigit() else {
            "dos": "2", "dois": "2", "duas": "2", "two": "2", "three": "3", "tres": "3",
            "três": "3", "four": "4", "five": "5", "six": "6"}.get(count, "1")
        form = match["format"].casefold().split()[0]
        form = {"stories": "story", "historias": "story", "historia": "story", "ad": "read",
                "vídeos": "video", "vídeo": "video", "issue": "newsletter",
                "issues": "newsletter", "youtube": "video", "review": "video",
                "reviews": "video"}.get(form, form)
        monthly = _EACH_MONTH.match(clause, match.end()) is not None
        items.append((f"{number} {form.removesuffix('s')}", "month" if monthly else None))
    return items


def _others(clause: str, previous: str = "") -> list[Fact]:
    """The offer's own kinds of fact in one clause (``previous``, the clause before it, says
    what a date alone is for: "Payment net 30, end of month")."""
    found = []

    def add(code: str, detail: str | None = "yes", term: str | None = None) -> None:
        found.append(Fact(code=code, quote=quoted(clause), detail=detail, term=term))

    if (offered := _product(clause)) is not None:
        product, start = offered
        found.append(Fact(code="product", quote=_naming(clause, start, product), detail=product))
    for sender in _SENDER.findall(clause):
        add("sender", sender.rstrip("."))
    if gift := _GIFTED.search(clause):
        found.append(Fact(code="gifted", quote=_naming(clause, gift.start(), gift.group(0)),
                          detail="yes"))
    if _AFFILIATE.search(clause):
        percent = _PERCENT.search(clause)
        add("affiliate", f"{percent.group(1)}%" if percent else "yes")
    if _WHITELISTING.search(clause):
        add("whitelisting")
    if _APPROVALS.search(clause) and not _CREATORS_APPROVAL.search(clause):
        add("approvals")
    if _IP.search(clause):
        add("ip_assignment")
    if _MORALS.search(clause):
        add("morals")
    if _RENEWAL.search(clause):
        add("auto_renewal")
    if _KILL_FEE.search(clause):
        percent = _PERCENT.search(clause)
        add("kill_fee", f"{percent.group(1)}%" if percent else "yes")
    if _STAYS_UP.search(clause) and (lengths := durations(clause)):
        add("post_duration", lengths[0].said, term=lengths[0].said)
    for date in _DATE.finditer(clause):
        before = clause[:date.start()]
        named = _FOR_CONTENT.search(before) or _NOT_CONTENT.search(before)
        if _for_content(before if named else f"{previous} {before}"):
            add("dates", " ".join(date.group(0).split()))
    return found


@lru_cache(maxsize=256)
def read_offer(text: str) -> OfferReading:
    """Every fact a brand's message states, with its quote, and its scam signals."""
    parts = clauses(text)
    scams = scam_signals(parts)
    hiding = any(scam.code == "scam_hide" for scam in scams)
    facts: list[Fact] = []
    for fact in terms(parts, hiding):
        if fact.code == "dates":
            continue  # the offer reads dates themselves, not clauses about timing
        if fact.code == "deliverables":
            facts.extend(fact.model_copy(update={"detail": item, "per": per})
                         for item, per in deliverables_in(fact.quote))
            continue
        if fact.code in ("usage_rights", "revisions", "exclusivity") and fact.value is None:
            continue  # a heading ("Exclusivity."), or a word with nothing said about it
        if fact.code in ("usage_rights", "exclusivity"):
            fact = _completed(parts, fact)
        facts.append(fact)
    if hiding:
        facts.append(Fact(code="label", quote=next(s.quote or "" for s in scams
                                                   if s.code == "scam_hide"),
                          value="brand_refuses", detail="brand_refuses"))
    items = [fact for fact in facts if fact.code == "deliverables"]
    if items and not any(fact.code == "ask" for fact in facts):
        single = len(items) == 1 and (items[0].detail or "").startswith("1 ")
        facts.append(Fact(code="ask", quote=items[0].quote,
                          value="one_post" if single else "few_posts"))
    for index, clause in enumerate(parts):
        facts.extend(_others(clause, parts[index - 1] if index else ""))
    if (brand := _brand(parts) or _signed(text)) is not None:
        facts.insert(0, Fact(code="brand", quote=quoted(brand[1]), detail=brand[0]))
    kept: list[Fact] = []
    for fact in facts:
        held = next((index for index, k in enumerate(kept) if k.code == fact.code), None)
        if fact.code in ONCE and held is not None:
            if len(kept[held].quote.split()) <= 2 and kept[held].value == fact.value:
                kept[held] = fact  # "7. Morals." says less than the clause after it
            continue
        if any(k.code == fact.code and k.detail == fact.detail and k.quote == fact.quote
               and k.value == fact.value for k in kept):
            continue
        kept.append(fact)
    return OfferReading(facts=kept, scams=scams)


def _completed(parts: list[str], fact: Fact) -> Fact:
    """"Usage: organic only, 6 months", "partnership ads using your handle, no end date": how
    long, said in a short clause right after."""
    for index, clause in enumerate(parts[:-1]):
        following = parts[index + 1]
        if quoted(clause) != fact.quote or len(following.split()) > 4:
            continue
        if fact.code == "usage_rights" and PERPETUAL_USAGE.search(following):
            return fact.model_copy(update={"value": "perpetual"})
        found = durations(following)
        if found and fact.term is None:
            return fact.model_copy(update={"term": found[0].said})
    return fact
