"""Load and validate the stack config and every project file, reporting all problems together.

The same functions serve ``pulumi up`` (config comes from the Pulumi engine), the offline plan
(config is read from ``Pulumi.<stack>.yaml``) and ``aifactory validate``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from aifactory.config.problems import problems_from_validation
from aifactory.config.project import ProjectSpec
from aifactory.config.resolve import apply_environment_defaults, merged_raw
from aifactory.config.stack import StackConfig
from aifactory.config.types import EnvironmentName
from aifactory.config.yaml_io import read_yaml
from aifactory.errors import ConfigError, ConfigProblem

__all__ = [
    "NAMESPACE",
    "FactoryConfig",
    "LoadedProject",
    "collect_projects",
    "load_factory_config",
    "parse_stack_config",
    "read_stack_file",
    "stack_values",
]

NAMESPACE = "aifactory"


@dataclass(frozen=True)
class LoadedProject:
    """A validated project file: the spec as written and the spec resolved per environment."""

    path: str
    spec: ProjectSpec
    by_environment: Mapping[EnvironmentName, ProjectSpec]


@dataclass(frozen=True)
class FactoryConfig:
    """Everything one stack deploys: its environment's config and the projects that list it."""

    stack: StackConfig
    stack_file: str
    projects: tuple[ProjectSpec, ...]
    project_files: Mapping[int, str] = field(default_factory=dict)

    def project(self, project_id: int) -> ProjectSpec:
        """The project with ``project_id`` (resolved for this environment)."""
        for spec in self.projects:
            if spec.id == project_id:
                return spec
        msg = f"project {project_id} is not deployed in {self.stack.environment}"
        raise KeyError(msg)


def read_stack_file(project_dir: Path, stack: str) -> tuple[dict[str, str], str]:
    """The config map the Pulumi engine would hand the program for ``stack``, read from its file.

    Keys keep their namespace (``aifactory:network``); structured values become JSON strings, as
    the engine passes them. Returns the map and the file's display name.
    """
    display = f"Pulumi.{stack}.yaml"
    path = project_dir / display
    if not path.exists():
        known = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
        raise ConfigError(
            [
                ConfigProblem(
                    display,
                    "",
                    stack,
                    "no such stack file",
                    f"use one of the stacks: {', '.join(known) or 'none found'} (or create {display})",
                )
            ]
        )
    data, problems = read_yaml(path, display)
    if problems:
        raise ConfigError(problems)
    config = (data or {}).get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([ConfigProblem(display, "config", config, "is not a mapping", "use key: value pairs")])
    secure = sorted(k for k, v in config.items() if isinstance(v, dict) and set(v) == {"secure"})
    if any(k.startswith(f"{NAMESPACE}:") for k in secure):
        raise ConfigError(
            [
                ConfigProblem(
                    display,
                    secure[0],
                    "secure: ...",
                    "aifactory settings hold no secrets and cannot be decrypted offline",
                    "store the value in plain text (it must not be a secret) or in a Key Vault",
                )
            ]
        )
    as_engine = {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items() if k not in secure}
    return as_engine, display


def stack_values(config_map: Mapping[str, Any]) -> dict[str, Any]:
    """The ``aifactory:`` keys without their namespace, JSON values decoded."""
    values: dict[str, Any] = {}
    for key, raw in config_map.items():
        namespace, _, name = key.partition(":")
        if namespace != NAMESPACE or not name:
            continue
        values[name] = _decode(raw)
    return values


def _decode(raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def parse_stack_config(values: Mapping[str, Any], source: str) -> StackConfig:
    """Validate the ``aifactory:`` keys of one stack."""
    try:
        return StackConfig.model_validate(dict(values))
    except ValidationError as exc:
        problems = problems_from_validation(exc, source, StackConfig, prefix=f"{NAMESPACE}:")
        raise ConfigError(_namespace_paths(problems)) from None


def _namespace_paths(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """``aifactory:.network.x`` reads badly; the stack key is ``aifactory:network`` then ``.x``."""
    fixed = []
    for problem in problems:
        path = problem.field.replace(f"{NAMESPACE}:.", f"{NAMESPACE}:", 1)
        fixed.append(ConfigProblem(problem.file, path, problem.value, problem.message, problem.fix))
    return fixed


def collect_projects(projects_dir: Path, display_root: Path) -> tuple[list[LoadedProject], list[ConfigProblem]]:
    """Validate every ``*.yaml`` in ``projects_dir`` and the set as a whole; never raises for bad input."""
    loaded: list[LoadedProject] = []
    problems: list[ConfigProblem] = []
    if not projects_dir.is_dir():
        display = _display(projects_dir, display_root)
        return [], [ConfigProblem(display, "", display, "is not a folder", "create it or set aifactory:projects_dir")]
    for path in sorted(projects_dir.glob("*.y*ml")):
        project, file_problems = _load_project_file(path, _display(path, display_root))
        problems.extend(file_problems)
        if project is not None:
            loaded.append(project)
    problems.extend(_set_problems(loaded))
    return loaded, problems


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _load_project_file(path: Path, display: str) -> tuple[LoadedProject | None, list[ConfigProblem]]:
    raw, problems = read_yaml(path, display)
    if problems:
        return None, problems
    if not isinstance(raw, dict):
        return None, [
            ConfigProblem(display, "", raw, "is not a YAML mapping", "start from 'aifactory project new' output")
        ]
    try:
        spec = ProjectSpec.model_validate(raw)
    except ValidationError as exc:
        return None, problems_from_validation(exc, display, ProjectSpec)
    by_environment: dict[EnvironmentName, ProjectSpec] = {}
    for environment in spec.environments:
        if environment not in spec.overrides:
            by_environment[environment] = apply_environment_defaults(spec, environment)
            continue
        try:
            merged = ProjectSpec.model_validate(merged_raw(cast(dict[str, Any], raw), environment))
        except ValidationError as exc:
            problems.extend(_in_override(problems_from_validation(exc, display, ProjectSpec), environment, raw))
            continue
        by_environment[environment] = apply_environment_defaults(merged, environment)
    if problems:
        return None, problems
    expected = f"{spec.file_stem}.yaml"
    if path.name != expected:
        problems.append(
            ConfigProblem(
                display,
                "",
                path.name,
                "file name does not follow <id>-<name>.yaml",
                f"rename the file to projects/{expected}",
            )
        )
    return LoadedProject(display, spec, by_environment), problems


def _in_override(
    problems: list[ConfigProblem], environment: EnvironmentName, raw: dict[str, Any]
) -> list[ConfigProblem]:
    """Point a problem that only exists after merging at ``overrides.<env>.<field>``."""
    delta = (raw.get("overrides") or {}).get(environment) or {}
    result = []
    for problem in problems:
        top = problem.field.split(".", 1)[0].split("[", 1)[0]
        field = f"overrides.{environment}.{problem.field}" if top in delta else problem.field
        result.append(ConfigProblem(problem.file, field, problem.value, problem.message, problem.fix))
    return result


def _set_problems(projects: list[LoadedProject]) -> list[ConfigProblem]:
    """Checks across files: ids and names are unique in the factory."""
    problems = []
    by_id: dict[int, list[LoadedProject]] = defaultdict(list)
    by_name: dict[str, list[LoadedProject]] = defaultdict(list)
    for project in projects:
        by_id[project.spec.id].append(project)
        by_name[project.spec.name].append(project)
    used = set(by_id)
    next_free = next(i for i in range(1, len(used) + 2) if i not in used)
    for project_id, owners in sorted(by_id.items()):
        for project in owners[1:]:
            problems.append(
                ConfigProblem(
                    project.path,
                    "id",
                    project_id,
                    f"is already used by {owners[0].path}",
                    f"give this project a free id, e.g. {next_free}",
                )
            )
    for name, owners in sorted(by_name.items()):
        for project in owners[1:]:
            problems.append(
                ConfigProblem(
                    project.path,
                    "name",
                    name,
                    f"is already used by {owners[0].path}",
                    "choose another slug; names must be unique across the factory",
                )
            )
    return problems


def load_factory_config(config_map: Mapping[str, Any], stack_file: str, project_dir: Path) -> FactoryConfig:
    """Validate the stack and all projects; the projects that list this stack's environment.

    Raises :class:`ConfigError` with every problem found (stack and projects together).
    """
    problems: list[ConfigProblem] = []
    stack: StackConfig | None = None
    try:
        stack = parse_stack_config(stack_values(config_map), stack_file)
    except ConfigError as exc:
        problems.extend(exc.problems)
    projects_dir = project_dir / (stack.projects_dir if stack else "projects")
    loaded, project_problems = collect_projects(projects_dir, project_dir)
    problems.extend(project_problems)
    if problems or stack is None:
        raise ConfigError(problems)
    environment = stack.environment
    deployed = sorted((p for p in loaded if environment in p.by_environment), key=lambda p: p.spec.id)
    return FactoryConfig(
        stack=stack,
        stack_file=stack_file,
        projects=tuple(p.by_environment[environment] for p in deployed),
        project_files={p.spec.id: p.path for p in deployed},
    )
