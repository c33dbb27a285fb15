"""Role assignments from the RBAC plan: the only place that creates them.

Every assignment has its deterministic name, ``principalType`` set (so a group or service
principal created in the same run does not fail with PrincipalNotFound while Entra replicates),
and its role definition id in the scope's own subscription.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Protocol

import pulumi
from pulumi_azure_native import authorization

from aifactory.catalog.roles import BuiltInRole
from aifactory.plan.rbac.model import PlannedRoleAssignment, PrincipalRef, ScopeRef

__all__ = ["Grant", "assign_conditioned_role", "assign_roles", "resolve_grant"]


class Grant(Protocol):
    """What any planned assignment has: a principal and a scope by key, and a named role."""

    @property
    def principal(self) -> PrincipalRef: ...

    @property
    def scope(self) -> ScopeRef: ...

    @property
    def role(self) -> _Named: ...


class _Named(Protocol):
    @property
    def name(self) -> str: ...


def resolve_grant(
    grant: Grant, principals: Mapping[str, pulumi.Input[str]], scopes: Mapping[str, pulumi.Input[str]]
) -> tuple[pulumi.Input[str], pulumi.Output[str]]:
    """The grant's principal object id and scope resource id.

    A missing key is a programming error (the planner and the component disagree) and raises
    ``KeyError`` naming it.
    """
    principal_id = grant.principal.object_id or principals.get(grant.principal.key)
    if principal_id is None:
        msg = f"no principal {grant.principal.key!r} to assign {grant.role.name} to"
        raise KeyError(msg)
    if grant.scope.key not in scopes:
        msg = f"no scope {grant.scope.key!r} for {grant.role.name} to {grant.principal.key}"
        raise KeyError(msg)
    return principal_id, pulumi.Output.from_input(scopes[grant.scope.key])


def _definition_id(role: BuiltInRole, scope_id: str) -> str:
    """The role definition's id in the scope's own subscription (``/subscriptions/<id>/...``)."""
    return role.definition_id(scope_id.split("/")[2])


def assign_roles(
    parent: pulumi.Resource,
    assignments: Sequence[PlannedRoleAssignment],
    *,
    principals: Mapping[str, pulumi.Input[str]],
    scopes: Mapping[str, pulumi.Input[str]],
) -> list[authorization.RoleAssignment]:
    """Create ``assignments``, resolving principal and scope keys through the given maps.

    A missing key is a programming error (the planner and the component disagree) and raises
    ``KeyError`` naming it.
    """
    created = []
    for assignment in assignments:
        principal_id, scope = resolve_grant(assignment, principals, scopes)
        created.append(
            authorization.RoleAssignment(
                f"ra-{assignment.name}",
                role_assignment_name=assignment.name,
                scope=scope,
                role_definition_id=scope.apply(partial(_definition_id, assignment.role)),
                principal_id=principal_id,
                principal_type=assignment.principal.principal_type,
                description=assignment.reason or None,
                condition=assignment.condition,
                condition_version="2.0" if assignment.condition else None,
                opts=pulumi.ResourceOptions(parent=parent),
            )
        )
    return created


def assign_conditioned_role(
    logical_name: str,
    *,
    name: str,
    role: BuiltInRole,
    scope: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    condition: pulumi.Input[str],
    reason: str,
    opts: pulumi.ResourceOptions,
) -> authorization.RoleAssignment:
    """A role assignment whose ABAC condition is only known at deploy time (it names a created resource's id).

    The Foundry agents' Storage Blob Data Owner is conditioned on the Foundry projects' workspace
    ids; everything else about it (name, role, scope, principal type) is planned like any other.
    """
    scope_id = pulumi.Output.from_input(scope)
    return authorization.RoleAssignment(
        logical_name,
        role_assignment_name=name,
        scope=scope_id,
        role_definition_id=scope_id.apply(partial(_definition_id, role)),
        principal_id=principal_id,
        principal_type="ServicePrincipal",
        description=reason,
        condition=condition,
        condition_version="2.0",
        opts=opts,
    )
