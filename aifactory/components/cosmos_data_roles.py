"""Cosmos DB for NoSQL data-plane role assignments from the RBAC plan: the only place that creates them.

Data access to a keyless Cosmos DB account (local auth off) is not an Azure role: the account has
its own role definitions (``sqlRoleDefinitions``) and assignments (``sqlRoleAssignments``), created
through ARM. Each assignment keeps the plan's deterministic name (a GUID), its role definition id
inside the account, and the account as its scope.

Cosmos DB takes one role assignment write per account at a time (concurrent writes fail with a
conflict), so the assignments are created one after another, as Microsoft's Foundry baseline
does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
from pulumi_azure_native import cosmosdb

from aifactory.components.role_assignments import resolve_grant
from aifactory.plan.rbac import PlannedDataPlaneAssignment

__all__ = ["assign_cosmos_data_roles"]

_GROUP_SEGMENT = 4
_ACCOUNT_SEGMENT = 8


def _segment(resource_id: str, index: int) -> str:
    """``/subscriptions/<s>/resourceGroups/<rg>/providers/<ns>/databaseAccounts/<name>``: rg is 4, name 8."""
    return resource_id.split("/")[index]


def assign_cosmos_data_roles(
    parent: pulumi.Resource,
    assignments: Sequence[PlannedDataPlaneAssignment],
    *,
    principals: Mapping[str, pulumi.Input[str]],
    scopes: Mapping[str, pulumi.Input[str]],
    after: Sequence[pulumi.Resource] = (),
) -> list[cosmosdb.SqlResourceSqlRoleAssignment]:
    """Create ``assignments`` one after another, the first after ``after``.

    Principal keys resolve through ``principals`` and scope keys (``p007/cosmos_db``) through
    ``scopes`` to the account's resource id, from which the account and resource group names come.
    A missing key is a programming error (the planner and the component disagree) and raises
    ``KeyError`` naming it.
    """
    created: list[cosmosdb.SqlResourceSqlRoleAssignment] = []
    previous: list[pulumi.Resource] = list(after)
    for assignment in assignments:
        principal_id, account_id = resolve_grant(assignment, principals, scopes)
        role = assignment.role
        resource = cosmosdb.SqlResourceSqlRoleAssignment(
            f"cosmos-ra-{assignment.name}",
            role_assignment_id=assignment.name,
            account_name=account_id.apply(lambda value: _segment(value, _ACCOUNT_SEGMENT)),
            resource_group_name=account_id.apply(lambda value: _segment(value, _GROUP_SEGMENT)),
            role_definition_id=account_id.apply(role.definition_id),
            principal_id=principal_id,
            scope=account_id,
            opts=pulumi.ResourceOptions(parent=parent, depends_on=previous),
        )
        created.append(resource)
        previous = [resource]
    return created
