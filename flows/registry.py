"""Every flow the bot offers: one line each. Commands, menus, callback codes and help are
derived from what each flow declares (``flows.flow.Flow``)."""

from __future__ import annotations

from collections.abc import Iterator

from flows.apology.flow import SPEC as APOLOGY
from flows.creator.flow import SPEC as CREATOR
from flows.flow import Flow
from flows.proposal.flow import SPEC as PROPOSAL
from flows.team.flow import FLOW as TEAM


class Registry:
    """The flows by name, with what is derived from them kept up to date as flows are added."""

    def __init__(self, *flows: Flow) -> None:
        self._flows: dict[str, Flow] = {}
        self.by_code: dict[str, Flow] = {}
        for flow in flows:
            self.add(flow)

    def add(self, flow: Flow) -> None:
        """Offer ``flow`` too; its name and its code must be new."""
        if flow.name in self._flows or flow.code in self.by_code:
            raise ValueError(f"flow {flow.name!r} (code {flow.code!r}) is registered already")
        self._flows[flow.name] = flow
        self.by_code[flow.code] = flow

    def remove(self, name: str) -> None:
        flow = self._flows.pop(name)
        del self.by_code[flow.code]

    def __getitem__(self, name: str) -> Flow:
        return self._flows[name]

    def __contains__(self, name: object) -> bool:
        return name in self._flows

    def __iter__(self) -> Iterator[str]:
        return iter(self._flows)

    def __len__(self) -> int:
        return len(self._flows)

    def values(self) -> list[Flow]:
        return list(self._flows.values())

    def items(self) -> list[tuple[str, Flow]]:
        return list(self._flows.items())

    def private(self) -> list[Flow]:
        """What a person runs on their own, in the order of the menu."""
        return [flow for flow in self._flows.values() if flow.scope == "private"]

    def started_by(self, command: str, scope: str) -> Flow | None:
        """The flow ``/command`` starts in a chat of ``scope``, if any."""
        return next((flow for flow in self._flows.values()
                     if flow.scope == scope and command in flow.commands), None)

    def by_menu(self, action: str) -> Flow | None:
        """The private flow whose menu entry is ``action`` (its first command)."""
        return next((flow for flow in self.private() if flow.commands[0] == action), None)


FLOWS = Registry(CREATOR, APOLOGY, PROPOSAL, TEAM)
DEFAULT_FLOW = CREATOR.name
