"""Transports and I/O: Telegram, console chat, storage, settings, CLI."""
