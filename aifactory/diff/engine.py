"""The diff engine: two plan documents and the changed files in, a :class:`PlanDiff` out.

Pure: no git, no Pulumi, no files. Resources are matched by URN, as the Pulumi engine matches
them; a resource whose URN changed but whose type and logical name did not (a new parent) is a
*move*, which Pulumi turns into delete-and-create unless the program sets an alias. Only custom
resources count: components own nothing in Azure, and a component change shows in its children.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from aifactory.catalog.create_only import CREATE_ONLY
from aifactory.catalog.create_only import create_only_input as _create_only_input
from aifactory.diff.model import (
    COMMON,
    ChangedFile,
    Flag,
    FlagKind,
    InputChange,
    PlanDiff,
    ResourceChange,
    WorkloadDiff,
)
from aifactory.diff.paths import covers, format_path, indexed, parse_pulumi_path
from aifactory.diff.values import ABSENT, leaf_changes
from aifactory.errors import ConfigError, ConfigProblem

__all__ = ["diff_plans", "urn_name"]

Resource = Mapping[str, Any]


def diff_plans(
    base: Mapping[str, Any],
    head: Mapping[str, Any],
    *,
    changed_files: Iterable[ChangedFile] = (),
    touched_projects: Collection[str] = (),
    base_label: str = "base",
    head_label: str = "head",
    notes: Iterable[str] = (),
) -> PlanDiff:
    """Compare the plan documents of one stack (``aifactory plan --out``) before and after a change.

    ``touched_projects`` are the workload keys (``p007``) whose project file the change touches;
    any change to a resource of another project is flagged.
    """
    before = _custom_resources(base, base_label)
    after = _custom_resources(head, head_label)
    touched = frozenset(touched_projects)
    changes = [
        change for urn in sorted(before.keys() & after.keys()) if (change := _compare(before[urn], after[urn], touched))
    ]
    removed = {urn: before[urn] for urn in before.keys() - after.keys()}
    added = {urn: after[urn] for urn in after.keys() - before.keys()}
    for old_urn, new_urn in _moves(removed, added):
        if moved := _compare(removed.pop(old_urn), added.pop(new_urn), touched, moved=True):
            changes.append(moved)
    changes.extend(_added(resource, touched) for resource in added.values())
    changes.extend(_removed(resource, touched) for resource in removed.values())
    by_workload: dict[str, list[ResourceChange]] = defaultdict(list)
    for change in changes:
        by_workload[change.workload].append(change)
    workloads = tuple(
        WorkloadDiff(
            key,
            None if key == COMMON else key in touched,
            tuple(sorted(by_workload[key], key=lambda c: (c.name, c.type, c.urn))),
        )
        for key in sorted(by_workload, key=lambda k: (k != COMMON, k))
    )
    unchanged = len(before.keys() & after.keys()) - sum(1 for c in changes if c.kind == "changed")
    return PlanDiff(
        stack=str(head.get("stack") or base.get("stack") or ""),
        environment=str(head.get("environment") or base.get("environment") or ""),
        base=base_label,
        head=head_label,
        changed_files=tuple(changed_files),
        touched_projects=touched,
        workloads=workloads,
        unchanged=unchanged,
        notes=tuple(notes),
    )


def urn_name(urn: str) -> str:
    """The logical name at the end of a URN (``...::p001-storage`` -> ``p001-storage``)."""
    return urn.rsplit("::", 1)[-1]


def _custom_resources(document: Mapping[str, Any], label: str) -> dict[str, Resource]:
    resources = document.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) and "urn" in r for r in resources):
        raise ConfigError(
            [
                ConfigProblem(
                    f"plan of {label}",
                    "resources",
                    type(resources).__name__,
                    "is not a list of resources with URNs",
                    "use a plan file written by `aifactory plan --out`",
                )
            ]
        )
    return {r["urn"]: r for r in resources if r.get("custom", True)}


def _moves(removed: Mapping[str, Resource], added: Mapping[str, Resource]) -> list[tuple[str, str]]:
    """Pairs (old URN, new URN) of resources whose type and logical name are unique on both sides."""

    def index(resources: Mapping[str, Resource]) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        for urn, resource in resources.items():
            found[(resource["type"], resource["name"])].append(urn)
        return found

    old, new = index(removed), index(added)
    return sorted((old[key][0], new[key][0]) for key in old.keys() & new.keys() if len(old[key]) == len(new[key]) == 1)


def _compare(old: Resource, new: Resource, touched: frozenset[str], *, moved: bool = False) -> ResourceChange | None:
    ignored = [parse_pulumi_path(p) for p in new.get("ignore_changes") or ()]
    inputs = tuple(
        InputChange(
            format_path(leaf.path),
            leaf.kind,
            None if leaf.old is ABSENT else leaf.old,
            None if leaf.new is ABSENT else leaf.new,
            _create_only_input(new["type"], indexed(leaf.path)),
        )
        for leaf in leaf_changes(old.get("inputs") or {}, new.get("inputs") or {})
        if not any(covers(pattern, leaf.path) for pattern in ignored)
    )
    protect = (bool(old.get("protect")), bool(new.get("protect")))
    parent = (old.get("parent") or "", new.get("parent") or "")
    old_deps, new_deps = set(old.get("dependencies") or ()), set(new.get("dependencies") or ())
    if not (moved or inputs or protect[0] != protect[1] or parent[0] != parent[1] or old_deps != new_deps):
        return None
    change = ResourceChange(
        kind="moved" if moved else "changed",
        urn=new["urn"],
        old_urn=old["urn"] if moved else None,
        type=new["type"],
        name=new["name"],
        workload=new.get("workload") or COMMON,
        inputs=inputs,
        protect=protect if protect[0] != protect[1] else None,
        parent=(urn_name(parent[0]), urn_name(parent[1])) if parent[0] != parent[1] else None,
        dependencies_added=tuple(sorted(urn_name(u) for u in new_deps - old_deps)),
        dependencies_removed=tuple(sorted(urn_name(u) for u in old_deps - new_deps)),
    )
    return _with_flags(change, touched, was_protected=protect[0])


def _added(resource: Resource, touched: frozenset[str]) -> ResourceChange:
    change = ResourceChange(
        "added", resource["urn"], resource["type"], resource["name"], resource.get("workload") or COMMON
    )
    return _with_flags(change, touched, was_protected=False)


def _removed(resource: Resource, touched: frozenset[str]) -> ResourceChange:
    change = ResourceChange(
        "removed", resource["urn"], resource["type"], resource["name"], resource.get("workload") or COMMON
    )
    return _with_flags(change, touched, was_protected=bool(resource.get("protect")))


def _with_flags(change: ResourceChange, touched: frozenset[str], *, was_protected: bool) -> ResourceChange:
    flags = tuple(
        Flag(kind, change.workload, change.urn, change.name, message)
        for kind, message in _findings(change, touched, was_protected=was_protected)
    )
    return replace(change, flags=flags) if flags else change


def _findings(
    change: ResourceChange, touched: frozenset[str], *, was_protected: bool
) -> Iterator[tuple[FlagKind, str]]:
    """(a) a project the change does not touch changes; (b) an input that cannot change in place
    changes; a protected resource would be deleted; a changed type the table does not know."""
    if change.workload != COMMON and change.workload not in touched:
        yield (
            "untouched-project",
            f"the change does not touch {change.workload}'s project file, yet this resource is {change.kind}",
        )
    protected = "; it is protected, so Pulumi refuses until its protection is lifted" if was_protected else ""
    if change.kind == "moved":
        yield (
            "replacement",
            f"its URN changes (was {change.old_urn}): Pulumi deletes and re-creates it unless the program "
            f"gives it an alias to the old URN{protected}",
        )
    elif change.kind == "changed":
        if change.type not in CREATE_ONLY:
            yield (
                "unreviewed-type",
                f"no create-only table entry for {change.type}: check whether these inputs can change in place",
            )
        yield from _replacements(change.inputs, protected)
    elif change.kind == "removed" and was_protected:
        yield "protected-delete", "protected resource would be deleted: Pulumi refuses until its protection is lifted"


def _replacements(inputs: Iterable[InputChange], protected: str) -> Iterator[tuple[FlagKind, str]]:
    by_effect: dict[str, list[str]] = defaultdict(list)
    for change in inputs:
        if change.create_only is not None:
            by_effect[change.create_only.effect].append(change.path)
    reasons = []
    if ids := by_effect.get("identity"):
        reasons.append(f"{_listing(ids)} {'is' if len(ids) == 1 else 'are'} part of its resource id")
    if forced := by_effect.get("replace"):
        reasons.append(f"{_listing(forced)} cannot change in place")
    if reasons:
        yield "replacement", f"{'; '.join(reasons)}: Pulumi replaces it (delete and create){protected}"
    if refused := by_effect.get("rejected"):
        yield (
            "replacement",
            f"{_listing(refused)} cannot change in place and Azure refuses the update: replace it deliberately",
        )


def _listing(paths: list[str]) -> str:
    return ", ".join(paths)
