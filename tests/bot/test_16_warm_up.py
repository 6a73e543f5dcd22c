"""Once started, the bot does in the background what its first updates would otherwise wait for
(bot/telegram/app.py, ``warm_up``)."""

from __future__ import annotations

import logging

import pytest

from bot.telegram.app import warm_up
from flows import currencies
from prompts import ENV, template_names


async def test_warming_up_compiles_every_template_and_reads_the_currencies(
        caplog: pytest.LogCaptureFixture) -> None:
    currencies._lexicon.cache_clear()
    with caplog.at_level(logging.INFO, logger="halo.telegram"):
        await warm_up()
    assert currencies._lexicon.cache_info().currsize == 1  # the first amount typed reads it ready
    assert "warmed up" in caplog.text
    for name in template_names():  # cached: the first decision finds them compiled
        assert ENV.cache is not None and any(key[1] == name for key in ENV.cache._mapping)
