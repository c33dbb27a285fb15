"""AIFactory: the root component of a stack - the common environment and every project in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from aifactory.components.base import FactoryComponent
from aifactory.components.common_environment import CommonEnvironment, CommonEnvironmentArgs
from aifactory.components.projects import project_component
from aifactory.plan.factory import FactoryPlan

__all__ = ["AIFactory", "AIFactoryArgs"]


@dataclass(frozen=True)
class AIFactoryArgs:
    """The validated plan of the environment."""

    plan: FactoryPlan


class AIFactory(FactoryComponent):
    """The environment: one azure-native provider per subscription, the common part, the projects."""

    def __init__(self, name: str, args: AIFactoryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:index:AIFactory", name, opts)
        plan = args.plan
        self._providers: dict[str, azure_native.Provider] = {}
        for subscription in plan.stack.subscriptions:
            self.provider(subscription)
        self.common = CommonEnvironment(
            "common",
            CommonEnvironmentArgs(plan=plan, providers=self.provider),
            opts=self.child_opts(provider=self.provider(plan.stack.subscription_id)),
        )
        self.projects = {
            project.spec.id: project_component(
                plan, project, self.common.outputs, self.child_opts(provider=self.provider(project.subscription_id))
            )
            for project in plan.projects
        }
        self.exports: dict[str, Any] = {
            **self.common.exports,
            "projects": {p.key: p.resource_group_name for p in self.projects.values()},
        }
        self.register_outputs({"common_resource_group": self.common.outputs.resource_group_name})

    def provider(self, subscription_id: str) -> azure_native.Provider:
        """The azure-native provider of ``subscription_id`` (one per subscription, created once)."""
        if subscription_id not in self._providers:
            self._providers[subscription_id] = azure_native.Provider(
                f"azure-native-{subscription_id}",
                subscription_id=subscription_id,
                opts=self.child_opts(),
            )
        return self._providers[subscription_id]
