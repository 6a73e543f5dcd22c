"""The Telegram layer offline: real Updates into the real Application, the Bot API in process."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.store import ConversationKey
from bot.telegram.callbacks import BadCallback, FlowPress, decode, encode_flow, encode_menu
from bot.telegram.delivery import Delivery
from flows.registry import FLOWS
from flows.replies import Event
from tests.support.offline import A_GOOD_DEAL, OfflineRequest, Sent

from .conftest import OfflineBot, running_offline

MAYA, LEO = 501, 502


def buttons(call: Sent) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup")
    if markup is None:
        return []
    rows = (json.loads(markup) if isinstance(markup, str) else markup).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def button_data(offline: OfflineBot, chat_id: int, text: str) -> str:
    """The callback data of the newest button labelled ``text`` in ``chat_id``."""
    for call in reversed(offline.request.calls):
        if int(call.params.get("chat_id", 0)) != chat_id:
            continue
        for button in buttons(call):
            if button["text"] == text:
                return str(button["callback_data"])
    raise LookupError(text)


def sent(offline: OfflineBot, chat_id: int) -> list[str]:
    """The texts of the messages the bot sent to ``chat_id`` (edits aside), oldest first."""
    return [str(c.params["text"]) for c in offline.request.calls
            if c.method == "sendMessage" and int(c.params.get("chat_id", 0)) == chat_id]


async def step_of(offline: OfflineBot, user: int) -> str | None:
    snapshot = await offline.store.load(ConversationKey.private(user, user))
    return None if snapshot is None else snapshot.step




async def test_every_button_of_a_whole_review_is_short_versioned_and_parses(
        offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await offline.feed(offline.updates.text(MAYA, text))
    assert await step_of(offline, MAYA) == "review"
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "✅ See my recommendation")))
    assert await step_of(offline, MAYA) == "decided"
    datas = [b["callback_data"] for call in offline.request.calls for b in buttons(call)]
    assert len(datas) > 100
    for data in datas:
        assert 1 <= len(data.encode()) <= 64
        decode(data)


@pytest.mark.parametrize("data", [
    "", "x" * 65, "v2|c|1|a|yes", "v1|c|1|a|YES", "v1|c|zz|a|yes", "v1|q|1|a|yes", "v1|c|1|?|",
    "v1|_|0|drop_tables|", "v1|c|1|a|yes|extra", "v1|c|1|a|<b>", "v1|c|1|a|" + "a" * 41,
    "v1|c|1|a|yes\n", "v1|_|0|open|7\n",
])
def test_callback_data_we_did_not_write_is_rejected(data: str) -> None:
    with pytest.raises(BadCallback):
        decode(data)


@pytest.mark.parametrize("arg", ["yes\n", "Yes", "a" * 41, "<b>"])
def test_a_button_argument_we_would_not_read_back_is_never_written(arg: str) -> None:
    with pytest.raises(ValueError):
        encode_flow("creator", 1, Event(verb="answer", arg=arg))
    with pytest.raises(ValueError):
        encode_menu("open", arg)


def test_callback_data_round_trips() -> None:
    data = encode_flow("creator", 0x1F, Event(verb="answer", arg="few_posts"))
    assert decode(data) == FlowPress(flow="creator", version=0x1F,
                                     event=Event(verb="answer", arg="few_posts"))


async def test_a_failure_mid_step_apologises_and_shows_the_question_again(
        offline: OfflineBot, monkeypatch: pytest.MonkeyPatch) -> None:
    await offline.feed(offline.updates.text(MAYA, "/review"))
    await offline.feed(offline.updates.text(MAYA, "Acme"))
    spec = type(FLOWS["creator"])  # the creator review's own class (it reads offers)
    real = spec.advance

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(spec, "advance", broken)
    await offline.feed(offline.updates.text(MAYA, "Protein"))
    monkeypatch.setattr(spec, "advance", real)
    texts = sent(offline, MAYA)
    assert "Sorry, something went wrong on my side" in texts[-2]
    assert "Question 2 of" in texts[-1] and "promoting for Acme" in texts[-1]
    assert await step_of(offline, MAYA) == "ask_product"
    await offline.feed(offline.updates.text(MAYA, "Protein"))
    assert "Question 3 of" in sent(offline, MAYA)[-1]


async def test_a_redelivered_update_is_not_applied_twice(offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/review"))
    brand = offline.updates.text(MAYA, "Acme")
    await offline.feed(brand)
    await offline.feed(brand)  # Telegram (or the journal) delivers it again after a crash
    assert await step_of(offline, MAYA) == "ask_product"
    snapshot = await offline.store.load(ConversationKey.private(MAYA, MAYA))
    assert snapshot is not None and "product" not in snapshot.answers


async def test_a_press_redelivered_after_a_crash_before_its_reply_shows_its_answered_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: saved, then the bot died before the question became its answered line; given
    again at the next start, the press shows the step as it would have: the answer above the
    next question, in the message pressed."""
    async with running_offline(tmp_path) as offline:
        for text in ("/review", "Acme", "Serum"):
            await offline.feed(offline.updates.text(MAYA, text))
        press = offline.updates.press(MAYA, button_data(offline, MAYA, "None of these"),
                                      message_id=1)

        async def died(*args: Any, **kwargs: Any) -> int | None:
            return None  # saved, nothing shown: the process ended here

        with monkeypatch.context() as patched:
            patched.setattr(Delivery, "deliver", died)
            await offline.feed(press)
        assert await step_of(offline, MAYA) == "ask_ask"
    async with running_offline(tmp_path) as again:  # the journal gives it again
        await again.feed(Update.de_json(press.to_dict(), again.application.bot))
        assert await step_of(again, MAYA) == "ask_ask"
        edits = [str(c.params["text"]) for c in again.request.calls
                 if c.method == "editMessageText" and int(c.params["message_id"]) == 1]
    assert edits and "None of these</b> ✓" in edits[-1] and "Question 4 of" in edits[-1], edits


async def test_a_button_from_someone_elses_chat_is_refused(offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/review"))
    await offline.feed(offline.updates.text(MAYA, "Acme"))
    await offline.feed(offline.updates.text(MAYA, "Serum"))
    data = button_data(offline, MAYA, "None of these")
    # Leo's client forges a press on a message of Maya's chat
    await offline.feed(offline.updates.press(LEO, data, chat_id=MAYA))
    assert await step_of(offline, MAYA) == "ask_category"
    answers = [c for c in offline.request.calls if c.method == "answerCallbackQuery"]
    assert "isn't for you" in str(answers[-1].params.get("text"))


async def test_a_slow_chat_does_not_hold_up_another(offline: OfflineBot) -> None:
    """Leo's reply goes out while Telegram is still answering a send to Maya."""
    release = asyncio.Event()
    holding = asyncio.Event()
    original = OfflineRequest.do_request

    async def slow_for_maya(self: OfflineRequest, url: str, method: str,
                            request_data: Any = None, **kwargs: Any) -> tuple[int, bytes]:
        if request_data is not None and request_data.parameters.get("chat_id") == MAYA:
            holding.set()
            await release.wait()
        return await original(self, url, method, request_data, **kwargs)

    offline.request.do_request = slow_for_maya.__get__(offline.request)  # type: ignore[method-assign]
    maya = asyncio.create_task(offline.feed(offline.updates.text(MAYA, "/review")))
    await asyncio.wait_for(holding.wait(), timeout=5)
    await asyncio.wait_for(offline.feed(offline.updates.text(LEO, "/review")), timeout=5)
    assert any("Question 1 of" in text for text in offline.texts(LEO))
    assert not maya.done()
    release.set()
    await asyncio.wait_for(maya, timeout=5)


async def test_one_chats_updates_apply_in_order_even_when_they_arrive_together(
        offline: OfflineBot) -> None:
    await offline.feed(offline.updates.text(MAYA, "/review"))
    burst = [offline.updates.text(MAYA, text) for text in ("Acme", "Serum", "none")]
    await asyncio.gather(*(offline.feed(update) for update in burst))
    snapshot = await offline.store.load(ConversationKey.private(MAYA, MAYA))
    assert snapshot is not None
    assert snapshot.answers == {"signature": f"User{MAYA}",  # her first name on Telegram
                                "brand": "Acme", "product": "Serum", "category": "none"}
    assert snapshot.step == "ask_ask"


async def test_forget_deletes_only_the_asking_users_data(offline: OfflineBot) -> None:
    for user in (MAYA, LEO):
        await offline.feed(offline.updates.text(user, "/review"))
        await offline.feed(offline.updates.text(user, f"Brand of {user}"))
    await offline.feed(offline.updates.text(MAYA, "/forget"))
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "🗑 Yes, delete everything")))
    assert await step_of(offline, MAYA) is None
    assert await step_of(offline, LEO) == "ask_product"
    assert "everything I kept about you is deleted" in offline.texts(MAYA)[-1]


def test_every_flow_and_every_verb_has_a_callback_code() -> None:
    from typing import get_args

    from bot.telegram.callbacks import VERB_CODES
    from flows.registry import FLOWS
    from flows.replies import Verb

    assert {flow.name for flow in FLOWS.by_code.values()} == set(FLOWS)  # one code each
    assert set(VERB_CODES) == set(get_args(Verb))
    assert len(set(VERB_CODES.values())) == len(VERB_CODES)


@pytest.mark.parametrize("refusal", [
    (400, b'{"ok": false, "description": "Bad Request: message to edit not found"}'),
    (502, b'{"ok": false, "description": "Bad Gateway"}'),
], ids=["deleted", "telegram-unreachable"])
async def test_an_answered_question_that_cannot_be_edited_is_sent_after_the_next_one(
        offline: OfflineBot, monkeypatch: pytest.MonkeyPatch, refusal: tuple[int, bytes]
        ) -> None:
    """The rewrite of an answered question runs alongside the next question's send; when the
    old message cannot be edited (deleted, too old, Telegram failing), the answer still shows,
    after it, and the next question is not shown twice."""
    await offline.feed(offline.updates.text(MAYA, "/review"))
    real = OfflineRequest.do_request

    async def no_edits(self: OfflineRequest, url: str, method: str, *args: Any,
                       **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/editMessageText"):
            return refusal
        return await real(self, url, method, *args, **kwargs)

    monkeypatch.setattr(OfflineRequest, "do_request", no_edits)
    before = len(sent(offline, MAYA))
    await offline.feed(offline.updates.text(MAYA, "Acme"))
    new = sent(offline, MAYA)[before:]
    assert len(new) == 2 and "Question 2 of" in new[0]
    assert "Acme" in new[1] and "Question" not in new[1]
    assert "reply_markup" not in offline.request.calls[-1].params
    assert await step_of(offline, MAYA) == "ask_product"
    monkeypatch.setattr(OfflineRequest, "do_request", real)
    await offline.feed(offline.updates.text(MAYA, "Serum"))  # the question message is edited
    last_two = {c.method: str(c.params["text"]) for c in offline.request.calls[-2:]}
    assert "Serum" in last_two["editMessageText"]
    assert "Question 3 of" in last_two["sendMessage"]


async def test_the_review_message_becomes_the_decision_and_the_draft_follows(
        offline: OfflineBot) -> None:
    """Pressing "See my recommendation" rewrites the review's message into the decision card
    (the review's buttons would only be stale: the card keeps its own Details toggle), while the
    draft arrives as a new message below."""
    await offline.feed(offline.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await offline.feed(offline.updates.text(MAYA, text))
    review_message = 4242
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "✅ See my recommendation"), review_message))
    edits = [c for c in offline.request.calls if c.method == "editMessageText"
             and int(c.params["message_id"]) == review_message]
    assert len(edits) == 1 and "My recommendation: accept" in str(edits[0].params["text"])
    assert [b["text"] for b in buttons(edits[0])] == ["🔎 Details"]
    draft = next(c for c in reversed(offline.request.calls) if c.method == "sendMessage")
    assert "Your reply: accept" in str(draft.params["text"])
    assert any(b["text"] == "📄 Download as Markdown" for b in buttons(draft))


async def test_a_decision_is_kept_once_and_a_new_review_of_the_same_offer_is_kept_again(
        offline: OfflineBot) -> None:
    async def decide() -> None:
        await offline.feed(offline.updates.press(
            MAYA, button_data(offline, MAYA, "✅ See my recommendation")))

    await offline.feed(offline.updates.text(MAYA, "/review"))
    for text in A_GOOD_DEAL:
        await offline.feed(offline.updates.text(MAYA, text))
    await decide()
    assert len(await offline.store.history(MAYA)) == 1
    # "change my answers", then the same answers confirmed again: the same decision
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "✏️ Change my answers")))
    await decide()
    assert len(await offline.store.history(MAYA)) == 1
    # a new review of the same offer is a decision of its own
    await offline.feed(offline.updates.press(
        MAYA, button_data(offline, MAYA, "🆕 Review another offer")))
    for text in A_GOOD_DEAL:
        await offline.feed(offline.updates.text(MAYA, text))
    await decide()
    assert await step_of(offline, MAYA) == "decided"
    assert len(await offline.store.history(MAYA)) == 2
