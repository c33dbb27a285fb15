"""CostCockpit: the environment's budgets and its cost dashboard, as :mod:`aifactory.plan.cost` decided them.

:func:`create_budget` is the one way the factory creates a budget (the project baseline uses it for
each project's resource-group budget); the component adds the environment's subscription budgets
(filtered by the environment tag) and the portal dashboard that lists every project.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import consumption, portal

from aifactory.components.base import FactoryComponent
from aifactory.plan.cost import MARKDOWN_PART, BudgetNotification, DashboardPlan, EnvironmentBudgetPlan
from aifactory.plan.factory import FactoryPlan

__all__ = ["CostCockpit", "CostCockpitArgs", "budget_start", "create_budget"]


def budget_start(today: datetime.date) -> str:
    """Azure accepts a monthly budget starting on the first day of the current month, not earlier."""
    return f"{today:%Y-%m}-01T00:00:00Z"


def create_budget(
    logical_name: str,
    *,
    budget_name: str,
    scope: pulumi.Input[str],
    amount: float,
    notifications: Sequence[BudgetNotification],
    parent: pulumi.Resource,
    tag_filter: tuple[str, str] | None = None,
) -> consumption.Budget:
    """A monthly cost budget with the planned alerts; ``tag_filter`` (name, value) narrows its scope."""
    return consumption.Budget(
        logical_name,
        budget_name=budget_name,
        scope=scope,
        amount=amount,
        category=consumption.CategoryType.COST,
        time_grain=consumption.TimeGrainType.MONTHLY,
        time_period=consumption.BudgetTimePeriodArgs(start_date=budget_start(datetime.datetime.now(datetime.UTC))),
        filter=(
            consumption.BudgetFilterArgs(
                tags=consumption.BudgetComparisonExpressionArgs(
                    name=tag_filter[0], operator=consumption.BudgetOperatorType.IN_, values=[tag_filter[1]]
                )
            )
            if tag_filter is not None
            else None
        ),
        notifications={
            n.key: consumption.NotificationArgs(
                enabled=True,
                operator=consumption.OperatorType.GREATER_THAN_OR_EQUAL_TO,
                threshold=n.threshold,
                threshold_type=n.kind,
                contact_emails=list(n.emails),
            )
            for n in notifications
        },
        # The start date is only valid in the month of creation; later runs must not move it.
        opts=pulumi.ResourceOptions(parent=parent, ignore_changes=["timePeriod"]),
    )


@dataclass(frozen=True)
class CostCockpitArgs:
    """The environment's plan and where the dashboard lives (the common resource group)."""

    plan: FactoryPlan
    resource_group_name: pulumi.Input[str]


class CostCockpit(FactoryComponent):
    """The environment's budgets (one per subscription it uses) and its cost dashboard."""

    def __init__(self, name: str, args: CostCockpitArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:cost:CostCockpit", name, opts)
        cost = args.plan.cost
        self.budgets = [
            self._environment_budget(index, budget) for index, budget in enumerate(cost.environment_budgets)
        ]
        self.dashboard = portal.Dashboard(
            "common-cost-dashboard",
            dashboard_name=cost.dashboard.name,
            resource_group_name=args.resource_group_name,
            location=args.plan.stack.location,
            properties=portal.DashboardPropertiesWithProvisioningStateArgs(
                lenses=[portal.DashboardLensArgs(order=0, parts=dashboard_parts(cost.dashboard))]
            ),
            tags={**args.plan.common_tags, "hidden-title": cost.dashboard.title},
            opts=self.child_opts(),
        )
        self.register_outputs({"dashboard_id": self.dashboard.id})

    def _environment_budget(self, index: int, budget: EnvironmentBudgetPlan) -> consumption.Budget:
        return create_budget(
            "common-budget" if index == 0 else f"common-budget-{budget.subscription_id}",
            budget_name=budget.budget_name,
            scope=budget.scope,
            amount=budget.monthly_amount,
            notifications=budget.notifications,
            parent=self,
            tag_filter=(budget.tag_name, budget.tag_value),
        )


def dashboard_parts(dashboard: DashboardPlan) -> list[portal.DashboardPartsArgs]:
    """The dashboard's markdown parts, in the shape "The structure of Azure dashboards" documents."""
    return [
        portal.DashboardPartsArgs(
            position=portal.DashboardPartsPositionArgs(
                x=tile.x, y=tile.y, col_span=tile.col_span, row_span=tile.row_span
            ),
            metadata=portal.DashboardPartMetadataArgs(
                type=MARKDOWN_PART,
                inputs=[],
                settings=_markdown_settings(tile.title, tile.subtitle, tile.content),
            ),
        )
        for tile in dashboard.tiles
    ]


def _markdown_settings(title: str, subtitle: str, content: str) -> Mapping[str, object]:
    return {"content": {"settings": {"content": content, "title": title, "subtitle": subtitle}}}
