"""The Pulumi program: validate everything, plan everything, then build the factory.

``__main__.py`` calls :func:`run`. The same code runs under ``pulumi up`` and under the offline
mocks of ``aifactory plan``; config comes from the Pulumi engine in both cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.config import CONFIG, get_config_env

from aifactory.components.factory import AIFactory, AIFactoryArgs
from aifactory.config.loader import load_factory_config
from aifactory.errors import ConfigError
from aifactory.performance import register_alias_drop
from aifactory.plan.factory import FactoryPlan, build_factory_plan

__all__ = ["engine_config", "plan_from_engine", "run"]


def engine_config() -> dict[str, Any]:
    """Every config value the engine gave the program (namespaced keys, string values)."""
    return {**get_config_env(), **CONFIG.get()}


def plan_from_engine(project_dir: Path) -> FactoryPlan:
    """Load, validate and plan the current stack; a readable ``RunError`` (no stack trace) if invalid."""
    stack_file = f"Pulumi.{pulumi.get_stack()}.yaml"
    try:
        return build_factory_plan(load_factory_config(engine_config(), stack_file, project_dir))
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None


def run(project_dir: Path) -> AIFactory:
    """Build the whole environment: the common part and every project that lists it."""
    plan = plan_from_engine(project_dir)
    register_alias_drop(plan.stack.keep_provider_aliases)
    factory = AIFactory("aifactory", AIFactoryArgs(plan))
    for name, value in factory.exports.items():
        pulumi.export(name, value)
    return factory
