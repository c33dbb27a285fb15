"""Tags: the stack's own tags plus the factory's, per workload. Pure.

Project resources carry cost centre, owners, project and type so cost reports and policies can
group them; every resource carries the environment and the factory version.
"""

from __future__ import annotations

from aifactory import __version__
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig

__all__ = ["common_tags", "project_tags"]

_MAX_VALUE = 256


def common_tags(stack: StackConfig) -> dict[str, str]:
    """Tags of the environment's common resources."""
    return {
        **stack.tags,
        "aifactory-environment": stack.environment,
        "aifactory-workload": "common",
        "aifactory-version": __version__,
        "managed-by": "aifactory-pulumi",
    }


def project_tags(stack: StackConfig, project: ProjectSpec) -> dict[str, str]:
    """Tags of a project's resources."""
    return {
        **common_tags(stack),
        "aifactory-workload": project.key,
        "aifactory-project": project.file_stem,
        "aifactory-project-type": project.type,
        "cost-center": project.cost_center,
        "owners": ";".join(project.owners)[:_MAX_VALUE],
    }
