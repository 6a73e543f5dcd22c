"""Flow diagrams drawn by ``transitions`` itself from the same declarations as the live machine.

The live machine is a plain ``Machine``; the diagram comes from a ``GraphMachine`` built by the same
``build_machine`` call, so the picture cannot drift from the code.
"""

from __future__ import annotations

from transitions import Machine
from transitions.extensions import GraphMachine

from flows.engine import FlowSpec
from flows.machine import build_machine


class _Sketch:
    """A model for the graph machine to draw (the live machine has none)."""


def mermaid(spec: FlowSpec) -> str:
    """The flow's state diagram as Mermaid source."""
    return draw(build_machine(spec.questions, GraphMachine, graph_engine="mermaid",
                              show_conditions=True, title=f"{spec.name} flow"))


def draw(machine: Machine) -> str:
    """A graph machine's diagram (built with ``graph_engine="mermaid"``) as Mermaid source."""
    sketch = _Sketch()
    machine.add_model(sketch)
    source: str = sketch.get_graph().draw(None)  # type: ignore[attr-defined]
    return source.strip() + "\n"
