"""AIFactory: the root component of a stack - the common environment, its projects, or both.

Every stack of every layout has this root, named ``aifactory``, with the providers as its direct
children and the project components below it. A project's resources therefore have the same URN
(apart from the stack name) whichever stack holds them, which is what lets ``pulumi state move``
carry a project between the layouts without replacing anything (docs/layouts.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_azure_native as azure_native

from aifactory.components.base import FactoryComponent
from aifactory.components.datalake import dataplane_provider
from aifactory.components.interfaces import (
    COMMON_OUTPUT,
    CommonOutputs,
    common_keys,
    common_outputs_from_reference,
    export_common_outputs,
)
from aifactory.components.projects import ProjectComponent, project_component
from aifactory.plan.decommission import DEPLOYED_OUTPUT, deployed_projects
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.stacks import StackContents

if TYPE_CHECKING:
    from aifactory.components.common_environment import CommonEnvironment

__all__ = ["COMMON_REFERENCE", "AIFactory", "AIFactoryArgs"]

COMMON_REFERENCE = "common"
"""Logical name of a project stack's StackReference to its common stack."""


@dataclass(frozen=True)
class AIFactoryArgs:
    """The validated plan of the environment, what this stack holds and, for a project stack, the
    fully qualified name of the common stack it reads (``<organization>/<project>/<env>``)."""

    plan: FactoryPlan
    contents: StackContents
    common_stack: str | None = None


class AIFactory(FactoryComponent):
    """One stack of the environment: one azure-native provider per subscription it uses, the lake's
    data-plane provider, the common part (or a reference to it) and the projects it holds."""

    def __init__(self, name: str, args: AIFactoryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:index:AIFactory", name, opts)
        plan, contents = args.plan, args.contents
        self._providers: dict[str, azure_native.Provider] = {}
        held = [plan.project(project_id) for project_id in contents.project_ids]
        subscriptions = plan.stack.subscriptions if contents.common else [p.subscription_id for p in held]
        for subscription in subscriptions:
            self.provider(subscription)
        self.dataplane_provider = dataplane_provider(plan, self.child_opts())
        self.exports: dict[str, Any] = {}
        self.common: CommonEnvironment | None = None
        if contents.common:
            # Imported here: a project stack never builds the common part, nor loads its modules.
            from aifactory.components.common_environment import CommonEnvironment, CommonEnvironmentArgs

            self.common = CommonEnvironment(
                "common",
                CommonEnvironmentArgs(plan=plan, providers=self.provider, dataplane_provider=self.dataplane_provider),
                opts=self.child_opts(provider=self.provider(plan.stack.subscription_id)),
            )
            common = self.common.outputs
            self.exports.update(self.common.exports)
            if contents.layout == "sharded":
                # Every project stack reads every output of this stack: keep them independent of the
                # number of projects (subnet ids are <vnet id>/subnets/<name>, see aifactory ipam).
                self.exports.pop("subnet_ids", None)
                self.exports[COMMON_OUTPUT] = export_common_outputs(common)
        else:
            common = self._referenced_common(plan, contents, args.common_stack)
        self.projects: dict[int, ProjectComponent] = {
            project.spec.id: project_component(
                plan, project, common, self.child_opts(provider=self.provider(project.subscription_id))
            )
            for project in held
        }
        if self.projects or contents.layout == "single":
            self.exports["projects"] = {p.key: p.resource_group_name for p in self.projects.values()}
            self.exports[DEPLOYED_OUTPUT] = deployed_projects(held)
        self.register_outputs({"common_resource_group": common.resource_group_name} if contents.common else {})

    def _referenced_common(self, plan: FactoryPlan, contents: StackContents, common_stack: str | None) -> CommonOutputs:
        if common_stack is None:
            msg = f"project stack {contents.stack} needs the name of its common stack"
            raise ValueError(msg)
        reference = pulumi.StackReference(COMMON_REFERENCE, common_stack, opts=self.child_opts())
        return common_outputs_from_reference(
            reference, plan, common_keys(plan, contents.project_ids), self.dataplane_provider, common_stack
        )

    def provider(self, subscription_id: str) -> azure_native.Provider:
        """The azure-native provider of ``subscription_id`` (one per subscription, created once)."""
        if subscription_id not in self._providers:
            self._providers[subscription_id] = azure_native.Provider(
                f"azure-native-{subscription_id}",
                subscription_id=subscription_id,
                opts=self.child_opts(),
            )
        return self._providers[subscription_id]
