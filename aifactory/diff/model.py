"""What ``aifactory diff`` found: typed, JSON-ready, independent of how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from aifactory.catalog.create_only import CreateOnlyInput

__all__ = [
    "COMMON",
    "ChangeKind",
    "ChangedFile",
    "Flag",
    "FlagKind",
    "InputChange",
    "PlanDiff",
    "ResourceChange",
    "WorkloadDiff",
]

COMMON = "common"
"""The workload of the environment's common part (everything that belongs to no project)."""

ChangeKind = Literal["added", "changed", "removed", "moved"]
FlagKind = Literal["untouched-project", "replacement", "protected-delete", "unreviewed-type"]
FileStatus = Literal["added", "modified", "deleted", "renamed", "copied", "type-changed", "untracked"]


@dataclass(frozen=True)
class ChangedFile:
    """A file the change touches; ``old_path`` is set for renames and copies."""

    status: FileStatus
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class InputChange:
    """One input value that differs; ``create_only`` is set when it cannot change in place."""

    path: str
    kind: Literal["added", "removed", "changed"]
    old: Any
    new: Any
    create_only: CreateOnlyInput | None = None


@dataclass(frozen=True)
class Flag:
    """Something a reviewer must look at before this change is merged."""

    kind: FlagKind
    workload: str
    urn: str
    name: str
    message: str


@dataclass(frozen=True)
class ResourceChange:
    """One resource that is added, removed, changed or moved to a new URN (``old_urn``)."""

    kind: ChangeKind
    urn: str
    type: str
    name: str
    workload: str
    old_urn: str | None = None
    inputs: tuple[InputChange, ...] = ()
    protect: tuple[bool, bool] | None = None
    parent: tuple[str, str] | None = None
    dependencies_added: tuple[str, ...] = ()
    dependencies_removed: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class WorkloadDiff:
    """The changes of one project (``p007``) or of the common part.

    ``file_changed`` says whether the change touches the project's file (``None`` for common).
    """

    workload: str
    file_changed: bool | None
    changes: tuple[ResourceChange, ...]

    def count(self, *kinds: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind in kinds)

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(flag for change in self.changes for flag in change.flags)


@dataclass(frozen=True)
class PlanDiff:
    """Two plans of one stack compared: every change by workload, and what is flagged."""

    stack: str
    environment: str
    base: str
    head: str
    changed_files: tuple[ChangedFile, ...]
    touched_projects: frozenset[str]
    workloads: tuple[WorkloadDiff, ...]
    unchanged: int
    notes: tuple[str, ...] = field(default=())

    @property
    def flags(self) -> tuple[Flag, ...]:
        return tuple(flag for workload in self.workloads for flag in workload.flags)

    @property
    def flagged(self) -> bool:
        return any(workload.flags for workload in self.workloads)
