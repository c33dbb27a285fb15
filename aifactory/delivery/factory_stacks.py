"""Read the factory's stacks from its stack files and project files, for ``affected`` and Deployments.

Two readers over the same files: :func:`validated_stacks` uses the library's loaders (the
Deployments program must refuse an invalid factory); :func:`declared_stacks` reads only the few keys
``aifactory affected`` needs and never fails on bad content, because a pull request that breaks a
file must still get its plans and checks (which then report the problem).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from aifactory.config.loader import load_factory_config, read_stack_file, stack_values
from aifactory.delivery.affected import Affected, FileChange, ProjectFacts, affected_stacks
from aifactory.delivery.deployments import AzureTarget
from aifactory.delivery.git import changed_files, file_at
from aifactory.delivery.stacks import EnvironmentStacks, declared_layout, parse_project_stack
from aifactory.errors import ConfigError, ConfigProblem

__all__ = [
    "FactoryStacks",
    "affected_since",
    "declared_stacks",
    "environment_stack_names",
    "project_facts",
    "validated_stacks",
]


def environment_stack_names(project_dir: Path) -> list[str]:
    """Stacks with a ``Pulumi.<stack>.yaml`` that are environment stacks (not ``<env>-p<NNN>`` overrides)."""
    names = (p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
    return sorted(name for name in names if parse_project_stack(name) is None)


@dataclass(frozen=True)
class FactoryStacks:
    """The validated factory: its environments and where each stack deploys in Azure."""

    environments: tuple[EnvironmentStacks, ...]
    targets: Mapping[str, AzureTarget]
    projects_dir: str = "projects"


def validated_stacks(project_dir: Path, templates: Sequence[str] = ()) -> FactoryStacks:
    """Every environment with its projects, through the loaders; raises :class:`ConfigError` with all problems.

    ``templates`` are stacks that are not environments (review-stack templates): their stack files
    are validated and their Azure target recorded, but they hold no projects of their own.
    """
    problems: list[ConfigProblem] = []
    environments = []
    targets: dict[str, AzureTarget] = {}
    projects_dir = "projects"
    for name in environment_stack_names(project_dir):
        try:
            config_map, stack_file = read_stack_file(project_dir, name)
            config = load_factory_config(config_map, stack_file, project_dir)
        except ConfigError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
            continue
        stack = config.stack
        projects_dir = stack.projects_dir
        targets[name] = AzureTarget(stack.tenant_id, stack.subscription_id)
        if name in templates:
            continue
        env = EnvironmentStacks(
            stack=name,
            environment=stack.environment,
            layout=declared_layout(stack_values(config_map)),
            project_ids=tuple(spec.id for spec in config.projects),
        )
        environments.append(env)
        for project_id, project_stack in env.project_stack_ids:
            targets[project_stack] = AzureTarget(stack.tenant_id, stack.subscription_for_project(project_id))
    if problems:
        raise ConfigError(problems)
    return FactoryStacks(tuple(sorted(environments, key=lambda e: e.sort_key)), targets, projects_dir)


def project_facts(text: str | None) -> ProjectFacts | None:
    """Id and environments of a project file's text (None: no such file; id None: unreadable)."""
    if text is None:
        return None
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return ProjectFacts(None)
    if not isinstance(raw, dict):
        return ProjectFacts(None)
    project_id, environments = raw.get("id"), raw.get("environments")
    if not isinstance(project_id, int) or isinstance(project_id, bool) or not isinstance(environments, list):
        return ProjectFacts(None)
    return ProjectFacts(project_id, frozenset(str(e) for e in environments))


def _declared_values(project_dir: Path, name: str) -> dict[str, Any]:
    try:
        config_map, _ = read_stack_file(project_dir, name)
    except ConfigError:
        return {}
    return stack_values(config_map)


def declared_stacks(project_dir: Path) -> tuple[tuple[EnvironmentStacks, ...], str]:
    """Every environment as its stack file declares it (lenient), and the projects folder."""
    environments = []
    projects_dir = "projects"
    files = {}
    for name in environment_stack_names(project_dir):
        values = _declared_values(project_dir, name)
        folder = values.get("projects_dir")
        if isinstance(folder, str) and folder:
            projects_dir = folder
        environment = values.get("environment")
        environments.append((name, environment if isinstance(environment, str) else name, declared_layout(values)))
    for path in sorted((project_dir / projects_dir).glob("*.y*ml")):
        files[path.name] = project_facts(path.read_text(encoding="utf-8"))
    result = []
    for name, environment, layout in environments:
        ids = sorted(
            {
                f.project_id
                for f in files.values()
                if f is not None and f.project_id is not None and environment in f.environments
            }
        )
        result.append(EnvironmentStacks(name, environment, layout, tuple(ids)))
    return tuple(sorted(result, key=lambda e: e.sort_key)), projects_dir


def affected_since(project_dir: Path, against: str) -> Affected:
    """The stacks the working tree's changes since ``against`` touch (see :mod:`aifactory.delivery.affected`)."""
    environments, projects_dir = declared_stacks(project_dir)
    changes: list[FileChange] = changed_files(project_dir, against)
    before: dict[str, ProjectFacts] = {}
    after: dict[str, ProjectFacts] = {}
    for change in changes:
        for path in change.paths:
            if not path.startswith(f"{projects_dir.strip('/')}/"):
                continue
            old = project_facts(file_at(project_dir, against, path))
            current = project_dir / path
            new = project_facts(current.read_text(encoding="utf-8") if current.is_file() else None)
            if old is not None:
                before[path] = old
            if new is not None:
                after[path] = new
    return affected_stacks(changes, environments, before, after, projects_dir)
