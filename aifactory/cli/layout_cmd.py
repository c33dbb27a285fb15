"""``aifactory layout``: move projects between the single and the sharded layout (docs/layouts.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from aifactory.cli.console import console, print_config_error
from aifactory.config.layout import DEFAULT_ORGANIZATION
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.migration import move_commands, plan_moves
from aifactory.offline.stack_run import load_plan, pulumi_project_name

__all__ = ["layout_app"]

layout_app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@layout_app.command("move-commands")
def move_commands_command(
    stack: Annotated[str, typer.Argument(help="The environment's stack, e.g. dev.")],
    to: Annotated[
        Literal["sharded", "single"],
        typer.Option("--to", help="sharded: into project stacks; single: back into the environment's stack."),
    ] = "sharded",
    project: Annotated[
        list[int] | None, typer.Option("--project", "-p", help="Project id (repeatable). Default: every project.")
    ] = None,
    organization: Annotated[
        str | None,
        typer.Option(
            "--organization",
            help="Pulumi organisation of the stacks. Default: aifactory:layout's, else 'organization'.",
        ),
    ] = None,
    project_dir: Annotated[
        Path, typer.Option("--project-dir", "-C", help="Folder with Pulumi.yaml, the stack files and projects/.")
    ] = Path(),
) -> None:
    """Print the `pulumi state move` commands that move projects between the layouts without replacing anything."""
    try:
        plan = load_plan(project_dir, stack)
        deployed = {p.spec.id for p in plan.projects}
        unknown = sorted(set(project or ()) - deployed)
        if unknown:
            raise ConfigError(
                [
                    ConfigProblem(
                        plan.config.stack_file,
                        "--project",
                        unknown,
                        f"no such project is deployed in {plan.environment}",
                        f"use ids of deployed projects: {', '.join(str(i) for i in sorted(deployed)) or 'none'}",
                    )
                ]
            )
        moves = plan_moves(project_dir, stack, project)
        lines = move_commands(
            moves,
            stack,
            to,
            organization=organization or plan.stack.layout.organization or DEFAULT_ORGANIZATION,
            project=plan.stack.layout.project or pulumi_project_name(project_dir),
            stack_file=plan.config.stack_file,
        )
    except ConfigError as exc:
        print_config_error(exc)
        raise typer.Exit(1) from None
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
