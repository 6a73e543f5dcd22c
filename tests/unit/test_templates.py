"""Every template under prompts/ renders with sample context, fits one Telegram message, is valid
Telegram HTML, and shows what a user typed as text, never as markup."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jinja2 import UndefinedError, meta
from markupsafe import escape

import flows
from bot.telegram.handlers import private_flows
from bot.telegram.profile import command_menus
from flows.creator.decision import RELATIONSHIPS, SHARES
from flows.creator.flow import SPEC
from flows.creator.questions import QUESTIONS
from flows.machine import DECIDED
from flows.reading.offer import read_offer
from flows.snapshot import Answer, Money, Snapshot
from prompts import (
    ENV,
    MESSAGE_LIMIT,
    ROOT,
    about,
    render,
    render_text,
    template_names,
    visible_length,
)
from tests.support.conversation import assert_no_stray_blank_lines
from tests.unit.conftest import (
    CANCEL,
    CONFIRM,
    EXPORT,
    GOOD,
    change,
    html_of,
    opened,
    reach,
    review,
    text_of,
    walk,
)
from tests.unit.conftest import tone as tone_event
from tests.unit.deal_samples import deal_contexts

LONG_BRAND = "𝐁" * 80  # the longest brand the bot takes, in characters Telegram counts twice
LONG_PRODUCT = "𝐏" * 120
HOSTILE_BRAND = '<b>Acme</b> & "Co"'
HOSTILE_PRODUCT = "<i>Glow</i> <script>x</script> & 'serum'"
NAMES = [("Acme", "Protein bar"), (LONG_BRAND, LONG_PRODUCT), (HOSTILE_BRAND, HOSTILE_PRODUCT)]
TONES = ("warm", "professional", "brief")
DRAFTS = SPEC.drafts
FOLDERS = ("common", "creator", "chat", "console", "deal")  # others: test_more_coaches, test_team
ALL_TEMPLATES = sorted(path.relative_to(ROOT).as_posix()
                       for folder in FOLDERS for path in (ROOT / folder).rglob("*.j2"))
FLOWS_DIR = Path(flows.__file__).resolve().parent


# --- codes the flows can hand to a template ----------------------------------------------------

def _constants_in_flows(name: str) -> set[str]:
    """String codes flows/ passes as ``name``: ``name="x"``, ``{"name": "x"}``, ``name = {..}``,
    and for "problem", the argument of every ``Unplaceable("x")``."""
    found: set[str] = set()
    for path in FLOWS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.keyword) and node.arg == name:
                values = [node.value]
            elif isinstance(node, ast.Dict):
                values = [v for k, v in zip(node.keys, node.values, strict=True)
                          if isinstance(k, ast.Constant) and k.value == name]
            elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                  and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)):
                values = list(node.value.values)
            elif (name == "problem" and isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id == "Unplaceable"):
                values = node.args[:1]
            found |= {v.value for v in values
                      if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return found


NOTICES = sorted(_constants_in_flows("notice"))
PROBLEMS = sorted(_constants_in_flows("problem"))


def test_the_code_scan_finds_the_notices_and_problems_the_flows_use() -> None:
    assert {"not_now", "first_question", "cannot_skip", "use_buttons"} <= set(NOTICES)
    assert {"empty", "unknown", "amount", "too_long", "number"} <= set(PROBLEMS)


def _branches(template: str) -> list[str]:
    """The ``what`` values a chat/console template has words for."""
    source = (ROOT / template).read_text(encoding="utf-8")
    return re.findall(r'what == "([a-z_]+)"', source)


# --- decisions: every answer, every flag --------------------------------------------------------

def _as_answer(question: str, typed: str) -> Answer:
    if QUESTIONS.by_id[question].kind == "money" and not typed.isidentifier():
        return Money(amount=Decimal(typed.strip("$").replace(",", "")), currency="USD")
    return typed


BASE: dict[str, Answer] = {q: _as_answer(q, typed) for q, typed in GOOD.items()
                           if q != "can_try_first"}


def answer_sets(brand: str = "Acme", product: str = "Protein bar"
                ) -> Iterator[dict[str, Answer]]:
    """Whole answer sets that between them produce every reason, flag and counter point."""
    base = {**BASE, "brand": brand, "product": product}
    for question in QUESTIONS.questions:
        for option in question.options:
            yield {**base, question.id: option.id}
    yield {**base, "tried": "not_yet", "can_try_first": "unsure"}
    yield {**base, "tried": "not_yet", "can_try_first": "no"}
    yield {**base, "pay": Money(amount=Decimal(300)), "usual_rate": Money(amount=Decimal(900))}
    yield {**base, "usual_rate": "skipped"}
    yield {**base, "usual_rate": Money(amount=Decimal(900), currency="EUR")}
    for ask in ("one_post", "few_posts"):
        yield {**base, "ask": ask, "relationship": "one_off", "pay": "product_only"}
    for ask in ("gifted_only", "affiliate_only", "charity"):
        yield {k: v for k, v in {**base, "ask": ask}.items()
               if k not in ("pay", "usual_rate", "payment_terms")}
    yield {**base, "tried": "once", "use_unpaid": "no"}
    for relationship in ("lasting", "one_off", "unclear"):
        yield {**base, "ask": "one_post", "relationship": relationship}
    # money checked, not assumed: far above the rate, another currency, one the table lacks
    yield {**base, "pay": Money(amount=Decimal(9000)), "usual_rate": Money(amount=Decimal(900))}
    yield {**base, "pay": Money(amount=Decimal(900)),
           "usual_rate": Money(amount=Decimal(2000), currency="GBP")}
    yield {**base, "pay": Money(amount=Decimal(900)),
           "usual_rate": Money(amount=Decimal(2000), currency="ISK")}
    yield {**base, "ask": "few_posts", "pay": Money(amount=Decimal(300)),
           "usual_rate": Money(amount=Decimal(900)), "usage_rights": "whitelisting",
           "exclusivity": "long_vague", "deliverables": "rush"}
    yield {**base, "warning_signs": "unofficial_contact,deadline"}
    yield {**base, "tried": "once", "use_unpaid": "unsure", "money_pressure": "a_lot"}


def decided_at(answers: dict[str, Answer], **update: Any) -> Snapshot:
    return Snapshot(flow=SPEC.name, step=DECIDED, answers=answers, **update)


def texts_catalogue() -> Any:
    return ENV.get_template("creator/reasons.j2").module


# a contract whose clause review flags what no review answer holds (issue 17): the decision
# counters each clause, and the drafts name the brand's own terms
CONTRACT = ("3. Deliverables. Two (2) Instagram reels and three stories by June 20.\n"
            "4. Fee. A flat fee of $4,000, payable within 75 days of invoice.\n"
            "6. Ownership. Influencer assigns all right, title and interest in the Content.\n"
            "7. Morals. Company may terminate if Influencer brings Company into disrepute.\n"
            "8. Term. This agreement renews automatically for successive 12-month terms.\n"
            "9. Usage. Company may use the Content in all media in perpetuity.")


@cache
def grid() -> list[dict[str, Any]]:
    """The decision summaries of every answer set, with the long names; and some of a review
    begun from a brand's contract."""
    reading = read_offer(CONTRACT)
    from_message = [SPEC.summarize(decided_at({**answers, **reading.answers()},
                                              offer=reading.model_dump(mode="json")))
                    for answers in list(answer_sets())[:12]]
    return [*(SPEC.summarize(decided_at(answers))
              for answers in answer_sets(LONG_BRAND, LONG_PRODUCT)), *from_message]


def test_every_reason_flag_and_counter_point_the_rules_produce_has_words() -> None:
    texts = texts_catalogue()

    for summary in grid():
        for reason in summary["decision"]["reasons"]:
            assert reason["code"] in texts.reasons
        for flag in summary["decision"]["flags"]:
            assert flag["code"] in texts.flags
        for code in summary["counter_points"]:
            assert code in texts.ask_instead


def test_the_answer_grid_is_thorough() -> None:
    """Every code there are words for is produced by some answer set of the grid, so the render
    tests below cover them all (the plain reasons of gate answers are always replaced)."""
    produced = {r["code"] for s in grid() for r in s["decision"]["reasons"]}
    produced |= {f["code"] for s in grid() for f in s["decision"]["flags"]}
    produced |= {code for s in grid() for code in s["counter_points"]}
    texts = texts_catalogue()
    gate_answers = {f"{q.id}.{value}" for q in QUESTIONS.questions for value in q.gate}

    worded = set(texts.reasons) | set(texts.flags) | set(texts.ask_instead)
    assert worded - produced <= gate_answers


# --- Telegram's rules for a message ---------------------------------------------------------------

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "tg-spoiler", "span", "blockquote", "tg-emoji"}
_TAG = re.compile(r"<(/?)([a-z-]+)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def assert_telegram_message(markup: str, where: str) -> None:
    """Fits one message, uses only Telegram's tags, properly nested, with nothing unescaped."""
    assert markup.strip(), f"{where} renders empty"
    assert visible_length(markup) <= MESSAGE_LIMIT, f"{where} is too long"
    open_tags: list[str] = []
    for closing, tag in _TAG.findall(markup):
        assert tag in TELEGRAM_TAGS, f"{where}: <{tag}> is not Telegram HTML"
        if closing:
            assert open_tags and open_tags.pop() == tag, f"{where}: </{tag}> out of order"
        else:
            open_tags.append(tag)
    assert not open_tags, f"{where}: <{open_tags[-1]}> is never closed"
    assert_no_stray_blank_lines(markup, where)
    bare = _ENTITY.sub("", _TAG.sub("", markup))
    for char in "<>&":
        assert char not in bare, f"{where}: a bare {char!r} would break Telegram's parser"


# --- sample contexts for every template ----------------------------------------------------------

def _question_contexts() -> Iterator[tuple[str, dict[str, Any]]]:
    for brand, product in NAMES:
        for question in QUESTIONS.questions:
            context = {"brand": brand, "product": product}
            yield f"creator/questions/{question.id}.j2", context
            base = {"flow": SPEC.name, **context, "question": question.id, "kind": question.kind,
                    "number": 25, "total": 25, "options": list(question.option_ids()),
                    "editing": None, "current": None, "problem": None, "notice": None}
            yield "common/ask.j2", base
            for notice in NOTICES:
                yield "common/ask.j2", {**base, "notice": notice}
            for problem in PROBLEMS:
                yield "common/ask.j2", {**base, "problem": problem}
            for option in question.option_ids() or ("typed",):
                current: Any = option
                if question.kind == "money" and option == "typed":
                    current = {"amount": "99999999.99", "currency": "CHF"}
                elif question.kind == "text":
                    current = brand
                yield "common/ask.j2", {**base, "editing": question.id, "current": current,
                                        "notice": NOTICES[0], "problem": PROBLEMS[0]}
                yield "common/answered.j2", {**base, "value": current}
                yield "common/undone.j2", {**base, "value": current}
            if question.optional:
                yield "common/answered.j2", {**base, "value": "skipped"}


def _flow_contexts() -> Iterator[tuple[str, dict[str, Any]]]:
    """The contexts the flow itself builds: review, notices, cancel, answered, first question."""
    for brand, product in NAMES:
        talk = review(brand=brand, product=product)
        for reply in talk.replies:
            yield reply.template, reply.context
        for part in ("", "offer", "terms"):  # "Change an answer": the parts, a part's answers
            yield from ((r.template, r.context) for r in talk.then(change(part)).replies)
        for notice in NOTICES:
            yield "common/review.j2", {**talk.replies[-1].context, "notice": notice}
            yield "common/notice.j2", {**talk.replies[-1].context, "notice": notice}
        for reply in walk(brand).then(CANCEL).replies:
            yield reply.template, reply.context
        for reply in talk.then(CONFIRM).replies:
            yield reply.template, reply.context


def _decision_contexts() -> Iterator[tuple[str, dict[str, Any]]]:
    for summary in grid():
        yield "creator/decision.j2", summary
        yield "creator/export.md.j2", summary
        yield "creator/draft.j2", summary
        yield "creator/draft.j2", {**summary, "draft": "counter"}
    for summary in grid()[:: max(1, len(grid()) // 8)]:
        for tone in TONES:
            for kind in DRAFTS:
                context = {**summary, "tone": tone, "draft": kind}
                yield "creator/draft.j2", context
                yield f"creator/drafts/{kind}.j2", context
                yield "common/draft_text.j2", context
    for brand, product in NAMES:
        summary = SPEC.summarize(decided_at({**BASE, "brand": brand, "product": product}))
        for fine in (True, False):
            for tone in TONES:
                context = {**summary, "tone": tone, "draft": "decline", "product_fine": fine}
                yield "creator/drafts/decline.j2", context
    for part in SHARES:
        yield "creator/part_name.j2", {"part": {"part": part}}
    for rel in RELATIONSHIPS:
        yield "creator/relationship_name.j2", {"rel": rel, "brand": LONG_BRAND}


@cache
def extras(template: str) -> dict[str, Any]:
    """A sample for every other value a ``what`` template's branches show (a count, a detail),
    whatever branches are added; ``unknown_*`` stay undefined so an unknown code still fails."""
    names = meta.find_undeclared_variables(ENV.parse((ROOT / template).read_text("utf-8")))
    return {name: "123456789 TELEGRAM_BOT_TOKEN" for name in names
            if name not in ("what", "label", "catalogue_titles")
            and not name.startswith("unknown_")}


def _chat_and_console_contexts() -> Iterator[tuple[str, dict[str, Any]]]:
    for template in ("chat/notice.j2", "chat/toast.j2", "console/messages.j2",
                     "console/postgres.j2"):
        for what in _branches(template):
            for brand in (None, LONG_BRAND, HOSTILE_BRAND):
                yield template, {**extras(template), "what": what, "brand": brand}
    for name in (None, "Ana", HOSTILE_BRAND, "𝐍" * 64):
        for brand in (None, LONG_BRAND, HOSTILE_BRAND):
            for in_progress, decided, cancelled in ((True, False, False), (False, False, False),
                                                    (False, True, False), (False, False, True)):
                for flow, wanted in (("creator", None), ("creator", "apology"),
                                     ("proposal", "creator"), ("apology", "apology")):
                    yield "chat/start.j2", {"in_progress": in_progress, "decided": decided,
                                            "cancelled": cancelled, "name": name,
                                            "brand": brand, "flow": flow, "wanted": wanted}
    verdicts = [(flow, verdict) for flow in ("creator", "proposal", "apology")
                for verdict in about(flow)["verdicts"]]
    title = f"{LONG_BRAND} · {LONG_PRODUCT}"[:120]  # what the bot keeps as a decision's title
    items = [{"title": title, "flow": verdicts[n % len(verdicts)][0],
              "verdict": verdicts[n % len(verdicts)][1],
              "when": "2026-11-22 03:45 UTC"} for n in range(10)]  # the bot shows 10 at most
    yield "chat/history.j2", {"items": items}
    yield "chat/history.j2", {"items": []}
    yield "chat/history_button.j2", {"n": 3, "title": "Acme · " + "x" * 200}
    yield "chat/history.j2", {"items": [{**items[0], "title": HOSTILE_BRAND}]}
    yield "chat/history_entry.j2", {"when": "2026-11-22 03:45 UTC"}
    for problem in PROBLEMS:
        yield "common/problem.j2", {"problem": problem}
    for deleted in (True, False):
        yield "chat/forgotten.j2", {"deleted": deleted}
    for plain in ("chat/forget_confirm.j2", "chat/forget_kept.j2", "chat/group_help.j2",
                  "chat/privacy.j2"):
        yield plain, {}
    for kept in (True, False):
        yield "common/cancelled.j2", {"kept": kept}
    yield "chat/help.j2", {"flows": private_flows(), "bot_username": "a" * 32}  # the longest


LIBRARIES = {  # templates that define macros or catalogues for the others, rendered empty
    "common/labels.j2", "common/macros.j2", "creator/labels.j2", "creator/reasons.j2",
    "creator/macros.j2", "reading/lengths.j2", "creator/asks.j2", "creator/message_terms.j2",
    "chat/labels.j2", "chat/commands.j2", "chat/description.j2",
    "deal/labels.j2", "deal/macros.j2",
}


@cache
def samples() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {name: [{}] for name in LIBRARIES}
    for source in (_question_contexts, _flow_contexts, _decision_contexts,
                   _chat_and_console_contexts, lambda: deal_contexts(NAMES)):
        for template, context in source():
            found.setdefault(template, []).append(context)
    return found


def test_every_template_has_sample_contexts() -> None:
    missing = [name for name in ALL_TEMPLATES if name not in samples()]
    assert not missing, f"templates with no sample context: {missing}"


@pytest.mark.parametrize("template", ALL_TEMPLATES)
def test_every_template_renders_within_telegram_limits(template: str) -> None:
    contexts = samples().get(template, [])
    assert contexts

    for number, context in enumerate(contexts):
        markup = render(template, context)
        where = f"{template} (sample {number})"
        if template in LIBRARIES:
            assert not markup.strip(), f"{where} should only define things"
            continue
        assert_telegram_message(markup, where)
        assert render_text(template, context).strip()


def test_every_chat_and_console_branch_has_words() -> None:
    for template in ("chat/notice.j2", "chat/toast.j2", "console/messages.j2",
                     "console/postgres.j2"):
        branches = _branches(template)
        assert len(branches) >= 4, template
        texts = {render_text(template, {**extras(template), "what": what})
                 for what in branches}
        assert len(texts) == len(branches), f"{template}: two branches say the same"


def test_a_toast_fits_telegrams_200_characters() -> None:
    for what in _branches("chat/toast.j2"):
        toast = render_text("chat/toast.j2", {**extras("chat/toast.j2"), "what": what})
        assert len(toast) <= 200, what


def test_the_command_menu_is_valid_for_telegram() -> None:
    menus = command_menus()
    assert [c.command for c in menus["private"][:3]] == ["review", "apology", "proposal"]
    assert [c.command for c in menus["group"]] == ["review", "cancel", "help"]
    assert [c.command for c in menus["admin"]] == ["review", "cancel", "help"]
    for command in [command for menu in menus.values() for command in menu]:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.command)
        assert 3 <= len(command.description) <= 256


def test_the_bot_descriptions_fit_telegram() -> None:
    from bot.telegram.profile import descriptions

    description, short = descriptions()
    assert 50 <= len(description) <= 512 and 20 <= len(short) <= 120
    assert "{" not in description + short and "<" not in description + short


def test_an_unknown_code_fails_loudly_rather_than_showing_nothing() -> None:
    with pytest.raises(UndefinedError):
        render("chat/notice.j2", {"what": "no_such_thing"})
    summary = grid()[0]
    broken = {**summary, "decision": {**summary["decision"], "reasons": [
        {"relationship": "community", "code": "no.such", "question": None, "answer": None,
         "positive": False}]}}
    with pytest.raises(UndefinedError):
        render("creator/decision.j2", broken)


# --- the worst case ------------------------------------------------------------------------------

def _card_length(answers: dict[str, Answer]) -> int:
    (card, _) = SPEC.decided(decided_at(answers))
    return visible_length(html_of(opened(card)))


@cache
def worst_answers() -> dict[str, Answer]:
    """Every negative answer and every flag at once, then each answer pushed to the longest."""
    answers: dict[str, Answer] = {
        **BASE, "brand": LONG_BRAND, "product": LONG_PRODUCT, "ask": "one_post",
        "pay": Money(amount=Decimal("1.55")), "usual_rate": Money(amount=Decimal("99999999.99")),
        "money_pressure": "a_lot", "tried": "disliked", "use_unpaid": "unsure",
        "recommend_friend": "unsure", "community_fit": "no", "category": "financial",
        "voice": "scripted", "relationship": "one_off", "deliverables": "rush",
        "community_value": "pitch", "existing_customers": "left_behind", "buyers_glad": "no",
        "label": "not_discussed", "exclusivity": "long_vague", "usage_rights": "whitelisting",
        "payment_terms": "net60_plus", "revisions": "unlimited", "claims": "cannot_back",
        "warning_signs": "unofficial_contact,deadline", "signature": "𝐍" * 40,
    }
    for _ in range(2):
        for question in QUESTIONS.questions:
            if question.kind != "choice":
                continue
            answers[question.id] = max(question.option_ids(),
                                       key=lambda o: _card_length({**answers, question.id: o}))
    return answers


def test_the_worst_case_decision_card_and_drafts_fit_one_message() -> None:
    answers = worst_answers()
    summary = SPEC.summarize(decided_at(answers))
    assert len(summary["decision"]["flags"]) >= 10  # the case is really crowded

    for tone in TONES:
        for kind in DRAFTS:
            card, message = SPEC.decided(decided_at(answers, tone=tone, draft=kind))
            assert_telegram_message(html_of(card), "worst-case card at a glance")
            assert_telegram_message(html_of(opened(card)), "worst-case card, details open")
            assert_telegram_message(html_of(message), f"worst-case {kind} draft, {tone}")


def test_a_crowded_negotiation_card_fits_one_message() -> None:
    """A verdict that shows everything: the score, the money, a reason per answer, every term
    flag with what to ask instead, warning signs and a category's rules, with the longest names."""
    answers: dict[str, Answer] = {
        **BASE, "brand": LONG_BRAND, "product": LONG_PRODUCT, "ask": "few_posts",
        "relationship": "one_off", "pay": Money(amount=Decimal("99999999.99"), currency="CHF"),
        "usual_rate": Money(amount=Decimal("1.55"), currency="KRW"), "money_pressure": "a_lot",
        "tried": "once", "use_unpaid": "yes", "community_fit": "partly", "voice": "scripted",
        "deliverables": "rush", "community_value": "some", "existing_customers": "stretch",
        "buyers_glad": "unsure", "label": "not_discussed", "exclusivity": "long_vague",
        "usage_rights": "whitelisting", "payment_terms": "net60_plus", "revisions": "unlimited",
        "claims": "cannot_back", "warning_signs": "unofficial_contact,deadline",
        "category": "financial", "signature": "𝐍" * 40,
    }
    for tone in TONES:
        for kind in DRAFTS:
            card, message = SPEC.decided(decided_at(answers, tone=tone, draft=kind))
            assert card.context["decision"]["verdict"] == "negotiate"
            assert_telegram_message(html_of(card), "crowded card")
            assert_telegram_message(html_of(message), f"crowded {kind} draft, {tone}")


def test_a_worst_case_review_step_fits_one_message() -> None:
    talk = review(brand=LONG_BRAND, product=LONG_PRODUCT, pay="$99,999,999.99",
                  usual_rate="$99,999,999.99")
    assert_telegram_message(html_of(talk.replies[-1]), "review")


# --- what a user typed is shown, never interpreted -----------------------------------------------

def test_a_typed_brand_is_escaped_in_html_and_verbatim_in_text() -> None:
    talk = review(brand=HOSTILE_BRAND, product=HOSTILE_PRODUCT, label="not_discussed")
    decided = talk.then(CONFIRM)
    replies = [*reach("tried", brand=HOSTILE_BRAND, product=HOSTILE_PRODUCT).replies,
               *talk.replies, *decided.replies, *decided.then(EXPORT).replies]
    for name in TONES:
        replies += decided.then(tone_event(name)).replies
    seen_brand = seen_product = 0
    for reply in replies:
        markup = html_of(reply)
        assert "<b>Acme</b>" not in markup
        assert "<script>" not in markup and "<i>Glow</i>" not in markup
        assert_telegram_message(markup, reply.template)
        if HOSTILE_BRAND in text_of(reply):
            seen_brand += 1
            assert str(escape(HOSTILE_BRAND)) in markup
        seen_product += HOSTILE_PRODUCT in text_of(reply)
    assert seen_brand >= 4  # review, card, draft, export
    assert seen_product >= 4


def test_every_template_compiles_as_the_bot_warms_them_at_start() -> None:
    names = template_names()
    assert "common/ask.j2" in names and "creator/decision.j2" in names
    for name in names:
        ENV.get_template(name)  # a syntax error would surface here, not in a user's chat
