"""The offline plan of a stack: validate and plan, then run the real ``__main__.py`` under mocks.

A single-layout environment is one run. A sharded environment is its common stack, then every
project stack (in parallel worker processes, :mod:`aifactory.offline.parallel`), each reading the
common stack's recorded outputs through its ``StackReference``; the runs merge into one result.
A project stack on its own reads the common stack's outputs recorded by an earlier plan of the
environment, as ``pulumi up`` reads them from the deployed common stack.
"""

from __future__ import annotations

import hashlib
import json
import resource
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aifactory.config.layout import DEFAULT_ORGANIZATION, common_stack_reference, project_stack_name, stack_target
from aifactory.config.loader import NAMESPACE, read_stack_file
from aifactory.config.yaml_io import read_yaml
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.offline.existing_network import existing_network_answers
from aifactory.offline.parallel import StackJob, StackWorkers, default_jobs
from aifactory.offline.runner import OfflineRun, main_program, run_offline
from aifactory.performance import install_plan_gc
from aifactory.plan.factory import FactoryPlan, ProjectPlan
from aifactory.plan.stacks import StackContents, environment_stacks, load_stack_plan, stack_plan_inputs

__all__ = [
    "Progress",
    "StackPlan",
    "StackRun",
    "inputs_digest",
    "load_plan",
    "pulumi_project_name",
    "run_project_stacks",
    "run_stack",
]

Progress = Callable[[str], None]
"""Receives one line of progress ("dev-p007 planned (93 resources), 12/300")."""


@dataclass(frozen=True)
class StackRun:
    """One stack's run."""

    contents: StackContents
    run: OfflineRun


@dataclass(frozen=True)
class StackPlan:
    """A stack's decisions and everything its program registered offline.

    ``run`` holds every resource of the planned stacks (URNs name their stack); ``stacks`` each
    stack's own run, the environment's stack first. ``notes`` say where recorded common outputs
    came from when a project stack was planned on its own.
    """

    plan: FactoryPlan
    run: OfflineRun
    stacks: tuple[StackRun, ...]
    inputs_digest: str = ""
    workers: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def layout(self) -> str:
        return self.plan.stack.layout.mode


def pulumi_project_name(project_dir: Path) -> str:
    """The Pulumi project name from ``Pulumi.yaml`` (it prefixes every config key and URN)."""
    data, problems = read_yaml(project_dir / "Pulumi.yaml", "Pulumi.yaml")
    if problems:
        raise ConfigError(problems)
    name = (data or {}).get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name:
        raise ConfigError([ConfigProblem("Pulumi.yaml", "name", name, "is missing", "set name: aifactory")])
    return name


def engine_config_of(project_dir: Path, stack: str) -> dict[str, str]:
    """The config the engine would pass ``stack``: its stack file; a project stack may have none."""
    if project_dir.joinpath(f"Pulumi.{stack}.yaml").exists() or not stack_target(stack).is_project_stack:
        return read_stack_file(project_dir, stack)[0]
    return {}


def load_plan(project_dir: Path, stack: str) -> FactoryPlan:
    """Validate the stack and all projects and compute the plan (no resources, no mocks)."""
    return load_stack_plan(project_dir, stack, engine_config_of(project_dir, stack))[0]


def inputs_digest(project_dir: Path, plan: FactoryPlan, stack: str) -> str:
    """A digest of what a stack is planned from: its config and every project file of the environment."""
    inputs = stack_plan_inputs(project_dir, stack, engine_config_of(project_dir, stack))
    digest = hashlib.sha256(json.dumps(sorted(inputs.config_map.items())).encode())
    projects = project_dir / plan.stack.projects_dir
    for path in sorted(projects.glob("*.y*ml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def run_stack(
    project_dir: Path,
    stack: str,
    *,
    jobs: int | None = None,
    recorded_common: Mapping[str, Any] | None = None,
    on_register: Callable[[int], None] | None = None,
    progress: Progress | None = None,
    only_projects: Sequence[int] | None = None,
) -> StackPlan:
    """Plan ``stack`` and run the project's real program under the offline mocks.

    An environment stack in the sharded layout plans its common stack, then every project stack
    (or only those of ``only_projects``: a sample of a large environment, whose common stack is still
    complete) with ``jobs`` worker processes (default: all cores). A project stack reads ``recorded_common``
    (the common stack's outputs from an earlier plan) or, without them, plans the common stack
    first. Bad config raises :class:`ConfigError` before any resource is registered.
    """
    config = engine_config_of(project_dir, stack)
    plan, contents = load_stack_plan(project_dir, stack, config)
    project = pulumi_project_name(project_dir)
    digest = inputs_digest(project_dir, plan, contents.environment_stack)
    say = progress or (lambda _line: None)
    install_plan_gc()
    if contents.layout == "single":
        run = _run(project_dir, project, plan, stack, config, on_register=on_register)
        return StackPlan(plan, run, (StackRun(contents, run),), digest)
    if contents.is_project_stack:
        notes: list[str] = []
        common_outputs = recorded_common
        if common_outputs is None:
            say(f"planning the common stack {contents.environment_stack} first (no recorded outputs)")
            common = _run(project_dir, project, plan, contents.environment_stack, _env_config(project_dir, contents))
            common_outputs = common.outputs
            notes.append(f"common stack {contents.environment_stack} planned first: no recorded outputs were given")
        reference = common_stack_reference(plan.stack.layout, DEFAULT_ORGANIZATION, project, contents.environment_stack)
        run = _run(
            project_dir, project, plan, stack, config, on_register=on_register, outputs={reference: common_outputs}
        )
        return StackPlan(plan, run, (StackRun(contents, run),), digest, notes=tuple(notes))
    return _run_sharded_environment(
        project_dir, project, plan, contents, config=config, digest=digest, jobs=jobs, say=say, only=only_projects
    )


def _env_config(project_dir: Path, contents: StackContents) -> dict[str, str]:
    return read_stack_file(project_dir, contents.environment_stack)[0]


def _run(
    project_dir: Path,
    project: str,
    plan: FactoryPlan,
    stack: str,
    config: Mapping[str, str],
    *,
    on_register: Callable[[int], None] | None = None,
    outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> OfflineRun:
    return run_offline(
        main_program(project_dir),
        project=project,
        stack=stack,
        config=config,
        subscription_id=plan.stack.subscription_id,
        tenant_id=plan.stack.tenant_id,
        organization=DEFAULT_ORGANIZATION,
        stack_outputs=outputs,
        on_register=on_register,
        existing_network=existing_network_answers(plan),
    )


def _run_sharded_environment(
    project_dir: Path,
    project: str,
    plan: FactoryPlan,
    contents: StackContents,
    *,
    config: Mapping[str, str],
    digest: str,
    jobs: int | None,
    say: Progress,
    only: Sequence[int] | None = None,
) -> StackPlan:
    started = time.perf_counter()
    stacks = environment_stacks(plan, contents.environment_stack)
    chosen = None if only is None else frozenset(only)
    ids = [i for part in stacks[1:] for i in part.project_ids if chosen is None or i in chosen]
    common, project_runs, workers = _common_then_projects(
        project_dir, project, plan, contents.stack, config=config, project_ids=ids, jobs=jobs, say=say
    )
    runs = [common, *project_runs]
    merged = OfflineRun(
        project=project,
        stack=contents.stack,
        resources=sorted((r for run in runs for r in run.resources), key=lambda r: r.urn),
        outputs=common.outputs,
        seconds=time.perf_counter() - started,
        peak_rss_mib=max(
            [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, *(run.peak_rss_mib for run in runs)]
        ),
    )
    by_stack = {s.stack: s for s in stacks}
    return StackPlan(plan, merged, tuple(StackRun(by_stack[run.stack], run) for run in runs), digest, workers=workers)


def _common_then_projects(
    project_dir: Path,
    project: str,
    plan: FactoryPlan,
    environment_stack: str,
    *,
    config: Mapping[str, str],
    project_ids: Sequence[int],
    jobs: int | None,
    say: Progress,
    overrides: Mapping[str, str] | None = None,
) -> tuple[OfflineRun, list[OfflineRun], int]:
    """The common stack in this process, then the project stacks in workers forked before it ran.

    ``overrides`` go into every project stack's config (as if its own stack file set them).
    """
    workers = max(1, min(jobs or default_jobs(), len(project_ids)))
    with StackWorkers(workers) as pool, tempfile.TemporaryDirectory(prefix="aifactory-") as scratch:
        say(f"planning the common stack {environment_stack}")
        common = _run(project_dir, project, plan, environment_stack, config)
        say(f"{environment_stack} planned ({len(common.resources)} resources)")
        outputs_file = Path(scratch) / "common-outputs.json"
        outputs_file.write_text(json.dumps(common.outputs), encoding="utf-8")
        reference = common_stack_reference(plan.stack.layout, DEFAULT_ORGANIZATION, project, environment_stack)
        stacks = [project_stack_name(environment_stack, project_id) for project_id in project_ids]
        project_jobs = [
            StackJob(
                project_dir=project_dir,
                project=project,
                stack=stack,
                config={**engine_config_of(project_dir, stack), **(overrides or {})},
                subscription_id=plan.stack.subscription_id,
                tenant_id=plan.stack.tenant_id,
                organization=DEFAULT_ORGANIZATION,
                reference=reference,
                outputs_file=outputs_file,
            )
            for stack in stacks
        ]
        finished = 0

        def done(run: OfflineRun) -> None:
            nonlocal finished
            finished += 1
            say(f"{run.stack} planned ({len(run.resources)} resources), {finished}/{len(project_jobs)} project stacks")

        return common, pool.run(project_jobs, done), workers


def run_project_stacks(
    project_dir: Path, environment_stack: str, project_ids: Sequence[int] | None = None, *, jobs: int | None = None
) -> list[tuple[ProjectPlan, OfflineRun]]:
    """Plan projects' stacks as the sharded layout deploys them, whatever layout the environment uses now.

    The environment's layout settings (organization, project) are kept; only its mode becomes
    ``sharded``, for the common stack and for every project stack (through the setting a project
    stack may override).
    """
    plan = load_plan(project_dir, environment_stack)
    layout = {f"{NAMESPACE}:layout": json.dumps({**plan.stack.layout.model_dump(exclude_none=True), "mode": "sharded"})}
    config = {**read_stack_file(project_dir, environment_stack)[0], **layout}
    sharded, _ = load_stack_plan(project_dir, environment_stack, config)
    ids = [p.spec.id for p in sharded.projects] if project_ids is None else list(project_ids)
    for project_id in ids:
        sharded.project(project_id)
    install_plan_gc()
    _, runs, _ = _common_then_projects(
        project_dir,
        pulumi_project_name(project_dir),
        sharded,
        environment_stack,
        config=config,
        project_ids=ids,
        jobs=jobs,
        say=lambda _line: None,
        overrides=layout,
    )
    return [(sharded.project(project_id), run) for project_id, run in zip(ids, runs, strict=True)]
