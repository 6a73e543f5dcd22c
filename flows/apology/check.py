"""Check an apology the creator drafted: deflections quoted back, and the elements that matter.

The elements, strongest first, follow Lewicki, Lount and Polin (2016): acknowledging
responsibility, an offer of repair, then regret, explanation and repentance; asking forgiveness
matters least. Each finding names a code; its words live in ``prompts/apology/``.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

# deflections: each a code and the phrasings that give it away
DEFLECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sorry_if", re.compile(
        r"\bsorry\s+if\s+(?:anyone|anybody|someone|you|people|i)\b[^.!?\n]*", re.I)),
    ("sorry_you_feel", re.compile(
        r"\bsorry\s+(?:that\s+)?(?:you|some\s+of\s+you|people)\s+(?:feel|felt|think|thought"
        r"|were|are)\b[^.!?\n]*", re.I)),
    ("sorry_but", re.compile(r"\b(?:i'?m|i\s+am)\s+sorry,?\s+but\b[^.!?\n]*", re.I)),
    ("mistakes_were_made", re.compile(r"\bmistakes\s+(?:were|have\s+been)\s+made\b[^.!?\n]*",
                                      re.I)),
    ("blame_brand", re.compile(
        r"\b(?:the\s+brand|they|the\s+company|the\s+agency)\s+(?:told|made|asked|required|"
        r"wanted|insisted|gave)\s+me\b[^.!?\n]*|\b(?:brand|company|agency)'?s\s+fault\b"
        r"[^.!?\n]*", re.I)),
    ("blame_audience", re.compile(
        r"\b(?:you|people|some\s+of\s+you)\s+(?:misunderstood|overreacted|took\s+it\s+the\s+"
        r"wrong\s+way)\b[^.!?\n]*|\bhaters\b[^.!?\n]*", re.I)),
)

ELEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("responsibility", re.compile(
        r"\b(?:i\s+was\s+wrong|my\s+(?:mistake|fault|responsibility)|i\s+take\s+(?:full\s+)?"
        r"responsibility|i\s+shouldn'?t\s+have|i\s+should\s+not\s+have|that'?s\s+on\s+me|"
        r"i\s+own\s+(?:it|this|that))\b", re.I)),
    ("repair", re.compile(
        r"\b(?:refunds?|money\s+back|(?:taken?|took|taking)\s+(?:it\s+|them\s+|(?:the|my|those)"
        r"\s+\w+\s+)?down|removed|marked\s+(?:it\s+)?(?:clearly\s+)?as\s+an\s+ad|"
        r"i'?ll\s+(?:help|make|reply|reach)|i\s+will\s+(?:help|make|reply|reach|refund)|"
        r"reach\s+out|make\s+(?:it|this)\s+right)\b", re.I)),
    ("regret", re.compile(r"\b(?:i'?m\s+(?:so\s+|truly\s+|really\s+)?sorry|i\s+am\s+sorry|"
                          r"i\s+apologi[sz]e|i\s+regret)\b", re.I)),
    ("explanation", re.compile(r"\b(?:because|the\s+truth\s+is|what\s+happened|i\s+took\s+"
                               r"(?:the|this)\s+deal|i\s+hadn'?t|i\s+had\s+not)\b", re.I)),
    ("repentance", re.compile(r"\b(?:from\s+now\s+on|going\s+forward|never\s+again|"
                              r"(?:i|i'?ll)\s+(?:will\s+)?only|in\s+(?:the\s+)?future|"
                              r"what\s+changes|i'?ve\s+changed)\b", re.I)),
    ("forgiveness", re.compile(r"\b(?:forgive|another\s+chance|win\s+back\s+your\s+trust)\b",
                               re.I)),
)
STRONGEST_FIRST = tuple(code for code, _ in ELEMENTS)


class Finding(BaseModel):
    """One deflection found in the draft, with the words that show it."""

    model_config = ConfigDict(frozen=True)

    code: str
    quote: str


class DraftCheck(BaseModel):
    """What the creator's own draft does and misses."""

    deflections: list[Finding]
    present: list[str]
    missing: list[str]


def check_draft(text: str) -> DraftCheck:
    """Find deflections (quoted) and which apology elements are present or missing."""
    deflections: list[Finding] = []
    for code, pattern in DEFLECTIONS:
        for match in pattern.finditer(text):
            quote = match.group(0).strip()
            if quote and all(f.quote != quote for f in deflections):
                deflections.append(Finding(code=code, quote=quote[:160]))
    present = [code for code, pattern in ELEMENTS if pattern.search(text)]
    missing = [code for code in STRONGEST_FIRST if code not in present and code != "forgiveness"]
    return DraftCheck(deflections=deflections, present=present, missing=missing)
