"""Generated documentation: references from the models, component pages, diagrams of the shipped stacks.

``python -m aifactory.docsgen`` rewrites them under ``docs/``; tests keep the committed pages in sync.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from aifactory.docsgen.components import component_pages
from aifactory.docsgen.diagrams import diagram_pages
from aifactory.docsgen.reference import project_reference, stack_reference
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan

__all__ = ["SHIPPED_STACKS", "component_pages", "diagram_pages", "generated_pages", "reference_pages", "write_pages"]

SHIPPED_STACKS = ("dev", "stage", "prod")
COMPONENT_STACKS = ("dev", "prod")
"""The component pages count children in these runs: standalone DNS with Bastion (dev), hub mode (prod)."""


def reference_pages() -> dict[str, str]:
    return {"reference/stack-config.md": stack_reference(), "reference/project-file.md": project_reference()}


def generated_pages(plans: Mapping[str, FactoryPlan], runs: Mapping[str, OfflineRun]) -> dict[str, str]:
    """Every generated file by path relative to ``docs/``."""
    return {**reference_pages(), **diagram_pages(plans), **component_pages(runs)}


def write_pages(docs_dir: Path, pages: Mapping[str, str]) -> list[Path]:
    written = []
    for relative, text in sorted(pages.items()):
        path = docs_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
