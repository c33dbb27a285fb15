"""``aifactory project new``: scaffold a project file from a profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

from aifactory.cli.console import console, print_config_error
from aifactory.cli.project_cmd import project_app
from aifactory.errors import ConfigError
from aifactory.scaffold import NewProject, Profile, write_new_project

__all__ = ["new_project_command"]


@project_app.command("new")
def new_project_command(
    name: Annotated[str, typer.Argument(help="Slug of the project, e.g. churn-model.")],
    *,
    owner: Annotated[str, typer.Option("--owner", help="E-mail of the accountable team lead.")],
    cost_center: Annotated[str, typer.Option("--cost-center", help="Cost centre for tags and reports.")],
    profile: Annotated[
        str, typer.Option("--profile", help=f"Starting services: {', '.join(get_args(Profile))}.")
    ] = "esml-basic",
    budget: Annotated[float, typer.Option("--budget", help="Monthly budget amount.")] = 1000.0,
    environments: Annotated[
        list[str] | None, typer.Option("--env", "-e", help="Environment (repeat). Default: dev, stage, prod.")
    ] = None,
    project_id: Annotated[int | None, typer.Option("--id", help="Project id. Default: one above the highest.")] = None,
    description: Annotated[str, typer.Option("--description", help="One line about the project.")] = "",
    project_dir: Annotated[
        Path, typer.Option("--project-dir", "-C", help="Folder with Pulumi.yaml and projects/.", show_default=False)
    ] = Path(),
) -> None:
    """Create projects/<id>-<name>.yaml with the profile's services, validated before it is written."""
    if profile not in get_args(Profile):
        console.print(f"[red]unknown profile {profile!r}[/]; use one of {', '.join(get_args(Profile))}")
        raise typer.Exit(2)
    new = NewProject(
        name=name,
        profile=profile,  # type: ignore[arg-type]
        owner=owner,
        cost_center=cost_center,
        monthly_budget=budget,
        environments=tuple(environments or ("dev", "stage", "prod")),
        project_id=project_id,
        description=description,
    )
    try:
        path = write_new_project(project_dir / "projects", new, project_dir)
    except ConfigError as exc:
        print_config_error(exc)
        raise typer.Exit(1) from None
    console.print(f"created {path}; open a pull request with it, then run `aifactory plan dev --project` to review")
