"""Flow diagrams drawn by ``transitions`` itself from the same declarations as the live machine.

The live machine is a plain ``Machine``; the diagram comes from a ``GraphMachine`` built from the
same states and transitions, so the picture cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine
from transitions.extensions import GraphMachine

from flows.machine import machine_of


class _Sketch:
    """A model for the graph machine to draw (the live machine has none)."""


def mermaid(name: str, states: list[str], transitions: list[dict[str, Any]]) -> str:
    """A flow's state diagram as Mermaid source, from the states and transitions its live machine
    is built from."""
    return draw(machine_of(states, transitions, GraphMachine, graph_engine="mermaid",
                           show_conditions=True, title=f"{name} flow"))


def draw(machine: Machine) -> str:
    """A graph machine's diagram (built with ``graph_engine="mermaid"``) as Mermaid source."""
    sketch = _Sketch()
    machine.add_model(sketch)
    source: str = sketch.get_graph().draw(None)  # type: ignore[attr-defined]
    return source.strip() + "\n"
