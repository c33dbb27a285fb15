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
from aifactory.plan.decommission import DEPLOYED_OUTPUT, parse_deployed, removal_problems
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.stacks import StackContents, load_stack_plan

__all__ = ["DEPLOYED_REFERENCE", "common_stack_name", "engine_config", "guard_removals", "plan_from_engine", "run"]

DEPLOYED_REFERENCE = "deployed"
"""Logical name of the stack's ``StackReference`` to itself (its last deployment's outputs)."""


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


def own_stack_name() -> str:
    """``<organization>/<project>/<stack>``: the stack this program runs as, for reading its last outputs."""
    return f"{pulumi.get_organization() or DEFAULT_ORGANIZATION}/{pulumi.get_project()}/{pulumi.get_stack()}"


def guard_removals(plan: FactoryPlan, contents: StackContents) -> pulumi.Output[int] | None:
    """Fail the run when it would remove a project whose data the last deployment left protected.

    Reads the stack's own last outputs (:data:`DEPLOYED_OUTPUT`) through a ``StackReference`` to
    itself and raises a ``RunError`` naming the decommission procedure. The program then fails, and
    the engine deletes nothing: it deletes resources the program no longer registers only after a run
    that completes. Only the single layout's environment stack can lose a project this way: a project
    stack of the sharded layout whose project is gone does not load at all (``plan/stacks.py``), and
    environments that protect nothing skip the check.
    """
    if not plan.stack.protect or contents.layout != "single":
        return None
    reference = pulumi.StackReference(DEPLOYED_REFERENCE, own_stack_name())

    def check(previous: Any) -> int:
        problems = removal_problems(parse_deployed(previous), plan)
        if problems:
            raise pulumi.RunError(str(ConfigError(problems)))
        return len(parse_deployed(previous))

    return reference.get_output(DEPLOYED_OUTPUT).apply(check)


def run(project_dir: Path) -> AIFactory:
    """Build what the current stack holds: the whole environment, its common part, or one project."""
    plan, contents = plan_from_engine(project_dir)
    register_alias_drop(plan.stack.keep_provider_aliases)
    common_stack = common_stack_name(plan, contents) if contents.is_project_stack else None
    checked = guard_removals(plan, contents)
    factory = AIFactory("aifactory", AIFactoryArgs(plan, contents, common_stack))
    for name, value in factory.exports.items():
        pulumi.export(name, value)
    if checked is not None:
        # An export is awaited before the run completes, so a failed check fails the run.
        pulumi.export("removal_check", checked)
    return factory
