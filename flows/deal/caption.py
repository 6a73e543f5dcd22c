"""The caption check before posting: the ad label up front in the form the creator's country
expects, claims that need proof, the brand's handle, and the platform's paid-partnership tool.

US (FTC): a clear label at the start ("#ad", "Ad", "Sponsored", "Paid partnership"); "#sp",
"#partner", "#collab" or "thanks @brand" are not clear, and a label lost among the closing
hashtags is not up front. UK (ASA/CAP): "Ad", "Advert" or "Advertisement" up front; "gifted",
"collab", "PR", "in partnership with" or "sponsored" alone are not enough. ``check`` returns the
caption with only the label fixed (shown in a message of its own, ``caption_fixed.j2``, as a
caption may be as long as a message) (the creator's words otherwise) and every finding, quoting the
words it is about. Linear: the caption is split into words once and matched against bounded
phrase lists; no backtracking pattern ever sees the text.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

Country = Literal["US", "UK"]
Platform = Literal["instagram", "tiktok", "youtube", "other"]
FindingCode = Literal["label_missing", "label_late", "label_unclear", "claim", "handle_missing",
                      "brand_missing", "platform_tool", "say_it"]

MAX_CAPTION = 4000  # UTF-16 units, as Telegram counts; longer text is cut before checking
UP_FRONT = 3  # the label must be among the caption's first words
MAX_CLAIMS = 5
MAX_LABEL_FINDINGS = 3
MAX_QUOTE = 60  # characters of the caption quoted in a finding
LABEL: dict[Country, str] = {"US": "#ad", "UK": "Ad |"}

_WORD = re.compile(r"\S+")
_EDGE = ".,:;!?()[]{}\"'“”‘’*_~|-–—…"

CLEAR: dict[Country, frozenset[str]] = {
    "US": frozenset({"#ad", "ad", "#advert", "advert", "#advertisement", "advertisement",
                     "#sponsored", "sponsored", "#paidpartnership", "#paidad"}),
    "UK": frozenset({"#ad", "ad", "#advert", "advert", "#advertisement", "advertisement",
                     "#advertising", "advertising", "#paidad"}),
}
CLEAR_PHRASES: dict[Country, tuple[tuple[str, ...], ...]] = {
    "US": (("paid", "partnership"),),
    "UK": (),
}
UNCLEAR: dict[Country, frozenset[str]] = {
    "US": frozenset({"#sp", "#spon", "#partner", "#partnership", "#collab", "collab",
                     "#collaboration", "#ambassador", "#brandambassador", "#gifted", "#pr",
                     "#thanks", "#affiliate"}),
    "UK": frozenset({"#sp", "#spon", "#partner", "#partnership", "#collab", "collab",
                     "#collaboration", "#ambassador", "#brandambassador", "#gifted", "gifted",
                     "#pr", "pr", "#sponsored", "sponsored", "#paidpartnership", "#thanks",
                     "#affiliate"}),
}
UNCLEAR_PHRASES: dict[Country, tuple[tuple[str, ...], ...]] = {
    "US": (("in", "partnership", "with"), ("thanks", "@"), ("thank", "you", "@")),
    "UK": (("in", "partnership", "with"), ("paid", "partnership"), ("thanks", "@"),
           ("thank", "you", "@")),
}
# claims a brand must be able to prove before a creator repeats them ("<n>" is any number)
CLAIMS: tuple[tuple[str, ...], ...] = (
    ("cure",), ("cures",), ("cured",), ("heals",), ("treats",), ("prevents",),
    ("clinically", "proven"), ("scientifically", "proven"), ("proven", "to"),
    ("guaranteed",), ("guarantees",), ("100%",), ("burns", "fat"), ("fat", "burning"),
    ("lose", "<n>"), ("lost", "<n>"), ("weight", "loss"), ("boosts", "immunity"),
    ("boost", "your", "immune"), ("detox",), ("detoxes",), ("no", "side", "effects"),
    ("doctor", "recommended"), ("dermatologist", "recommended"), ("#1",), ("number", "one"),
    ("miracle",), ("risk-free",), ("risk", "free"), ("passive", "income"), ("get", "rich"),
    ("removes", "wrinkles"), ("reverses", "aging"), ("all", "natural"), ("100", "natural"),
)
TOOLS: dict[Platform, bool] = {"instagram": True, "tiktok": True, "youtube": True,
                               "other": False}
VIDEO: frozenset[Platform] = frozenset({"tiktok", "youtube"})


_HANDLE = re.compile(r"@?([A-Za-z0-9._]{1,30})")


def read_handle(text: str) -> str | None:
    """A brand's handle as the creator typed it (``@acme`` or ``acme``), with its ``@``; None
    when it is not one."""
    found = _HANDLE.fullmatch(text.strip())
    return f"@{found.group(1)}" if found else None


class Finding(BaseModel):
    """One thing the check found; ``words`` quotes the caption where that helps."""

    model_config = ConfigDict(frozen=True)

    code: FindingCode
    words: str = ""


class CaptionCheck(BaseModel):
    """The caption as it should go out, and why it changed (or what to check by hand)."""

    model_config = ConfigDict(frozen=True)

    fixed: str
    findings: list[Finding]
    changed: bool
    country: Country
    platform: Platform
    platforms: list[Platform] = []  # the deal's, from its deliverables (none known: all named)
    gifted: bool = False  # product for posts: still an ad, "gifted" alone is not the label


class _Word:
    __slots__ = ("end", "norm", "start")

    def __init__(self, match: re.Match[str]) -> None:
        self.start, self.end = match.start(), match.end()
        self.norm = match.group().casefold().strip(_EDGE)


def _cut(text: str, units: int) -> str:
    """The start of ``text`` that fits ``units`` UTF-16 code units (as Telegram measures)."""
    used = 0
    for at, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:at]
    return text


def _matches(words: list[_Word], at: int, phrase: tuple[str, ...]) -> bool:
    if at + len(phrase) > len(words):
        return False
    for offset, part in enumerate(phrase):
        norm = words[at + offset].norm
        if part == "@":
            ok = norm.startswith("@")
        elif part == "<n>":
            ok = norm[:1].isdigit()
        else:
            ok = norm == part
        if not ok:
            return False
    return True


def _spans(words: list[_Word], singles: frozenset[str],
           phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """Where the caption says one of ``singles`` or ``phrases``: (first word, word count)."""
    found = []
    for at, word in enumerate(words):
        if word.norm in singles:
            found.append((at, 1))
            continue
        for phrase in phrases:
            if _matches(words, at, phrase):
                found.append((at, len(phrase)))
                break
    return found


def _quote(text: str, words: list[_Word], at: int, count: int) -> str:
    quoted = text[words[at].start:words[at + count - 1].end].strip(_EDGE)
    return quoted if len(quoted) <= MAX_QUOTE else quoted[:MAX_QUOTE - 1] + "…"


def _lead_words(words: list[_Word]) -> set[int]:
    """The indexes of the caption's first ``UP_FRONT`` words (emoji and symbols not counted)."""
    lead: set[int] = set()
    for at, word in enumerate(words):
        if len(lead) >= UP_FRONT:
            break
        if any(ch.isalnum() for ch in word.norm):
            lead.add(at)
    return lead


def _without(text: str, words: list[_Word], spans: list[tuple[int, int]]) -> str:
    """``text`` with the words of ``spans`` (and the spaces after them) taken out, the rest
    exactly as written."""
    kept, cursor = [], 0
    for at, count in spans:
        kept.append(text[cursor:words[at].start])
        cursor = words[at + count - 1].end
        while cursor < len(text) and text[cursor] == " ":
            cursor += 1
    kept.append(text[cursor:])
    return "".join(kept).strip()


def _names(words: list[_Word], brand: str) -> bool:
    """Whether the caption names ``brand`` (its name, as a word, hashtag or handle)."""
    name = "".join(ch for ch in brand.casefold() if ch.isalnum())
    if not name:
        return True  # nothing to look for
    return any(name in "".join(ch for ch in w.norm if ch.isalnum()) for w in words)


def check(caption: str, *, country: Country, platform: Platform = "instagram",
          brand_handle: str | None = None, needs_label: bool = True,
          platforms: tuple[Platform, ...] | None = None, brand: str = "",
          gifted: bool = False) -> CaptionCheck:
    """Check a caption before posting; ``needs_label`` is False only for unpaid charity work.
    ``platforms``: where the deal's content goes (the deal's deliverables; empty: not known,
    every platform's tool is named), else ``platform``; ``brand``: its name, which the caption
    must name or tag when no ``brand_handle`` is known; ``gifted``: product given for posts."""
    text = _cut(caption.strip(), MAX_CAPTION)
    words = [_Word(m) for m in _WORD.finditer(text)]
    findings: list[Finding] = []
    fixed = text
    if needs_label:
        clear = _spans(words, CLEAR[country], CLEAR_PHRASES[country])
        lead = _lead_words(words)
        up_front = [s for s in clear if s[0] in lead]
        if not up_front:
            late = clear
            unclear = _spans(words, UNCLEAR[country], UNCLEAR_PHRASES[country])
            if late:
                findings += [Finding(code="label_late", words=_quote(text, words, *s))
                             for s in late[:MAX_LABEL_FINDINGS]]
            elif unclear:
                findings += [Finding(code="label_unclear", words=_quote(text, words, *s))
                             for s in unclear[:MAX_LABEL_FINDINGS]]
            else:
                findings.append(Finding(code="label_missing"))
            fixed = f"{LABEL[country]} {_without(text, words, late)}".strip()
    claims = _spans(words, frozenset(), CLAIMS)
    findings += [Finding(code="claim", words=_quote(text, words, *s))
                 for s in claims[:MAX_CLAIMS]]
    handle = (brand_handle or "").strip()
    if handle:
        handle = handle if handle.startswith("@") else f"@{handle}"
        if not any(w.norm == handle.casefold() for w in words):
            findings.append(Finding(code="handle_missing", words=handle))
    elif brand and not _names(words, brand):
        findings.append(Finding(code="brand_missing"))  # their handle unknown: never invented
    where = list(platforms) if platforms is not None else [platform]
    if needs_label:
        tools = [p for p in where if TOOLS[p]]
        findings += [Finding(code="platform_tool", words=p) for p in tools]
        if not where:  # not known: each platform's own setting is named
            findings.append(Finding(code="platform_tool"))
    if needs_label and any(p in VIDEO for p in where):
        findings.append(Finding(code="say_it"))
    return CaptionCheck(fixed=fixed, findings=findings, changed=fixed != text, country=country,
                        platform=where[0] if where else "other", platforms=where,
                        gifted=gifted)
