"""``aifactory affected`` and ``aifactory diagram``: what a pull request touches, and how it looks.

Both load, call the pure library and print. Invalid configuration exits 1 with every problem; a bad
command line (unknown git revision, not a repository, a project the stack does not deploy) exits 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from aifactory.cli.console import console, err_console
from aifactory.cli.options import ProjectDir, StackArgument
from aifactory.delivery.factory_stacks import affected_since
from aifactory.delivery.git import GitError
from aifactory.diagram import environment_diagram, project_diagram, to_mermaid, to_svg
from aifactory.offline.stack_run import load_plan

__all__ = ["affected", "diagram"]

DiagramFormat = Literal["svg", "mermaid"]
_SUFFIX_FORMATS: dict[str, DiagramFormat] = {".svg": "svg", ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid"}


def affected(
    against: Annotated[str, typer.Option("--against", help="Git revision to compare with, e.g. origin/main.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print {stacks, reasons} as JSON (for a CI matrix).")] = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """List the stacks the changes since a revision touch, in deployment order (one per line)."""
    try:
        result = affected_since(project_dir, against)
    except GitError as exc:
        err_console.print(f"[bold red]git:[/] {escape(str(exc))}")
        err_console.print(f"fix: run inside the factory's git repository and fetch {escape(repr(against))} first")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(json.dumps(result.as_document(), indent=1) + "\n")
        return
    for stack in result.stacks:
        console.print(stack)


def diagram(
    stack: StackArgument,
    project: Annotated[int | None, typer.Option("--project", "-p", help="Draw one project instead.")] = None,
    output_format: Annotated[
        DiagramFormat | None,
        typer.Option("--format", "-f", help="svg or mermaid. Default: from the --out suffix, else mermaid."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file. Default: stdout.")] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Draw the environment (VNets, shards, peering, hub, DNS mode) or one project's services and endpoints."""
    plan = load_plan(project_dir, stack)  # bad input: exit 1 with the report (aifactory.cli.exits)
    if project is not None and project not in {p.spec.id for p in plan.projects}:
        known = ", ".join(str(p.spec.id) for p in plan.projects) or "none"
        err_console.print(f"[bold red]project {project} is not deployed in {escape(stack)}[/]; projects there: {known}")
        raise typer.Exit(2)
    picture = environment_diagram(plan) if project is None else project_diagram(plan, project)
    chosen = output_format or (_SUFFIX_FORMATS.get(out.suffix.lower(), "mermaid") if out else "mermaid")
    text = to_svg(picture) if chosen == "svg" else to_mermaid(picture)
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {escape(str(out))}")
