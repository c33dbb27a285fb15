"""A diagram as plain data: boxes in groups and the lines between them, before any rendering."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagram", "Edge", "Group", "Node", "NodeKind"]

NodeKind = Literal["vnet", "subnet", "project", "service", "zone", "dns", "hub", "firewall", "note"]


@dataclass(frozen=True)
class Node:
    """A box: an id unique in the diagram, one or more label lines and a kind (for styling)."""

    id: str
    lines: tuple[str, ...]
    kind: NodeKind


@dataclass(frozen=True)
class Group:
    """A labelled frame around nodes: a VNet, a project's services, the hub."""

    id: str
    label: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Edge:
    """A line between two nodes or groups; ``both`` draws arrows at both ends (peering)."""

    source: str
    target: str
    label: str = ""
    dashed: bool = False
    both: bool = False


@dataclass(frozen=True)
class Diagram:
    title: str
    groups: tuple[Group, ...]
    edges: tuple[Edge, ...] = ()

    def nodes(self) -> Iterator[Node]:
        for group in self.groups:
            yield from group.nodes

    def ids(self) -> set[str]:
        """Every id an edge may name (groups and nodes)."""
        return {g.id for g in self.groups} | {n.id for n in self.nodes()}
