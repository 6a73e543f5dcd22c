"""A message cut where a reader pauses, and clauses quoted back short.

Every pattern of the reader then looks for a few words inside one clause, so a reading takes
time linear in the message's length.
"""

from __future__ import annotations

import re

QUOTE_LIMIT = 160  # characters of a clause quoted back
QUOTE_SHOWN = 60  # characters of a quote the facts message shows (prompts/reading/offer.j2)

_EDGES = " \t\r\n-•*–—.,;:!?\"'()[]"
_PAUSES = frozenset(".!?;:,")
_CLOSING = frozenset("\"”’'")  # a quotation closing a sentence: "... you sleep." Payment
_WRAPPED = re.compile(r"(?<=[^\s.!?:;,])[ \t]*\n(?=[a-zà-ÿ])")
_LEADING_AND = re.compile(r"^(?:and|or|plus|with)\s+(?=\S)", re.I)
# a contract's numbered heading before its clause ("9. Exclusivity. During the Term, ...",
# "Section 4 – Exclusivity: none", "5. Payment – net 30"): it names a term and states nothing of
# it, so it is read as a label of the clause under it. A colon or a dash ends a heading only
# after a section's word or a number with its dot: "2 Reels – $500" is a count, no heading
_NUMBERED_HEADING = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<section>(?i:section|clause|article|art\.|cl[áa]usula|"
    r"secci[óo]n|se[çc][ãa]o|§)[ \t]*\d{1,2}(?:\.\d{1,2})*\.?(?:[ \t]*[–—:-])?|"
    r"\d{1,2}(?:\.\d{1,2})*\.)|\d{1,2}(?:\.\d{1,2})*)[ \t]+(?P<heading>[A-ZÀ-Ý][\w'’-]*"
    r"(?:[ \t]+(?:&|and|of|[A-ZÀ-Ý][\w'’-]*)){0,2})(?:\.|(?(section)(?:[ \t]*:|[ \t]+[–—-])|(?!)))"
    r"(?:[ \t]+(?=\S)|[ \t]*$)", re.M)


def _heading(text: str, start: int, index: int) -> bool:
    """A colon after a word or two ("Usage: 6 months") labels its clause rather than ends one."""
    return text[index] == ":" and len(text[start:index].split()) <= 2


def clauses(text: str) -> list[str]:
    """The message cut where a reader pauses: at a sentence mark, comma or colon followed by a
    space, and at line breaks, never inside brackets ("(Lodge, Le Creuset)") or "$1,500". A
    line wrapped mid-sentence (an email's hard wrap: "$2,500\nper month") is one line; a
    numbered heading ("9. Exclusivity.") labels its clause ("Exclusivity: ...")."""
    text = _NUMBERED_HEADING.sub(r"\g<indent>\g<heading>: ", _WRAPPED.sub(" ", text))
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


def quoted(clause: str) -> str:
    """A clause as it is quoted back: one space between words, at most ``QUOTE_LIMIT``."""
    words = " ".join(clause.split())
    return words if len(words) <= QUOTE_LIMIT else words[:QUOTE_LIMIT - 1].rstrip() + "…"


def rx(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern (every one of the reader's is bounded: no nested repeats)."""
    return re.compile(pattern, re.I)
