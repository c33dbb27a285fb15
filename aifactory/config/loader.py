"""Load and validate the stack config and every project file, reporting all problems together.

The same functions serve ``pulumi up`` (config comes from the Pulumi engine), the offline plan
(config is read from ``Pulumi.<stack>.yaml``) and ``aifactory validate``. Every input problem
becomes a :class:`~aifactory.errors.ConfigProblem`; nothing here raises anything but
:class:`~aifactory.errors.ConfigError` for bad input, whatever the files hold.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aifactory.config.problems import problems_from_validation
from aifactory.config.project import MAX_PROJECT_ID, ProjectSpec
from aifactory.config.resolve import apply_environment_defaults, merged_raw
from aifactory.config.stack import StackConfig
from aifactory.config.types import ENVIRONMENTS, EnvironmentName
from aifactory.config.yaml_io import read_yaml
from aifactory.errors import ConfigError, ConfigProblem, shown

__all__ = [
    "NAMESPACE",
    "PROJECT_FOLDER_EXTRAS",
    "FactoryConfig",
    "LoadedProject",
    "check_pulumi_project",
    "check_stack_name",
    "claimed_ids",
    "collect_projects",
    "load_factory_config",
    "next_free_id",
    "parse_stack_config",
    "project_problems",
    "read_stack_file",
    "stack_names",
    "stack_values",
]

NAMESPACE = "aifactory"
STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
"""Pulumi's own rule for stack (and project) names."""

PROJECT_FOLDER_EXTRAS = frozenset({"README.md", ".gitkeep"})
"""Files the projects folder may hold besides project files; anything else is reported."""

_CLAIMED = re.compile(r"^(\d{1,4})-")
_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_BACKUP_SUFFIXES = (".bak", ".orig", ".old", ".swp", ".tmp", "~", ".rej", ".save")


@dataclass(frozen=True)
class LoadedProject:
    """A validated project file: the spec as written and the spec resolved per environment."""

    path: str
    spec: ProjectSpec
    by_environment: Mapping[EnvironmentName, ProjectSpec]

    @property
    def named_after_content(self) -> bool:
        """Whether the file is called ``<id>-<name>.yaml`` after what it holds."""
        return self.path.rsplit("/", 1)[-1] == f"{self.spec.file_stem}.yaml"


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


# -- stacks and the Pulumi project ----------------------------------------------------------------


def check_stack_name(stack: str) -> list[ConfigProblem]:
    """Pulumi's rule for stack names; also keeps the stack file inside the project folder."""
    if STACK_NAME.match(stack):
        return []
    what = "is longer than 100 characters" if len(stack) > 100 else "is not a Pulumi stack name"
    return [
        ConfigProblem(
            f"Pulumi.{shown(stack, 40)}.yaml" if len(stack) > 40 else f"Pulumi.{stack}.yaml",
            "",
            stack,
            f"{what}: stack names are 1-100 letters, digits, '-', '_' or '.'",
            "use the stack's short name, e.g. dev (not org/project/dev)",
        )
    ]


def stack_names(project_dir: Path) -> list[str]:
    """The stacks that have a ``Pulumi.<stack>.yaml`` in ``project_dir``, sorted."""
    try:
        entries = sorted(os.listdir(project_dir))
    except OSError:
        return []
    return [
        name[len("Pulumi.") : -len(".yaml")]
        for name in entries
        if name.startswith("Pulumi.") and name.endswith(".yaml") and len(name) > len("Pulumi..yaml")
    ]


def read_stack_file(project_dir: Path, stack: str) -> tuple[dict[str, str], str]:
    """The config map the Pulumi engine would hand the program for ``stack``, read from its file.

    Keys keep their namespace (``aifactory:network``); structured values become JSON strings, as
    the engine passes them. Returns the map and the file's display name.
    """
    name_problems = check_stack_name(stack)
    if name_problems:
        raise ConfigError(name_problems)
    display = f"Pulumi.{stack}.yaml"
    path = project_dir / display
    if not os.path.lexists(path):
        known = ", ".join(stack_names(project_dir)) or "none found"
        raise ConfigError(
            [ConfigProblem(display, "", stack, "no such stack file", f"use one of the stacks: {known} (or create it)")]
        )
    data, problems = read_yaml(path, display)
    if problems:
        raise ConfigError(problems)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([ConfigProblem(display, "", _kind(data), "is not a YAML mapping", "start it with 'config:'")])
    config = data.get("config")
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ConfigError(
            [ConfigProblem(display, "config", config, "is not a mapping", "use key: value pairs under config:")]
        )
    secure = sorted(k for k, v in config.items() if isinstance(v, dict) and set(v) == {"secure"})
    if any(k.startswith(f"{NAMESPACE}:") for k in secure):
        raise ConfigError(
            [
                ConfigProblem(
                    display,
                    next(k for k in secure if k.startswith(f"{NAMESPACE}:")),
                    "secure: ...",
                    "aifactory settings hold no secrets and cannot be decrypted offline",
                    "store the value in plain text (it must not be a secret) or in a Key Vault",
                )
            ]
        )
    as_engine = {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items() if k not in secure}
    return as_engine, display


def check_pulumi_project(project_dir: Path) -> list[ConfigProblem]:
    """``Pulumi.yaml`` names a Python project and keeps aifactory settings out of it.

    Project-level ``aifactory:`` config in ``Pulumi.yaml`` would reach ``pulumi up`` but not the
    offline plan or ``validate``, so the two would disagree; it belongs in the stack files.
    """
    display = "Pulumi.yaml"
    data, problems = read_yaml(project_dir / display, display)
    if problems:
        return problems
    if not isinstance(data, dict):
        return [ConfigProblem(display, "", _kind(data), "is not a YAML mapping", "start from the shipped Pulumi.yaml")]
    found = []
    name = data.get("name")
    if not isinstance(name, str) or not STACK_NAME.match(name):
        found.append(
            ConfigProblem(
                display,
                "name",
                name,
                "is not a Pulumi project name (1-100 letters, digits, '-', '_' or '.')",
                "set name: aifactory",
            )
        )
    runtime = data.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        found.append(
            ConfigProblem(
                display,
                "runtime",
                runtime,
                "is not the python runtime; the factory is a Python program",
                "set runtime: {name: python, options: {toolchain: pip, virtualenv: .venv}}",
            )
        )
    main = data.get("main")
    if main is not None and main not in (".", "./", "__main__.py"):
        found.append(
            ConfigProblem(
                display,
                "main",
                main,
                "points Pulumi at another program; the offline plan and validate run __main__.py",
                "remove main: (the factory's program is __main__.py next to Pulumi.yaml)",
            )
        )
    if not (project_dir / "__main__.py").is_file():
        found.append(
            ConfigProblem(
                "__main__.py",
                "",
                str(project_dir / "__main__.py"),
                "is missing: it is the Pulumi program that pulumi up and the offline plan run",
                "run aifactory in the repository root (the folder of Pulumi.yaml and __main__.py), or pass -C",
            )
        )
    config = data.get("config")
    if isinstance(config, dict):
        for key in sorted(k for k in config if isinstance(k, str) and k.startswith(f"{NAMESPACE}:")):
            found.append(
                ConfigProblem(
                    display,
                    f"config.{key}",
                    config[key],
                    "is project-level config: pulumi up would read it, but the offline plan and validate do not",
                    "move the setting into every Pulumi.<stack>.yaml that needs it",
                )
            )
    return found


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
    except (ValueError, RecursionError):  # plain text, numbers past 4,300 digits and nesting past
        return raw  # the decoder's depth stay text; the stack's model then reports the value


def parse_stack_config(values: Mapping[str, Any], source: str) -> StackConfig:
    """Validate the ``aifactory:`` keys of one stack (``source`` is its ``Pulumi.<stack>.yaml``)."""
    try:
        config = StackConfig.model_validate(dict(values), strict=True)
    except ValidationError as exc:
        problems = problems_from_validation(exc, source, StackConfig, prefix=f"{NAMESPACE}:")
        raise ConfigError(_namespace_paths(problems)) from None
    mismatch = _environment_mismatch(config, source)
    if mismatch:
        raise ConfigError(mismatch)
    return config


def _environment_mismatch(config: StackConfig, source: str) -> list[ConfigProblem]:
    """``Pulumi.dev.yaml`` must not configure prod: stack names that name an environment must match it."""
    stack = source.removeprefix("Pulumi.").removesuffix(".yaml")
    named = next((e for e in ENVIRONMENTS if stack == e or stack.startswith(f"{e}-")), None)
    if named is None or named == config.environment:
        return []
    return [
        ConfigProblem(
            source,
            f"{NAMESPACE}:environment",
            config.environment,
            f"contradicts the stack name {stack!r}, which names the {named} environment (a copied file?)",
            f"set aifactory:environment: {named}, or rename the file after its environment",
        )
    ]


def _namespace_paths(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """``aifactory:.network.x`` reads badly; the stack key is ``aifactory:network`` then ``.x``."""
    fixed = []
    for problem in problems:
        path = problem.field.replace(f"{NAMESPACE}:.", f"{NAMESPACE}:", 1)
        fixed.append(ConfigProblem(problem.file, path, problem.value, problem.message, problem.fix))
    return fixed


# -- project files ------------------------------------------------------------------------------


def collect_projects(projects_dir: Path, display_root: Path) -> tuple[list[LoadedProject], list[ConfigProblem]]:
    """Validate every project file in ``projects_dir`` and the set as a whole; never raises for bad input.

    Every entry of the folder is accounted for: ``<id>-<name>.yaml`` files are loaded, anything
    else (other extensions, backup copies, subfolders, symbolic links) is reported rather than
    silently skipped, except :data:`PROJECT_FOLDER_EXTRAS`.
    """
    folder = _display(projects_dir, display_root)
    if projects_dir.is_symlink():
        return [], [_link_problem(folder)]
    if not projects_dir.is_dir():
        return [], [ConfigProblem(folder, "", folder, "is not a folder", "create it or set aifactory:projects_dir")]
    try:
        entries = sorted(os.scandir(projects_dir), key=lambda e: e.name)
    except OSError as exc:
        return [], [ConfigProblem(folder, "", folder, f"cannot be listed: {exc.strerror}", "check its permissions")]
    loaded: list[LoadedProject] = []
    problems: list[ConfigProblem] = []
    for entry in entries:
        display = f"{folder}/{entry.name}"
        stray = _stray_entry(entry, display)
        if stray is not None:
            problems.extend(stray)
            continue
        project, file_problems = _load_project_file(Path(entry.path), display)
        problems.extend(file_problems)
        if project is not None:
            loaded.append(project)
    problems.extend(_set_problems(loaded))
    return loaded, problems


def _stray_entry(entry: os.DirEntry[str], display: str) -> list[ConfigProblem] | None:
    """Problems of an entry that is not a project file (``[]`` for an allowed extra), ``None`` for a project file."""
    name = entry.name
    if entry.is_symlink():
        return [_link_problem(display)]
    if entry.is_dir(follow_symlinks=False):
        return [
            ConfigProblem(
                display,
                "",
                f"{name}/",
                "is a subfolder; only project files directly in the projects folder are read",
                "move its project files up into the projects folder, or remove it",
            )
        ]
    if name in PROJECT_FOLDER_EXTRAS:
        return []
    if name.endswith(".yaml") and not name.startswith("."):
        return None
    lower = name.lower()
    if name.startswith(".") and not name.startswith(".#"):
        message, fix = "is a hidden file, which would be skipped silently", "remove it, or rename it without the dot"
    elif lower.endswith(_BACKUP_SUFFIXES) or name.startswith((".#", "#")) or ".yaml." in lower:
        message, fix = "looks like a backup or editor copy", "delete it (git keeps the history)"
    elif lower.endswith((".yaml", ".yml")):
        message, fix = "is not read: project files end in '.yaml' (lowercase)", f"rename it to {_yaml_name(name)}"
    elif lower.endswith(".json"):
        message, fix = "is not read: project files are '.yaml' files", f"rename it to {_yaml_name(name)} (JSON is YAML)"
    else:
        message = "is not a project file; the projects folder holds <id>-<name>.yaml files only"
        fix = f"move it elsewhere (allowed here besides project files: {', '.join(sorted(PROJECT_FOLDER_EXTRAS))})"
    return [ConfigProblem(display, "", name, message, fix)]


def _yaml_name(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{stem}.yaml"


def _link_problem(display: str) -> ConfigProblem:
    return ConfigProblem(
        display,
        "",
        display,
        "is a symbolic link; aifactory never follows links (the target could be outside the repository "
        "and its content would appear in logs)",
        "commit the file or folder itself in place of the link",
    )


def _display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(root))).as_posix()
    except (OSError, ValueError, RuntimeError):
        return path.as_posix()


def _load_project_file(path: Path, display: str) -> tuple[LoadedProject | None, list[ConfigProblem]]:
    raw, problems = read_yaml(path, display, aliases=False)
    if problems:
        return None, problems
    return project_problems(raw, display, path.name)


def project_problems(raw: Any, display: str, file_name: str) -> tuple[LoadedProject | None, list[ConfigProblem]]:
    """Validate one project document: the file as written, every environment's overrides, its file name.

    All problems are reported at once: a mistake in an override is reported together with the
    mistakes in the rest of the file. The project is returned only when it is valid in every
    environment (a wrong file name alone still returns it, so set-wide checks see it).
    """
    if not isinstance(raw, dict):
        return None, [
            ConfigProblem(display, "", _kind(raw), "is not a YAML mapping", "start from 'aifactory project new' output")
        ]
    problems: list[ConfigProblem] = []
    spec: ProjectSpec | None = None
    try:
        spec = ProjectSpec.model_validate(raw, strict=True)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, display, ProjectSpec))
    by_environment: dict[EnvironmentName, ProjectSpec] = {}
    for environment in _override_environments(raw):
        merged, override_problems = _validate_override(raw, environment, display, spec is not None)
        problems.extend(override_problems)
        if merged is not None:
            by_environment[environment] = apply_environment_defaults(merged, environment)
    expected = _expected_file_name(raw, problems)
    misnamed = []
    if expected is not None and file_name != expected:
        folder = display.rsplit("/", 1)[0] + "/" if "/" in display else ""
        misnamed.append(
            ConfigProblem(
                display,
                "",
                file_name,
                "file name does not follow <id>-<name>.yaml",
                f"rename the file to {folder}{expected}",
            )
        )
    if spec is None or problems:
        return None, problems + misnamed
    for environment in spec.environments:
        if environment not in by_environment:
            by_environment[environment] = apply_environment_defaults(spec, environment)
    return LoadedProject(display, spec, by_environment), misnamed


def _override_environments(raw: dict[str, Any]) -> list[EnvironmentName]:
    overrides = raw.get("overrides")
    if not isinstance(overrides, dict):
        return []
    return [e for e in ENVIRONMENTS if isinstance(overrides.get(e), dict)]


def _validate_override(
    raw: dict[str, Any], environment: EnvironmentName, display: str, base_valid: bool
) -> tuple[ProjectSpec | None, list[ConfigProblem]]:
    """The project with ``overrides.<environment>`` merged in, and the problems the override causes.

    A problem at a path the override sets is the override's (``overrides.prod.services...``).
    Others are the base file's own, already reported, unless the base is valid on its own: then
    the combination is the problem, reported at its path and naming the environment.
    """
    delta = raw["overrides"][environment]
    try:
        return ProjectSpec.model_validate(merged_raw(raw, environment), strict=True), []
    except ValidationError as exc:
        merged_problems = problems_from_validation(exc, display, ProjectSpec)
    found = []
    for problem in merged_problems:
        if _sets(delta, problem.field):
            field_path = f"overrides.{environment}.{problem.field}"
            found.append(ConfigProblem(problem.file, field_path, problem.value, problem.message, problem.fix))
        elif base_valid:
            message = f"in {environment}, with overrides.{environment} applied: {problem.message}"
            found.append(ConfigProblem(problem.file, problem.field, problem.value, message, problem.fix))
    return None, found


def _sets(delta: Any, field_path: str) -> bool:
    """Whether the override mapping ``delta`` sets the value at ``field_path`` (or a part of it)."""
    current = delta
    parts = _FIELD_PART.findall(field_path)
    if not parts:
        return False
    for key, index in parts:
        if isinstance(current, dict) and key and key in current:
            current = current[key]
        else:
            # lists in overrides replace the whole list: every entry of one is the override's
            return isinstance(current, list) and bool(index)
    return True


def _expected_file_name(raw: dict[str, Any], problems: list[ConfigProblem]) -> str | None:
    """``<id>-<name>.yaml`` when the file's id and name are themselves valid, else ``None``."""
    if any(p.field in ("id", "name") for p in problems):
        return None
    project_id, name = raw.get("id"), raw.get("name")
    if not isinstance(project_id, int) or isinstance(project_id, bool) or not isinstance(name, str):
        return None
    if not 1 <= project_id <= MAX_PROJECT_ID:
        return None
    return f"{project_id:03d}-{name.strip()}.yaml"


def _kind(value: object) -> str:
    """What a document holds instead of a mapping, in YAML words."""
    if value is None:
        return "an empty document"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({shown(value, 40)})"


def next_free_id(used: Iterable[int]) -> int:
    """One above the highest id in use: ids of removed projects are not reused (their history stays)."""
    return max(used, default=0) + 1


def claimed_ids(projects_dir: Path) -> set[int]:
    """Ids that files in ``projects_dir`` claim by their name (``007-x.yaml``), valid or not."""
    try:
        names = os.listdir(projects_dir)
    except OSError:
        return set()
    return {int(m.group(1)) for m in map(_CLAIMED.match, names) if m}


def _set_problems(projects: list[LoadedProject]) -> list[ConfigProblem]:
    """Checks across files: ids and names are unique in the factory.

    Of two files with one id (or name), the *new* one is reported, so the fix lands in the pull
    request that caused it: the file whose name does not match its content (a copy that was
    renamed but not edited, or edited but not renamed), else the one that sorts later.
    """
    problems = []
    free = next_free_id(p.spec.id for p in projects)
    for what in ("id", "name"):
        owners: dict[object, list[LoadedProject]] = defaultdict(list)
        for project in projects:
            owners[getattr(project.spec, what)].append(project)
        for value, holders in sorted(owners.items(), key=lambda item: str(item[0])):
            if len(holders) < 2:
                continue
            ordered = sorted(holders, key=lambda p: (not p.named_after_content, p.path))
            original = ordered[0]
            for project in ordered[1:]:
                why = (
                    f"its name does not match its id and name ({project.spec.file_stem}.yaml)"
                    if not project.named_after_content
                    else "both files are named after their content, so the one that sorts later is taken as new"
                )
                fix = (
                    f"give this project a free id, e.g. {free}, and rename the file to match"
                    if what == "id"
                    else "choose another slug; names must be unique across the factory"
                )
                problems.append(
                    ConfigProblem(
                        project.path,
                        what,
                        value,
                        f"is already used by {original.path} (this file is taken as the new one: {why})",
                        fix,
                    )
                )
    return problems


# -- the whole stack ------------------------------------------------------------------------------


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
    relative = stack.projects_dir if stack else _configured_projects_dir(config_map)
    loaded, project_problems_found = _read_projects(project_dir, relative, stack_file)
    problems.extend(project_problems_found)
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


def project_file_problems(project_dir: Path, config_map: Mapping[str, Any], stack_file: str) -> list[ConfigProblem]:
    """Every problem of the project files a stack reads, found without the stack being valid.

    The folder is the stack's ``aifactory:projects_dir`` when that is text (else ``projects``), so a
    broken stack file does not hide the project files' problems (``aifactory validate``).
    """
    return _read_projects(project_dir, _configured_projects_dir(config_map), stack_file)[1]


def _configured_projects_dir(config_map: Mapping[str, Any]) -> str:
    configured = stack_values(config_map).get("projects_dir")
    return configured if isinstance(configured, str) else "projects"


def _read_projects(
    project_dir: Path, relative: str, stack_file: str
) -> tuple[list[LoadedProject], list[ConfigProblem]]:
    projects_dir, problems = _projects_dir(project_dir, relative, stack_file)
    if projects_dir is None:
        return [], problems
    loaded, found = collect_projects(projects_dir, project_dir)
    return loaded, [*problems, *found]


def _projects_dir(project_dir: Path, relative: str, stack_file: str) -> tuple[Path | None, list[ConfigProblem]]:
    """The projects folder of the stack, which must stay inside the project folder without links."""
    target = project_dir / relative
    current = project_dir
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            return None, [
                ConfigProblem(
                    stack_file,
                    f"{NAMESPACE}:projects_dir",
                    relative,
                    f"passes through the symbolic link {_display(current, project_dir)}; the projects folder must be "
                    "a real folder inside the repository",
                    "commit the folder itself in place of the link",
                )
            ]
    try:
        inside = os.path.commonpath([os.path.realpath(target), os.path.realpath(project_dir)]) == os.path.realpath(
            project_dir
        )
    except ValueError:
        inside = False
    if not inside:
        return None, [
            ConfigProblem(
                stack_file,
                f"{NAMESPACE}:projects_dir",
                relative,
                "points outside the project folder",
                "use a folder inside the repository, e.g. projects",
            )
        ]
    return target, []
