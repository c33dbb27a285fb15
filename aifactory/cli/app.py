"""The ``aifactory`` command: offline plan, validation, IP plan, schema and project scaffolding.

Commands only load, call the library and render. How a command ends is decided in one place
(:mod:`aifactory.cli.exits`): bad configuration exits 1 with every problem listed, a bad command
line 2, a bug 70 with its traceback; never a traceback for any input.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pulumi import RunError
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aifactory import __version__
from aifactory.cli.console import console, err_console
from aifactory.cli.core_team_cmd import core_team_app
from aifactory.cli.cost_cmd import cost, projects
from aifactory.cli.delivery_cmd import affected, diagram
from aifactory.cli.diff_cmd import diff_command
from aifactory.cli.documents import access_document, project_document, summary_document, validation_document
from aifactory.cli.exits import CommandGroup, ExitCode
from aifactory.cli.guardrails_view import render_guardrails
from aifactory.cli.layout_cmd import layout_app
from aifactory.cli.layout_view import planned_stack, print_run_error, recorded_common_outputs, render_layout
from aifactory.cli.options import JsonFlag, ProjectDir, ProjectOption, StackArgument, complete_stacks
from aifactory.cli.project_cmd import project_app
from aifactory.cli.project_new import new_project_command
from aifactory.cli.views import render_ipam, render_project, render_summary
from aifactory.config.layout import stack_target
from aifactory.config.loader import (
    check_pulumi_project,
    check_stack_name,
    parse_stack_config,
    project_file_problems,
    read_stack_file,
    stack_names,
    stack_values,
)
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.report import ip_plan_document, limits_of, write_plan_file
from aifactory.offline.stack_run import StackPlan, load_plan, run_stack
from aifactory.plan.environments import cross_stack_problems
from aifactory.plan.factory import FactoryPlan
from aifactory.policy.offline import check_stack
from aifactory.schema import write_schemas

__all__ = ["ExitCode", "app", "main", "new_project_command"]

app = typer.Typer(
    name="aifactory",
    help="Enterprise Scale AI Factory on Azure: plan, validate and scaffold, offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=CommandGroup,
)

app.add_typer(project_app, name="project", help="Change project files: scaffold projects, add members.")
app.add_typer(layout_app, name="layout", help="Move projects between the single and the sharded layout.")
app.command("diff")(diff_command)
app.command()(affected)
app.command()(diagram)
app.command()(cost)
app.command()(projects)
app.add_typer(core_team_app, name="core-team", help="Change the core team of a stack file: add or remove members.")

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for the project stacks (sharded layout). Default: all cores."
    ),
]


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
def plan(
    stack: StackArgument,
    *,
    project: ProjectOption = None,
    access: Annotated[bool, typer.Option("--access", help="Show who gets which role where.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Plan file path. Default: plans/<stack>.json.")
    ] = None,
    jobs: JobsOption = None,
    common_plan: Annotated[
        Path | None,
        typer.Option(
            "--common-plan",
            help="A project stack reads the common outputs recorded in this plan file. Default: plans/<env>.json.",
        ),
    ] = None,
    as_json: JsonFlag = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Run the stack's real program offline (Pulumi mocks) and show what would be deployed.

    Then run the guardrails; exit code 3 when a mandatory rule fails without a recorded exception or a
    stack exceeds an Azure limit. In the sharded layout, ``--project`` plans only that project's stack.
    """
    stack_plan = _load_checked(project_dir, stack, pulumi_project=True)
    project_id = _project_id(stack_plan, project, stack) if project is not None else None
    planned = planned_stack(stack, stack_plan, project_id)
    # A project stack holds one project: show that project, not the whole environment's tables.
    project_id = stack_target(planned).project_id if project_id is None else project_id
    target = out or project_dir / "plans" / f"{planned}.json"
    _check_writable(target)
    result, recorded_digest = _run_with_progress(project_dir, planned, jobs, common_plan)
    report = check_stack(result)
    limits = limits_of(result)
    try:
        write_plan_file(target, result, report.document())
    except OSError as exc:
        raise typer.BadParameter(f"{target} cannot be written: {exc.strerror}", param_hint="'--out'") from None
    if as_json:
        document: dict[str, Any]
        if access:
            document = access_document(result.plan, project_id)
        elif project_id is not None:
            document = project_document(result, project_id, str(target))
        else:
            document = summary_document(result, str(target))
        _print_json({**document, "guardrails_failed": report.failed, "limits_exceeded": bool(limits.errors)})
    else:
        if project_id is not None:
            render_project(result, project_id, console)
        else:
            render_summary(result, console)
            render_ipam(result.plan, console)
        if access:
            from aifactory.cli.access_view import render_access

            render_access(result.plan, console, project_id)
        render_layout(result, limits, console, recorded_digest, common_plan)
        render_guardrails(report, console)
        console.print(f"plan file: {escape(str(target))}")
    if report.failed or limits.errors:
        raise typer.Exit(ExitCode.GUARDRAIL_FAILED)


@app.command()
def check(
    stack: StackArgument,
    as_json: JsonFlag = False,
    jobs: JobsOption = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Run only the guardrails over the stack's offline plan; exit code 3 when a mandatory rule fails."""
    _load_checked(project_dir, stack, pulumi_project=True)
    result, _ = _run_with_progress(project_dir, stack, jobs, None)
    report = check_stack(result)
    if as_json:
        _print_json(report.document())
    else:
        render_guardrails(report, console, every_violation=True)
    if report.failed:
        raise typer.Exit(ExitCode.GUARDRAIL_FAILED)


def _run_with_progress(
    project_dir: Path, planned: str, jobs: int | None, common_plan: Path | None
) -> tuple[StackPlan, str]:
    """The offline run of ``planned`` with a spinner on stderr, and the digest of recorded common outputs it read."""
    recorded, recorded_digest = recorded_common_outputs(project_dir, planned, common_plan)
    shown = escape(planned)
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        auto_refresh=False,  # no refresh thread: the plan may fork worker processes
    ) as progress:
        task = progress.add_task(f"planning {shown}: validating", total=None)

        def say(line: str) -> None:
            progress.update(task, description=f"planning {shown}: {escape(line)}")
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
            raise typer.Exit(ExitCode.INVALID_INPUT) from None
    return result, recorded_digest


@app.command()
def validate(
    stacks: Annotated[
        list[str] | None,
        typer.Argument(help="Stacks to check. Default: every Pulumi.<stack>.yaml.", autocompletion=complete_stacks),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="A git revision (branch, tag, commit): also refuse removing a project whose data is protected "
            "there (see docs/decommission.md).",
        ),
    ] = None,
    as_json: JsonFlag = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Validate stack configs and every project file (and their plans), reporting all problems together."""
    problems = check_pulumi_project(project_dir)
    names = stacks or stack_names(project_dir)
    if not names:
        problems.append(
            ConfigProblem(
                "Pulumi.<stack>.yaml",
                "",
                str(project_dir),
                "no stack file found, so nothing would be validated",
                "create Pulumi.dev.yaml (see README, Stack config), or point -C at the folder that holds the stacks",
            )
        )
    configs: dict[str, StackConfig] = {}
    for name in names:
        config_map: dict[str, str] = {}
        try:
            config_map, stack_file = read_stack_file(project_dir, name)
            configs[name] = parse_stack_config(stack_values(config_map), stack_file)
        except ConfigError as exc:
            problems.extend(exc.problems)
            # A stack file that is there but invalid does not hide the project files' problems: they are
            # judged without it (the checks that need a valid stack wait for it).
            stack_file = f"Pulumi.{name}.yaml"
            if not check_stack_name(name) and (project_dir / stack_file).is_file():
                problems.extend(project_file_problems(project_dir, config_map, stack_file))
    problems.extend(cross_stack_problems(configs))
    plans: dict[str, FactoryPlan] = {}
    for name in configs:
        try:
            plans[name] = load_plan(project_dir, name)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if against is not None and not problems:
        from aifactory.diff.removals import removals_against

        problems.extend(removals_against(project_dir, plans, against))
    if problems:
        raise ConfigError(problems)
    if as_json:
        _print_json(validation_document(plans))
        return
    for name, stack_plan in plans.items():
        console.print(
            f"[green]ok[/] {escape(name)}: {len(stack_plan.projects)} projects, "
            f"{len(stack_plan.ip_plan.projects)}/{stack_plan.ip_plan.capacity} network slots used"
        )


@app.command()
def ipam(
    stack: StackArgument,
    as_json: JsonFlag = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Print the stack's IP plan: VNets, common subnets and every project's ranges."""
    stack_plan = _load_checked(project_dir, stack)
    if as_json:
        _print_json(ip_plan_document(stack_plan.ip_plan, stack_plan.nsgs))
        return
    render_ipam(stack_plan, console)


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for the JSON Schema files. Default: schemas/.")
    ] = None,
    project_dir: ProjectDir = Path(),
) -> None:
    """Write the JSON Schemas of the project file and the stack config (for editor completion)."""
    folder = out or project_dir / "schemas"
    if folder.exists() and not folder.is_dir():
        raise typer.BadParameter(f"{folder} is a file, not a folder", param_hint="'--out'")
    try:
        written = write_schemas(folder)
    except OSError as exc:
        raise typer.BadParameter(f"{folder} cannot be written: {exc.strerror}", param_hint="'--out'") from None
    for path in written:
        console.print(f"wrote {escape(str(path))}")


def _load_checked(project_dir: Path, stack: str, *, pulumi_project: bool = False) -> FactoryPlan:
    """The stack's plan; every problem of the stack (and of ``Pulumi.yaml``, for runs) raised together."""
    problems = check_pulumi_project(project_dir) if pulumi_project else []
    problems.extend(check_stack_name(stack))
    stack_plan: FactoryPlan | None = None
    if not problems:
        try:
            stack_plan = load_plan(project_dir, stack)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems or stack_plan is None:
        raise ConfigError(problems)
    return stack_plan


def _project_id(stack_plan: FactoryPlan, wanted: str, stack: str) -> int:
    """The project ``--project`` names, by id (7, 007, p007) or name, among the stack's projects."""
    text = wanted.strip().lower()
    for project in stack_plan.projects:
        spec = project.spec
        if text in (str(spec.id), f"{spec.id:03d}", spec.key, spec.name):
            return spec.id
    listed = ", ".join(f"{p.spec.id} ({p.spec.name})" for p in stack_plan.projects) or "none"
    raise typer.BadParameter(
        f"{wanted!r} is not a project deployed in stack {stack} ({stack_plan.environment}); its projects: {listed}",
        param_hint="'--project'",
    )


def _check_writable(target: Path) -> None:
    """Refuse an output path that cannot be written before the (long) run, not after it."""
    if target.is_dir():
        raise typer.BadParameter(f"{target} is a folder; give a file path such as plans/dev.json", param_hint="'--out'")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise typer.BadParameter(f"{parent} is a file, so {target} cannot be created", param_hint="'--out'")
    writable = os.access(target, os.W_OK) if target.exists() else os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise typer.BadParameter(f"{target} cannot be written (permission denied)", param_hint="'--out'")


def _print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=1) + "\n")


def main() -> None:
    """Console-script entry point (exit codes: see :mod:`aifactory.cli.exits`)."""
    app()
