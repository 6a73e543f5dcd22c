"""Build and run the python-telegram-bot ``Application`` for Halo Coach.

``build_application(settings, store)`` is the one factory: ``halo run`` calls it for long polling,
tests call it with an offline request class. Generic handlers (``handlers.py``) turn updates
into the conversation service's ``Inbound``; the commands are the registry's flows' and the bot's
own; there is no ``ConversationHandler`` (the store is the one source of state).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, system_clock
from bot.conversations import Conversations
from bot.deals import Deals
from bot.health import with_health
from bot.loop import run
from bot.metrics import MeteredApplication, MeteredRequest
from bot.reminding import ReminderLoop
from bot.settings import Settings
from bot.store import Store
from bot.telegram.delivery import Delivery
from bot.telegram.handlers import HANDOFF_PREFIX, Handlers
from bot.telegram.http11 import Http11Request
from bot.telegram.journal import Journal, JournalingBot, journal_of
from bot.telegram.pacing import ChatPacer
from bot.telegram.polling import Polling
from bot.telegram.profile import publish_profile
from bot.telegram.retrying import retrying
from bot.telegram.running import REMINDERS, run_until_stopped
from bot.telegram.transport import AiohttpRequest
from flows import currencies
from flows.registry import FLOWS
from prompts import ENV, render, template_names

log = logging.getLogger("halo.telegram")


BOT_COMMANDS = ("start", "back", "cancel", "skip", "history", "deals", "forget", "privacy",
                "help")


def flow_commands() -> list[str]:
    """Every command that starts a flow, private or group."""
    return list(dict.fromkeys(command for flow in FLOWS.values() for command in flow.commands))


def http_client(settings: Settings, pool: int) -> BaseRequest:
    """The HTTP client for the Bot API: the bot's own (the cheapest per call), aiohttp's or
    python-telegram-bot's httpx (``bench/over_http.py --probe`` prints each one's cost)."""
    if settings.telegram_http_client == "httpx":
        return MeteredRequest(HTTPXRequest(connection_pool_size=pool))
    if settings.telegram_http_client == "aiohttp":
        return MeteredRequest(AiohttpRequest(connection_pool_size=pool))
    return MeteredRequest(Http11Request(connection_pool_size=pool))


def build_application(settings: Settings, store: Store, *, request: BaseRequest | None = None,
                      rate_limit: bool = True, clock: Clock | None = None
                      ) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot, wired: handlers, HTML defaults, rate limits, command menus, an error handler,
    and the reminder loop ``run_until_stopped`` runs beside them."""
    clock = clock or system_clock()
    api_requests = (http_client(settings, settings.concurrent_updates), http_client(settings, 1))
    deals = Deals(store, store, clock)
    conversations = Conversations(
        store, link_for=lambda code: f"https://t.me/{bot.username}?start={HANDOFF_PREFIX}{code}",
        decided=deals.decided, deals=deals)
    journal = Journal(store, conversations)
    bot = JournalingBot(
        settings.token(),
        base_url=f"{settings.telegram_api_url}/bot",
        base_file_url=f"{settings.telegram_api_url}/file/bot",
        defaults=Defaults(parse_mode=ParseMode.HTML),
        rate_limiter=AIORateLimiter(
            overall_max_rate=settings.messages_per_second / settings.workers,
            group_max_rate=settings.group_messages_per_minute / settings.workers,
            max_retries=2) if rate_limit else None,
        # one connection per update handled at once: a saturated bot never waits for the pool;
        # a call Telegram fails (5xx, timeout, reset) is made again (retrying.py)
        request=retrying(request or api_requests[0]),
        get_updates_request=request or api_requests[1],
        journal=journal,
    )
    application = (
        ApplicationBuilder()
        .application_class(MeteredApplication)
        .bot(bot)
        .concurrent_updates(settings.concurrent_updates)  # a conversation's lock keeps its order
        .post_init(_post_init)
        .build()
    )
    # several workers share Telegram's limits: each takes its share (no cross-process counter)
    delivery = Delivery(ChatPacer(per_second=settings.chat_messages_per_second / settings.workers),
                        tally_seconds=settings.tally_edit_seconds, store=store)
    handlers = Handlers(conversations, delivery, deals, clock)
    application.bot_data[REMINDERS] = ReminderLoop(
        store, lambda stored, message: handlers.send_deal(bot, stored.chat_id, message), clock,
        blocked=lambda error: isinstance(error, Forbidden))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(
        [*flow_commands(), *BOT_COMMANDS], handlers.on_command,
        filters=~filters.UpdateType.EDITED))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, handlers.on_edited))
    application.add_handler(MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER,
                                           handlers.on_member_left))
    application.add_handler(ChatMemberHandler(handlers.on_removed,
                                              ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(
        private & filters.COMMAND, handlers.on_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT, handlers.on_other))
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(TypeHandler(Update, journal.skip_seen), group=-1)
    application.add_handler(TypeHandler(Update, journal.mark_handled), group=1)
    application.add_error_handler(_on_error)
    return application


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await publish_profile(application.bot)
    log.info("bot started as @%s", application.bot.username)
    journal = journal_of(application)
    if journal.kept:
        await journal.replay(application)  # polling, or the only webhook worker (``Journal``)
    settle_memory()
    # a task of its own: PTB's create_task would warn, the application not running yet
    warming = asyncio.create_task(warm_up(), name="warm up")
    warming.add_done_callback(_warmed)
    _WARMING.add(warming)  # a reference, so the task is not collected
    warming.add_done_callback(_WARMING.discard)


_WARMING: set[asyncio.Task[None]] = set()


def _warmed(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("warming up failed: %r", task.exception())


async def warm_up() -> None:
    """What the first updates would otherwise wait for, done in the background once started:
    every template compiled (the first decision after a start waited some 50 ms for its
    templates) and the currencies' names read from CLDR (0.1-0.3 s, on a thread: the first
    amount a person typed waited for it)."""
    await warm_templates()
    await asyncio.to_thread(currencies.warm)
    log.info("warmed up: templates compiled, currencies read")


async def warm_templates() -> None:
    """Compile every template, one at a time: the updates coming in go first."""
    for name in template_names():
        ENV.get_template(name)
        await asyncio.sleep(0)


# Python's default (700 allocations) runs a young-generation collection several times per
# update: python-telegram-bot builds thousands of objects per update, almost all freed by
# reference counting, and each collection rescans the objects of every update in flight, which
# then age into costly full collections. Over HTTP that was a fifth of an update's CPU
# (bench/over_http.py); with this threshold collections are rare and each stays short.
GC_THRESHOLDS = (50_000, 20, 100)


def settle_memory() -> None:
    """Once started: what start-up built lives as long as the bot, so it is frozen out of
    every collection, and the collector runs less often (``GC_THRESHOLDS``)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Last resort: log the update's ids (never its text) and apologise to the chat."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("unhandled error in update %s: %s", update_id, type(context.error).__name__,
              exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None:
        try:
            await context.bot.send_message(chat.id, render("chat/notice.j2", {"what": "error"}))
        except Exception:
            log.warning("could not tell chat about the error")


def run_webhook(settings: Settings, store: Store) -> int:
    """``halo run --webhook``: one webhook worker; several can share one PostgreSQL. The store
    is closed when it ends."""
    application = build_application(settings, store)
    from bot.telegram.webhook import Webhook  # aiohttp's server only where it serves

    run(run_until_stopped(application, store, Webhook(application, store, settings)),
        settings.event_loop)
    return 0


def run_polling(settings: Settings, store: Store) -> int:
    """``halo run``: long polling until interrupted. The store is closed when it ends."""
    application = build_application(settings, store)
    journal_of(application).keep()
    run(with_health(settings, application, store,
                    lambda: run_until_stopped(application, store, Polling(application))),
        settings.event_loop)
    return 0
