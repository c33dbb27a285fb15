"""A self-contained SVG of a :class:`Diagram`, laid out here (no Graphviz binary needed).

Layout: each group is a column, left to right in diagram order, its nodes stacked inside it.
Lines run between the facing sides of their ends (or loop on the right within one column). The
result depends only on the diagram, so a committed SVG can be compared byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from aifactory.diagram.model import Diagram, Edge, NodeKind

__all__ = ["to_svg"]

_NODE_WIDTH = 280
_GROUP_PAD = 14
_COLUMN_GAP = 90
_LINE = 16
_NODE_PAD = 8
_NODE_GAP = 10
_TITLE = 44
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


def _layout(diagram: Diagram) -> tuple[dict[str, _Box], int, int]:
    boxes: dict[str, _Box] = {}
    x = _GROUP_PAD
    bottom = _TITLE
    for column, group in enumerate(diagram.groups):
        y = _TITLE + _GROUP_TITLE
        for node in group.nodes:
            height = _NODE_PAD * 2 + _LINE * len(node.lines)
            boxes[node.id] = _Box(x + _GROUP_PAD, y, _NODE_WIDTH, height, column)
            y += height + _NODE_GAP
        group_height = max(y - _TITLE, _GROUP_TITLE + 30)
        boxes[group.id] = _Box(x, _TITLE, _NODE_WIDTH + 2 * _GROUP_PAD, group_height, column)
        bottom = max(bottom, _TITLE + group_height)
        x += _NODE_WIDTH + 2 * _GROUP_PAD + _COLUMN_GAP
    return boxes, x - _COLUMN_GAP + _GROUP_PAD, bottom + _GROUP_PAD


def _path(source: _Box, target: _Box) -> tuple[str, int, int]:
    if source.column == target.column:
        x = source.x + source.width
        bend = x + _COLUMN_GAP // 2
        path = f"M{x},{source.middle_y} C{bend},{source.middle_y} {bend},{target.middle_y} {x},{target.middle_y}"
        return path, bend - 4, (source.middle_y + target.middle_y) // 2
    left, right = (source, target) if source.column < target.column else (target, source)
    x1, x2 = left.x + left.width, right.x
    y1, y2 = left.middle_y, right.middle_y
    if left is not source:
        x1, y1, x2, y2 = x2, y2, x1, y1
    mid = (x1 + x2) // 2
    return f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}", mid, (y1 + y2) // 2


def _edge(edge: Edge, boxes: dict[str, _Box]) -> list[str]:
    path, label_x, label_y = _path(boxes[edge.source], boxes[edge.target])
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
        out.append(
            f'<text class="edge-label" x="{label_x}" y="{label_y - 4}" text-anchor="middle" font-size="11" '
            f'fill="#333">{escape(edge.label)}</text>'
        )
    return out


def to_svg(diagram: Diagram) -> str:
    """The diagram as SVG 1.1 text."""
    boxes, width, height = _layout(diagram)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Segoe UI, Helvetica, Arial, sans-serif">',
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
    for edge in diagram.edges:
        out.extend(_edge(edge, boxes))
    out.append("</svg>")
    return "\n".join(out) + "\n"
