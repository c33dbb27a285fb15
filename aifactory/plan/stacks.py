"""Which stack holds what: the environment's stacks in its layout, decided before any resource.

In the ``single`` layout the environment's stack holds the common part and every project. In
the ``sharded`` layout stack ``<env>`` holds the common part (the network with every project's
subnets and NSGs included: Azure serialises writes to one VNet's subnets, so they stay with the
stack that owns the VNet) and stack ``<env>-p<NNN>`` holds exactly project NNN's resources.

A project stack has no settings of its own: :func:`load_stack_plan` reads its environment's
stack file and lets the project stack's file override only :data:`PROJECT_STACK_SETTINGS`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aifactory.config.layout import LayoutMode, StackTarget, project_stack_name, stack_target
from aifactory.config.loader import NAMESPACE, load_factory_config, read_stack_file
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.factory import FactoryPlan, build_factory_plan

__all__ = [
    "PROJECT_STACK_SETTINGS",
    "StackContents",
    "StackPlanInputs",
    "environment_stacks",
    "load_stack_plan",
    "project_stack_config",
    "stack_contents",
    "stack_plan_inputs",
]

PROJECT_STACK_SETTINGS = ("keep_provider_aliases", "protect_stateful", "layout")
"""The ``aifactory:`` keys a project stack's own file may set; everything else comes from
``Pulumi.<env>.yaml``, so a project has the same names and inputs in both layouts."""

_CACHED_PLANS = 4


@dataclass(frozen=True)
class StackContents:
    """One stack of the environment: whether it builds the common part, and which projects."""

    stack: str
    environment_stack: str
    layout: LayoutMode
    common: bool
    project_ids: tuple[int, ...]

    @property
    def is_project_stack(self) -> bool:
        return not self.common


def stack_contents(plan: FactoryPlan, target: StackTarget) -> StackContents:
    """What ``target`` deploys under the plan's layout; a ConfigError when that stack cannot exist."""
    layout = plan.stack.layout.mode
    stack_file = plan.config.stack_file
    if target.project_id is None:
        ids = tuple(p.spec.id for p in plan.projects) if layout == "single" else ()
        return StackContents(target.stack_name, target.environment_stack, layout, True, ids)
    if layout == "single":
        raise ConfigError(
            [
                ConfigProblem(
                    stack_file,
                    f"{NAMESPACE}:layout",
                    "single",
                    f"stack {target.stack_name} is a project stack, but this environment's layout is single "
                    f"(stack {target.environment_stack} holds every project)",
                    f"set {NAMESPACE}:layout: sharded in {stack_file}, or use stack {target.environment_stack}",
                )
            ]
        )
    deployed = sorted(p.spec.id for p in plan.projects)
    if target.project_id not in deployed:
        examples = ", ".join(project_stack_name(target.environment_stack, i) for i in deployed[:3])
        raise ConfigError(
            [
                ConfigProblem(
                    f"Pulumi.{target.stack_name}.yaml",
                    "(stack name)",
                    target.stack_name,
                    f"no project with id {target.project_id} is deployed in {plan.environment} (no project file "
                    f"with that id lists {plan.environment})",
                    f"use the stack of a deployed project ({examples or 'none is deployed'}"
                    + (", ...)" if len(deployed) > 3 else ")"),
                )
            ]
        )
    return StackContents(target.stack_name, target.environment_stack, layout, False, (target.project_id,))


def environment_stacks(plan: FactoryPlan, environment_stack: str) -> list[StackContents]:
    """Every stack of the environment: the environment's stack first, then project stacks in id order."""
    first = stack_contents(plan, StackTarget(environment_stack))
    if plan.stack.layout.mode == "single":
        return [first]
    return [first, *(stack_contents(plan, StackTarget(environment_stack, p.spec.id)) for p in plan.projects)]


def project_stack_config(
    environment_config: Mapping[str, str], overrides: Mapping[str, Any], override_file: str
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """A project stack's config map: its environment's, with the overrides its own stack file may make.

    ``overrides`` is what the engine passes the project stack (its ``Pulumi.<env>-p<NNN>.yaml``);
    keys of other namespaces pass through, ``aifactory:`` keys outside :data:`PROJECT_STACK_SETTINGS`
    are problems.
    """
    merged: dict[str, Any] = dict(environment_config)
    problems: list[ConfigProblem] = []
    allowed = ", ".join(f"{NAMESPACE}:{s}" for s in PROJECT_STACK_SETTINGS)
    for key, value in sorted(overrides.items()):
        namespace, _, name = key.partition(":")
        if namespace == NAMESPACE and name not in PROJECT_STACK_SETTINGS:
            problems.append(
                ConfigProblem(
                    override_file,
                    key,
                    value,
                    "a project stack takes this setting from its environment's stack file",
                    f"set it in the environment's stack file; a project stack's file may set only {allowed}",
                )
            )
            continue
        merged[key] = value
    return merged, problems


@dataclass(frozen=True)
class StackPlanInputs:
    """The config a stack is planned from and the file it comes from (for messages)."""

    target: StackTarget
    config_map: Mapping[str, Any]
    stack_file: str


def stack_plan_inputs(project_dir: Path, stack: str, engine_config: Mapping[str, Any]) -> StackPlanInputs:
    """The config ``stack`` is planned from: the engine's for an environment stack; for a project stack
    its environment's stack file plus the overrides the engine passes it."""
    target = stack_target(stack)
    if not target.is_project_stack:
        return StackPlanInputs(target, engine_config, f"Pulumi.{stack}.yaml")
    environment_config, environment_file = read_stack_file(project_dir, target.environment_stack)
    merged, problems = project_stack_config(environment_config, engine_config, f"Pulumi.{stack}.yaml")
    if problems:
        raise ConfigError(problems)
    return StackPlanInputs(target, merged, environment_file)


def load_stack_plan(
    project_dir: Path, stack: str, engine_config: Mapping[str, Any]
) -> tuple[FactoryPlan, StackContents]:
    """Validate and plan ``stack`` (config as the engine passes it) and decide what it holds.

    Plans are pure functions of the config map and the project files, so the last few are kept
    per process, keyed by both: the offline plan of a sharded environment runs hundreds of project
    stacks of one environment in a few worker processes and plans it once per process.
    """
    inputs = stack_plan_inputs(project_dir, stack, engine_config)
    fingerprint = _fingerprint(project_dir, inputs.config_map)
    key = None if fingerprint is None else (fingerprint, inputs.stack_file)
    plan = _PLANS.get(key) if key is not None else None
    if plan is None:
        plan = build_factory_plan(load_factory_config(inputs.config_map, inputs.stack_file, project_dir))
        if key is not None:
            _PLANS[key] = plan
            while len(_PLANS) > _CACHED_PLANS:
                _PLANS.popitem(last=False)
    return plan, stack_contents(plan, inputs.target)


_PLANS: OrderedDict[tuple[object, ...], FactoryPlan] = OrderedDict()


def _fingerprint(project_dir: Path, config_map: Mapping[str, Any]) -> tuple[object, ...] | None:
    """The config map and the name, size and modification time of every project file it reads
    (None when a file cannot be looked at: such a plan is not kept, and the loader reports why)."""
    raw = config_map.get(f"{NAMESPACE}:projects_dir", "projects")
    projects = project_dir / (raw if isinstance(raw, str) else "projects")
    try:
        files = tuple(
            (path.name, stat.st_size, stat.st_mtime_ns)
            for path in sorted(projects.iterdir())
            for stat in (path.stat(),)
        )
        root = str(project_dir.resolve())
    except OSError:
        return None
    return (root, tuple(sorted((k, str(v)) for k, v in config_map.items())), files)
