"""What a flow hands back to a transport: events in, replies out, as data rather than text.

A ``Reply`` names a template under ``prompts/`` and the context to render it with; only ``bot/``
renders and sends it. Buttons carry a label key (looked up in the prompts' label catalogues) and
the ``Event`` a press means.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Verb = Literal[
    "begin",  # start this flow from scratch
    "answer",  # typed text, or the id of a chosen option in ``arg``
    "back",
    "cancel",
    "restart",
    "edit",  # ``arg`` is the question id to change (from the review step)
    "change",  # the review step's "Change an answer": its parts, or ``arg``: one part's answers
    "confirm",  # from the review step: show me the recommendation
    "skip",
    "tone",  # ``arg``: warm / professional / brief
    "draft",  # ``arg``: which draft to show (accept / counter / sample / decline)
    "resume",  # show the current step again
    "reopen",  # a cancelled conversation taken up again where it stopped (for a day)
    "details",  # the decision card opened in place (``arg`` "open") or closed again ("close")
    "export",  # the whole decision as a Markdown document
    "fix",  # a fact read from a brand's message: ``arg`` "" (or "list") lists them, "more"
    #         the next ones, "done" closes the list, a fact's code opens it to be corrected
    "unsay",  # ``arg``: the code of a fact the brand's message does not state after all
    "pick",  # tick or untick ``arg`` on a question that takes several answers
    "handoff",  # ask the transport for a link that hands the result to someone else
    "track",  # follow the decision as a deal (the transport's deals service acts on it)
    "join",  # a team review: take part in the vote
    "start",  # a team review: the lead opens the voting
    "vote",  # a team review: ``arg`` is the option voted for on the current question
    "next",  # a team review: close the current question (lead or group admin)
    "leave",  # a team review: a member left the group
    "stray",  # typed in reply to a message that asks nothing now (its question answered or
    #           moved past): no answer, at most a pointer to the current question
]
GROUP_VERBS: frozenset[Verb] = frozenset({"join", "start", "vote", "next", "leave",
                                          "stray"})  # groups only


class Actor(BaseModel):
    """Who did it, where that matters (a group): their id, first name and admin rights."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    name: str = ""
    admin: bool = False


class Event(BaseModel):
    """Something the user did: typed text, pressed a button or sent a command."""

    model_config = ConfigDict(frozen=True)

    verb: Verb
    arg: str = ""
    actor: Actor | None = None


class Button(BaseModel):
    """One inline button: ``label`` is a key of a prompts label catalogue."""

    model_config = ConfigDict(frozen=True)

    label: str
    event: Event
    ticked: bool = False  # shown with a tick: an option already picked


Place = Literal["new", "replace", "retract"]


class Reply(BaseModel):
    """One message to show: a template, its context, and buttons in rows.

    ``place="replace"`` asks the transport to rewrite the message that showed the step just
    answered (without its buttons) instead of sending a new one; ``document`` asks it to send the
    rendered template as a file of that name. ``settles``: a question's answered line, which a
    transport may show at the top of the next step's message instead of on its own (an answer
    given by a button on that message). ``place="retract"``: an answer taken back (Back); a
    transport that still shows that question's answered line rewrites it to this reply.
    ``quote``: sent as a reply to the person's own message the update came with (a pointer in a
    busy group chat, so that its author sees it is for them).
    """

    template: str
    context: dict[str, Any] = Field(default_factory=dict)
    buttons: list[list[Button]] = Field(default_factory=list)
    place: Place = "new"
    document: str | None = None
    batch: bool = False  # an edit that may wait and merge with the next ones (live tallies)
    settles: bool = False
    quote: bool = False
