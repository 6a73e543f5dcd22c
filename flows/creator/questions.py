"""The creator review's questions, in the order a person would expect them.

Grouped as DOMAIN.md's relationships: the offer, money pressure, the values gates (creator and
community), the creator's voice, the relationship with the brand, and the deal's terms.
"""

from __future__ import annotations

from flows.questions import (
    MONEY,
    NO,
    YES,
    YES_NO_UNSURE,
    Option,
    Question,
    QuestionSet,
    unless,
    when,
)

PAID_ASKS = ("one_post", "few_posts", "ongoing")

QUESTIONS = QuestionSet((
    # --- the offer
    Question("brand", "text", "offer", max_length=80),
    Question("product", "text", "offer", max_length=120),
    Question("ask", "choice", "offer", (
        Option("one_post", ("one post", "a post", "single post", "one video", "1 post")),
        Option("few_posts", ("a few posts", "few posts", "several posts", "a series", "3 posts")),
        Option("ongoing", ("ongoing", "partnership", "ambassador", "ambassadorship", "long term",
                           "long-term", "ongoing partnership")),
        Option("gifted_only", ("gifted", "gifted product", "gifted product only", "free product",
                               "gift")),
        Option("affiliate_only", ("affiliate", "affiliate only", "commission", "affiliate link")),
    )),
    Question("pay", "money", "offer", (
        Option("product_only", ("product only", "just product", "free product", "free",
                                "nothing",
                                "no money", "unpaid", "0", "none")),
    ), asked_when=(unless("ask", "gifted_only", "affiliate_only"),)),
    Question("usual_rate", "money", "offer", optional=True, currency_from="pay",
             asked_when=(when("pay", MONEY),)),
    Question("money_pressure", "choice", "pressure", (
        Option("none", ("not at all", "no", "none", "not really", "nothing")),
        Option("some", ("somewhat", "some", "a bit", "a little", "it helps")),
        Option("a_lot", ("a lot", "very much", "yes", "i need it", "i really need it",
                         "badly", "rent")),
    )),
    # --- the values gates: creator <-> community
    Question("tried", "choice", "values", (
        Option("regularly", ("regularly", "i use it regularly", "use it regularly", "daily",
                             "every day", "all the time", "i use it", "yes")),
        Option("once", ("once", "tried it once", "a few times", "once or twice", "only once",
                        "just once", "yes, once", "yes once", "yes but only once")),
        Option("not_yet", ("not yet", "no", "nope", "never", "haven't", "have not",
                           "not tried", "i haven't", "i haven't tried it", "no i haven't")),
        Option("disliked", ("disliked", "didn't like it", "did not like it", "hated it",
                            "tried it and disliked it", "tried it, didn't like it", "bad",
                            "gross")),
    ), gate=frozenset({"disliked"})),
    Question("can_try_first", "choice", "values", YES_NO_UNSURE,
             asked_when=(when("tried", "not_yet"),)),
    Question("use_unpaid", "choice", "values", YES_NO_UNSURE, gate=frozenset({"no"})),
    Question("ingredients_ok", "choice", "values", YES_NO_UNSURE),
    Question("recommend_friend", "choice", "values", YES_NO_UNSURE, gate=frozenset({"no"})),
    Question("community_fit", "choice", "values", (
        YES,
        Option("partly", ("partly", "somewhat", "kind of", "kinda", "mostly", "a bit",
                          "sort of")),
        NO,
    )),
    Question("proud", "choice", "values", YES_NO_UNSURE),
    # --- the creator's own voice
    Question("voice", "choice", "voice", (
        Option("own_words", ("own words", "my own words", "their own words", "my own way", "free",
                             "yes")),
        Option("guided", ("guided", "some guidance", "key messages only", "talking points",
                          "guidelines")),
        Option("scripted", ("scripted", "script", "fully scripted", "no")),
    )),
    # --- the relationship: creator <-> brand, brand <-> customers
    Question("relationship", "choice", "relationship", (
        Option("lasting", ("lasting", "a lasting relationship", "long term", "long-term",
                           "relationship", "partnership", "ongoing")),
        Option("one_off", ("one off", "one-off", "a one-off paid post", "single post",
                           "one paid post", "just once")),
        Option("unclear", ("unclear", "not sure", "unsure", "don't know", "dont know")),
    )),
    Question("shared_goals", "choice", "relationship", (
        YES, Option("partly", ("partly", "somewhat", "kind of", "kinda", "mostly")), NO,
    )),
    Question("community_value", "choice", "relationship", (
        Option("real", ("real value", "real", "a lot", "discount", "education", "useful")),
        Option("some", ("some", "a little", "a bit")),
        Option("pitch", ("just a sales pitch", "just a pitch", "pitch", "nothing", "sales pitch",
                          "none")),
    )),
    Question("existing_followers", "choice", "relationship", (
        Option("same_me", ("same me", "same", "the same me", "it's me", "fits")),
        Option("natural_step", ("natural step", "a natural new step", "a new direction",
                                "new direction", "natural next step")),
        Option("feels_off", ("feels off", "it would feel off", "off", "they'd be surprised",
                             "sell out", "sellout")),
    )),
    Question("buyers_glad", "choice", "relationship", YES_NO_UNSURE),
    # --- the terms
    Question("label", "choice", "terms", (
        Option("clear", ("clear", "yes", "clearly", "#ad", "ad", "labelled", "labeled",
                         "yes, clearly labelled #ad")),
        Option("not_discussed", ("not discussed", "not mentioned", "unsure", "not sure",
                                 "don't know")),
        Option("brand_refuses", ("no", "they'd rather not", "brand refuses", "no label",
                                 "they said not to", "hide it", "we'd rather not label it")),
    ), gate=frozenset({"brand_refuses"})),
    Question("exclusivity", "choice", "terms", (
        Option("none", ("none", "no", "no exclusivity")),
        Option("short_named", ("short", "named competitors", "short and named", "a few weeks")),
        Option("long_vague", ("long", "vague", "industry-wide", "industry wide", "a year")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    )),
    Question("usage_rights", "choice", "terms", (
        Option("organic", ("organic", "organic only", "my channels only", "their channels only",
                           "none")),
        Option("limited_paid", ("limited", "limited paid", "paid ads, limited window",
                                "paid ads for a while", "12 months", "limited window")),
        Option("perpetual", ("perpetual", "forever", "unlimited", "all media", "in perpetuity")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    )),
    Question("payment_terms", "choice", "terms", (
        Option("net30", ("net 30", "net30", "30 days", "30", "14 days", "upfront", "up front",
                         "on delivery")),
        Option("net60_plus", ("net 60", "net 90", "60 days", "90 days", "60", "90", "net60",
                              "net90", "later")),
        Option("not_stated", ("not stated", "none", "not mentioned", "unsure", "don't know")),
    ), asked_when=(when("pay", MONEY),)),
    Question("revisions", "choice", "terms", (
        Option("two_or_fewer", ("two", "two rounds", "one", "one round", "two or fewer", "0",
                                "1", "2", "1 round", "2 rounds", "none")),
        Option("unlimited", ("unlimited", "as many as they want", "endless")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    ), numbered=False),  # "2" means two rounds here, not the second option
    Question("claims", "choice", "terms", (
        Option("none", ("none", "no", "no claims")),
        Option("can_back", ("can back", "yes, and i can back them", "yes i can back them",
                               "yes, and we can prove them", "backed", "true claims")),
        Option("cannot_back", ("cannot back", "can't back", "yes, and i can't back them",
                                  "yes, without proof", "unproven", "health claims")),
    )),
))
