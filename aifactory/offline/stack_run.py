"""The offline plan of a stack: validate and plan, then run the real ``__main__.py`` under mocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aifactory.config.loader import load_factory_config, read_stack_file
from aifactory.config.yaml_io import read_yaml
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.runner import OfflineRun, main_program, run_offline
from aifactory.performance import install_plan_gc
from aifactory.plan.factory import FactoryPlan, build_factory_plan

__all__ = ["StackPlan", "load_plan", "pulumi_project_name", "run_stack"]


@dataclass(frozen=True)
class StackPlan:
    """A stack's decisions and everything its program registered offline."""

    plan: FactoryPlan
    run: OfflineRun


def pulumi_project_name(project_dir: Path) -> str:
    """The Pulumi project name from ``Pulumi.yaml`` (it prefixes every config key and URN)."""
    data, problems = read_yaml(project_dir / "Pulumi.yaml", "Pulumi.yaml")
    if problems:
        raise ConfigError(problems)
    name = (data or {}).get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name:
        raise ConfigError([ConfigProblem("Pulumi.yaml", "name", name, "is missing", "set name: aifactory")])
    return name


def load_plan(project_dir: Path, stack: str) -> FactoryPlan:
    """Validate the stack and all projects and compute the plan (no resources, no mocks)."""
    config_map, stack_file = read_stack_file(project_dir, stack)
    return build_factory_plan(load_factory_config(config_map, stack_file, project_dir))


def run_stack(project_dir: Path, stack: str, on_register: Callable[[int], None] | None = None) -> StackPlan:
    """Plan ``stack`` and run the project's real program under the offline mocks.

    Bad config raises :class:`ConfigError` before any resource is registered.
    """
    plan = load_plan(project_dir, stack)
    config_map, _ = read_stack_file(project_dir, stack)
    install_plan_gc()
    run = run_offline(
        main_program(project_dir),
        project=pulumi_project_name(project_dir),
        stack=stack,
        config=config_map,
        subscription_id=plan.stack.subscription_id,
        tenant_id=plan.stack.tenant_id,
        on_register=on_register,
    )
    return StackPlan(plan, run)
