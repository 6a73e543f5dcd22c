"""The apology coach's questions: what happened, what will be repaired, what changes."""

from __future__ import annotations

from flows.questions import NO, YES, Option, Question, QuestionSet

QUESTIONS = QuestionSet((
    Question("promoted", "text", "what", max_length=160),
    Question("when", "choice", "what", (
        Option("days", ("days", "in the last few days", "this week", "a few days ago",
                        "yesterday", "today")),
        Option("weeks", ("weeks", "a few weeks ago", "last month", "weeks ago")),
        Option("months", ("months", "months ago", "a long time ago", "last year")),
    )),
    Question("community_said", "text", "what", optional=True, max_length=1500),
    Question("went_wrong", "multi", "why", (
        Option("money", ("money", "for the money", "took it mainly for the money",
                         "mainly for the money", "needed the money")),
        Option("untried", ("untried", "hadn't tried it", "hadn't really tried it",
                           "had not really tried it",
                           "didn't try it", "not tried", "never tried it")),
        Option("disappointed", ("disappointed", "the product disappointed", "bad product",
                                "product disappointed", "it was bad")),
        Option("unlabelled", ("unlabelled", "unlabeled", "not labelled", "not labeled",
                              "no ad label", "wasn't labelled", "it wasn't labelled as an ad")),
        Option("claims", ("claims", "claims went too far", "overclaimed", "false claims",
                          "exaggerated")),
    )),
    Question("content_up", "choice", "repair", (
        Option("still_up", ("still up", "yes", "it's up", "up")),
        Option("taken_down", ("taken down", "down", "removed", "deleted", "no")),
        Option("marked", ("marked", "still up, now marked as an ad", "marked as an ad", "edited",
                          "labelled now", "labeled now")),
    )),
    Question("changes", "multi", "repair", (
        Option("used_first", ("used first", "only products i've used for a while",
                              "only products i use", "use it first")),
        Option("always_label", ("always label", "always labelled", "always label ads",
                                "label", "#ad")),
        Option("no_unbacked_claims", ("no claims", "no unbacked claims",
                                      "no claims i can't back", "claims")),
        Option("share_policy", ("share policy", "publish my sponsorship policy", "policy",
                                "a public policy")),
    )),
    Question("buyers", "choice", "repair", (
        Option("refund_help", ("refund", "refund help", "help getting refunds",
                               "help with refunds", "refunds")),
        Option("alternative", ("alternative", "an honest alternative", "honest alternative")),
        Option("both", ("both", "refund help and an alternative")),
        Option("nothing", ("nothing", "none", "no", "nothing yet")),
    )),
    Question("forgiveness", "choice", "repair", (YES, NO)),
    Question("own_draft", "text", "check", optional=True, max_length=3500),
))
