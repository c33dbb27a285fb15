"""Diagrams of the plan: environment and project views, as Mermaid text or a laid-out SVG."""

from aifactory.diagram.build import environment_diagram, project_diagram
from aifactory.diagram.mermaid import to_mermaid
from aifactory.diagram.model import Diagram, Edge, Group, Node
from aifactory.diagram.svg import to_svg

__all__ = ["Diagram", "Edge", "Group", "Node", "environment_diagram", "project_diagram", "to_mermaid", "to_svg"]
