"""The proposal check's questions: about the creator, the product, the deal, and the pitch itself.

The deal's questions are the creator review's own (same options, same ids), so the creator's
likely answer comes from the same decision rules; here they never end the flow early.
"""

from __future__ import annotations

from dataclasses import replace

from flows.creator.questions import QUESTIONS as CREATOR
from flows.questions import NO, UNSURE, YES, Question, QuestionSet


def _shared(question_id: str) -> Question:
    return replace(CREATOR.by_id[question_id], gate=frozenset())


QUESTIONS = QuestionSet((
    Question("creator_name", "text", "creator", max_length=60),
    Question("niche", "text", "creator", max_length=80),
    Question("followed_for", "text", "creator", max_length=200),
    _shared("brand"),
    _shared("product"),
    Question("creator_used", "choice", "product", (YES, NO, UNSURE)),
    Question("product_first", "choice", "product", (YES, NO)),
    _shared("ask"),
    _shared("community_value"),
    _shared("voice"),
    _shared("pay"),
    _shared("label"),
    _shared("usage_rights"),
    _shared("exclusivity"),
    _shared("payment_terms"),
    _shared("revisions"),
    _shared("claims"),
    Question("pitch", "text", "pitch", optional=True, max_length=3500),
))

# the proposal's facts a creator review can start from: the creator answers only the rest
HANDED_OVER = ("brand", "product", "ask", "pay", "label", "usage_rights", "exclusivity",
               "payment_terms", "revisions", "claims", "voice", "community_value")
