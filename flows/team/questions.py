"""The team review's questions: the offer's facts and the creator's name to sign the reply with
(the lead types them), a moment to gather the team, then the creator review's judgment
questions, each put to a vote.

The votes use the creator review's own questions and options, so the team's answers go through
the same decision rules; no gate ends a team review early (the team votes on everything).
"""

from __future__ import annotations

from dataclasses import replace

from flows.creator.questions import QUESTIONS as CREATOR
from flows.questions import SIGNATURE, Option, Question, QuestionSet

# the name comes last: the reply speaks as the creator, and only the lead can say who that is
FACTS = ("brand", "product", "ask", "pay", SIGNATURE)
VOTES = ("use_unpaid", "recommend_friend", "community_fit", "voice", "relationship",
         "community_value", "buyers_glad", "existing_customers", "label", "deliverables",
         "usage_rights", "exclusivity", "payment_terms", "revisions", "claims")
GATHER = "gather"  # the lead presses Start once the team has joined

QUESTIONS = QuestionSet((
    *(replace(CREATOR.by_id[q], gate=frozenset()) for q in FACTS),
    Question(GATHER, "choice", "team", (Option("start", ("start", "go", "start voting",
                                                         "▶️ start voting")),)),
    *(replace(CREATOR.by_id[q], gate=frozenset()) for q in VOTES),
))
