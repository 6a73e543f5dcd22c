"""The apology says only what happened: one path per thing that went wrong, each with its own
true sentences, the content described as it is, promises as promises, and the creator's name."""

from __future__ import annotations

from itertools import product

import pytest

from flows.apology.check import check_draft
from flows.machine import REVIEW
from tests.unit.test_more_coaches import Chat

Step = str | tuple[str, ...]  # typed text, or options ticked then Done


def apology(went_wrong: tuple[str, ...], *, content: str = "Taken down", next_step: str = "",
            community: tuple[str, ...] = (), recall: str = "skip", changes: tuple[str, ...] = (),
            buyers: str = "Nothing for now", forgiveness: str = "No", name: str = "Maya",
            promoted: str = "FitFuel's vanilla protein powder") -> Chat:
    steps: list[Step] = [promoted, "A few weeks ago", community or "skip", went_wrong]
    if "safety" in went_wrong:
        steps.append(recall)
    steps.append(content)
    if next_step:
        steps.append(next_step)
    steps += [changes or "skip", buyers, forgiveness, name, "skip"]
    chat = Chat("apology").do("begin")
    for step in steps:
        if isinstance(step, tuple):
            for option in step:
                chat.do("pick", option)
            chat.say("done")
        else:
            chat.say(step)
    assert chat.step == REVIEW, chat.step
    return chat.do("confirm")


def drafts(chat: Chat) -> dict[tuple[str, str], str]:
    """Every tone of the post and the email, as the creator copies them."""
    found = {}
    for tone, kind in product(("warm", "professional", "brief"), ("post", "email")):
        text = chat.do("tone", tone).do("draft", kind).text("apology/draft.j2")
        found[tone, kind] = text.split("\n", 1)[1].rsplit("\n", 1)[0]  # the copyable block
    return found


PATHS = {
    "disappointed": "I recommended FitFuel's vanilla protein powder, and it didn't live up to "
                    "what I told you.",
    "untried": "I recommended FitFuel's vanilla protein powder without having really used it.",
    "disliked": "I promoted FitFuel's vanilla protein powder even though I had tried it and "
                "didn't like it.",
    "unlabelled": "I was paid to promote FitFuel's vanilla protein powder, and I didn't tell "
                  "you clearly.",
    "claims": "I told you things about FitFuel's vanilla protein powder that I couldn't back up.",
    "safety": "I recommended FitFuel's vanilla protein powder, and it has a safety problem.",
    "money": "I promoted FitFuel's vanilla protein powder mainly for the money.",
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_path_owns_what_happened_and_nothing_else(path: str) -> None:
    texts = drafts(apology((path,)))
    for text in texts.values():
        assert PATHS[path] in text
        for other, sentence in PATHS.items():
            if other != path:
                assert sentence not in text
        assert "should have found that out before you did" not in text
        assert "something I didn't believe in" not in text


def test_an_undisclosed_ad_is_owned_as_the_hidden_payment_not_as_a_bad_product() -> None:
    for text in drafts(apology(("unlabelled",))).values():
        assert "I was paid" in text
        assert "didn't live up" not in text and "shouldn't have promoted" not in text


def test_a_recall_leads_with_stop_using_it_now_and_where_the_notice_is() -> None:
    chat = apology(("safety", "untried"), recall="https://recalls.example/dreamnest",
                   promoted="the DreamNest sleep pod", content="Still up",
                   next_step="I'll take it down")
    for (tone, kind), text in drafts(chat).items():
        body = text.split("\n\n", 2)[2] if kind == "email" else text
        assert body.startswith("If you have the DreamNest sleep pod, please stop using it now. "
                               "The official recall or refund notice: "
                               "https://recalls.example/dreamnest"), (tone, kind, text)
    plan = apology(("safety",), promoted="the DreamNest sleep pod").text("apology/checklist.j2")
    assert "Fill in where the official recall or refund notice is" in plan


@pytest.mark.parametrize(("content", "next_step", "said", "never"), [
    ("Taken down", "", "I've taken the sponsored content down.", ("still up",)),
    ("Still up, now marked as an ad", "", "It's still up, now clearly marked as an ad.",
     ("taken", "take it down")),
    ("Still up", "I'll take it down", "It's still up, and I'm going to take it down.",
     ("I've taken", "marked")),
    ("Still up", "I'll mark it clearly as an ad",
     "It's still up, and I'm going to mark it clearly as an ad.", ("I've taken", "take it down")),
    ("Still up", "It stays up as it is", "I'm leaving it up, so you can see exactly what I said.",
     ("taken", "take it down", "marked")),
])
def test_the_content_is_described_as_it_is_and_what_will_happen_as_a_promise(
        content: str, next_step: str, said: str, never: tuple[str, ...]) -> None:
    for text in drafts(apology(("untried",), content=content, next_step=next_step)).values():
        assert said in text
        for words in never:
            assert words not in text
        assert "video" not in text.casefold()  # the content may be a post, a reel, a stream


def test_nothing_is_claimed_as_done_that_the_creator_did_not_say() -> None:
    for text in drafts(apology(("untried",), community=("misled",))).values():
        for claim in ("I'm replying to everyone", "I've left your comments", "check back",
                      "I've read"):
            assert claim not in text


def test_what_the_community_said_is_answered_in_the_creators_words() -> None:
    said = ("misled", "hidden_ad", "didnt_work", "not_me", "harmed", "unfollowed")
    texts = drafts(apology(("unlabelled",), community=said))
    for tone in ("warm", "professional"):
        for sentence in ("You told me you felt misled.", "You asked why it wasn't clear that "
                         "it was an ad.", "You told me it didn't work for you.",
                         "You told me it didn't sound like me.",
                         "You told me about the problems it caused you.",
                         "Some of you unfollowed, and I understand why."):
            assert sentence in texts[tone, "post"] and sentence in texts[tone, "email"]
    assert "You told me" not in drafts(apology(("unlabelled",)))["warm", "post"]


def test_the_elements_come_in_the_order_that_matters_and_forgiveness_last_only_if_asked() -> None:
    chat = apology(("untried", "money"), content="Taken down", buyers="Help getting refunds",
                   changes=("always_label",), forgiveness="Yes", community=("misled",))
    for (tone, kind), whole in drafts(chat).items():
        text = whole.split("\n\n", 2)[2] if kind == "email" else whole  # after the subject
        order = [text.index(PATHS["untried"]),
                 text.index("I've taken the sponsored content down"),
                 text.index("I'm sorry" if tone == "brief" else
                            "I apologise" if tone == "professional" else "I'm truly sorry"),
                 text.index("mainly for the money"),
                 text.index("I'll label every sponsorship"),
                 text.index("earn")]
        assert order == sorted(order), (tone, kind)
    for text in drafts(apology(("untried",))).values():
        assert "forgive" not in text and "earn" not in text and "chance" not in text


def test_the_three_tones_read_differently_and_brief_is_brief() -> None:
    texts = drafts(apology(("untried", "money"), changes=("always_label",), community=("misled",),
                           buyers="Help getting refunds"))
    for kind in ("post", "email"):
        warm, professional, brief = (texts[tone, kind] for tone in
                                     ("warm", "professional", "brief"))
        assert len({warm, professional, brief}) == 3
        assert len(brief) < 0.75 * min(len(warm), len(professional))
        assert "Thank you for telling me." in warm and "Thank you" not in professional
    assert texts["professional", "email"].startswith("Subject: I got it wrong, and I'm sorry\n\n"
                                                     "Dear subscribers,")
    assert "Hi all," in texts["brief", "email"]


def test_both_drafts_are_signed_with_the_name_or_a_marked_blank() -> None:
    for (_, kind), text in drafts(apology(("untried",), name="Maya Lopez")).items():
        assert text.rstrip().endswith("— Maya Lopez" if kind == "post" else "\nMaya Lopez")
    chat = apology(("untried",), name="skip")
    for text in drafts(chat).values():
        assert text.rstrip().endswith("[your name]")
    assert "Put your name where the drafts say [your name]" in apology(
        ("untried",), name="skip").text("apology/checklist.j2")


@pytest.mark.parametrize("went_wrong", [
    ("disappointed",), ("untried", "money"), ("disliked", "unlabelled"), ("claims", "safety"),
    ("money", "untried", "disappointed", "unlabelled", "claims", "disliked", "safety")])
def test_every_draft_passes_the_coachs_own_check(went_wrong: tuple[str, ...]) -> None:
    chat = apology(went_wrong, content="Still up", next_step="I'll take it down",
                   community=("misled", "harmed"), changes=("used_first", "always_label"),
                   buyers="Both", forgiveness="Yes")
    for key, text in drafts(chat).items():
        check = check_draft(text)
        assert check.deflections == [], (key, check.deflections)
        assert {"responsibility", "repair", "regret"} <= set(check.present), (key, check)


def test_the_longest_apology_fits_one_telegram_message_in_every_tone() -> None:
    everything = ("money", "untried", "disappointed", "unlabelled", "claims", "disliked",
                  "safety")
    chat = apology(everything, content="Still up", next_step="I'll take it down",
                   community=("misled", "hidden_ad", "didnt_work", "not_me", "harmed",
                              "unfollowed"),
                   changes=("used_first", "always_label", "no_unbacked_claims", "share_policy"),
                   buyers="Both", forgiveness="Yes", recall="𝐑" * 300, name="𝐍" * 60,
                   promoted="𝐏" * 160)
    drafts(chat)  # Chat.do checks every message against Telegram's limit


def test_the_contract_is_mentioned_once_where_taking_the_content_down_is_decided() -> None:
    """Issue 15: "check your contract" came on two questions in a row."""
    chat = Chat("apology").do("begin").say("FitFuel's protein powder", "A few weeks ago", "skip")
    chat.do("pick", "untried")
    chat.say("done")
    assert chat.step == "ask_content_up"
    assert "contract" not in chat.text("common/ask.j2")
    chat.say("Still up")
    assert chat.step == "ask_content_next"
    assert "Check your contract first" in chat.text("common/ask.j2")
