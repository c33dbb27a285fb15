"""GenAIProject: a generative-AI project workspace in one environment.

Today it provisions only the :class:`ProjectBaseline`: resource group, identities, budget,
Application Insights, private keyless storage and Key Vault, and - when enabled - a dedicated
registry and Event Hubs. The GenAI services (AI Foundry, AI Search, Cosmos DB, Container Apps,
Web App) are not built yet: their planned private endpoints and role assignments are skipped
(listed in :data:`NOT_BUILT`) until a later change adds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from aifactory.components.base import FactoryComponent
from aifactory.components.interfaces import CommonOutputs
from aifactory.components.projects.baseline import ProjectBaseline, ProjectBaselineArgs
from aifactory.plan.factory import FactoryPlan, ProjectPlan

__all__ = ["NOT_BUILT", "GenAIProject", "GenAIProjectArgs"]

NOT_BUILT = ("ai_foundry", "ai_search", "cosmos_db", "container_apps", "web_app")
"""GenAI services this component does not build yet."""


@dataclass(frozen=True)
class GenAIProjectArgs:
    """The environment's plan, the project's plan and what the common part provides."""

    plan: FactoryPlan
    project: ProjectPlan
    common: CommonOutputs


class GenAIProject(FactoryComponent):
    """A GenAI project: for now the baseline only (see the module docstring)."""

    def __init__(self, name: str, args: GenAIProjectArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:projects:GenAIProject", name, opts)
        self.key = args.project.key
        self.baseline = ProjectBaseline(
            f"{self.key}-baseline",
            ProjectBaselineArgs(plan=args.plan, project=args.project, common=args.common),
            self.child_opts(),
        )
        self.resource_group_name: pulumi.Output[str] = self.baseline.resource_group_name
        self.role_assignments = self.baseline.complete(self, {}, not_built=NOT_BUILT)
        self.register_outputs({"resource_group_name": self.resource_group_name})
