"""A self-contained SVG of a :class:`Diagram`, laid out here (no Graphviz binary needed).

Layout: each group is a column, left to right in diagram order, its nodes stacked inside it; boxes
are as wide as their longest label. A line between neighbouring columns runs through the gap
between them; a line that would cross a column instead leaves through the gap next to its source,
runs along its own lane above the groups and comes down in the gap next to its target, so no line
passes over a box. The result depends only on the diagram: a committed SVG can be compared byte
for byte.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from aifactory.diagram.model import Diagram, Edge, NodeKind

__all__ = ["to_svg"]

_CHAR = 7  # average advance of a 12px sans-serif character, generous so text stays inside its box
_MIN_NODE_WIDTH = 220
_GROUP_PAD = 14
_COLUMN_GAP = 110
_LINE = 16
_NODE_PAD = 8
_NODE_GAP = 10
_TITLE = 44
_LANE = 18
_GROUP_TITLE = 26
_FILL: dict[NodeKind, str] = {
    "vnet": "#e8f1fb",
    "subnet": "#e8f1fb",
    "project": "#eef7ea",
    "service": "#fff4e0",
    "zone": "#f3ecfa",
    "dns": "#f3ecfa",
    "hub": "#f0f0f0",
    "firewall": "#fde8e8",
    "note": "#ffffff",
}


@dataclass(frozen=True)
class _Box:
    x: int
    y: int
    width: int
    height: int
    column: int

    @property
    def middle_y(self) -> int:
        return self.y + self.height // 2

    @property
    def right(self) -> int:
        return self.x + self.width


def _long_edges(diagram: Diagram, columns: dict[str, int]) -> list[Edge]:
    return [e for e in diagram.edges if abs(columns[e.source] - columns[e.target]) > 1]


def _columns(diagram: Diagram) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, group in enumerate(diagram.groups):
        columns[group.id] = index
        for node in group.nodes:
            columns[node.id] = index
    return columns


def _layout(diagram: Diagram, lanes: int) -> tuple[dict[str, _Box], int, int]:
    boxes: dict[str, _Box] = {}
    top = _TITLE + lanes * _LANE + (_LANE if lanes else 0)
    x = _GROUP_PAD
    bottom = top
    for column, group in enumerate(diagram.groups):
        longest = max([len(line) for node in group.nodes for line in node.lines] or [0])
        node_width = max(_MIN_NODE_WIDTH, longest * _CHAR + 2 * _NODE_PAD)
        width = max(node_width + 2 * _GROUP_PAD, len(group.label) * (_CHAR + 1) + 16)
        node_width = width - 2 * _GROUP_PAD
        y = top + _GROUP_TITLE
        for node in group.nodes:
            height = _NODE_PAD * 2 + _LINE * len(node.lines)
            boxes[node.id] = _Box(x + _GROUP_PAD, y, node_width, height, column)
            y += height + _NODE_GAP
        height = max(y - top, _GROUP_TITLE + 30)
        boxes[group.id] = _Box(x, top, width, height, column)
        bottom = max(bottom, top + height)
        x += width + _COLUMN_GAP
    return boxes, x - _COLUMN_GAP + _GROUP_PAD, bottom + _GROUP_PAD


def _neighbour_path(source: _Box, target: _Box, near: str) -> tuple[str, int, int]:
    """A curve through the gap; its label sits near the end it shares with no other line (``near``)."""
    if source.column == target.column:
        x = source.right
        bend = x + _COLUMN_GAP // 2
        path = f"M{x},{source.middle_y} C{bend},{source.middle_y} {bend},{target.middle_y} {x},{target.middle_y}"
        return path, bend - 4, (source.middle_y + target.middle_y) // 2
    rightwards = source.column < target.column
    x1 = source.right if rightwards else source.x
    x2 = target.x if rightwards else target.right
    y1, y2 = source.middle_y, target.middle_y
    mid = (x1 + x2) // 2
    path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
    if near == "source":
        return path, x1 + (x2 - x1) // 3, y1
    if near == "target":
        return path, x2 - (x2 - x1) // 3, y2
    return path, mid, (y1 + y2) // 2


def _lane_path(source: _Box, target: _Box, lane: int) -> tuple[str, int, int]:
    """Out through the gap beside the source, along lane ``lane`` above the groups, down beside the target."""
    lane_y = _TITLE + lane * _LANE + _LANE // 2
    offset = 14 + 8 * (lane % 6)
    rightwards = source.column < target.column
    x1 = source.right if rightwards else source.x
    gap_source = x1 + offset if rightwards else x1 - offset
    x2 = target.x if rightwards else target.right
    gap_target = x2 - offset if rightwards else x2 + offset
    y1, y2 = source.middle_y, target.middle_y
    path = f"M{x1},{y1} L{gap_source},{y1} L{gap_source},{lane_y} L{gap_target},{lane_y} L{gap_target},{y2} L{x2},{y2}"
    return path, (gap_source + gap_target) // 2, lane_y + 4


def _edge(edge: Edge, boxes: dict[str, _Box], lane: int | None, near: str) -> list[str]:
    source, target = boxes[edge.source], boxes[edge.target]
    if lane is None:
        path, label_x, label_y = _neighbour_path(source, target, near)
    else:
        path, label_x, label_y = _lane_path(source, target, lane)
    attrs = 'fill="none" stroke="#555" stroke-width="1.4" marker-end="url(#arrow)"'
    if edge.both:
        attrs += ' marker-start="url(#arrow-start)"'
    if edge.dashed:
        attrs += ' stroke-dasharray="6 4"'
    out = [
        f'<path class="edge" data-source={quoteattr(edge.source)} data-target={quoteattr(edge.target)} '
        f'd="{path}" {attrs}/>'
    ]
    if edge.label:
        width = len(edge.label) * 6 + 6
        out.append(
            f'<rect class="edge-label-bg" x="{label_x - width // 2}" y="{label_y - 15}" width="{width}" '
            f'height="14" fill="#ffffff" opacity="0.85"/>'
            f'<text class="edge-label" x="{label_x}" y="{label_y - 4}" text-anchor="middle" font-size="11" '
            f'fill="#333">{escape(edge.label)}</text>'
        )
    return out


def to_svg(diagram: Diagram) -> str:
    """The diagram as SVG 1.1 text."""
    columns = _columns(diagram)
    long_edges = _long_edges(diagram, columns)
    lanes = {id(edge): index for index, edge in enumerate(long_edges)}
    boxes, width, height = _layout(diagram, len(long_edges))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif">',
        f"<title>{escape(diagram.title)}</title>",
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
        '<marker id="arrow-start" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="#555"/></marker>',
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text class="title" x="{_GROUP_PAD}" y="28" font-size="18" font-weight="bold">{escape(diagram.title)}</text>',
    ]
    for group in diagram.groups:
        box = boxes[group.id]
        out.append(
            f'<g class="group" id={quoteattr(group.id)}><rect x="{box.x}" y="{box.y}" width="{box.width}" '
            f'height="{box.height}" rx="8" fill="#fafafa" stroke="#999"/>'
            f'<text x="{box.x + 8}" y="{box.y + 18}" font-size="12" font-weight="bold">{escape(group.label)}</text>'
        )
        for node in group.nodes:
            nb = boxes[node.id]
            out.append(
                f'<g class="node" id={quoteattr(node.id)} data-kind="{node.kind}"><rect x="{nb.x}" y="{nb.y}" '
                f'width="{nb.width}" height="{nb.height}" rx="5" fill="{_FILL[node.kind]}" stroke="#777"/>'
            )
            for index, line in enumerate(node.lines):
                y = nb.y + _NODE_PAD + _LINE * (index + 1) - 4
                out.append(f'<text x="{nb.x + 8}" y="{y}" font-size="12">{escape(line)}</text>')
            out.append("</g>")
        out.append("</g>")
    sources = Counter(e.source for e in diagram.edges)
    targets = Counter(e.target for e in diagram.edges)
    for edge in diagram.edges:
        if edge.both:
            near = "middle"
        else:
            near = "source" if sources[edge.source] == 1 else "target" if targets[edge.target] == 1 else "middle"
        out.extend(_edge(edge, boxes, lanes.get(id(edge)), near))
    out.append("</svg>")
    return "\n".join(out) + "\n"
