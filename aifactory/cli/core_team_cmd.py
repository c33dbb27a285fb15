"""``aifactory core-team add|remove``: the core team of a stack file as code (changes go through a pull request)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from aifactory.catalog.personas import CORE_PERSONAS, CorePersona
from aifactory.cli.console import console
from aifactory.cli.exits import CommandGroup
from aifactory.cli.options import ProjectDir, StackArgument
from aifactory.config.loader import check_stack_name
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.project_files import CoreMemberChange, add_core_member, remove_core_member

__all__ = ["core_team_app"]

core_team_app = typer.Typer(
    name="core-team",
    help="Change the core team of a stack file: add or remove members.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=CommandGroup,
)

PersonaOption = Annotated[
    CorePersona, typer.Option("--persona", "-p", help=f"The core-team persona: {', '.join(CORE_PERSONAS)}.")
]
PrincipalArgument = Annotated[str, typer.Argument(help="The principal's Entra object id.")]


@core_team_app.callback()
def _core_team() -> None:
    """Change the core team of a stack file: add or remove members."""


@core_team_app.command("add")
def add_command(
    stack: StackArgument,
    principal: PrincipalArgument,
    *,
    persona: PersonaOption,
    kind: Annotated[str, typer.Option("--kind", "-k", help="group, user or service_principal.")] = "group",
    project_dir: ProjectDir = Path(),
) -> None:
    """Add a core-team member to Pulumi.<stack>.yaml, keeping its comments; validated like `aifactory validate`."""
    path, display = _stack_file(project_dir, stack)
    change = add_core_member(path, principal, persona, kind, display=display)
    _report("added", change, "to", display)


@core_team_app.command("remove")
def remove_command(
    stack: StackArgument,
    principal: PrincipalArgument,
    *,
    persona: PersonaOption,
    project_dir: ProjectDir = Path(),
) -> None:
    """Remove a core-team member from Pulumi.<stack>.yaml, keeping its comments; an error when it is not there."""
    path, display = _stack_file(project_dir, stack)
    change = remove_core_member(path, principal, persona, display=display)
    _report("removed", change, "from", display)


def _stack_file(project_dir: Path, stack: str) -> tuple[Path, str]:
    problems = check_stack_name(stack)
    display = f"Pulumi.{stack}.yaml"
    path = project_dir / display
    if not problems and not path.is_file():
        problems.append(
            ConfigProblem(display, "", stack, "no such stack file", "name a stack with a Pulumi.<stack>.yaml")
        )
    if problems:
        raise ConfigError(problems)
    return path, display


def _report(action: str, change: CoreMemberChange, preposition: str, display: str) -> None:
    console.print(
        f"[green]{action}[/] {escape(change.principal)} ({change.kind}) as [bold]{change.persona}[/] "
        f"{preposition} {escape(display)}"
    )
    console.print(
        "Open a pull request with the change; the next `pulumi up` of the stack applies the core team's roles."
    )
