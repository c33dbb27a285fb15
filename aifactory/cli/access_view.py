"""``aifactory plan <stack> --access``: who gets what where, per project and persona, and the limit."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from aifactory.catalog.personas import PROJECT_PERSONAS
from aifactory.cli.console import Listing, keep, table
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac import AccessPlan, PlannedDataPlaneAssignment, PlannedRoleAssignment, ProjectAccess
from aifactory.plan.rbac.principals import JUMP_HOST_USERS_KEY

__all__ = ["delegation_document", "render_access"]

_CONDITIONED = "†"
_WARN_SHARE = 0.8


def render_access(plan: FactoryPlan, console: Console, project_id: int | None = None) -> None:
    """The access plan: per project, who (persona group, member, identity, CI, core team) gets which roles where.

    ``project_id`` must be a project of the plan (the command resolves ``--project`` first).
    """
    access = plan.access
    mode = "persona groups" if plan.stack.identity.manage_groups else "members directly (groups not managed)"
    data_plane = sum(len(p.data_plane_assignments) for p in access.projects.values())
    console.print(
        f"[bold]Access in {plan.environment}[/]: {len(access.all_assignments):,} role assignments"
        f" (+{data_plane} Cosmos DB data-plane), granted to {mode}"
    )
    _render_counts(access, console)
    if project_id is None:
        _render_common(access, console)
        projects = list(access.projects.values())
    else:
        projects = [access.projects[project_id]]
    for project in projects:
        _render_project(plan, project, console)
    console.print(
        f"{_CONDITIONED} with a condition: the team lead may assign only the project's delegable roles (below each "
        "project), to the listed principal types.",
        style="dim",
    )


def _render_counts(access: AccessPlan, console: Console) -> None:
    counts = table("Role assignments per subscription", keep("subscription"), "common", "projects", "total", "limit")
    for count in access.counts.values():
        share = count.total / count.limit
        style = "red" if count.over_limit else "yellow" if share >= _WARN_SHARE else "green"
        counts.add_row(
            count.subscription_id,
            str(count.common),
            f"{count.total - count.common:,} ({len(count.by_project)} projects)",
            Text(f"{count.total:,}", style=style),
            f"{count.limit:,} ({share:.0%} used)",
        )
    console.print(counts)


def _render_common(access: AccessPlan, console: Console) -> None:
    shared = table("Core team and shared resources", "who", keep("principal"), "scope", "roles")
    for (principal, scope), roles in _by_principal_and_scope(access.common_assignments).items():
        who = principal.split("/")[1]
        shared.add_row(who, _principal_label(principal), scope, roles)
    console.print(shared)


def _render_project(plan: FactoryPlan, project: ProjectAccess, console: Console) -> None:
    spec = plan.project(project.project_id).spec
    title = f"{project.key} {spec.name} ({spec.type}) in subscription {project.subscription_id}"
    rows = table(title, "who", keep("principal"), "scope", "roles")
    grants = _by_principal_and_scope(project.role_assignments, project.data_plane_assignments, project.key)
    groups = {g.ref.key: g for g in project.groups}
    members = {m.ref.key: m for m in project.members}
    order = {persona: index for index, persona in enumerate(PROJECT_PERSONAS)}
    for grantee in sorted(project.grantees, key=lambda g: (order[g.persona], g.principal.key)):
        key = grantee.principal.key
        if key in groups:
            listed = [members[m.member.key] for m in project.memberships if m.group.key == key]
            label = "\n".join([groups[key].display_name, *(f"  {m.upn or m.ref.display}" for m in listed)])
        else:
            label = grantee.principal.display or key
        _add_rows(rows, grantee.persona, label, grants, key)
    _add_rows(rows, "identity", project.identity_name, grants, project.identity.key)
    if project.deployment is not None:
        _add_rows(rows, "CI", project.deployment.display_name, grants, project.deployment.ref.key)
    for key in sorted({k for k, _ in grants} - {g.principal.key for g in project.grantees}):
        if key.startswith("common/"):
            _add_rows(rows, key.split("/")[1], _principal_label(key), grants, key)
    console.print(rows)
    if project.delegation is not None:
        delegation = project.delegation
        allowed = ", ".join(r.name for r in delegation.roles)
        console.print(
            f"delegation allowlist ({', '.join(delegation.principal_types)} principals only): {escape(allowed)}",
            style="dim",
        )
        if delegation.withheld:
            console.print(
                f"withheld (can change network settings, delete resources or assign roles): "
                f"{escape(', '.join(delegation.withheld))}",
                style="dim",
            )
    traverse = [m for m in project.memberships if m.group.key == plan.access.lake_traverse.key]
    notes = [f"lake traverse group: {len(traverse)} members from {project.key}"]
    jump_host = [m for m in project.memberships if m.group.key == JUMP_HOST_USERS_KEY]
    if jump_host:
        notes.append(f"jump host users (Bastion and jump host sign-in): {len(jump_host)} groups from {project.key}")
    if project.deployment is not None:
        for credential in project.deployment.credentials:
            notes.append(f"CI signs in with GitHub OIDC ({credential.subject}); no client secret")
    console.print(escape("; ".join(notes)), style="dim")


def _add_rows(rows: Listing, who: str, label: str, grants: dict[tuple[str, str], str], principal_key: str) -> None:
    """One row per scope of ``principal_key``; who and principal only on the first."""
    first = True
    for (key, scope), roles in grants.items():
        if key != principal_key:
            continue
        rows.add_row(who if first else "", label if first else "", scope, roles)
        first = False


def _by_principal_and_scope(
    assignments: tuple[PlannedRoleAssignment, ...],
    data_plane: tuple[PlannedDataPlaneAssignment, ...] = (),
    workload: str = "",
) -> dict[tuple[str, str], str]:
    """``(principal key, scope) -> "role, role"``; project scopes shown without the project key."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for assignment in assignments:
        name = assignment.role.name + (_CONDITIONED if assignment.condition else "")
        found[(assignment.principal.key, _scope(assignment.scope.key, workload))].append(name)
    for item in data_plane:
        found[(item.principal.key, _scope(item.scope.key, workload))].append(f"{item.role.name} (data plane)")
    return {key: ", ".join(sorted(roles)) for key, roles in sorted(found.items())}


def _scope(key: str, workload: str) -> str:
    return key.removeprefix(f"{workload}/") if workload else key


def _principal_label(key: str) -> str:
    """``common/platform-admin/<object id>`` -> the object id; ``common/lake-traverse`` -> a description."""
    parts = key.split("/")
    if key == JUMP_HOST_USERS_KEY:
        return "jump host users (every project's persona groups)"
    return parts[2] if len(parts) > 2 else "lake traverse group (every project principal)"


def delegation_document(project: ProjectAccess) -> dict[str, object] | None:
    """The team lead's allowlist as JSON-ready data (for ``plan --access --json``), or None without a lead."""
    delegation = project.delegation
    if delegation is None:
        return None
    return {
        "roles": [{"name": r.name, "id": r.id} for r in delegation.roles],
        "principal_types": list(delegation.principal_types),
        "withheld": list(delegation.withheld),
        "condition": delegation.condition,
    }
