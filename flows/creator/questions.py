"""The creator review's questions, in the order a person would expect them.

Grouped as DOMAIN.md's method: the offer (what it is, what it asks, what it pays), money pressure
and the signs of a scam, the values gates (creator and community), the four relationships, the
deal's terms, and the name the reply is signed with. An answer that settles a later question
skips it: a gifted offer asks nothing about the fee, a product already used regularly is one
the creator uses unpaid, an ongoing partnership needs no "one post or more?", an untried product
leaves the contract for after the sample, and charity work asks for no ad label.
"""

from __future__ import annotations

from flows.questions import (
    MONEY,
    NO,
    SIGNATURE,
    YES,
    YES_NO_UNSURE,
    Option,
    Question,
    QuestionSet,
    unless,
    when,
)

PAID_ASKS = ("one_post", "few_posts", "ongoing")
UNPAID_ASKS = ("gifted_only", "affiliate_only", "charity")
SCAM_SIGNS = frozenset({"upfront_payment", "payment_link", "guaranteed_returns"})
# the contract is for after the sample: an untried product asks none of these
AFTER_TRYING = (unless("tried", "not_yet"),)

QUESTIONS = QuestionSet((
    # --- how replies are signed: Telegram fills it in with the person's first name, so only the
    # terminal chat asks it (first, so that a reply decided early is signed too)
    Question(SIGNATURE, "text", "signature", max_length=40),
    # --- the offer
    Question("brand", "text", "offer", max_length=80),
    Question("product", "text", "offer", max_length=120),
    Question("category", "choice", "offer", (
        Option("none", ("none", "no", "none of these", "nope", "normal")),
        Option("alcohol", ("alcohol", "beer", "wine", "spirits", "drinks", "vodka", "gin")),
        Option("gambling", ("gambling", "betting", "casino", "bets", "sports betting")),
        Option("financial", ("crypto", "investing", "crypto or investing", "trading",
                             "finance", "stocks", "bitcoin", "nft")),
        Option("health", ("supplements", "health", "supplements or health", "wellness",
                          "vitamins", "health supplements")),
        Option("children", ("children", "kids", "for children", "aimed at children", "toys",
                            "baby")),
    )),
    Question("ask", "choice", "offer", (
        Option("one_post", ("one post", "a post", "single post", "one video", "1 post")),
        Option("few_posts", ("a few posts", "few posts", "several posts", "a series", "3 posts")),
        Option("ongoing", ("ongoing", "partnership", "ambassador", "ambassadorship", "long term",
                           "long-term", "ongoing partnership")),
        Option("gifted_only", ("gifted", "gifted product", "gifted product only", "free product",
                               "gift")),
        Option("affiliate_only", ("affiliate", "affiliate only", "commission", "affiliate link")),
        Option("charity", ("charity", "unpaid charity", "a charity", "cause", "volunteer",
                           "charity work", "nonprofit", "non-profit",
                           "unpaid, for a charity")),
    )),
    Question("deliverables", "choice", "offer", (
        Option("exact", ("exact", "yes", "clear", "listed", "spelled out", "exact list")),
        Option("rush", ("rush", "under 5 days", "less than 5 days", "tight", "a few days",
                        "this week", "exact, but under 5 days to make it")),
        Option("vague", ("vague", "no", "not stated", "open-ended", "open ended", "unclear",
                         "other promotion as requested", "not sure", "unsure")),
    )),
    Question("pay", "money", "offer", (
        Option("product_only", ("product only", "just product", "free product", "free",
                                "nothing",
                                "no money", "unpaid", "0", "none")),
    ), asked_when=(unless("ask", *UNPAID_ASKS),)),
    Question("usual_rate", "money", "offer", optional=True, currency_from="pay",
             asked_when=(unless("ask", "charity"),)),
    Question("money_pressure", "choice", "pressure", (
        Option("none", ("not at all", "no", "none", "not really", "nothing")),
        Option("some", ("somewhat", "some", "a bit", "a little", "it helps")),
        Option("a_lot", ("a lot", "very much", "yes", "i need it", "i really need it",
                         "badly", "rent")),
    ), asked_when=(unless("ask", "charity"),)),
    Question("warning_signs", "multi", "pressure", (
        Option("none", ("none", "no", "none of these", "nothing", "nope", "all fine")),
        Option("upfront_payment", ("upfront payment", "pay first", "deposit", "shipping fee",
                                   "they want me to pay", "fee")),
        Option("payment_link", ("payment link", "wallet", "link", "crypto wallet",
                                 "a wallet or payment link to use")),
        Option("guaranteed_returns", ("guaranteed returns", "guaranteed", "guaranteed earnings",
                                      "returns")),
        Option("unofficial_contact", ("free mail", "gmail", "free-mail", "unofficial",
                                      "not the official domain", "new account")),
        Option("deadline", ("deadline", "short deadline", "rushed", "today", "now", "hurry",
                              "a day or two to say yes")),
    ), gate=SCAM_SIGNS),
    # --- the values gates: creator <-> community
    Question("tried", "choice", "values", (
        Option("regularly", ("regularly", "i use it regularly", "use it regularly", "daily",
                             "every day", "all the time", "i use it", "yes",
                             "i already use it")),
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
    # using it regularly already answers "would you use it if nobody paid you"
    Question("use_unpaid", "choice", "values", YES_NO_UNSURE, gate=frozenset({"no"}),
             asked_when=(unless("tried", "regularly"),)),
    Question("recommend_friend", "choice", "values", YES_NO_UNSURE, gate=frozenset({"no"})),
    Question("community_fit", "choice", "values", (
        YES,
        Option("partly", ("partly", "somewhat", "kind of", "kinda", "mostly", "a bit",
                          "sort of")),
        NO,
    )),
    # --- the creator's own voice
    Question("voice", "choice", "voice", (
        Option("own_words", ("own words", "my own words", "their own words", "my own way", "free",
                             "yes")),
        Option("guided", ("guided", "some guidance", "key messages only", "talking points",
                          "guidelines")),
        Option("scripted", ("scripted", "script", "fully scripted", "no")),
    )),
    # --- the relationships: creator <-> brand, brand <-> new customers, brand <-> its customers
    Question("relationship", "choice", "relationship", (
        Option("lasting", ("lasting", "a lasting relationship", "long term", "long-term",
                           "relationship", "partnership", "ongoing")),
        Option("one_off", ("one off", "one-off", "a one-off paid post", "single post",
                           "one paid post", "just once")),
        Option("unclear", ("unclear", "not sure", "unsure", "don't know", "dont know")),
    ), asked_when=(unless("ask", "ongoing"),)),
    Question("community_value", "choice", "relationship", (
        Option("real", ("real value", "real", "a lot", "discount", "education", "useful")),
        Option("some", ("some", "a little", "a bit")),
        Option("pitch", ("just a sales pitch", "just a pitch", "pitch", "nothing", "sales pitch",
                          "none")),
    )),
    Question("buyers_glad", "choice", "relationship", YES_NO_UNSURE),
    Question("existing_customers", "choice", "relationship", (
        Option("same_brand", ("same brand", "same", "the same brand", "fits", "yes",
                              "they'd like it")),
        Option("stretch", ("a stretch", "stretch", "new direction", "a new direction",
                           "surprised", "they'd be surprised")),
        Option("left_behind", ("left behind", "they'd feel left behind", "alienated",
                               "no", "off", "feels off")),
        Option("unsure", ("unsure", "not sure", "don't know", "dont know")),
    )),
    # --- the terms
    Question("label", "choice", "terms", (
        Option("clear", ("clear", "yes", "clearly", "#ad", "ad", "labelled", "labeled",
                         "yes, clearly labelled #ad")),
        Option("not_discussed", ("not discussed", "not mentioned", "unsure", "not sure",
                                 "don't know")),
        Option("brand_refuses", ("no", "they'd rather not", "brand refuses", "no label",
                                 "they said not to", "hide it", "we'd rather not label it")),
    ), gate=frozenset({"brand_refuses"}), asked_when=(unless("ask", "charity"),)),
    Question("usage_rights", "choice", "terms", (
        Option("organic", ("organic", "organic only", "my channels only", "their channels only",
                           "none", "repost", "reposts")),
        Option("limited_paid", ("limited", "limited paid", "paid ads, limited window",
                                "paid ads for a while", "12 months", "limited window",
                                "paid ads", "their paid ads, limited window")),
        Option("whitelisting", ("whitelisting", "whitelist", "spark ads", "ads from my account",
                                "from my account", "partnership ads",
                                "ads run from my account")),
        Option("perpetual", ("perpetual", "forever", "unlimited", "all media", "in perpetuity")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    ), asked_when=AFTER_TRYING),
    Question("exclusivity", "choice", "terms", (
        Option("none", ("none", "no", "no exclusivity")),
        Option("short_named", ("short", "named competitors", "short and named", "a few weeks")),
        Option("long_vague", ("long", "vague", "industry-wide", "industry wide", "a year")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    ), asked_when=AFTER_TRYING),
    Question("payment_terms", "choice", "terms", (
        Option("net30", ("net 30", "net30", "30 days", "30", "14 days", "upfront", "up front",
                         "on delivery")),
        Option("net60_plus", ("net 45", "net 60", "net 90", "45 days", "60 days", "90 days",
                              "45", "60", "90", "net45", "net60", "net90", "more than 30 days",
                              "later")),
        Option("not_stated", ("not stated", "none", "not mentioned", "unsure", "don't know")),
    ), asked_when=(when("pay", MONEY), *AFTER_TRYING)),
    Question("revisions", "choice", "terms", (
        Option("two_or_fewer", ("two", "two rounds", "one", "one round", "two or fewer", "0",
                                "1", "2", "1 round", "2 rounds", "none")),
        Option("unlimited", ("unlimited", "as many as they want", "endless")),
        Option("not_stated", ("not stated", "not mentioned", "unsure", "don't know")),
    ), numbered=False, asked_when=AFTER_TRYING),  # "2" means two rounds, not the 2nd option
    Question("claims", "choice", "terms", (
        Option("none", ("none", "no", "no claims")),
        Option("can_back", ("can back", "yes, and i can back them", "yes i can back them",
                               "yes, and we can prove them", "backed", "true claims")),
        Option("cannot_back", ("cannot back", "can't back", "yes, and i can't back them",
                                  "yes, without proof", "unproven", "health claims")),
    )),
))
