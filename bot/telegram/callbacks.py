"""Callback data: short, versioned codes the bot writes on its buttons and checks when pressed.

``v1|<flow's code>|<snapshot version>|<verb>|<arg>`` for a flow's buttons, ``v1|_|0|<action>|<arg>``
for the bot's own menus (a private flow's menu entry is its first command). Telegram allows 1-64
bytes; anything a client sends is parsed strictly and rejected with ``BadCallback`` unless every
part is one we could have written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from flows.registry import FLOWS
from flows.replies import Event, Verb

PREFIX = "v1"
MAX_BYTES = 64
VERB_CODES: dict[Verb, str] = {
    "begin": "n", "answer": "a", "back": "b", "cancel": "x", "restart": "r", "edit": "e",
    "confirm": "k", "skip": "s", "tone": "t", "draft": "d", "resume": "u", "export": "m",
    "pick": "p", "handoff": "h", "join": "j", "start": "g", "vote": "v", "next": "w",
    "leave": "l", "reopen": "o", "details": "i", "change": "c",
    "fix": "f", "unsay": "z", "track": "q", "stray": "y",
}
VERBS_BY_CODE = {code: verb for verb, code in VERB_CODES.items()}
MENU = "_"
MENU_ACTIONS = frozenset({"continue", "history", "open", "export", "help", "privacy", "forget",
                          "forget_yes", "forget_no", "reopen", "deals", "deal", "track"})
_ARG = re.compile(r"[a-z0-9_]{0,40}")  # fullmatch: "$" would let a final newline through


class BadCallback(ValueError):
    """Callback data we did not write (forged, malformed, or from an older bot)."""


@dataclass(frozen=True, slots=True)
class FlowPress:
    flow: str
    version: int
    event: Event


@dataclass(frozen=True, slots=True)
class MenuPress:
    action: str
    arg: str


def encode_flow(flow: str, version: int, event: Event) -> str:
    data = f"{PREFIX}|{FLOWS[flow].code}|{version:x}|{_action(event.verb, event.arg)}"
    if len(data) > MAX_BYTES:  # ASCII only (see _action): characters are bytes
        raise ValueError(f"callback argument {event.arg!r} cannot be encoded")
    return data


@functools.lru_cache(maxsize=1024)
def _action(verb: Verb, arg: str) -> str:
    """The part of a button's data after its version, checked once: a button is the same on
    every step that shows it, only the version changes."""
    if not _ARG.fullmatch(arg):
        raise ValueError(f"callback argument {arg!r} cannot be encoded")
    return f"{VERB_CODES[verb]}|{arg}"


def _is_menu_action(action: str) -> bool:
    return action in MENU_ACTIONS or FLOWS.by_menu(action) is not None


def encode_menu(action: str, arg: str = "") -> str:
    if not _is_menu_action(action):
        raise ValueError(f"unknown menu action {action!r}")
    return _checked(f"{PREFIX}|{MENU}|0|{action}|{arg}", arg)


def _checked(data: str, arg: str) -> str:
    if not _ARG.fullmatch(arg) or len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback argument {arg!r} cannot be encoded")
    return data


def decode(data: str | None) -> FlowPress | MenuPress:
    """Parse callback data strictly; ``BadCallback`` for anything we would not have written."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadCallback("size")
    parts = data.split("|")
    if len(parts) != 5 or parts[0] != PREFIX:
        raise BadCallback("shape")
    _, scope, version_hex, code, arg = parts
    if not _ARG.fullmatch(arg) or not re.fullmatch(r"[0-9a-f]{1,8}", version_hex):
        raise BadCallback("fields")
    if scope == MENU:
        if not _is_menu_action(code):
            raise BadCallback("action")
        return MenuPress(action=code, arg=arg)
    flow, verb = FLOWS.by_code.get(scope), VERBS_BY_CODE.get(code)
    if flow is None or verb is None:
        raise BadCallback("code")
    return FlowPress(flow=flow.name, version=int(version_hex, 16), event=Event(verb=verb, arg=arg))
