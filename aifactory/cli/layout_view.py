"""``aifactory plan`` and the layouts: which stack to plan, where a project stack's common outputs
come from, and the stacks and limits of the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from aifactory.cli.console import err_console, table
from aifactory.config.layout import project_stack_name, stack_target
from aifactory.offline.limits import LimitCheck, LimitsReport
from aifactory.offline.report import recorded_outputs
from aifactory.offline.stack_run import StackPlan
from aifactory.plan.factory import FactoryPlan

__all__ = ["planned_stack", "print_run_error", "recorded_common_outputs", "render_layout"]


def planned_stack(stack: str, plan: FactoryPlan, project: int | None) -> str:
    """The stack ``plan`` runs: ``stack``, or with ``--project`` in the sharded layout that project's stack."""
    if project is None or stack_target(stack).is_project_stack:
        return stack
    if plan.stack.layout.sharded:
        return project_stack_name(stack, project)
    return stack


def common_plan_file(project_dir: Path, stack: str, common_plan: Path | None = None) -> Path:
    """Where a project stack's recorded common outputs are read from: ``--common-plan`` or plans/<env>.json."""
    return common_plan or project_dir / "plans" / f"{stack_target(stack).environment_stack}.json"


def recorded_common_outputs(
    project_dir: Path, stack: str, common_plan: Path | None = None
) -> tuple[dict[str, Any] | None, str]:
    """For a project stack, its common stack's outputs from the environment's plan file (and that
    file's inputs digest); ``(None, "")`` for other stacks or when no such plan was made."""
    target = stack_target(stack)
    if not target.is_project_stack:
        return None, ""
    return recorded_outputs(common_plan_file(project_dir, stack, common_plan), target.environment_stack)


def print_run_error(error: Exception, stack: str) -> None:
    """The program stopped with a message for its user (under ``pulumi up`` too, without a stack trace)."""
    err_console.print(f"[bold red]{escape(stack)} cannot be planned:[/] {escape(str(error))}")
    target = stack_target(stack)
    if target.is_project_stack:
        environment = target.environment_stack
        err_console.print(
            f"offline, a project stack reads the common outputs recorded in plans/{environment}.json: "
            f"run `aifactory plan {environment}` to record them"
        )


def render_layout(
    result: StackPlan, limits: LimitsReport, out: Console, recorded_digest: str = "", common_plan: Path | None = None
) -> None:
    """The stacks of the plan, where a project stack's common outputs came from, and the limits."""
    stacks = result.stacks
    if result.layout == "sharded" and len(stacks) > 1:
        sizes = sorted((sum(1 for r in s.run.resources if r.custom), s.run.stack) for s in stacks[1:])
        out.print(
            f"sharded layout: common stack {stacks[0].run.stack} "
            f"({sum(1 for r in stacks[0].run.resources if r.custom)} resources) and {len(stacks) - 1} project "
            f"stacks ({sizes[0][0]}-{sizes[-1][0]} resources), planned with {result.workers} worker process"
            f"{'es' if result.workers != 1 else ''}"
        )
    elif stacks[0].contents.is_project_stack:
        environment = stacks[0].contents.environment_stack
        shown = common_plan or Path("plans") / f"{environment}.json"
        if result.notes:
            out.print(*result.notes)
        elif recorded_digest and recorded_digest != result.inputs_digest:
            out.print(
                f"[yellow]note:[/] the common outputs come from {shown}, planned from other inputs (stack file or "
                f"project files changed since): run `aifactory plan {environment}` to refresh them"
            )
        else:
            out.print(f"common outputs: recorded in {shown}")
    checks = table("Limits", "limit", "largest", "count", "maximum", "status")
    for limit in dict.fromkeys(c.limit for c in limits.checks):
        largest = limits.largest(limit)
        if largest is not None:
            checks.add_row(
                f"{limit.name} per {limit.per}" + ("" if limit.enforced else " (advice)"),
                largest.scope,
                str(largest.count),
                str(limit.maximum),
                _status(largest),
            )
    checks.add_row(
        "longest dependency chain", "deployment", str(limits.deployment_chain), "-", "resources created in sequence"
    )
    out.print(checks)
    for check in limits.errors:
        out.print(f"[bold red]error:[/] {_sentence(check)}")
    for check in limits.warnings:
        out.print(f"[yellow]warning:[/] {_sentence(check)}")


def _status(check: LimitCheck) -> str:
    return {"ok": "ok", "near": "[yellow]near[/]", "exceeded": "[red]exceeded[/]"}[check.level]


def _sentence(check: LimitCheck) -> str:
    limit = check.limit
    state = "exceeds" if check.level == "exceeded" else "is near"
    return (
        f"{check.count} {limit.name} in {limit.per} {check.scope} {state} the "
        f"{'limit' if limit.enforced else 'recommended maximum'} of {limit.maximum}: {limit.fix}"
    )
