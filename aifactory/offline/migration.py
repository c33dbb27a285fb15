"""Moving projects between the layouts with ``pulumi state move``, without replacing anything.

``pulumi state move`` rewrites only the stack (and project) part of each URN; it moves the named
resources with all their children, copies the providers they use into the destination stack,
and re-parents what lost its parent to the destination's root stack. Because every stack of
either layout has the same root component (``aifactory:index:AIFactory::aifactory``) with the
providers as its children and the project components below it, the moved URNs are exactly the
URNs the destination stack's program registers: its next ``pulumi up`` changes no Azure resource.

The commands name the project component's URN as the offline plan of the project's stack
registers it, so they are right for the installed version of the factory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aifactory.config.layout import DEFAULT_ORGANIZATION
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from aifactory.offline.stack_run import run_project_stacks

__all__ = ["ProjectMove", "move_commands", "plan_moves"]

Direction = Literal["sharded", "single"]
_PROJECT_COMPONENTS = "aifactory:projects:"


@dataclass(frozen=True)
class ProjectMove:
    """One project's subtree: the URN to name in ``pulumi state move`` (in the project stack), its size
    and the providers the move copies along."""

    key: str
    name: str
    project_stack: str
    urn: str
    resources: int
    providers: tuple[str, ...]


def plan_moves(
    project_dir: Path, environment_stack: str, project_ids: Sequence[int] | None = None
) -> list[ProjectMove]:
    """Plan the projects' stacks offline (in the sharded layout, whatever the configured one) and find
    each project's subtree."""
    results = run_project_stacks(project_dir, environment_stack, project_ids)
    return [_subtree(project.key, project.spec.name, run) for project, run in results]


def _subtree(key: str, name: str, run: OfflineRun) -> ProjectMove:
    roots = [r for r in run.resources if r.type.startswith(_PROJECT_COMPONENTS) and r.name == key]
    if len(roots) != 1:
        msg = f"{run.stack}: expected one project component named {key}, found {len(roots)}"
        raise ValueError(msg)
    root = roots[0]
    members = _descendants(root, run.resources)
    providers = sorted({r.provider.rsplit("::", 1)[0] for r in members if r.provider})
    return ProjectMove(key, name, run.stack, root.urn, len(members), tuple(providers))


def _descendants(root: RecordedResource, resources: Iterable[RecordedResource]) -> list[RecordedResource]:
    children: dict[str, list[RecordedResource]] = {}
    for record in resources:
        children.setdefault(record.parent, []).append(record)
    found, pending = [root], [root]
    while pending:
        for child in children.get(pending.pop().urn, []):
            found.append(child)
            pending.append(child)
    return found


def _in_stack(urn: str, stack: str) -> str:
    """``urn`` as it reads in ``stack`` (state move changes only the stack part)."""
    _, rest = urn.split("::", 1)
    return f"urn:pulumi:{stack}::{rest}"


def move_commands(
    moves: Sequence[ProjectMove],
    environment_stack: str,
    to: Direction,
    *,
    organization: str = DEFAULT_ORGANIZATION,
    project: str,
    stack_file: str,
) -> list[str]:
    """The shell lines that move ``moves`` into (``to="sharded"``) or out of (``"single"``) their stacks."""

    def qualified(stack: str) -> str:
        return f"{organization}/{project}/{stack}"

    environment = qualified(environment_stack)
    lines = [
        f"# Move {len(moves)} project{'s' if len(moves) != 1 else ''} "
        + (f"out of {environment_stack} into their own stacks" if to == "sharded" else f"back into {environment_stack}")
        + f" ({sum(m.resources for m in moves)} resources). Nothing in Azure changes: `pulumi state move` rewrites",
        "# state only, and every URN below is the same in both layouts but for the stack name.",
        f"# Before: `pulumi preview --stack {environment}` shows no changes (the stack is up to date).",
    ]
    for move in moves:
        stack = qualified(move.project_stack)
        lines.append("")
        lines.append(
            f"# {move.key} {move.name}: {move.resources} resources; providers copied along: {len(move.providers)}"
        )
        if to == "sharded":
            lines.append(f"pulumi stack init {stack}  # once; a project stack needs no stack file of its own")
            source, dest, urn = environment, stack, _in_stack(move.urn, environment_stack)
        else:
            source, dest, urn = stack, environment, move.urn
        lines.append(f"pulumi state move --source {source} --dest {dest} --yes '{urn}'")
    lines.append("")
    if to == "sharded":
        lines += [
            f"# After every project of {environment_stack} has moved: set `aifactory:layout: sharded` in "
            f"{stack_file}, then",
            f"pulumi preview --stack {environment}  # expect: the 'common' output is added, no resource changes",
            *(
                f"pulumi preview --stack {qualified(m.project_stack)}  # expect: + the root component, "
                "the StackReference read, no change to any Azure resource"
                for m in moves
            ),
            "# then `pulumi up` the environment's stack first, and the project stacks after it.",
        ]
    else:
        lines += [
            f"# After every project has moved back: set `aifactory:layout: single` in {stack_file}, then",
            f"pulumi preview --stack {environment}  # expect: the 'common' output is removed, no resource changes",
            f"pulumi up --stack {environment}",
            *(
                f"pulumi destroy --stack {qualified(m.project_stack)} --yes && pulumi stack rm "
                f"{qualified(m.project_stack)} --yes  # only the root component and StackReference are left"
                for m in moves
            ),
        ]
    return lines
