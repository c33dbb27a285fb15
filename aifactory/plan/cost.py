"""The cost cockpit as plain data: budgets per project and per environment, and the cost dashboard. Pure.

Project budgets sit on each project's resource group (Azure's narrowest budget scope that holds all
of a project's resources). The environment's budget (``aifactory:cost``) must cover the common
resource group and every project resource group; Azure budgets take one scope (a resource group,
a subscription, a management group or a billing scope) and may filter it by dimensions or tags. So
the environment's budget is a **subscription budget filtered by the** ``aifactory-environment``
**tag**, which every resource and resource group of the factory carries: it keeps out whatever else
runs in the subscription (another environment, other workloads) and never changes when projects come
and go. An environment whose projects live in other subscriptions (``project_subscriptions``) gets
one such budget per subscription: each project subscription's amount is the sum of its projects'
budgets, and the common subscription keeps the rest of the environment's amount.

The dashboard lists every project of the environment with links to its cost analysis, its budget
and its resource group in the Azure portal, in markdown tiles of :data:`PROJECTS_PER_TILE` projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from aifactory.config.cost import MAX_BUDGET_NOTIFICATIONS
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.naming import Namer, stable_suffix

__all__ = [
    "ENVIRONMENT_TAG",
    "MARKDOWN_PART",
    "PROJECTS_PER_TILE",
    "BudgetNotification",
    "CostPlan",
    "DashboardPlan",
    "DashboardTile",
    "EnvironmentBudgetPlan",
    "ProjectBudgetPlan",
    "budget_notifications",
    "plan_cost",
    "portal_link",
]

ENVIRONMENT_TAG = "aifactory-environment"
"""The tag the environment budget filters on (set by :func:`aifactory.plan.tags.common_tags`)."""

MARKDOWN_PART = "Extension/HubsExtension/PartType/MarkdownPart"
"""The dashboard part type of a markdown tile ("The structure of Azure dashboards")."""

PROJECTS_PER_TILE = 20
"""Projects listed per dashboard tile: a table a tile can show without endless scrolling."""

_PORTAL = "https://portal.azure.com"
_TILE_COLUMNS = 12  # a tile spans half of the portal's 24-column grid; two tiles per row
_TILE_ROWS = 8
_HEADER_ROWS = 3

ThresholdType = Literal["Actual", "Forecasted"]
PortalBlade = Literal["overview", "costanalysis", "budgets"]
_PROJECT_LINKS: tuple[tuple[str, PortalBlade], ...] = (
    ("cost analysis", "costanalysis"),
    ("budget", "budgets"),
    ("resource group", "overview"),
)


@dataclass(frozen=True)
class BudgetNotification:
    """One budget alert: when ``kind`` cost reaches ``threshold`` percent, mail ``emails``."""

    kind: ThresholdType
    threshold: int
    emails: tuple[str, ...]

    @property
    def key(self) -> str:
        """The notification's key in the budget (``actual-80``), stable across runs."""
        return f"{self.kind.lower()}-{self.threshold}"


def budget_notifications(thresholds: Sequence[int], emails: Sequence[str]) -> tuple[BudgetNotification, ...]:
    """The one alert shape of every budget: actual cost at every threshold, forecast at the highest that fit.

    Azure refuses a budget with more than :data:`MAX_BUDGET_NOTIFICATIONS` notifications, so with
    two thresholds (the default) both alert on forecast and actual cost; with more, the forecast
    alerts go to the highest thresholds that still fit (five thresholds: actual alerts only).
    """
    ordered = sorted(thresholds)
    room = max(MAX_BUDGET_NOTIFICATIONS - len(ordered), 0)
    forecast = ordered[max(len(ordered) - room, 0) :] if room else []
    return (
        *(BudgetNotification("Actual", t, tuple(emails)) for t in ordered),
        *(BudgetNotification("Forecasted", t, tuple(emails)) for t in forecast),
    )


@dataclass(frozen=True)
class ProjectBudgetPlan:
    """A project's budget in this environment, on its resource group."""

    project_id: int
    key: str
    name: str
    type: str
    cost_center: str
    owners: tuple[str, ...]
    budget_name: str
    resource_group: str
    subscription_id: str
    monthly_amount: float
    notifications: tuple[BudgetNotification, ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for n in self.notifications for e in n.emails))

    @property
    def thresholds(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(n.threshold for n in self.notifications))

    @property
    def alerts(self) -> bool:
        """Whether anyone hears of this budget: it has an alert with a recipient."""
        return bool(self.notifications) and bool(self.recipients)

    @property
    def resource_group_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"


@dataclass(frozen=True)
class EnvironmentBudgetPlan:
    """The environment's budget in one subscription, filtered by the environment tag."""

    budget_name: str
    subscription_id: str
    monthly_amount: float
    tag_name: str
    tag_value: str
    notifications: tuple[BudgetNotification, ...]
    covers: str

    @property
    def scope(self) -> str:
        return f"/subscriptions/{self.subscription_id}"


@dataclass(frozen=True)
class DashboardTile:
    """A markdown tile at grid position (``x``, ``y``) spanning ``col_span`` x ``row_span`` cells."""

    x: int
    y: int
    col_span: int
    row_span: int
    title: str
    subtitle: str
    content: str


@dataclass(frozen=True)
class DashboardPlan:
    """The environment's cost dashboard: one lens of markdown tiles, in the common resource group."""

    name: str
    title: str
    tiles: tuple[DashboardTile, ...]
    project_ids: tuple[int, ...]


@dataclass(frozen=True)
class CostPlan:
    """Every budget of the environment and its dashboard."""

    environment: str
    projects: tuple[ProjectBudgetPlan, ...]
    environment_budgets: tuple[EnvironmentBudgetPlan, ...]
    environment_amount: float | None
    dashboard: DashboardPlan

    @property
    def projects_total(self) -> float:
        return sum(p.monthly_amount for p in self.projects)

    @property
    def without_alerts(self) -> tuple[ProjectBudgetPlan, ...]:
        return tuple(p for p in self.projects if not p.alerts)

    def project(self, project_id: int) -> ProjectBudgetPlan:
        for budget in self.projects:
            if budget.project_id == project_id:
                return budget
        msg = f"project {project_id} has no budget in the {self.environment} plan"
        raise KeyError(msg)


def portal_link(tenant_id: str, resource_id: str, blade: PortalBlade) -> str:
    """The Azure portal page ``blade`` of a resource (a resource group's cost analysis, budgets or overview)."""
    return f"{_PORTAL}/#@{tenant_id}/resource{resource_id}/{blade}"


def plan_cost(
    stack: StackConfig,
    stack_file: str,
    projects: Sequence[tuple[ProjectSpec, str]],
    namer: Namer,
) -> CostPlan:
    """The environment's budgets and dashboard from the stack and its projects (``(spec, subscription)`` pairs).

    Raises :class:`ConfigError` when the environment's amount does not exceed what its projects in
    other subscriptions already budget (the common subscription would have nothing left).
    """
    budgets = tuple(_project_budget(spec, subscription, namer) for spec, subscription in projects)
    environment_budgets = _environment_budgets(stack, stack_file, budgets, namer)
    cost = stack.cost
    return CostPlan(
        environment=stack.environment,
        projects=budgets,
        environment_budgets=environment_budgets,
        environment_amount=cost.monthly_budget if cost is not None else None,
        dashboard=_dashboard(stack, budgets, environment_budgets, namer),
    )


def _project_budget(spec: ProjectSpec, subscription_id: str, namer: Namer) -> ProjectBudgetPlan:
    emails = spec.budget.alert_emails or spec.owners
    return ProjectBudgetPlan(
        project_id=spec.id,
        key=spec.key,
        name=spec.name,
        type=spec.type,
        cost_center=spec.cost_center,
        owners=tuple(spec.owners),
        budget_name=namer.project("budget", spec.id, spec.name),
        resource_group=namer.project("resource_group", spec.id, spec.name),
        subscription_id=subscription_id,
        monthly_amount=spec.budget.monthly_amount,
        notifications=budget_notifications(spec.budget.thresholds, emails),
    )


def _environment_budgets(
    stack: StackConfig, stack_file: str, projects: Sequence[ProjectBudgetPlan], namer: Namer
) -> tuple[EnvironmentBudgetPlan, ...]:
    cost = stack.cost
    if cost is None:
        return ()
    elsewhere: dict[str, list[ProjectBudgetPlan]] = defaultdict(list)
    for project in projects:
        if project.subscription_id != stack.subscription_id:
            elsewhere[project.subscription_id].append(project)
    shares: Mapping[str, float] = {sub: sum(p.monthly_amount for p in found) for sub, found in elsewhere.items()}
    rest = cost.monthly_budget - sum(shares.values())
    if rest <= 0:
        raise ConfigError(
            [
                ConfigProblem(
                    stack_file,
                    "aifactory:cost.monthly_budget",
                    str(cost.monthly_budget),
                    f"leaves nothing for the common subscription: the projects in other subscriptions already budget "
                    f"{sum(shares.values()):g} of it",
                    "raise the environment's budget above the sum of those projects' budgets",
                )
            ]
        )
    notifications = budget_notifications(cost.thresholds, cost.alert_emails)
    here = any(p.subscription_id == stack.subscription_id for p in projects)
    found = [
        EnvironmentBudgetPlan(
            budget_name=namer.common("budget"),
            subscription_id=stack.subscription_id,
            monthly_amount=rest,
            tag_name=ENVIRONMENT_TAG,
            tag_value=stack.environment,
            notifications=notifications,
            covers="the common part" + (" and its projects here" if here else ""),
        )
    ]
    for subscription in sorted(shares):
        ids = ", ".join(str(p.project_id) for p in elsewhere[subscription])
        found.append(
            EnvironmentBudgetPlan(
                budget_name=namer.common("budget", f"projects-{stable_suffix(subscription)}"),
                subscription_id=subscription,
                monthly_amount=shares[subscription],
                tag_name=ENVIRONMENT_TAG,
                tag_value=stack.environment,
                notifications=notifications,
                covers=f"projects {ids} (the sum of their budgets)",
            )
        )
    return tuple(found)


def _dashboard(
    stack: StackConfig,
    projects: Sequence[ProjectBudgetPlan],
    environment_budgets: Sequence[EnvironmentBudgetPlan],
    namer: Namer,
) -> DashboardPlan:
    title = f"aifactory {stack.environment}: cost cockpit"
    header = DashboardTile(
        x=0,
        y=0,
        col_span=2 * _TILE_COLUMNS,
        row_span=_HEADER_ROWS,
        title=title,
        subtitle=f"{len(projects)} projects, {stack.location}",
        content=_header(stack, projects, environment_budgets),
    )
    tiles = [header]
    for index, start in enumerate(range(0, len(projects), PROJECTS_PER_TILE)):
        chunk = projects[start : start + PROJECTS_PER_TILE]
        tiles.append(
            DashboardTile(
                x=(index % 2) * _TILE_COLUMNS,
                y=_HEADER_ROWS + (index // 2) * _TILE_ROWS,
                col_span=_TILE_COLUMNS,
                row_span=_TILE_ROWS,
                title=f"Projects {chunk[0].project_id}-{chunk[-1].project_id}",
                subtitle="cost analysis, budget and resource group of each project",
                content=_project_table(stack.tenant_id, chunk),
            )
        )
    return DashboardPlan(
        name=namer.common("dashboard", "cost"),
        title=title,
        tiles=tuple(tiles),
        project_ids=tuple(p.project_id for p in projects),
    )


def _header(
    stack: StackConfig, projects: Sequence[ProjectBudgetPlan], environment_budgets: Sequence[EnvironmentBudgetPlan]
) -> str:
    total = sum(p.monthly_amount for p in projects)
    lines = [f"Project budgets: **{total:,.0f}** per month over {len(projects)} projects."]
    if environment_budgets:
        amount = sum(b.monthly_amount for b in environment_budgets)
        links = ", ".join(
            f"[{b.budget_name}]({portal_link(stack.tenant_id, b.scope, 'budgets')})" for b in environment_budgets
        )
        lines.append(f"Environment budget: **{amount:,.0f}** per month ({links}).")
    else:
        lines.append("No environment budget (`aifactory:cost` is not set).")
    return "\n\n".join(lines)


def _project_table(tenant_id: str, projects: Sequence[ProjectBudgetPlan]) -> str:
    rows = [
        "| project | cost centre | budget | links |",
        "|---|---|---:|---|",
    ]
    for project in projects:
        group = project.resource_group_id
        links = " · ".join(f"[{label}]({portal_link(tenant_id, group, blade)})" for label, blade in _PROJECT_LINKS)
        rows.append(
            f"| {project.project_id} {project.name} ({project.type}) | {project.cost_center} | "
            f"{project.monthly_amount:,.0f} | {links} |"
        )
    return "\n".join(rows)
