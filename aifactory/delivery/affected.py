"""Which stacks a change touches: the offline plans, guardrails and previews a pull request needs.

Pure: the git layer (``aifactory/delivery/git.py``) lists the changed files and reads each changed
project file as it was and as it is; this module decides.

- a stack file ``Pulumi.<stack>.yaml`` -> that stack (in sharded layout also the environment's
  project stacks: they take their settings from it); ``Pulumi.<env>-p<NNN>.yaml`` -> that project stack;
- a project file -> the environment stacks it lists before and after the change; in sharded layout
  also the project's own stack ``<env>-p<NNN>`` (for its id before and after) and no other project
  stack (the environment stack keeps every project's subnets and NSGs, so it is always planned);
  a file that cannot be read touches every environment stack;
- the program itself (``aifactory/``, ``__main__.py``, ``Pulumi.yaml``, ``pyproject.toml``) -> every stack;
- anything else (docs, templates, tests, schemas) -> nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aifactory.delivery.stacks import EnvironmentStacks, parse_project_stack, project_stack_name

__all__ = ["PROGRAM_PATHS", "Affected", "FileChange", "ProjectFacts", "affected_stacks"]

PROGRAM_PATHS = ("aifactory/**", "__main__.py", "Pulumi.yaml", "pyproject.toml")
"""Files every stack's program depends on (globs relative to the factory folder)."""


@dataclass(frozen=True)
class FileChange:
    """One changed file, relative to the factory folder; renames carry the old path too."""

    path: str
    old_path: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.old_path in (None, self.path) else (self.path, str(self.old_path))


@dataclass(frozen=True)
class ProjectFacts:
    """What a project file says about where it deploys, at one revision (None id: unreadable)."""

    project_id: int | None
    environments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Affected:
    """The stacks to plan, check and preview, in the order they deploy, each with why."""

    stacks: tuple[str, ...]
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def as_document(self) -> dict[str, object]:
        """The ``--json`` shape: ``stacks`` for a CI matrix, ``reasons`` for humans."""
        return {"stacks": list(self.stacks), "reasons": {s: list(self.reasons[s]) for s in self.stacks}}


def _is_program(path: str) -> bool:
    pure = PurePosixPath(path)
    return path in PROGRAM_PATHS or (len(pure.parts) > 1 and pure.parts[0] == "aifactory")


def _stack_file(path: str) -> str | None:
    name = PurePosixPath(path)
    if len(name.parts) == 1 and name.name.startswith("Pulumi.") and name.suffix in (".yaml", ".yml"):
        stack = name.name[len("Pulumi.") : -len(name.suffix)]
        return stack or None
    return None


def _is_project_file(path: str, projects_dir: str) -> bool:
    pure = PurePosixPath(path)
    return str(pure.parent) == projects_dir.strip("/") and pure.suffix in (".yaml", ".yml")


class _Collector:
    def __init__(self, environments: Sequence[EnvironmentStacks]) -> None:
        self.environments = sorted(environments, key=lambda e: e.sort_key)
        self.reasons: dict[str, list[str]] = {}

    def add(self, stack: str, reason: str) -> None:
        reasons = self.reasons.setdefault(stack, [])
        if reason not in reasons:
            reasons.append(reason)

    def add_environment(self, env: EnvironmentStacks, reason: str) -> None:
        for stack in env.stacks:
            self.add(stack, reason)

    def ordered(self) -> Affected:
        order: list[str] = []
        for env in self.environments:
            order.extend(s for s in env.stacks if s in self.reasons)
            # project stacks a change names that the environment does not list (a removed project)
            order.extend(
                sorted(
                    s
                    for s in self.reasons
                    if s not in order and (parsed := parse_project_stack(s)) is not None and parsed[0] == env.stack
                )
            )
        order.extend(sorted(s for s in self.reasons if s not in order))
        return Affected(tuple(order), {s: tuple(self.reasons[s]) for s in order})


def affected_stacks(
    changes: Iterable[FileChange],
    environments: Sequence[EnvironmentStacks],
    before: Mapping[str, ProjectFacts],
    after: Mapping[str, ProjectFacts],
    projects_dir: str = "projects",
) -> Affected:
    """The stacks ``changes`` touch. ``before``/``after`` hold each changed project file's facts
    at the base revision and now (a file missing from one side did not exist there)."""
    collector = _Collector(environments)
    by_stack = {env.stack: env for env in environments}
    for change in changes:
        for path in change.paths:
            _classify(path, collector, by_stack=by_stack, before=before, after=after, projects_dir=projects_dir)
    return collector.ordered()


def _classify(
    path: str,
    collector: _Collector,
    *,
    by_stack: Mapping[str, EnvironmentStacks],
    before: Mapping[str, ProjectFacts],
    after: Mapping[str, ProjectFacts],
    projects_dir: str,
) -> None:
    if _is_program(path):
        for env in collector.environments:
            collector.add_environment(env, "the program changed (aifactory/, __main__.py, Pulumi.yaml, pyproject.toml)")
        return
    stack = _stack_file(path)
    if stack is not None:
        if stack in by_stack:
            collector.add_environment(by_stack[stack], f"stack file {path} changed")
        elif (parsed := parse_project_stack(stack)) is not None and parsed[0] in by_stack:
            collector.add(stack, f"stack file {path} changed")
        return
    if _is_project_file(path, projects_dir):
        _project_change(path, collector, before.get(path), after.get(path))


def _project_change(path: str, collector: _Collector, old: ProjectFacts | None, new: ProjectFacts | None) -> None:
    sides = [facts for facts in (old, new) if facts is not None]
    if any(facts.project_id is None for facts in sides):
        for env in collector.environments:
            collector.add(env.stack, f"project file {path} cannot be read: every environment is checked")
        return
    for env in collector.environments:
        for facts in sides:
            if env.environment not in facts.environments or facts.project_id is None:
                continue
            collector.add(env.stack, f"project file {path} changed")
            if env.layout == "sharded":
                collector.add(project_stack_name(env.stack, facts.project_id), f"project file {path} changed")
