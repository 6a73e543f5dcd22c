"""Pure coaching flows: questions as data, state machines, decision rules and pydantic models.

Nothing here imports Telegram or the bot package and nothing here does I/O; the one entry point of
a flow is ``advance(snapshot, event) -> (snapshot, replies)``.
"""
