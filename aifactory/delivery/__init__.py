"""Delivery: which stacks exist and which a change touches, and how Pulumi Deployments runs them."""

from aifactory.delivery.affected import Affected, FileChange, ProjectFacts, affected_stacks
from aifactory.delivery.stacks import EnvironmentStacks, Layout, declared_layout, project_stack_name

__all__ = [
    "Affected",
    "EnvironmentStacks",
    "FileChange",
    "Layout",
    "ProjectFacts",
    "affected_stacks",
    "declared_layout",
    "project_stack_name",
]
