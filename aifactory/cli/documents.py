"""What ``--json`` prints: the terminal views as data a CI job can read.

Every document is deterministic (no timings, sorted where order is not meaningful) and carries
``"ok": true``; problems print ``{"ok": false, "problems": [...]}`` instead (see
:mod:`aifactory.cli.exits`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from aifactory.cli.access_view import delegation_document
from aifactory.offline.report import summarize, workloads
from aifactory.offline.stack_run import StackPlan
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.public_access import opened_services
from aifactory.plan.rbac import PlannedDataPlaneAssignment, PlannedRoleAssignment, ProjectAccess

__all__ = ["access_document", "project_document", "summary_document", "validation_document"]


def validation_document(plans: dict[str, FactoryPlan]) -> dict[str, Any]:
    """``validate --json``: every stack checked, with its projects and network slots."""
    return {
        "ok": True,
        "stacks": {
            name: {
                "environment": plan.environment,
                "projects": [p.spec.id for p in plan.projects],
                "network_slots_used": len(plan.ip_plan.projects),
                "network_slots": plan.ip_plan.capacity,
            }
            for name, plan in sorted(plans.items())
        },
    }


def summary_document(result: StackPlan, plan_file: str) -> dict[str, Any]:
    """``plan --json``: resource counts by type and workload, projects, public exceptions, the plan file."""
    plan = result.plan
    summary = summarize(result.run)
    return {
        "ok": True,
        "stack": result.run.stack,
        "environment": plan.environment,
        "plan_file": plan_file,
        "resources": {
            "total": summary.custom,
            "protected": summary.protected,
            "by_type": summary.by_type,
            "by_workload": summary.by_workload,
        },
        "projects": [
            {
                "id": p.spec.id,
                "name": p.spec.name,
                "type": p.spec.type,
                "key": p.key,
                "file": p.file,
                "subscription_id": p.subscription_id,
                "slot": p.network.slot,
                "resources": summary.by_workload.get(p.key, 0),
            }
            for p in plan.projects
        ],
        "public_exceptions": {
            p.key: {"allow_ips": list(p.spec.network.allow_ips), "services": list(opened_services(p.spec))}
            for p in plan.projects
            if p.spec.network.allow_ips
        },
    }


def project_document(result: StackPlan, project_id: int, plan_file: str) -> dict[str, Any]:
    """``plan --project --json``: one project's resources, subnets, endpoints, roles and lake folders."""
    plan = result.plan
    project = plan.project(project_id)
    owners = workloads(result.run)
    mine = [r for r in result.run.resources if r.custom and owners[r.urn] == project.key]
    access = plan.access.projects[project_id]
    return {
        "ok": True,
        "stack": result.run.stack,
        "environment": plan.environment,
        "plan_file": plan_file,
        "project": {"id": project.spec.id, "name": project.spec.name, "type": project.spec.type, "key": project.key},
        "subscription_id": project.subscription_id,
        "services": sorted(project.spec.enabled_services()),
        "resources": dict(sorted(Counter(r.type for r in mine).items())),
        "slot": project.network.slot,
        "subnets": [asdict(s) for s in project.network.subnets],
        "private_endpoints": [
            {
                "target": e.target,
                "group_id": group,
                "zones": list(plan.dns.zones_for(e.kind, group)) if plan.dns.zone_groups else [],
            }
            for e in project.endpoints
            for group in e.group_ids
        ],
        "role_assignments": [_assignment(a) for a in sorted(access.role_assignments)],
        "lake_folders": [
            {
                "folder": f.display,
                "access": [
                    {"principal": e.principal.display or e.principal.key, "permissions": e.permissions}
                    for e in f.access
                ],
            }
            for f in plan.lake.for_project(project_id)
        ],
    }


def access_document(plan: FactoryPlan, project_id: int | None = None) -> dict[str, Any]:
    """``plan --access --json``: role-assignment counts per subscription and every grant, per project."""
    access = plan.access
    projects = [access.projects[project_id]] if project_id is not None else list(access.projects.values())
    document: dict[str, Any] = {
        "ok": True,
        "environment": plan.environment,
        "groups_managed": plan.stack.identity.manage_groups,
        "role_assignments": len(access.all_assignments),
        "subscriptions": [
            {
                "subscription_id": c.subscription_id,
                "common": c.common,
                "projects": c.total - c.common,
                "total": c.total,
                "limit": c.limit,
                "over_limit": c.over_limit,
            }
            for c in access.counts.values()
        ],
        "projects": {p.key: _project_access(p) for p in projects},
    }
    if project_id is None:
        document["common"] = [_assignment(a) for a in sorted(access.common_assignments)]
    return document


def _project_access(project: ProjectAccess) -> dict[str, Any]:
    return {
        "id": project.project_id,
        "subscription_id": project.subscription_id,
        "identity": project.identity_name,
        "groups": [{"key": g.ref.key, "display_name": g.display_name, "persona": g.persona} for g in project.groups],
        "members": [
            {"key": m.ref.key, "kind": m.kind, "persona": m.persona, "upn": m.upn, "object_id": m.ref.object_id}
            for m in project.members
        ],
        "memberships": [{"group": m.group.key, "member": m.member.key} for m in project.memberships],
        "ci": None
        if project.deployment is None
        else {
            "display_name": project.deployment.display_name,
            "repository": project.deployment.repository,
            "subjects": [c.subject for c in project.deployment.credentials],
        },
        "role_assignments": [_assignment(a) for a in sorted(project.role_assignments)],
        "data_plane_assignments": [_data_plane(a) for a in project.data_plane_assignments],
        "delegation": delegation_document(project),
    }


def _assignment(assignment: PlannedRoleAssignment) -> dict[str, Any]:
    return {
        "principal": assignment.principal.key,
        "principal_type": assignment.principal.principal_type,
        "display": assignment.principal.display,
        "role": assignment.role.name,
        "role_id": assignment.role.id,
        "scope": assignment.scope.key,
        "name": assignment.name,
        "conditioned": assignment.condition is not None,
        "reason": assignment.reason,
    }


def _data_plane(assignment: PlannedDataPlaneAssignment) -> dict[str, Any]:
    return {
        "principal": assignment.principal.key,
        "role": assignment.role.name,
        "scope": assignment.scope.key,
        "name": assignment.name,
        "reason": assignment.reason,
    }
