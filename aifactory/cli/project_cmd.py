"""``aifactory project ...``: change project files as code (the change then goes through a pull request)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from aifactory.catalog.personas import PROJECT_PERSONAS
from aifactory.cli.console import console
from aifactory.cli.exits import CommandGroup
from aifactory.cli.options import ProjectDir, complete_projects
from aifactory.project_files import add_member, find_project_file, remove_member

__all__ = ["project_app"]

project_app = typer.Typer(
    name="project",
    help="Change project files: scaffold projects, add and remove members, render starter kits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=CommandGroup,
)


@project_app.callback()
def _project() -> None:
    """Change project files: members as code."""


@project_app.command("add-member")
def add_member_command(
    project: Annotated[
        str,
        typer.Argument(
            help="Project id (7), name (fraud) or file (projects/007-fraud.yaml).", autocompletion=complete_projects
        ),
    ],
    principal: Annotated[str, typer.Argument(help="A user's sign-in name or object id; a group's or SP's object id.")],
    *,
    persona: Annotated[
        str, typer.Option("--persona", "-p", help=f"What the member does: {', '.join(PROJECT_PERSONAS)}.")
    ],
    kind: Annotated[str, typer.Option("--kind", "-k", help="user, group or service_principal.")] = "user",
    environments: Annotated[
        list[str] | None,
        typer.Option(
            "--env", "-e", help="Only in this environment (repeat for several). Default: all of the project's."
        ),
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Add a member to a project file, keeping its comments and layout; validated like `aifactory validate`."""
    path = find_project_file(project_dir / "projects", project, project_dir)
    display = _display(path, project_dir)
    member = add_member(path, principal, kind, persona, environments, display=display)
    where = ", ".join(member.environments) if member.environments else "every environment of the project"
    console.print(
        f"[green]added[/] {escape(member.principal)} ({member.kind}) as [bold]{member.persona}[/] "
        f"to {escape(display)} ({escape(where)})"
    )
    console.print(
        "Open a pull request with the change; once merged, the next `pulumi up` makes them a member of the "
        "project's persona group (or grants their roles directly when groups are not managed)."
    )


@project_app.command("remove-member")
def remove_member_command(
    project: Annotated[
        str,
        typer.Argument(
            help="Project id (7), name (fraud) or file (projects/007-fraud.yaml).", autocompletion=complete_projects
        ),
    ],
    principal: Annotated[str, typer.Argument(help="The member's sign-in name or object id, as the file lists it.")],
    *,
    force: Annotated[
        bool, typer.Option("--force", help="Remove the project's last team lead too (nobody can delegate then).")
    ] = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Remove a member from a project file, keeping its comments and layout; validated like `aifactory validate`."""
    path = find_project_file(project_dir / "projects", project, project_dir)
    display = _display(path, project_dir)
    member = remove_member(path, principal, force=force, display=display)
    console.print(
        f"[green]removed[/] {escape(member.principal)} ({member.kind}, {member.persona}) from {escape(display)}"
    )
    console.print(
        "Open a pull request with the change; once merged, the next `pulumi up` removes them from the project's "
        "persona group (or deletes their direct role assignments)."
    )


@project_app.command("template")
def template_command(
    project: Annotated[
        str, typer.Argument(help="Project id (7) or name (fraud-detection).", autocompletion=complete_projects)
    ],
    *,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The kit's folder: new or empty, or a kit rendered before (it is then updated)."
        ),
    ],
    runner_label: Annotated[
        str | None, typer.Option("--runner-label", help="Label of the self-hosted GitHub runners (kit option).")
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Render the project's MLOps / DataOps / GenAIOps starter kit with copier, or update a kit rendered before."""
    from aifactory.starter import render_kit

    options = {"runner_label": runner_label} if runner_label else {}
    result = render_kit(project_dir, project, out, options)
    kit = result.context
    environments = ", ".join(e.name for e in kit.environments)
    version = result.commit or "without a version"
    console.print(
        f"[green]{result.action}[/] the {kit.project['type']} starter kit of {escape(str(kit.project['name']))} "
        f"({kit.project['key']}; {environments}) in {escape(str(out))} from template {version}"
    )
    for note in result.warnings:
        console.print(f"[yellow]note:[/] {escape(note)}")
    console.print("Next: README.md of the kit (GitHub environments, AZURE_CLIENT_ID, approvals, runners).")


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
