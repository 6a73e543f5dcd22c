"""The bot asks Telegram only for the updates it handles, polling and as a webhook worker: a
reaction (or any other update type it has no use for) never reaches it."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

from tests.support.emulator import BotApiEmulator
from tests.support.users import TelegramUser

from .conftest import BotProcess, WebhookWorker, free_port

HANDLED = ["message", "edited_message", "callback_query", "my_chat_member"]


def asked_for(call: Any) -> list[str]:
    allowed = call.params.get("allowed_updates")
    return sorted(json.loads(allowed) if isinstance(allowed, str) else allowed)


def delivered_kinds(emulator: BotApiEmulator) -> set[str]:
    return {kind for call in emulator.calls_to("getUpdates") if call.ok
            for update in call.result or [] for kind in update if kind != "update_id"}


async def test_polling_subscribes_to_what_is_handled_and_gets_no_reactions(
        emulator: BotApiEmulator, bot: BotProcess, maya: TelegramUser) -> None:
    await maya.send("/start")
    greeting = await maya.wait_for_text("Halo Coach")
    await emulator.user_reaction(maya.user, maya.chat_id, greeting.message_id, "👍")
    await maya.send("/help")
    await maya.wait_for_text("/review")
    polls = [call for call in emulator.calls_to("getUpdates", finished=False)
             if call.params.get("allowed_updates") is not None]
    assert polls and all(asked_for(call) == sorted(HANDLED) for call in polls)
    assert delivered_kinds(emulator) == {"message"}  # the reaction was never sent


async def test_a_webhook_worker_subscribes_to_what_is_handled_and_gets_no_reactions(
        emulator: BotApiEmulator, tmp_path: Path, maya: TelegramUser) -> None:
    worker = WebhookWorker(emulator, tmp_path, "worker", free_port())
    await worker.start()
    emulator.deliver_webhooks_to(worker.url)

    def posted() -> set[int]:
        return {update_id for update_id, _ in emulator.webhook_attempts}

    try:
        await maya.send("/start")
        greeting = await maya.wait_for_text("Halo Coach")
        reaction = await emulator.user_reaction(maya.user, maya.chat_id, greeting.message_id,
                                                "👍")
        await maya.send("/help")  # one chat's updates are posted in order: this one last
        help_update = emulator.update_log[-1]["update_id"]
        await emulator.wait_until(lambda: help_update in posted(), what="/help posted")
        assert asked_for(emulator.calls_to("setWebhook")[-1]) == sorted(HANDLED)
        assert reaction["update_id"] not in posted()
    finally:
        await worker.stop(signal.SIGTERM)
        worker.assert_clean_log()
