"""``aifactory project new``: scaffold a project file from a profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.markup import escape

from aifactory.cli.console import console
from aifactory.cli.options import ProjectDir
from aifactory.cli.project_cmd import project_app
from aifactory.config.loader import stack_names
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
    project_dir: ProjectDir = Path(),
) -> None:
    """Create projects/<id>-<name>.yaml with the profile's services, validated before it is written."""
    if profile not in get_args(Profile):
        raise typer.BadParameter(
            f"{profile!r} is not a profile; use one of {', '.join(get_args(Profile))}", param_hint="'--profile'"
        )
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
    path = write_new_project(project_dir / "projects", new, project_dir)
    known = stack_names(project_dir)
    stack = next((e for e in new.environments if e in known), new.environments[0])
    folder = "" if project_dir == Path() else f" -C {project_dir}"
    project_id = int(path.name.split("-", 1)[0])
    console.print(
        f"created {escape(str(path))}; review it with `aifactory plan {stack} --project {project_id}{escape(folder)}`, "
        "then open a pull request with it",
        soft_wrap=True,  # a command to copy: never broken across lines
    )
