"""``aifactory cost`` and ``aifactory projects``: the cost cockpit and the project roster, from the plan.

Both read only the validated plan (no Azure calls, no Pulumi run): ``cost`` prints every budget of
an environment with its alert thresholds, recipients and owners, the totals and the projects
nobody would hear about; ``projects`` lists the projects of one stack (or of every stack) with
their type, environments, members per persona, budget and owners.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from aifactory.catalog.personas import PROJECT_PERSONAS
from aifactory.cli.console import console, keep, lines, table
from aifactory.cli.options import JsonFlag, ProjectDir, complete_stacks
from aifactory.config.loader import check_stack_name, stack_names
from aifactory.config.types import ENVIRONMENTS
from aifactory.errors import ConfigError
from aifactory.offline.stack_run import load_plan
from aifactory.plan.cost import BudgetNotification, CostPlan
from aifactory.plan.factory import FactoryPlan

__all__ = ["cost", "cost_document", "projects", "projects_document"]


def cost(
    stack: Annotated[str, typer.Argument(help="Stack (environment), e.g. dev.", autocompletion=complete_stacks)],
    as_json: JsonFlag = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """Budgets per project and for the environment, with alert thresholds, recipients and owners (from the plan)."""
    plan = _plan(project_dir, stack)
    document = cost_document(plan)
    if as_json:
        _print_json(document)
        return
    _render_cost(plan.cost)


def projects(
    stack: Annotated[
        str | None,
        typer.Argument(help="Stack (environment). Default: every stack.", autocompletion=complete_stacks),
    ] = None,
    as_json: JsonFlag = False,
    project_dir: ProjectDir = Path(),
) -> None:
    """List projects with id, name, type, environments, members per persona, budget and owners."""
    names = [stack] if stack is not None else stack_names(project_dir)
    plans: list[FactoryPlan] = []
    problems = []
    for name in names:
        try:
            plans.append(_plan(project_dir, name))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    plans.sort(key=lambda plan: ENVIRONMENTS.index(plan.environment))
    document = projects_document(plans)
    if as_json:
        _print_json(document)
        return
    listing = table(
        "Projects", "id", "name", "type", "environments", "members", "monthly budget", keep("owners"), "file"
    )
    for row in document["projects"]:
        members = ", ".join(f"{persona} {count}" for persona, count in row["members"].items()) or "none"
        budget = ", ".join(f"{env} {amount:,.0f}" for env, amount in row["budget"].items())
        listing.add_row(
            str(row["id"]),
            row["name"],
            row["type"],
            ", ".join(row["environments"]),
            members,
            budget,
            lines(row["owners"]),
            row["file"],
        )
    console.print(listing)
    console.print(f"{len(document['projects'])} projects in {', '.join(document['stacks']) or 'no stack'}")


def cost_document(plan: FactoryPlan) -> dict[str, Any]:
    """The ``cost --json`` document: every budget of the environment, totals and projects without alerts."""
    cost_plan = plan.cost
    return {
        "environment": cost_plan.environment,
        "environment_budget": (
            None
            if cost_plan.environment_amount is None
            else {
                "monthly_amount": cost_plan.environment_amount,
                "budgets": [
                    {
                        "name": b.budget_name,
                        "scope": b.scope,
                        "monthly_amount": b.monthly_amount,
                        "filter": {"tag": b.tag_name, "value": b.tag_value},
                        "covers": b.covers,
                        "alerts": _alerts(b.notifications),
                    }
                    for b in cost_plan.environment_budgets
                ],
            }
        ),
        "projects": [
            {
                "id": p.project_id,
                "name": p.name,
                "type": p.type,
                "cost_center": p.cost_center,
                "owners": list(p.owners),
                "budget": p.budget_name,
                "resource_group": p.resource_group,
                "subscription_id": p.subscription_id,
                "monthly_amount": p.monthly_amount,
                "thresholds": list(p.thresholds),
                "recipients": list(p.recipients),
                "alerts": _alerts(p.notifications),
            }
            for p in cost_plan.projects
        ],
        "totals": {
            "projects": len(cost_plan.projects),
            "projects_monthly_amount": cost_plan.projects_total,
            "environment_monthly_amount": cost_plan.environment_amount,
        },
        "without_alerts": [p.project_id for p in cost_plan.without_alerts],
        "dashboard": cost_plan.dashboard.name,
    }


def projects_document(plans: list[FactoryPlan]) -> dict[str, Any]:
    """The ``projects --json`` document: one row per project over the given stacks' plans, by id."""
    rows: dict[int, dict[str, Any]] = {}
    for plan in plans:
        for project in plan.projects:
            spec = project.spec
            row = rows.setdefault(
                spec.id,
                {
                    "id": spec.id,
                    "name": spec.name,
                    "type": spec.type,
                    "environments": list(spec.environments),
                    "members": _persona_counts(spec.members),
                    "budget": {},
                    "owners": list(spec.owners),
                    "file": project.file,
                },
            )
            row["budget"][plan.environment] = spec.budget.monthly_amount
    return {"stacks": [p.environment for p in plans], "projects": [rows[i] for i in sorted(rows)]}


def _persona_counts(members: Any) -> dict[str, int]:
    counts = Counter(m.persona for m in members)
    return {persona: counts[persona] for persona in PROJECT_PERSONAS if counts[persona]}


def _alerts(notifications: tuple[BudgetNotification, ...]) -> list[dict[str, Any]]:
    return [{"kind": n.kind, "threshold": n.threshold, "emails": list(n.emails)} for n in notifications]


def _render_cost(cost_plan: CostPlan) -> None:
    environment = table(
        "Environment budget", keep("budget"), keep("scope"), "amount", "filter", "covers", "thresholds", "recipients"
    )
    for budget in cost_plan.environment_budgets:
        environment.add_row(
            budget.budget_name,
            budget.scope,
            f"{budget.monthly_amount:,.0f}",
            f"{budget.tag_name} = {budget.tag_value}",
            budget.covers,
            _thresholds(budget.notifications),
            lines(dict.fromkeys(e for n in budget.notifications for e in n.emails)),
        )
    if cost_plan.environment_budgets:
        console.print(environment)
    else:
        console.print(f"[bold]{cost_plan.environment}[/]: no environment budget (set aifactory:cost, see docs/cost.md)")
    listing = table("Project budgets", "project", "cost centre", "amount", "thresholds", keep("recipients"), "owners")
    for project in cost_plan.projects:
        listing.add_row(
            f"{project.project_id:03d} {project.name}",
            project.cost_center,
            f"{project.monthly_amount:,.0f}",
            _thresholds(project.notifications),
            lines(project.recipients),
            lines(project.owners),
        )
    console.print(listing)
    total = f"{cost_plan.projects_total:,.0f}"
    line = f"{len(cost_plan.projects)} projects budget {total} per month"
    if cost_plan.environment_amount is not None:
        line += f"; the environment budget is {cost_plan.environment_amount:,.0f}"
        if cost_plan.projects_total > cost_plan.environment_amount:
            line += " [yellow](below the sum of its projects' budgets)[/]"
    console.print(line)
    silent = cost_plan.without_alerts
    if silent:
        shown = ", ".join(f"{p.project_id} ({p.name})" for p in silent)
        console.print(f"[yellow]without budget alerts:[/] {escape(shown)}")
    else:
        console.print("every project's budget alerts someone")
    console.print(f"dashboard: {escape(cost_plan.dashboard.name)}")


def _thresholds(notifications: tuple[BudgetNotification, ...]) -> str:
    """``80 %, 100 % (actual); 80 %, 100 % (forecast)``."""
    kinds = {"Actual": "actual", "Forecasted": "forecast"}
    parts = []
    for kind, label in kinds.items():
        percents = ", ".join(f"{n.threshold} %" for n in notifications if n.kind == kind)
        if percents:
            parts.append(f"{percents} ({label})")
    return "; ".join(parts) or "none"


def _plan(project_dir: Path, stack: str) -> FactoryPlan:
    problems = check_stack_name(stack)
    if problems:
        raise ConfigError(problems)
    return load_plan(project_dir, stack)


def _print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=1) + "\n")
