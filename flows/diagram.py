"""Flow diagrams drawn by ``transitions`` itself from the same declarations as the live machine.

The live machine is a plain ``Machine``; the diagram comes from a ``GraphMachine`` built by the same
``build_machine`` call, so the picture cannot drift from the code.
"""

from __future__ import annotations

from typing import Protocol

from transitions.extensions import GraphMachine

from flows.machine import build_machine
from flows.questions import QuestionSet


class _Sketch:
    """A model for the graph machine to draw (the live machine has none)."""


class Form(Protocol):
    """A flow built from questions: its name and its question set."""

    @property
    def name(self) -> str: ...

    @property
    def questions(self) -> QuestionSet: ...


def mermaid(spec: Form) -> str:
    """The flow's state diagram as Mermaid source."""
    machine = build_machine(spec.questions, GraphMachine, graph_engine="mermaid",
                            show_conditions=True, title=f"{spec.name} flow")
    sketch = _Sketch()
    machine.add_model(sketch)
    source: str = sketch.get_graph().draw(None)  # type: ignore[attr-defined]
    return source.strip() + "\n"
