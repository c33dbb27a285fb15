"""``aifactory diff``: what a change does to every project, planned offline on both sides.

Exit codes (the issue prescribes them for this command): 0 nothing flagged, 1 something flagged,
2 error - bad input, unknown revision, not a git repository, or a plan that fails on either side.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from aifactory.cli.console import console, err_console, print_config_error
from aifactory.cli.options import ProjectDir
from aifactory.diff.render import diff_document, render_markdown, render_text
from aifactory.diff.revisions import PlanError, diff_against
from aifactory.errors import ConfigError

__all__ = ["diff_command"]

OutputFormat = Literal["text", "markdown", "json"]
NOTHING_FLAGGED = 0
FLAGGED = 1
FAILED = 2


def diff_command(
    stack: Annotated[str, typer.Argument(help="Stack (environment) to compare, e.g. dev.")],
    against: Annotated[
        str,
        typer.Option("--against", help="Git revision to compare with: a branch, tag or commit.", show_default=False),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text, markdown (a pull-request comment) or json.")
    ] = "text",
    project_dir: ProjectDir = Path(),
) -> None:
    """Plan the working tree and a git revision offline; list what changes by project, flag what is unsafe.

    Flags changes to projects whose file is not touched, forced replacements and protected deletions.
    """
    try:
        with err_console.status(f"planning {stack} in the working tree and at {against}"):
            result = diff_against(project_dir, stack, against)
    except ConfigError as exc:
        print_config_error(exc)
        raise typer.Exit(FAILED) from None
    except PlanError as exc:
        err_console.print(f"[bold red]aifactory diff:[/] {escape(str(exc))}")
        raise typer.Exit(FAILED) from None
    if output_format == "json":
        sys.stdout.write(json.dumps(diff_document(result), indent=1) + "\n")
    elif output_format == "markdown":
        sys.stdout.write(render_markdown(result))
    else:
        console.print(render_text(result), markup=False, soft_wrap=True, end="")
    raise typer.Exit(FLAGGED if result.flagged else NOTHING_FLAGGED)
