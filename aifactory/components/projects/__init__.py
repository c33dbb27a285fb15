"""Project components: one per project type, built on a shared baseline."""

from __future__ import annotations

from typing import Protocol, assert_never

import pulumi

from aifactory.components.interfaces import CommonOutputs
from aifactory.components.projects.baseline import ProjectBaseline
from aifactory.components.projects.esml import EsmlProject, EsmlProjectArgs
from aifactory.components.projects.genai import GenAIProject, GenAIProjectArgs
from aifactory.plan.factory import FactoryPlan, ProjectPlan

__all__ = ["EsmlProject", "GenAIProject", "ProjectComponent", "project_component"]


class ProjectComponent(Protocol):
    """What the root needs from any project component."""

    key: str
    resource_group_name: pulumi.Output[str]
    baseline: ProjectBaseline


def project_component(
    plan: FactoryPlan, project: ProjectPlan, common: CommonOutputs, opts: pulumi.ResourceOptions
) -> ProjectComponent:
    """The component for ``project``'s type (every ``ProjectType`` has one; mypy checks the match is exhaustive)."""
    project_type = project.spec.type
    match project_type:
        case "esml":
            return EsmlProject(project.key, EsmlProjectArgs(plan=plan, project=project, common=common), opts)
        case "genai":
            return GenAIProject(project.key, GenAIProjectArgs(plan=plan, project=project, common=common), opts)
        case _:
            assert_never(project_type)
