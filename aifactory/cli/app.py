"""The ``aifactory`` command: offline plan, validation, IP plan, schema and project scaffolding.

Commands only load, call the library and render; bad config exits with code 1 and every problem
listed, never a stack trace.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pulumi import RunError
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aifactory import __version__
from aifactory.cli.console import console, err_console, print_config_error
from aifactory.cli.delivery_cmd import affected, diagram
from aifactory.cli.diff_cmd import diff_command
from aifactory.cli.guardrails_view import EXIT_GUARDRAIL_FAILED, render_guardrails
from aifactory.cli.layout_cmd import layout_app
from aifactory.cli.layout_view import planned_stack, print_run_error, recorded_common_outputs, render_layout
from aifactory.cli.project_cmd import project_app
from aifactory.cli.project_new import new_project_command
from aifactory.cli.views import render_ipam, render_project, render_summary
from aifactory.config.loader import parse_stack_config, read_stack_file, stack_values
from aifactory.errors import ConfigError
from aifactory.offline.report import ip_plan_document, limits_of, write_plan_file
from aifactory.offline.stack_run import StackPlan, load_plan, run_stack
from aifactory.plan.environments import cross_stack_problems
from aifactory.policy.offline import check_stack
from aifactory.schema import write_schemas

__all__ = ["app", "main", "new_project_command"]

app = typer.Typer(
    name="aifactory",
    help="Enterprise Scale AI Factory on Azure: plan, validate and scaffold, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(project_app, name="project", help="Change project files: scaffold projects, add members.")
app.add_typer(layout_app, name="layout", help="Move projects between the single and the sharded layout.")
app.command("diff")(diff_command)
app.command()(affected)
app.command()(diagram)

F = TypeVar("F", bound=Callable[..., Any])

ProjectDir = Annotated[
    Path,
    typer.Option(
        "--project-dir", "-C", help="Folder with Pulumi.yaml, the stack files and projects/.", show_default=False
    ),
]


def _friendly(command: F) -> F:
    """Turn configuration errors into a readable report and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            print_config_error(exc)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        console.print(f"aifactory {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Enterprise Scale AI Factory on Azure: plan, validate and scaffold, offline."""


@app.command()
@_friendly
def plan(  # noqa: PLR0917 - typer maps the parameters to options
    stack: Annotated[str, typer.Argument(help="Stack to plan: an environment (dev) or a project stack (dev-p007).")],
    project: Annotated[
        int | None,
        typer.Option("--project", "-p", help="Show one project's view (sharded layout: plan only its stack)."),
    ] = None,
    access: Annotated[bool, typer.Option("--access", help="Show who gets which role where.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Plan file path. Default: plans/<stack>.json.")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes for the project stacks (sharded layout). Default: all cores."
        ),
    ] = None,
    common_plan: Annotated[
        Path | None,
        typer.Option(
            "--common-plan",
            help="A project stack reads the common outputs recorded in this plan file. Default: plans/<env>.json.",
        ),
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Run the stack's real program offline (Pulumi mocks) and show what would be deployed.

    Then run the guardrails; exit code 3 when a mandatory rule fails without a recorded exception
    or a stack exceeds an Azure limit.
    """
    result, planned, recorded_digest = _run_with_progress(project_dir, stack, project, jobs, common_plan)
    report = check_stack(result)
    target = out or project_dir / "plans" / f"{planned}.json"
    write_plan_file(target, result, report.document())
    if project is not None:
        render_project(result, project, console)
    else:
        render_summary(result, console)
        render_ipam(result.plan, console)
    if access:
        from aifactory.cli.access_view import render_access

        render_access(result.plan, console, project)
    limits = limits_of(result)
    render_layout(result, limits, console, recorded_digest, common_plan)
    render_guardrails(report, console)
    console.print(f"plan file: {target}")
    if report.failed or limits.errors:
        raise typer.Exit(EXIT_GUARDRAIL_FAILED)


@app.command()
@_friendly
def check(
    stack: Annotated[str, typer.Argument(help="Stack to check: an environment (dev) or a project stack (dev-p007).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print every result as JSON.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes for the project stacks (sharded layout). Default: all cores."
        ),
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Run only the guardrails over the stack's offline plan; exit code 3 when a mandatory rule fails."""
    result, _, _ = _run_with_progress(project_dir, stack, None, jobs, None)
    report = check_stack(result)
    if as_json:
        sys.stdout.write(json.dumps(report.document(), indent=1) + "\n")
    else:
        render_guardrails(report, console, every_violation=True)
    if report.failed:
        raise typer.Exit(EXIT_GUARDRAIL_FAILED)


def _run_with_progress(
    project_dir: Path, stack: str, project: int | None, jobs: int | None, common_plan: Path | None
) -> tuple[StackPlan, str, str]:
    """The stack's offline run with a spinner on stderr: the result, the planned stack, the recorded digest."""
    planned = planned_stack(project_dir, stack, project)
    recorded, recorded_digest = recorded_common_outputs(project_dir, planned, common_plan)
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        auto_refresh=False,  # no refresh thread: the plan may fork worker processes
    ) as progress:
        task = progress.add_task(f"planning {planned}: validating", total=None)

        def say(line: str) -> None:
            progress.update(task, description=f"planning {planned}: {line}")
            progress.refresh()

        def registered(count: int) -> None:
            if count % 50 == 0:
                say(f"{count} resources registered")

        try:
            result = run_stack(
                project_dir, planned, jobs=jobs, recorded_common=recorded, on_register=registered, progress=say
            )
        except RunError as exc:
            progress.stop()
            print_run_error(exc, planned)
            raise typer.Exit(1) from None
    return result, planned, recorded_digest


@app.command()
@_friendly
def validate(
    stacks: Annotated[
        list[str] | None, typer.Argument(help="Stacks to check. Default: every Pulumi.<stack>.yaml.")
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Validate stack configs and every project file (and their plans), reporting all problems together."""
    names = stacks or sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
    problems = []
    configs = {}
    for name in names:
        try:
            config_map, stack_file = read_stack_file(project_dir, name)
            configs[name] = parse_stack_config(stack_values(config_map), stack_file)
        except ConfigError as exc:
            problems.extend(exc.problems)
    problems.extend(cross_stack_problems(configs))
    plans = {}
    for name in configs:
        try:
            plans[name] = load_plan(project_dir, name)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    for name, stack_plan in plans.items():
        console.print(
            f"[green]ok[/] {name}: {len(stack_plan.projects)} projects, "
            f"{len(stack_plan.ip_plan.projects)}/{stack_plan.ip_plan.capacity} network slots used"
        )


@app.command()
@_friendly
def ipam(
    stack: Annotated[str, typer.Argument(help="Stack (environment), e.g. dev.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the IP plan as JSON.")] = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Print the stack's IP plan: VNets, common subnets and every project's ranges."""
    stack_plan = load_plan(project_dir, stack)
    if as_json:
        sys.stdout.write(json.dumps(ip_plan_document(stack_plan.ip_plan), indent=1) + "\n")
        return
    render_ipam(stack_plan, console)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSON Schema files.")] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of the project file and the stack config (for editor completion)."""
    for path in write_schemas(out):
        console.print(f"wrote {path}")


def main() -> None:
    """Console-script entry point."""
    app()
