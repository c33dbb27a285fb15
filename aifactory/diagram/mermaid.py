"""Mermaid flowchart text of a :class:`Diagram`: GitHub renders it in PR comments, the docs site too."""

from __future__ import annotations

from aifactory.diagram.model import Diagram, Edge

__all__ = ["to_mermaid"]


def _text(lines: tuple[str, ...] | list[str]) -> str:
    # Mermaid labels are quoted strings; a quote is written as an entity, lines break with <br/>.
    return "<br/>".join(line.replace('"', "#quot;") for line in lines)


def _arrow(edge: Edge) -> str:
    body = ("<" if edge.both else "") + ("-.->" if edge.dashed else "-->")
    return f"{body}|{_text([edge.label])}|" if edge.label else body


def to_mermaid(diagram: Diagram) -> str:
    """Deterministic text: same diagram, same bytes."""
    title = diagram.title.replace("\\", "\\\\").replace('"', '\\"')
    out = ["---", f'title: "{title}"', "---", "flowchart LR"]
    for group in diagram.groups:
        out.append(f'    subgraph {group.id}["{_text([group.label])}"]')
        out.extend(f'        {node.id}["{_text(node.lines)}"]' for node in group.nodes)
        out.append("    end")
    out.extend(f"    {edge.source} {_arrow(edge)} {edge.target}" for edge in diagram.edges)
    return "\n".join(out) + "\n"
