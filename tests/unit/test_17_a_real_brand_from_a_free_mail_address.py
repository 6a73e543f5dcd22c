"""Issue 17: a scam flag the creator believes wrong could not be corrected. A message that reads
as a scam only because of who sent it (a free-mail address) can be vouched for: "I know this
is the real brand" reads it as an offer, keeps a warning that says what to verify, and the
reply still asks the brand for proof first. A message that asks the creator to pay, or sends a
wallet link, offers no such button: that is a scam whoever sends it."""

from __future__ import annotations

import io

from bot.console import run_chat
from flows.machine import DECIDED
from tests.unit.conftest import GOOD
from tests.unit.offer_corpus import OFFERS
from tests.unit.test_drafts_from_messages import answered, drafted
from tests.unit.test_fixing_facts import begun, labels, press, shown

FREEMAIL = next(offer.text for offer in OFFERS if offer.name == "scam freemail sephora")
DEPOSIT = next(offer.text for offer in OFFERS if offer.name == "scam shipping fee")
REAL = "I know this is the real brand"


def test_a_free_mail_sender_can_be_vouched_for_and_still_gets_verified() -> None:
    snapshot, replies = begun(FREEMAIL)
    assert "This looks like a scam" in shown(replies[0])
    assert labels(replies[0]) == [f"🏷️ {REAL}"]
    snapshot, replies = press(snapshot, "fix", "vouch")
    facts = shown(replies[0])
    assert "This looks like a scam" not in facts and "Fee: $2,000" in facts
    assert "get the offer in writing from their own domain, and never pay anything" in facts
    assert "✏️ Fix a fact" in labels(replies[0])  # its facts can be corrected now
    assert snapshot.answers["warning_signs"] == "unofficial_contact"  # never silently dropped
    snapshot = answered(snapshot)
    snapshot = press(snapshot, "confirm")[0]
    assert snapshot.step == DECIDED
    draft, summary = drafted(snapshot, "warm")
    assert summary["decision"]["basis"] == "verify"
    assert "- Contract: could you send the offer from your company's official email address" \
        in draft


def test_a_scam_that_asks_the_creator_to_pay_cannot_be_vouched_for() -> None:
    snapshot, replies = begun(DEPOSIT)
    assert "This looks like a scam" in shown(replies[0]) and labels(replies[0]) == []
    assert REAL not in shown(replies[0])
    before = snapshot.answers
    snapshot, replies = press(snapshot, "fix", "vouch")  # a forged press
    assert snapshot.answers == before and snapshot.offer is not None
    assert not snapshot.offer["vouched"]
    assert all(REAL not in labels(reply) for reply in replies)


def test_in_the_terminal_fix_offers_the_same_choice() -> None:
    out = io.StringIO()
    run_chat("creator", [GOOD["signature"], "fix", "1", "quit"], out, offer=FREEMAIL)
    said = out.getvalue()
    assert f'type fix and pick "{REAL}"' in said and f"1. 🏷️ {REAL}" in said
    assert "You said you know this brand" in said
    assert "tap" not in said.lower()
