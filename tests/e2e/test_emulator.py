"""Tests of the Bot API emulator, driven by python-telegram-bot's own ``telegram.Bot``.

If PTB accepts the emulator's answers here, a real bot process will accept them too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.support.emulator import BotApiEmulator, parse_html
from tests.support.users import TelegramUser, visible_text

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


@pytest.fixture
async def ana(emu: BotApiEmulator) -> TelegramUser:
    user = TelegramUser(emu, 1001, "Ana", username="ana_creates")
    await user.send("/start")
    return user


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def test_get_me(bot: Bot, emu: BotApiEmulator) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "halo_test_bot", True)
    assert emu.calls[0].method == "getMe"


async def test_method_names_case_insensitive_unknown_404_and_json_body(
    emu: BotApiEmulator, ana: TelegramUser
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.base_url}{emu.token}/GETME") as resp:
            assert resp.status == 200 and (await resp.json())["result"]["id"] == 123456
        async with http.post(f"{emu.base_url}{emu.token}/sendPoll") as resp:
            assert resp.status == 404
            assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        body = {"chat_id": ana.id, "text": "hi", "reply_markup": {"inline_keyboard": [
            [{"text": "Go", "callback_data": "go"}]]}}
        async with http.post(f"{emu.base_url}{emu.token}/sendMessage", json=body) as resp:
            result = (await resp.json())["result"]
            assert result["reply_markup"]["inline_keyboard"][0][0]["text"] == "Go"


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("654321:WRONG-token-abcdefghijklmnopqrstu", base_url=emu.base_url):
            pass


async def test_send_message_html(bot: Bot, emu: BotApiEmulator, ana: TelegramUser) -> None:
    sent = await bot.send_message(ana.id, "  <b>Hi</b> &amp; <a href='https://x.io'>welcome</a> ",
                                  parse_mode="HTML")
    assert sent.text == "Hi & welcome"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 2), ("text_link", 5, 7)]
    shown = ana.last()
    assert shown is not None and shown.source_text.startswith("  <b>Hi</b>")
    assert visible_text(shown) == "Hi & welcome" and shown.parse_mode == "HTML"
    call = emu.calls_to("sendMessage")[-1]
    assert call.params["chat_id"] == str(ana.id)  # PTB posts form fields, JSON-encoded
    assert visible_text("<i>a</i> &lt;b&gt;") == "a <b>"


@pytest.mark.parametrize("text", ["<b>x", "<foo>x</foo>", "a < b", "a & b", "<b>x</i>",
                                  "x</b>", "1 > 0", "<span>x</span>", "<br/>"])
async def test_bad_html_rejected(bot: Bot, ana: TelegramUser, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(ana.id, text, parse_mode="HTML")


def test_html_parser_details() -> None:
    text, ents = parse_html('<pre><code class="language-py">x = 1</code></pre>'
                            "<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>")
    assert text == "x = 1qs"
    assert [(e["type"], e.get("language")) for e in ents] == [
        ("pre", "py"), ("expandable_blockquote", None), ("spoiler", None)]
    assert parse_html("😀<b>x</b>")[1][0]["offset"] == 2  # UTF-16 offsets
    assert parse_html("a &amp b &#60; &#x3e;")[0] == "a & b < >"


async def test_length_limits(bot: Bot, ana: TelegramUser) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ana.id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ana.id, "😀" * 2049)  # 4098 UTF-16 units
    ok = await bot.send_message(ana.id, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(ok.text) == 4096
    for empty in ("   ", "<b></b>"):
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(ana.id, empty, parse_mode="HTML")


async def test_callback_data_limit(bot: Bot, ana: TelegramUser) -> None:
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(ana.id, "pick", reply_markup=keyboard(("A", data)))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(ana.id, "pick", reply_markup=keyboard(("A", "")))
    sent = await bot.send_message(ana.id, "pick", reply_markup=keyboard(("A", "x" * 64)))
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "x" * 64


async def test_edits(bot: Bot, ana: TelegramUser) -> None:
    sent = await bot.send_message(ana.id, "<b>v1</b>", parse_mode="HTML",
                                  reply_markup=keyboard(("A", "a")))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<b>v1</b>", ana.id, sent.message_id, parse_mode="HTML",
                                    reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text("v2", ana.id, sent.message_id)
    assert edited.text == "v2" and edited.edit_date is not None
    live = ana.last()
    assert live is not None and live.edit_count == 1 and live.keyboard == []  # no markup: removed
    await bot.edit_message_reply_markup(ana.id, sent.message_id, reply_markup=keyboard(("B", "b")))
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ana.id, sent.message_id,
                                            reply_markup=keyboard(("B", "b")))
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", ana.id, 999)
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", ana.id, ana.sent[0].message_id)
    assert await bot.delete_message(ana.id, sent.message_id)
    assert ana.messages == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(ana.id, sent.message_id)


async def test_long_polling_returns_promptly(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    first = await bot.get_updates()
    assert [u.message.text for u in first] == ["/start"]
    poll = asyncio.create_task(bot.get_updates(offset=first[-1].update_id + 1, timeout=5))
    await emu.wait_for_polling(timeout=3)
    started = time.monotonic()
    await ana.send("hello")
    updates = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 1.0
    assert [u.message.text for u in updates] == ["hello"]
    assert updates[0].update_id > first[-1].update_id


async def test_offset_and_allowed_updates(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    await ana.send("one")
    await ana.send("two")
    ids = [u.update_id for u in await bot.get_updates()]
    assert len(ids) == 3
    assert [u.update_id for u in await bot.get_updates(offset=ids[1])] == ids[1:]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]  # still unconfirmed
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert emu.updates == []
    sent = await bot.send_message(ana.id, "q", reply_markup=keyboard(("Yes", "y")))
    await ana.send("ignored")
    await ana.press("Yes", sent)
    only = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only] == ["y"]


async def test_ptb_parses_every_injected_update(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    group = emu.create_group("Creators", is_forum=True)
    bob = TelegramUser(emu, 2002, "Bob", chat_id=group.id, thread_id=7)
    await bob.send("/coach@halo_test_bot now")
    await ana.send_photo(caption="look")
    await ana.send_sticker()
    await ana.edit_last("/start again")
    await bob.leave()
    await emu.remove_bot(group.id, by=bob.user)
    kinds = ["message", "edited_message", "callback_query", "my_chat_member", "chat_member"]
    updates = await bot.get_updates(allowed_updates=kinds)
    by_type = [u.effective_message or u.my_chat_member or u.chat_member for u in updates]
    assert len(updates) == 8 and all(by_type)
    cmd = updates[1].message
    assert cmd.message_thread_id == 7 and cmd.is_topic_message and cmd.chat.is_forum
    assert cmd.entities[0].type == "bot_command" and cmd.entities[0].length == 20
    assert updates[2].message.photo[-1].width == 800 and updates[2].message.caption == "look"
    assert updates[3].message.sticker.emoji == "👍"
    assert updates[4].edited_message.text == "/start again"
    assert updates[5].message.left_chat_member.id == 2002
    assert updates[6].chat_member.new_chat_member.status == "left"
    assert updates[7].my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(group.id, "hello?")


async def test_chat_not_found_and_forum_thread(bot: Bot, emu: BotApiEmulator) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hi")
    group = emu.create_group("Forum", is_forum=True)
    member = TelegramUser(emu, 3003, "Cy", chat_id=group.id, thread_id=5)
    sent = await bot.send_message(group.id, "in topic", message_thread_id=5)
    assert sent.message_thread_id == 5
    await bot.send_message(group.id, "general")
    assert [m.text for m in member.messages] == ["in topic"]


async def test_send_document(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    sent = await bot.send_document(ana.id, b"hello,world", filename="brief.csv",
                                   caption="<i>Your brief</i>", parse_mode="HTML")
    assert sent.document.file_name == "brief.csv" and sent.document.file_size == 11
    assert sent.caption == "Your brief" and sent.caption_entities[0].type == "italic"
    stored = emu.documents[-1]
    assert stored.data == b"hello,world" and stored.mime_type == "text/csv"
    assert stored.message_id == sent.message_id
    again = await bot.send_document(ana.id, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id


async def test_buttons_and_callback_answers(bot: Bot, ana: TelegramUser) -> None:
    old = await bot.send_message(ana.id, "Take the deal?", reply_markup=keyboard(("Yes", "y")))
    await bot.send_message(ana.id, "Other", reply_markup=keyboard(("No", "n")))
    with pytest.raises(LookupError, match="Maybe"):
        await ana.press("Maybe")
    with pytest.raises(LookupError):
        await ana.press("No", old)  # "No" is on another message
    query_id = await ana.press("Yes")  # newest message showing "Yes" is the old one
    update = (await bot.get_updates())[-1]
    assert update.callback_query.id == query_id
    assert update.callback_query.message.message_id == old.message_id
    await update.callback_query.answer("Noted", show_alert=True)
    answer = await ana.wait_for_answer(query_id, timeout=2)
    assert (answer.text, answer.show_alert) == ("Noted", True)
    assert ana.callback_answers == [answer]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")
    await bot.edit_message_reply_markup(ana.id, old.message_id, reply_markup=None)
    with pytest.raises(LookupError, match="no button 'Yes'"):
        await ana.press("Yes", old)
    forged = await ana.press_data("y", old)  # stale/forged data still reaches the bot
    assert (await bot.get_updates())[-1].callback_query.id == forged


async def test_wait_for_and_wait_for_text(bot: Bot, emu: BotApiEmulator) -> None:
    user = TelegramUser(emu, 5005, "Dee")
    await user.send("/start")
    waiter = asyncio.create_task(user.wait_for(timeout=3))
    sent = await bot.send_message(user.id, "<b>Welcome</b>", parse_mode="HTML")
    first = await waiter
    assert first.text == "Welcome"
    await bot.edit_message_text("Welcome back", user.id, sent.message_id)
    assert (await user.wait_for(timeout=3)).edit_count == 1
    assert first.text == "Welcome"  # snapshots do not follow later edits
    answer = await user.send("thanks", reply_to=sent)  # a PTB Message works as a reference
    assert answer.reply_to is not None and answer.reply_to.message_id == sent.message_id
    await user.send("again")
    await bot.send_message(user.id, "Step 1 of 3")
    assert "Step" in visible_text(await user.wait_for_text("of 3", timeout=3))
    with pytest.raises(TimeoutError, match="no new bot message"):
        await user.wait_for(timeout=0.2)
    calls = await emu.wait_for_calls("sendmessage", 2, timeout=1)
    assert len(calls) == 2


async def test_commands_webhook_and_misc(bot: Bot, emu: BotApiEmulator, ana: TelegramUser) -> None:
    await bot.set_my_commands([("start", "Begin"), ("help", "Help")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "Begin")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    await bot.send_chat_action(ana.id, "typing")
    await bot.set_webhook("https://example.com/hook")
    assert (await bot.get_webhook_info()).url == "https://example.com/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == () and (await bot.get_webhook_info()).url == ""
    assert await bot.log_out() and await bot.close()


async def test_second_poller_terminates_first(bot: Bot, emu: BotApiEmulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await emu.wait_for_polling(timeout=3)
    async with Bot(emu.token, base_url=emu.base_url) as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 2)


async def test_delay_is_applied(emu: BotApiEmulator, bot: Bot) -> None:
    emu.delay = 0.05
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.05


async def test_application_polling_echo(emu: BotApiEmulator) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    app = (Application.builder().token(emu.token).base_url(emu.base_url)
           .base_file_url(emu.base_file_url).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    eve = TelegramUser(emu, 4004, "Eve")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=5)
        await emu.wait_for_polling(timeout=3)
        await eve.send("ping")
        reply = await eve.wait_for(timeout=5)
        assert reply.text == "echo: ping"
        started = time.monotonic()
        await app.updater.stop()
        await app.stop()
    assert time.monotonic() - started < 2.0
    assert emu.updates == []  # PTB confirmed the update on shutdown
    assert emu.failed_calls() == []  # the poll PTB abandoned on shutdown is not counted
    assert {c.method for c in emu.calls} >= {"getMe", "deleteWebhook", "getUpdates"}


async def test_a_user_sends_a_document_the_bot_downloads(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    """Issue 17: a contract sent as a file reaches the bot as a document, and getFile plus the
    file URL give back its bytes, as Telegram does."""
    pdf = b"%PDF-1.4\n% a contract\n"
    await ana.send_document(pdf, "contract.pdf", caption="the brand's contract",
                            forwarded_from="Aurora Skincare")
    updates = await bot.get_updates()
    message = updates[-1].message
    assert message.document.file_name == "contract.pdf"
    assert message.document.mime_type == "application/pdf"
    assert message.document.file_size == len(pdf) and message.caption == "the brand's contract"
    assert message.forward_origin.sender_user_name == "Aurora Skincare"
    file = await message.document.get_file()
    assert file.file_path and file.file_size == len(pdf)
    assert bytes(await file.download_as_bytearray()) == pdf
    assert len(emu.downloads) == 1 and file.file_path.endswith("/" + emu.downloads[0])


async def test_a_forwarded_text_message(bot: Bot, ana: TelegramUser) -> None:
    await ana.forward("hey! $1.5k for 1 reel?", forwarded_from="Ember Cookware")
    message = (await bot.get_updates())[-1].message
    assert message.text == "hey! $1.5k for 1 reel?"
    assert message.forward_origin.type == "hidden_user"


async def test_get_file_refuses_unknown_and_too_big_files(
    bot: Bot, emu: BotApiEmulator, ana: TelegramUser
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")
    big = await ana.send_document(b"0" * (20 * 1024 * 1024 + 1), "huge.pdf")
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big.extra["document"]["file_id"])


async def test_a_file_path_not_given_by_get_file_is_not_found(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{emu.base_file_url}{emu.token}/documents/file_x.pdf"
        async with session.get(url) as response:
            assert response.status == 404
        async with session.get(f"{emu.base_file_url}0:wrong/documents/x.pdf") as response:
            assert response.status == 401


async def test_webhook_posts_each_chats_updates_in_order_one_at_a_time(
        emu: BotApiEmulator, bot: Bot) -> None:
    """A chat's next update waits for its post in flight to be answered; other chats' do not,
    and a failed post is made again before that chat's next update."""
    posted: list[tuple[int, str]] = []
    release = asyncio.Event()
    failed_once: set[str] = set()

    async def receive(request: web.Request) -> web.Response:
        update = await request.json()
        text = update["message"]["text"]
        posted.append((update["message"]["chat"]["id"], text))
        if text == "ana 1":
            await release.wait()  # ana's first post stays in flight until released
        if text == "bea 1" and text not in failed_once:
            failed_once.add(text)
            return web.Response(status=500)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        ana, bea = TelegramUser(emu, 1001, "Ana"), TelegramUser(emu, 1002, "Bea")
        await ana.send("ana 1")
        await bot.set_webhook("https://example.com/hook")
        emu.deliver_webhooks_to(f"http://127.0.0.1:{port}/hook")
        await ana.send("ana 2")
        await bea.send("bea 1")
        await bea.send("bea 2")
        await emu.wait_until(lambda: (1002, "bea 2") in posted, what="bea's posts")
        assert (1001, "ana 2") not in posted  # ana's first is still in flight
        release.set()
        await emu.wait_until(lambda: not emu.updates, what="every update delivered")
    finally:
        await runner.cleanup()
    assert [text for chat, text in posted if chat == 1001] == ["ana 1", "ana 2"]
    assert [text for chat, text in posted if chat == 1002] == ["bea 1", "bea 1", "bea 2"]
