"""PostgreSQL's refusals in words an operator can act on, instead of the driver's class names.

``explain(error)`` names what went wrong (the database does not exist, the password was refused,
nothing listens at that port) and keeps the SQLSTATE for a search. It never quotes the driver's
own text: that can name the user or the database.
"""

from __future__ import annotations

import socket

from prompts import render_text

# SQLSTATE -> the reason's name in prompts/console/postgres.j2
REASONS = {
    "3D000": "no_database",
    "28P01": "password_refused",
    "28000": "login_refused",
    "42501": "not_allowed",
    "3F000": "no_schema",
    "53300": "too_many_connections",
    "57P03": "not_ready",
}


def explain(error: BaseException) -> str:
    """One sentence about ``error`` (a connection failure), with its SQLSTATE if it has one."""
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str):
        reason = REASONS.get(sqlstate, "refused")
    elif isinstance(error, socket.gaierror):
        reason = "unknown_host"
    elif isinstance(error, ConnectionRefusedError):
        reason = "nothing_listens"
    elif isinstance(error, TimeoutError):
        reason = "no_answer"
    elif isinstance(error, OSError):
        reason = "network"
    else:
        reason = "other"
    return render_text("console/postgres.j2", {
        "what": reason, "sqlstate": sqlstate or "", "kind": type(error).__name__})
