"""Check an apology the creator drafted, the way an editor would: the non-apologies quoted back,
and which elements of an apology it has, in everyday wording.

The elements, strongest first, follow Lewicki, Lount and Polin (2016): acknowledging
responsibility, an offer of repair, then regret, explanation and repentance; asking forgiveness
matters least. A phrase inside quotation marks is mentioned, not said ("I won't say 'sorry if'"),
and one after a negation in its clause is refused, not said ("I'm not going to blame the brand"):
neither counts. The draft is read sentence by sentence, and no pattern has an unbounded run
before its key words, so a check takes time linear in the draft's length.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

QUOTE_LIMIT = 140  # characters of a sentence quoted back


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_SORRY = r"(?:sorry|apologi[sz]e|apologies|apology|regret)"
_WORDS = r"(?:[\w'’]+[,\s]+)"  # one word and the space (or comma) after it
_OTHERS = (r"(?:the\s+brand|the\s+company|the\s+agency|the\s+client|the\s+sponsor|they|"
           r"(?:my|our|the)\s+(?:editor|manager|management|team|agent|assistant|va|intern|"
           r"producer|agency)|the\s+algorithm|the\s+platform|instagram|tiktok|youtube)")

# the families of non-apology, each a code (its words and fix live in prompts/apology/check.j2)
DEFLECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sorry_if", _rx(
        _SORRY + r"\s+" + _WORDS + r"{0,3}?if\b|"
        r"\bif\s+(?:i|my\s+\w+|this|that|it|anyone|anybody|someone|you|people|any\s+of\s+you)\s+"
        + _WORDS + r"{0,4}?(?:offended|upset|hurt|misled|confused|disappointed|bothered|"
        r"felt|feel|was\s+offended|were\s+offended)\b[,\s]+" + _WORDS + r"{0,6}?" + _SORRY)),
    ("sorry_you_feel", _rx(
        r"\b" + _SORRY + r"\s+(?:that\s+)?(?:you|some\s+of\s+you|people|anyone|some\s+people|"
        r"folks|followers)\s+(?:feel|felt|think|thought|were\s+(?:offended|upset|hurt|confused|"
        r"disappointed)|are\s+(?:offended|upset|disappointed)|took|found|saw|see|perceived)\b|"
        r"\b" + _SORRY + r"\s+(?:to|for)\s+(?:anyone|anybody|those|everyone|people|any\s+of\s+you)"
        r"\s+who\s+(?:felt|feels|feel|thought|found|took|may\s+have\s+felt|might\s+have\s+felt)"
        r"\b|\b" + _SORRY + r"\s+(?:to|for)\s+(?:anyone|anybody|those|everyone|people|any\s+of\s+"
        r"you)\s+(?:who\s+(?:was|were|got|is|are)\s+)?(?:upset|offended|hurt|bothered|annoyed)\b|\bregret\s+that\s+(?:some\s+)?(?:people|you|anyone|some\s+of\s+you|followers)\s+"
        r"(?:took|felt|feel|were|saw|found|thought|misunderstood|misread)\b|"
        r"\b" + _SORRY + r"\s+for\s+how\s+(?:it|this|that|the\s+\w+)\s+(?:was|were|came|landed)"
        r"\b|\b" + _SORRY + r"\s+for\s+(?:any|the)\s+offen[cs]e\s+(?:taken|caused)")),
    ("vague_sorry", _rx(
        r"\b" + _SORRY + r"\b" + r"[^.!?\n]{0,30}?\bfor\s+(?:any|the|all\s+the)\s+(?:confusion|"
        r"misunderstanding|inconvenience|miscommunication|mix-up|mixup|misunderstandings)\b|"
        r"\bthere\s+(?:was|has\s+been)\s+(?:a|some)\s+(?:miscommunication|mix-up|mixup|"
        r"misunderstanding)")),
    ("sorry_but", _rx(
        r"\b" + _SORRY + r"\b[^.!?\n]{0,14}?[,;]?\s+(?:but|however|though|that\s+said|"
        r"nevertheless)\b")),
    ("passive", _rx(
        r"\b(?:mistakes|errors|things|missteps|oversights|bad\s+calls)\s+(?:were|have\s+been|"
        r"got|had\s+been)\s+made\b|"
        r"\b(?:the|my|an?|that)\s+(?:disclosure|label|#ad|ad\s+label|hashtag|tag|caption|"
        r"claims?|mistake|error|ball)\s+(?:was|were|got|has\s+been|had\s+been)\s+"
        r"(?:left\s+off|left\s+out|omitted|missed|forgotten|dropped|overlooked|not\s+added|"
        r"made|removed)\b|"
        r"\b(?:it|the\s+post|the\s+video|the\s+ad|the\s+content)\s+(?:wasn'?t|was\s+not|"
        r"never\s+got|didn'?t\s+get)\s+(?:\w+\s+)?(?:labell?ed|disclosed|tagged|marked)\b")),
    ("blame_others", _rx(
        r"\b" + _OTHERS + r"\s+" + _WORDS + r"{0,2}?(?:approved|told\s+me|never\s+told|"
        r"didn'?t\s+tell|did\s+not\s+tell|forgot|assured|insisted|made\s+me|asked\s+me\s+to|"
        r"required|dropped\s+the\s+ball|messed\s+up|screwed\s+up|pushed|promised|"
        r"should\s+have|was\s+supposed\s+to|wrote\s+the|signed\s+off)|"
        r"\b(?:blame|fault\s+of)\s+(?:the\s+brand|the\s+company|the\s+agency|my\s+\w+|"
        r"the\s+algorithm)|\b(?:brand|company|agency|editor|team|manager)'?s\s+(?:fault|"
        r"call|mistake|idea|decision)")),
    ("blame_audience", _rx(
        r"\b(?:you|people|some\s+of\s+you|some\s+people|followers|everyone|a\s+few\s+of\s+you)"
        r"\s+" + _WORDS + r"{0,2}?(?:misunderstood|overreacted|over-reacted|misread|twisted|"
        r"jumped\s+to\s+conclusions|took\s+(?:it|this|that|my\s+\w+)\s+the\s+wrong\s+way|"
        r"took\s+(?:it|this|that)\s+(?:too\s+)?(?:seriously|personally)|blew\s+(?:it|this)\s+"
        r"out\s+of\s+proportion)|\btook\s+(?:it|this|that|my\s+\w+)\s+the\s+wrong\s+way\b|"
        r"\bhaters?\b|\btrolls?\b|\bcancel\s+culture\b|\bpile-?on\b")),
    ("denial", _rx(
        r"\b(?:wasn'?t|was\s+not|isn'?t|is\s+not|not)\s+(?:entirely\s+|really\s+|all\s+|"
        r"completely\s+|totally\s+|only\s+)?(?:my\s+fault|on\s+me|my\s+responsibility)|"
        r"\bi\s+(?:did|have\s+done)\s+nothing\s+wrong|\bi\s+didn'?t\s+do\s+anything\s+wrong|"
        r"\bhow\s+(?:was|could)\s+i\s+(?:supposed\s+to\s+)?(?:have\s+)?know")),
)
NOT_NEGATED = frozenset({"denial"})  # its negation is the point
# elements whose negation unsays them ("it wasn't my fault", "I'm not sorry"); "I promoted it
# without saying I was paid" still explains
NEGATABLE = frozenset({"responsibility", "regret"})

ELEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("responsibility", _rx(
        r"\bi\s+was\s+wrong\b|\b(?:my|our)\s+(?:own\s+)?(?:mistake|fault|responsibility|"
        r"choice|decision|call|bad|doing)\b|\bthat\s+was\s+(?:my|me)\b|"
        r"\b(?:it'?s|that'?s|this\s+is|it\s+is|that\s+is|this'?s)\s+(?:all\s+)?on\s+me\b|"
        r"\bi\s+take\s+(?:full\s+|complete\s+|total\s+)?(?:responsibility|ownership|the\s+blame)"
        r"|\bi\s+made\s+(?:a|the|this|that|an)\s+(?:\w+\s+)?(?:mistake|error|call|choice|"
        r"decision)|\bi\s+own\s+(?:it|this|that|the\s+mistake|my\s+mistake)\b|"
        r"\bi\s+(?:shouldn'?t|should\s+not|should)\s+have\b|\bi\s+(?:messed|screwed|fucked)\s+"
        r"up\b|\bi\s+got\s+(?:it|this|that)\s+wrong\b|\bi\s+let\s+you\s+down\b|"
        r"\bi\s+(?:chose|decided|agreed)\s+to\b|\bi'?m\s+responsible\b|\bi\s+am\s+responsible\b|"
        r"\bi\s+(?:misled|failed|broke|hid|lied)\b|\bi\s+didn'?t\s+(?:label|disclose|tell|say|"
        r"try|test|check|use|mention)\b|\bi\s+(?:promoted|recommended|pushed)\s+\S+\s+"
        r"(?:\S+\s+){0,3}?(?:without|before|anyway|even\s+though)\b|\bno\s+excuses?\b|"
        r"\bby\s+me\b|\bi\s+made\s+them\b|\bi\s+(?:promoted|recommended|hyped|endorsed|"
        r"approved|posted)\b|\bi\s+left\s+(?:\w+\s+){0,3}?(?:off|out)\b|\bi\s+(?:spent|wasted|"
        r"broke|betrayed|abused)\s+(?:\w+\s+)?trust\b|\b(?:i|to)\s+own\s+(?:it|this|that|"
        r"something|up|my\s+\w+|the\s+\w+)\b")),
    ("repair", _rx(
        r"\brefunds?\b|\brefunding\b|\bmoney\s+back\b|\b(?:take|taken|took|taking)\s+(?:\w+\s+)"
        r"{0,2}?down\b|\b(?:deleted|removed)\s+(?:the|my|those|it|them|that)\b|"
        r"\b(?:added|put)\s+(?:the\s+|a\s+|an\s+)?(?:#ad|ad\s+label|label|disclosure)|"
        r"\b(?:now\s+)?(?:labell?ed|marked)\s+(?:it\s+|them\s+)?(?:clearly\s+)?as\s+an?\s+ad\b|"
        r"\bi(?:'ll|\s+will|'m\s+going\s+to)\s+(?:\w+\s+)?(?:reply|answer|help|make|cover|pay|"
        r"send|contact|reach|fix|correct|donate|return|replace|refund|reimburse|read)\b|"
        r"\breach(?:ing)?\s+out\b|\bmake\s+(?:it|this|things)\s+right\b|\b(?:message|dm|email|"
        r"contact|write\s+to)\s+me\b|\breply\s+to\s+this\b|\bpinned\b|\b(?:corrected|edited|"
        r"fixed)\s+the\s+(?:caption|post|video|description)|\bstop\s+using\b|\brecall\b|"
        r"\bdonat\w+|\b(?:is|are|it'?s|they'?re|been|now)\s+(?:now\s+)?(?:down|gone|"
        r"labell?ed|relabell?ed|marked|corrected|fixed)\b|\bon\s+now\b|"
        r"\bi(?:'ll|\s+will)\s+(?:share|post|publish|tell\s+you)\b")),
    ("regret", _rx(
        r"\b(?:i'?m|i\s+am)\s+(?:\w+\s+){0,2}?sorry\b|\bi\s+apologi[sz]e\b|\bmy\s+apologies\b|"
        r"\bi\s+(?:deeply\s+|truly\s+|really\s+)?regret\b|\bi\s+feel\s+(?:\w+\s+)?(?:terrible|"
        r"awful|sick|ashamed|horrible)\b|\bi'?m\s+(?:\w+\s+)?ashamed\b|\bsorry\b")),
    ("explanation", _rx(
        r"\bbecause\b|\bthe\s+truth\s+is\b|\bwhat\s+happened\b|\bhonestly\b|\bthe\s+reason\b|"
        r"\bi\s+(?:took|accepted|signed|said\s+yes\s+to)\s+(?:the|this|that|a)\s+(?:\w+\s+)?"
        r"(?:deal|sponsorship|contract|offer|money|job)\b|\bi\s+hadn'?t\b|\bi\s+had\s+not\b|"
        r"\bi\s+didn'?t\s+(?:try|test|use|check|read|label|disclose)\b|\bi\s+was\s+paid\b|"
        r"\bi\s+needed\s+the\s+money\b|\bi\s+was\s+(?:under|in|broke|desperate|rushing)\b|"
        r"\bi\s+never\s+(?:tried|used|tested)\b|\bhere'?s\s+how\b|\bi\s+knew\b|"
        r"\bi\s+was\s+sponsored\b|\bi\s+took\s+(?:the\s+)?money\b|\bfor\s+(?:the\s+)?(?:money|"
        r"fee|paycheck|cash)\b|\bpaycheck\b|\bi\s+(?:wanted|thought|assumed|trusted|said)\b|"
        r"\bi(?:\s+had|'d)\s+only\b")),
    ("repentance", _rx(
        r"\bfrom\s+(?:now\s+on|today|here\s+on)\b|\bgoing\s+forward\b|\bnever\s+again\b|"
        r"\bin\s+(?:the\s+)?future\b|\bi(?:'ll|\s+will)\s+(?:always|only|never|no\s+longer|now|"
        r"not\s+(?:ever\s+)?again)\b|\bwon'?t\s+(?:ever\s+)?(?:happen|do\s+(?:it|this|that))\s+"
        r"again\b|\bi'?m\s+changing\b|\bi'?ve\s+changed\b|\b(?:new|my)\s+rules?\b|"
        r"\bnext\s+time\b|\bevery\s+(?:sponsored|paid)\s+\w+\s+will\b|\bi'?ve\s+(?:set\s+up|"
        r"put\s+in\s+place)\b|\bi\s+(?:won'?t|will\s+not)\s+(?:ever\s+)?(?:again|promote|take)\b|"
        r"\b(?:won'?t|will\s+not|never)\b[^.!?\n]{0,60}?\bagain\b|\bevery\s+time\b")),
    ("forgiveness", _rx(
        r"\bforgive\w*|\banother\s+chance\b|\bsecond\s+chance\b|\b(?:earn|win)\s+(?:\w+\s+)?"
        r"(?:back\s+)?your\s+trust\b|\bwin\s+back\b|\bgive\s+me\s+(?:a|the)\s+chance\b")),
)
STRONGEST_FIRST = tuple(code for code, _ in ELEMENTS)

_QUOTED = re.compile(r"\"[^\"\n]{0,300}\"|“[^”\n]{0,300}”|‘[^’\n]{0,300}’|"
                     r"(?<![\w'])'[^'\n]{1,300}'(?![\w'])")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CLAUSE_BREAK = re.compile(r"[,;:(—–]|\b(?:and|but|so|because|which|while|although|when|if)\b",
                           re.I)
_REPORTED = re.compile(r"\b(?:why|whether)\b", re.I)  # "you asked why it wasn't labelled"
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|won'?t|wouldn'?t|don'?t|didn'?t|can'?t|isn'?t|wasn'?t|refuse\s+to|"
    r"instead\s+of|rather\s+than|without|stop\s+saying|no\s+more|not\s+going\s+to)\b|n't\b",
    re.I)


class Finding(BaseModel):
    """One non-apology found in the draft, with the sentence that shows it."""

    model_config = ConfigDict(frozen=True)

    code: str
    quote: str


class DraftCheck(BaseModel):
    """What the creator's own draft does and misses."""

    deflections: list[Finding]
    present: list[str]
    missing: list[str]


def _masked(text: str) -> str:
    """``text`` with what it quotes blanked out, same length (a quote is mentioned, not said)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _refused(sentence: str, start: int) -> bool:
    """Whether a negation in the same clause comes before ``start`` ("I won't blame the brand")."""
    before = sentence[:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    return _NEGATION.search(before[breaks[-1] if breaks else 0:]) is not None


def _said(pattern: re.Pattern[str], sentence: str, negatable: bool = True) -> re.Match[str] | None:
    for match in pattern.finditer(sentence):
        if not negatable or not _refused(sentence, match.start()):
            return match
    return None


def _quoted(sentence: str) -> str:
    words = " ".join(sentence.split())
    return words if len(words) <= QUOTE_LIMIT else words[:QUOTE_LIMIT - 1].rstrip() + "…"


def check_draft(text: str) -> DraftCheck:
    """Every sentence that reads as a non-apology (quoted, with each family it falls in), and
    which apology elements the rest of the draft has or misses."""
    masked = _masked(text)
    deflections: list[Finding] = []
    plain: list[str] = []  # sentences that hold no non-apology: where the elements count
    for found in _SENTENCE.finditer(masked):
        sentence = found.group(0)
        codes = [code for code, pattern in DEFLECTIONS
                 if _said(pattern, sentence, code not in NOT_NEGATED)]
        if "passive" in codes and (_said(ELEMENTS[0][1], sentence)
                                   or _REPORTED.search(sentence)):
            codes.remove("passive")  # "the label was left off, and that's on me" owns it
        if not codes:
            plain.append(sentence)
        quote = _quoted(text[found.start():found.end()].strip())
        deflections.extend(Finding(code=code, quote=quote) for code in codes)
    present = [code for code, pattern in ELEMENTS
               if any(_said(pattern, sentence, code in NEGATABLE) for sentence in plain)]
    missing = [code for code in STRONGEST_FIRST if code not in present and code != "forgiveness"]
    return DraftCheck(deflections=deflections, present=present, missing=missing)
