"""The environment's cost settings: ``aifactory:cost`` of the stack file.

Projects carry their own budgets (``budget:`` of the project file, one per project resource group);
this section adds the environment's budget on top: one amount for the whole environment (its common
part and every project), with its own alert thresholds and recipients. Where that budget lives and
how it is split over subscriptions is decided in :mod:`aifactory.plan.cost`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from aifactory.config.base import ConfigModel
from aifactory.config.types import EmailAddress, no_duplicates
from aifactory.errors import Invalid

__all__ = ["MAX_BUDGET_NOTIFICATIONS", "BudgetThresholds", "CostConfig", "budget_thresholds_field"]

MAX_BUDGET_NOTIFICATIONS = 5
"""Azure's limit: "Budget can have up to five notifications" (Budgets - Create Or Update)."""


def _percentages(value: list[int]) -> list[int]:
    bad = [t for t in value if not 1 <= t <= 1000]
    if bad:
        raise Invalid(f"thresholds {bad} are outside 1-1000 percent", "use percentages such as 80 and 100")
    return sorted(no_duplicates(value))


BudgetThresholds = Annotated[list[int], AfterValidator(_percentages)]
"""Alert thresholds of a budget (project or environment): 1-1000 percent, each once, in ascending order."""


def budget_thresholds_field() -> Any:
    """The ``thresholds`` field of every budget (project and environment): one default, bound and description."""
    return Field(
        default_factory=lambda: [80, 100],
        min_length=1,
        max_length=MAX_BUDGET_NOTIFICATIONS,
        description="Optional. Alert thresholds in percent of the amount: actual cost alerts at each, forecast "
        "alerts at the highest that fit Azure's five alerts per budget. Default: 80, 100.",
    )


class CostConfig(ConfigModel):
    """Optional. The environment's monthly budget over its common part and every project, and its alerts.

    The budget is a subscription budget filtered by the ``aifactory-environment`` tag (one per
    subscription the environment uses; see docs/cost.md).
    """

    monthly_budget: float = Field(
        gt=0,
        le=100_000_000,
        description="Required. The environment's monthly amount in the billing currency: its common part and "
        "every project together.",
    )
    alert_emails: Annotated[list[EmailAddress], AfterValidator(no_duplicates)] = Field(
        min_length=1, description="Required. Who gets the environment's budget alerts (the core team's mailbox)."
    )
    thresholds: BudgetThresholds = budget_thresholds_field()
