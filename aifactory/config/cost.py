"""The environment's cost settings: ``aifactory:cost`` of the stack file.

Projects carry their own budgets (``budget:`` of the project file, one per project resource group);
this section adds the environment's budget on top: one amount for the whole environment (its common
part and every project), with its own alert thresholds and recipients. Where that budget lives and
how it is split over subscriptions is decided in :mod:`aifactory.plan.cost`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from aifactory.config.base import ConfigModel
from aifactory.config.types import EmailAddress, no_duplicates
from aifactory.errors import Invalid

__all__ = ["MAX_BUDGET_NOTIFICATIONS", "NOTIFICATIONS_PER_THRESHOLD", "CostConfig"]

MAX_BUDGET_NOTIFICATIONS = 5
"""Azure's limit: "Budget can have up to five notifications" (Budgets - Create Or Update)."""

NOTIFICATIONS_PER_THRESHOLD = 2
"""Each threshold alerts twice: when the forecast reaches it and when actual cost does."""

_MAX_THRESHOLDS = MAX_BUDGET_NOTIFICATIONS // NOTIFICATIONS_PER_THRESHOLD


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
    thresholds: list[int] = Field(
        default_factory=lambda: [80, 100],
        min_length=1,
        description=f"Optional. Alert thresholds in percent of the amount; each alerts on forecast and on actual "
        f"cost, and Azure allows {MAX_BUDGET_NOTIFICATIONS} alerts per budget, so at most {_MAX_THRESHOLDS}. "
        "Default: 80, 100.",
    )

    @field_validator("thresholds")
    @classmethod
    def _thresholds(cls, value: list[int]) -> list[int]:
        bad = [t for t in value if not 1 <= t <= 1000]
        if bad:
            raise Invalid(f"thresholds {bad} are outside 1-1000 percent", "use percentages such as 80 and 100")
        unique = sorted(no_duplicates(value))
        if len(unique) > _MAX_THRESHOLDS:
            raise Invalid(
                f"{len(unique)} thresholds make {len(unique) * NOTIFICATIONS_PER_THRESHOLD} alerts (forecast and "
                f"actual each), and Azure refuses a budget with more than {MAX_BUDGET_NOTIFICATIONS}",
                f"keep at most {_MAX_THRESHOLDS} thresholds, e.g. [80, 100]",
            )
        return unique
