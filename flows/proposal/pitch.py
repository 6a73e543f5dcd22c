"""Read a pasted pitch the way a values-driven creator would, and find what is weak in it.

Each weakness has a code (its words and its fix live in ``prompts/proposal/``) and, where the
pitch itself shows it, the quoted words. Absences (no fee, no dates) have nothing to quote.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict


class Weakness(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    quote: str | None = None


_GREETING = re.compile(r"^\s*((?:hi|hey|hello|dear|greetings)\b[^,\n!.]*)", re.I)
QUOTED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("free_product_for_posts", re.compile(
        r"[^.!?;,\n]*\b(?:in\s+exchange\s+for\s+(?:free\s+)?(?:product|products)|free\s+product"
        r"s?\s+(?:for|in\s+return)|gifted\s+in\s+exchange)\b[^.!?;,\n]*", re.I)),
    ("just_one_post", re.compile(
        r"[^.!?;,\n]*\b(?:just\s+(?:one|a|1)\s+(?:quick\s+)?(?:post|video|story|reel)|one\s+quick"
        r"\s+(?:post|video)|quick\s+post)\b[^.!?;,\n]*", re.I)),
    ("scripted", re.compile(
        r"[^.!?;,\n]*\b(?:script|scripted|word\s+for\s+word|use\s+(?:the\s+|our\s+)?following\s+"
        r"caption|caption\s+(?:we|below)|shot\s+list|must\s+say|exact\s+wording)\b[^.!?;,\n]*",
        re.I)),
    ("perpetual_usage", re.compile(
        r"[^.!?;,\n]*\b(?:perpetu\w*|forever|unlimited\s+usage|all\s+media|full\s+usage\s+rights"
        r"|usage\s+in\s+all|irrevocabl\w*)\b[^.!?;,\n]*", re.I)),
    ("claims", re.compile(
        r"[^.!?;,\n]*\b(?:cures?|clinically|proven|burns?\s+fat|lose\s+weight|weight\s+loss|"
        r"guarantee\w*|boosts?\s+(?:your\s+)?immun\w*|detox\w*|miracle|100%\s+natural)\b"
        r"[^.!?;,\n]*", re.I)),
)
_CONTENT = re.compile(r"\byour\s+(?:content|videos?|posts?|channel|feed|work|recipes?|"
                      r"reviews?|tutorials?|community|audience|followers)\b", re.I)
_AUDIENCE_VALUE = re.compile(r"\b(?:discount|code|exclusive|early\s+access|giveaway|free\s+trial"
                             r"|your\s+(?:audience|followers|community)\s+(?:will|would|can|get)"
                             r"|for\s+your\s+(?:audience|followers|community))\b", re.I)
_FEE = re.compile(r"(?:[$€£]\s?\d|\d[\d,.]*\s?(?:usd|eur|gbp|dollars|euros|pounds|k\b)|\bfee\b"
                  r"|\bpay(?:ing|ment)?\s+(?:you|of)\b|\brate\b|\bbudget\b)", re.I)
_DELIVERABLES = re.compile(r"\b(?:\d+|one|two|three|a)\s+(?:posts?|videos?|reels?|stories|"
                           r"tiktoks?|shorts?)\b|\bdeliverables?\b", re.I)
_DATES = re.compile(r"\b(?:by|before|on|until|deadline|due)\s+(?:the\s+)?(?:\d|jan|feb|mar|apr|"
                    r"may|jun|jul|aug|sep|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|"
                    r"next|end\s+of)|\b\d{1,2}/\d{1,2}\b|\bweek\s+of\b|\bdates?\b", re.I)
_USAGE = re.compile(r"\busage\b|\brights\b|\blicen[cs]e\b", re.I)
_EXCLUSIVITY = re.compile(r"\bexclusiv\w*|\bcompetitors?\b", re.I)
_DISCLOSURE = re.compile(r"#ad\b|\bdisclos\w*|\badvert\w*|\bpaid\s+partnership\b|\blabel\w*",
                         re.I)


def _quote(match: re.Match[str]) -> str:
    return " ".join(match.group(0).split())[:160]


def check_pitch(text: str, creator_name: str) -> list[Weakness]:
    """Every weakness a creator would notice in ``text``, in the order they would notice it."""
    found: list[Weakness] = []
    first_name = creator_name.split()[0].casefold() if creator_name.split() else ""
    if not first_name or first_name not in text.casefold():
        greeting = _GREETING.search(text)
        found.append(Weakness(code="not_personal",
                              quote=_quote(greeting) if greeting else None))
    if not _CONTENT.search(text):
        found.append(Weakness(code="nothing_about_them"))
    if not _AUDIENCE_VALUE.search(text):
        found.append(Weakness(code="no_audience_value"))
    for code, pattern in QUOTED:
        match = pattern.search(text)
        if match:
            found.append(Weakness(code=code, quote=_quote(match)))
    for code, pattern in (("no_fee", _FEE), ("no_deliverables", _DELIVERABLES),
                          ("no_dates", _DATES), ("no_usage", _USAGE),
                          ("no_exclusivity", _EXCLUSIVITY), ("no_disclosure", _DISCLOSURE)):
        if not pattern.search(text):
            found.append(Weakness(code=code))
    return found
