"""Options and arguments every command shares, declared once: ``-C``, ``--json``, stacks and projects.

Shell completion (``aifactory --install-completion``) completes stack names from the
``Pulumi.<stack>.yaml`` files and projects from the project file names of the ``-C`` folder,
without validating anything.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from aifactory.cli.exits import mark_json_output
from aifactory.config.loader import stack_names

__all__ = ["JsonFlag", "ProjectDir", "ProjectOption", "StackArgument", "complete_projects", "complete_stacks"]


def _folder(ctx: typer.Context) -> Path:
    value = ctx.params.get("project_dir")
    return value if isinstance(value, Path) else Path()


def complete_stacks(ctx: typer.Context, incomplete: str) -> list[str]:
    """Stack names with a ``Pulumi.<stack>.yaml`` in the ``-C`` folder."""
    return [name for name in stack_names(_folder(ctx)) if name.startswith(incomplete)]


def complete_projects(ctx: typer.Context, incomplete: str) -> list[str]:
    """Project ids and names from the file names in ``projects/`` (``001-fraud.yaml`` -> ``1``, ``fraud``)."""
    try:
        names = sorted(os.listdir(_folder(ctx) / "projects"))
    except OSError:
        return []
    found: list[str] = []
    for name in names:
        stem, dash, slug = name.removesuffix(".yaml").partition("-")
        if name.endswith(".yaml") and dash and stem.isdigit():
            found.extend(c for c in (str(int(stem)), slug) if c.startswith(incomplete))
    return found


ProjectDir = Annotated[
    Path,
    typer.Option(
        "--project-dir",
        "-C",
        help="Folder with Pulumi.yaml, the stack files and projects/. Default: the current folder.",
        show_default=False,
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]
JsonFlag = Annotated[
    bool,
    typer.Option("--json", callback=mark_json_output, help="Print JSON on stdout (problems too) for CI."),
]
StackArgument = Annotated[
    str, typer.Argument(help="Stack (environment), e.g. dev.", autocompletion=complete_stacks, show_default=False)
]
ProjectOption = Annotated[
    str | None,
    typer.Option(
        "--project", "-p", help="One project, by id (7) or name (fraud-detection).", autocompletion=complete_projects
    ),
]
