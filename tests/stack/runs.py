"""Whole-stack runs shared by the stack and layout tests: each stack is planned once per session.

``shipped(stack)`` plans the repository's own stack file; ``in_layout(stack, layout)`` plans a copy
of the repository whose stack file uses ``layout`` (the shipped run when it already does).
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

import yaml

from aifactory.offline.stack_run import StackPlan, run_stack
from tests.support import REPO, shipped_stack

__all__ = ["copy_of_repo", "in_layout", "layout_folder", "set_layout", "shipped", "without_stack"]


shipped = shipped_stack
"""The shipped stack's offline run, once per session (shared with every other test that plans it)."""


def copy_of_repo(target: Path) -> Path:
    """The program, stack files and example projects in ``target`` (plans there leave the repo alone)."""
    for path in REPO.glob("Pulumi*.yaml"):
        shutil.copy(path, target / path.name)
    shutil.copy(REPO / "__main__.py", target / "__main__.py")
    shutil.copytree(REPO / "projects", target / "projects")
    return target


def set_layout(folder: Path, stack: str, layout: str) -> None:
    path = folder / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(path.read_text())
    document["config"]["aifactory:layout"] = layout
    path.write_text(yaml.safe_dump(document, sort_keys=False))


@cache
def layout_folder(stack: str, layout: str) -> Path:
    """A copy of the repository whose ``stack`` uses ``layout`` (the repository itself when it does)."""
    if shipped(stack).layout == layout:
        return REPO
    folder = copy_of_repo(Path(tempfile.mkdtemp(prefix=f"aifactory-{stack}-{layout}-")))
    set_layout(folder, stack, layout)
    return folder


@cache
def in_layout(stack: str, layout: str) -> StackPlan:
    folder = layout_folder(stack, layout)
    return shipped(stack) if folder == REPO else run_stack(folder, stack, jobs=2)


def without_stack(urn: str, stack: str) -> str:
    """``urn`` with its stack name replaced, so URNs of different stacks compare."""
    prefix = f"urn:pulumi:{stack}::"
    assert urn.startswith(prefix), urn
    return "urn:pulumi:*::" + urn[len(prefix) :]
