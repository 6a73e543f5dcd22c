"""Every word the bot says: Jinja templates by flow, and the one ``Environment`` that renders them.

Templates produce Telegram HTML (autoescaped, so whatever a user typed is shown, never
interpreted). ``render`` gives that HTML; ``render_text`` gives what a person reads (for the
terminal chat and for documents); ``label`` finds a button's text in the label catalogues.
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound

ROOT = Path(__file__).resolve().parent
MESSAGE_LIMIT = 4096  # characters Telegram shows in one message

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money(value: Any) -> str:
    """``{"amount": "1500", "currency": "USD"}`` as ``$1,500``; other currencies by their code."""
    if not isinstance(value, dict):
        return str(value)
    try:
        amount = Decimal(str(value.get("amount", "0")))
    except InvalidOperation:
        return str(value)
    currency = str(value.get("currency", ""))
    shown = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{shown}" if symbol else f"{shown} {currency}".strip()


def when(moment: Any) -> str:
    """A stored time as people read it in a list: ``2026-11-22 14:05 UTC``."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if hasattr(moment, "strftime") else str(moment)


def day(value: Any) -> str:
    """A calendar day as both the US and the UK read it without doubt: ``4 December 2026``."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}" if hasattr(value, "strftime") else str(value)


class _Environment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A plain dict, not Jinja's ChainMap over the environment's globals: every render
        copies its template's globals, and copying the ChainMap was a third of rendering a
        question. The globals are all set in ``_build``, before any template is loaded."""
        return {**self.globals, **(d or {})}


def _build() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(str(ROOT)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters["money"] = money
    env.filters["when"] = when
    env.filters["day"] = day
    env.globals["label_of"] = label  # not "label": a question of that name is in the context
    env.globals["catalogue_titles"] = titles
    env.globals["about_flow"] = about
    env.globals["answer_text"] = answer_text
    env.globals["grouped"] = grouped
    env.globals["part_name"] = part_name
    env.globals["terminal"] = False  # the terminal chat renders with True: no taps, no buttons
    return env


@lru_cache(maxsize=16)
def catalogue(flow: str) -> dict[str, str]:
    """The button labels of a flow, over the common ones (``prompts/<flow>/labels.j2``), with a
    button (``change.<question>``) for each question it has a title for: the title, or its
    ``short`` form where the title is too long for a phone's button."""
    merged: dict[str, str] = dict(ENV.get_template("common/labels.j2").module.labels)  # type: ignore[attr-defined]
    if flow != "common":
        try:
            own = ENV.get_template(f"{flow}/labels.j2")
        except TemplateNotFound:
            return merged  # the bot's own menus ("chat") may have no catalogue of their own
        module: Any = own.module
        merged.update(module.labels)
        short = getattr(module, "short", {})
        for key, title in getattr(module, "titles", {}).items():  # "Change an answer" buttons
            merged.setdefault(f"change.{key}", short.get(key, title))
    return merged


@lru_cache(maxsize=16)
def titles(flow: str) -> dict[str, str]:
    """Short names of a flow's questions, for the review step and answered messages."""
    return dict(ENV.get_template(f"{flow}/labels.j2").module.titles)  # type: ignore[attr-defined]


@lru_cache(maxsize=16)
def about(flow: str) -> dict[str, Any]:
    """How a flow presents itself (``about`` in ``prompts/<flow>/labels.j2``): its menu entry,
    the description of its command, its line in /help, what its review step offers next, and
    its verdicts' names in /history."""
    return dict(ENV.get_template(f"{flow}/labels.j2").module.about)  # type: ignore[attr-defined]


def label(flow: str, key: str) -> str:
    """The text of a label key: ``<question>.<option>`` falls back to the option's common label."""
    labels = catalogue(flow)
    if key in labels:
        return labels[key]
    _, _, option = key.rpartition(".")
    if option in labels:
        return labels[option]
    raise KeyError(f"no label {key!r} for flow {flow!r}")


def part_name(flow: str, group: str) -> str:
    """The name of a part of a flow's questions (``part.<group>`` in its labels), or "" for a
    flow that names none (its review step lists the answers without headings)."""
    return catalogue(flow).get(f"part.{group}", "")


def grouped(items: list[dict[str, Any]], key: str, order: list[str]
            ) -> list[tuple[str, list[dict[str, Any]]]]:
    """``items`` by their ``key``, the groups in ``order`` (empty ones left out), each group in
    the items' own order: one pass, where a ``selectattr`` per group cost a fifth of a card."""
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in order}
    for item in items:
        groups.setdefault(item[key], []).append(item)
    return [(name, members) for name, members in groups.items() if members]


TEXT_SHOWN = 240  # characters of a typed answer quoted back


def answer_text(flow: str, kind: str, question: str, value: Any) -> str:
    """How an answer reads: an amount, a skipped question, an option's label (each ticked one of
    a multi-answer question), or the typed text. Plain text: templates escape it. A function
    rather than a Jinja macro, because every step shows answers and a macro call cost more than
    the rest of the message."""
    if isinstance(value, dict):
        return money(value)
    if value == "skipped":
        return label(flow, "skipped")
    if kind == "text":
        text = str(value)
        return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN - 1] + "…"
    if kind == "multi":
        return ", ".join(label(flow, f"{question}.{part}") for part in str(value).split(","))
    return label(flow, f"{question}.{value}")


def button_text(flow: str, key: str, ticked: bool = False) -> str:
    """A button's label, with a tick when it marks an option already picked."""
    text = label(flow, key)
    return label(flow, "ticked") + text if ticked else text


ENV = _build()


def template_names() -> list[str]:
    """Every template, by the name ``render`` takes."""
    return sorted(path.relative_to(ROOT).as_posix() for path in ROOT.rglob("*.j2"))


def render(template: str, context: dict[str, Any]) -> str:
    """Render a template to Telegram HTML, trimmed."""
    compiled = _COMPILED.get(template)
    if compiled is None:
        compiled = _COMPILED[template] = ENV.get_template(template)
    return compiled.render(context).strip()


# Templates never change while the bot runs (``auto_reload`` is off): Jinja's own cache lookup
# (a lock, a weak reference, its globals check) cost more than this dict.
_COMPILED: dict[str, Template] = {}


_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """What a person reads of a Telegram HTML message: tags dropped, entities decoded."""
    return _BLANKS.sub("\n\n", html.unescape(_TAG.sub("", markup))).strip()


def visible_length(markup: str) -> int:
    """How long Telegram counts a message: its visible text, in UTF-16 code units."""
    return len(html.unescape(_TAG.sub("", markup)).encode("utf-16-le")) // 2


def render_text(template: str, context: dict[str, Any]) -> str:
    """A template as the terminal chat shows it: plain text, worded for a keyboard
    (``terminal`` is true: numbers and words where Telegram has buttons)."""
    return html_to_text(render(template, {**context, "terminal": True}))
