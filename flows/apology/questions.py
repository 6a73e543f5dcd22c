"""The apology coach's questions: what happened, what people said, what will be repaired, what
changes, and the name to sign with. Every sentence of the drafts rests on one of these answers."""

from __future__ import annotations

from flows.questions import NO, SIGNATURE, YES, Option, Question, QuestionSet, when

QUESTIONS = QuestionSet((
    Question("promoted", "text", "what", max_length=160),
    Question("when", "choice", "what", (
        Option("days", ("days", "in the last few days", "this week", "a few days ago",
                        "yesterday", "today")),
        Option("weeks", ("weeks", "a few weeks ago", "last month", "weeks ago")),
        Option("months", ("months", "months ago", "a long time ago", "last year")),
    )),
    # what the community said, as the drafts can say it back (paraphrased, never quoted)
    Question("community", "multi", "what", (
        Option("misled", ("misled", "they felt misled", "felt misled", "lied to", "deceived")),
        Option("hidden_ad", ("hidden ad", "they didn't know it was an ad",
                             "didn't know it was an ad", "asked if it was an ad", "not labelled")),
        Option("didnt_work", ("didn't work", "it didn't work for them", "it didn't work",
                              "broke", "it broke", "waste of money")),
        Option("not_me", ("not me", "it didn't sound like me", "didn't sound like me",
                          "out of character", "sell out", "sellout", "forced")),
        Option("harmed", ("harmed", "it caused them problems", "caused problems", "hurt",
                          "side effects", "reactions", "rash")),
        Option("unfollowed", ("unfollowed", "people unfollowed", "left", "lost followers")),
    ), optional=True),
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
        Option("disliked", ("disliked", "tried it, disliked it, promoted it anyway",
                            "tried it and disliked it", "didn't like it", "promoted it anyway")),
        Option("safety", ("safety", "a safety problem or a recall", "safety problem", "recall",
                          "recalled", "unsafe", "dangerous")),
    )),
    Question("recall_notice", "text", "repair", optional=True, max_length=300,
             asked_when=(when("went_wrong", "safety"),)),
    Question("content_up", "choice", "repair", (
        Option("still_up", ("still up", "yes", "it's up", "up")),
        Option("taken_down", ("taken down", "down", "removed", "deleted", "no")),
        Option("marked", ("marked", "still up, now marked as an ad", "marked as an ad", "edited",
                          "labelled now", "labeled now")),
    )),
    Question("content_next", "choice", "repair", (
        Option("take_down", ("take down", "i'll take it down", "take it down", "remove it",
                             "delete it")),
        Option("label_it", ("label it", "i'll mark it clearly as an ad", "mark it as an ad",
                            "mark it", "label")),
        Option("keep_up", ("keep up", "it stays up as it is", "leave it", "keep it",
                           "leave it up", "nothing")),
    ), asked_when=(when("content_up", "still_up"),)),
    Question("changes", "multi", "repair", (
        Option("used_first", ("used first", "only products i've used for a while",
                              "only products i use", "use it first")),
        Option("always_label", ("always label", "always labelled", "always label ads",
                                "label", "#ad")),
        Option("no_unbacked_claims", ("no claims", "no unbacked claims",
                                      "no claims i can't back", "claims")),
        Option("share_policy", ("share policy", "publish my sponsorship policy", "policy",
                                "a public policy")),
    ), optional=True),
    Question("buyers", "choice", "repair", (
        Option("refund_help", ("refund", "refund help", "help getting refunds",
                               "help with refunds", "refunds")),
        Option("alternative", ("alternative", "an honest alternative", "honest alternative")),
        Option("both", ("both", "refund help and an alternative")),
        Option("nothing", ("nothing", "none", "no", "nothing yet")),
    )),
    Question("forgiveness", "choice", "repair", (YES, NO)),
    # the name is a part of its own, "Your name", listed last at the review step
    Question("sign_as", "text", SIGNATURE, optional=True, max_length=60),
    Question("own_draft", "text", "check", optional=True, max_length=3500),
))
