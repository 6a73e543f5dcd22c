"""The README's apology, pitch check and forwarded offer are what the bot writes today, word
for word."""

from __future__ import annotations

from pathlib import Path

from flows.creator.flow import SPEC
from flows.machine import question_of
from flows.replies import Actor, Event
from prompts import html_to_text, render
from tests.unit.conftest import GOOD
from tests.unit.test_apology_paths import apology, drafts
from tests.unit.test_more_coaches import proposal

README = Path(__file__).resolve().parents[2] / "README.md"
PITCH = ("Hi Maya! We love your weeknight recipe videos. We'd like to offer $1,500 for two "
         "Instagram reels by May 15, with usage rights in perpetuity. Please use the following "
         "caption: \"Fuel that burns fat while you sleep.\" Payment net 60. Let us know!")


def examples() -> list[str]:
    """The apology (checklist, warm post, brief email) and the pitch check with its rewrite."""
    chat = apology(("disliked", "money"), content="Taken down", community=("not_me", "unfollowed"),
                   changes=("used_first", "always_label"), buyers="Help getting refunds",
                   forgiveness="Yes", name="Maya")
    checklist = chat.text("apology/checklist.j2")
    texts = drafts(chat)
    check = proposal(PITCH, brand="FitFuel", product="Vanilla protein powder",
                     creator_used="Not sure", product_first="no", ask="A few posts",
                     community_value="Just a sales pitch", voice="Fully scripted", pay="$1,500",
                     payment_terms="More than 30 days", label="Not mentioned",
                     usage_rights="Perpetual / unlimited", exclusivity="Not stated",
                     revisions="Two rounds or fewer", claims="Yes, without proof")
    return [checklist, texts["warm", "post"], texts["brief", "email"],
            check.text("proposal/pitch_check.j2"), check.text("proposal/draft.j2")]


def test_the_readme_shows_an_apology_and_a_pitch_check_as_the_bot_writes_them() -> None:
    readme = README.read_text(encoding="utf-8")
    for text in examples():
        assert f"```\n{text.strip()}\n```" in readme, text


OFFER = """Subject: Northwind x Maya

Hi Maya,

I'm Sam from Northwind. We'd like you to be an ambassador for our trail running shoes: $2,500
per month for 2 TikTok videos a month.

Terms:
- Usage: paid social ads for 3 months
- Exclusivity: no other running shoe brands for 6 months
- Payment: net 60
- Unlimited revisions

Best,
Sam"""


def forwarded() -> list[str]:
    """The README's forwarded offer: the facts and clause review, and the draft once the rest
    is answered as ``GOOD`` does (her rate $1,200), as Telegram shows them."""
    begun = SPEC.advance(None, Event(verb="begin", arg=OFFER, actor=Actor(user_id=1, name="Maya")))
    snapshot, read = begun.snapshot, begun.replies[0]
    while (question := question_of(snapshot.step)) is not None:
        snapshot = SPEC.advance(snapshot, Event(verb="answer", arg=GOOD[question])).snapshot
    draft = SPEC.advance(snapshot, Event(verb="confirm")).replies[-1]
    return [html_to_text(render(reply.template, reply.context)) for reply in (read, draft)]


def test_the_readme_shows_a_forwarded_offer_as_the_bot_answers_it() -> None:
    readme = README.read_text(encoding="utf-8")
    assert f"```\n{OFFER}\n```" in readme
    for text in forwarded():
        assert f"```\n{text.strip()}\n```" in readme, text
