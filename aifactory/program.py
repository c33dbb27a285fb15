"""The Pulumi program: validate everything, plan everything, then build what this stack holds.

``__main__.py`` calls :func:`run`. The same code runs under ``pulumi up`` and under the offline
mocks of ``aifactory plan``; config comes from the Pulumi engine in both cases. In the sharded
layout a project stack (``<env>-p<NNN>``) reads its environment's ``Pulumi.<env>.yaml`` itself,
plans the whole environment and builds only its project, on the common stack's outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.config import CONFIG, get_config_env

from aifactory.components.factory import AIFactory, AIFactoryArgs
from aifactory.config.layout import DEFAULT_ORGANIZATION, common_stack_reference
from aifactory.errors import ConfigError
from aifactory.performance import register_alias_drop
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.stacks import StackContents, load_stack_plan

__all__ = ["common_stack_name", "engine_config", "plan_from_engine", "run"]


def engine_config() -> dict[str, Any]:
    """Every config value the engine gave the program (namespaced keys, string values)."""
    return {**get_config_env(), **CONFIG.get()}


def plan_from_engine(project_dir: Path) -> tuple[FactoryPlan, StackContents]:
    """Load, validate and plan the current stack; a readable ``RunError`` (no stack trace) if invalid."""
    try:
        return load_stack_plan(project_dir, pulumi.get_stack(), engine_config())
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None


def common_stack_name(plan: FactoryPlan, contents: StackContents) -> str:
    """``<organization>/<project>/<env>``: where a project stack finds its common stack."""
    organization = pulumi.get_organization() or DEFAULT_ORGANIZATION
    return common_stack_reference(plan.stack.layout, organization, pulumi.get_project(), contents.environment_stack)


def run(project_dir: Path) -> AIFactory:
    """Build what the current stack holds: the whole environment, its common part, or one project."""
    plan, contents = plan_from_engine(project_dir)
    register_alias_drop(plan.stack.keep_provider_aliases)
    common_stack = common_stack_name(plan, contents) if contents.is_project_stack else None
    factory = AIFactory("aifactory", AIFactoryArgs(plan, contents, common_stack))
    for name, value in factory.exports.items():
        pulumi.export(name, value)
    return factory
