"""Data is never lost by accident: protection and CanNotDelete locks for stateful resources.

In stage and prod (or wherever ``aifactory:protect_stateful`` is true, and the project is not being
decommissioned) stateful resources are ``protect``ed, so ``pulumi up`` refuses to delete or replace
them, and what holds data gets a CanNotDelete management lock, so nobody deletes it in the portal
either. A lock applies to everything below its scope - child resources, role assignments and
diagnostic settings, the connections of private endpoints - so locks sit on the data-holding
children (the lake's container, a Cosmos DB account's databases), never where the factory changes
something on a day-2 change: accounts and workspaces whose grants, endpoints, diagnostics or own
children (an ML workspace's computes) change are protected, not locked (``aifactory.policy.locks``
proves the placement). Each service declares its lifecycle (:mod:`aifactory.services`) and the site
that builds it applies it; :class:`Protection` serves what is not a service (resource groups, lake
folders, the lake's container).

Protection is always explicit. Pulumi otherwise copies ``protect`` from a parent to every child,
so a protected storage account would also protect its diagnostic settings and private endpoints,
and removing a member's compute instance from a protected workspace would fail.
:func:`explicit_protection` (installed by every factory component on its children) turns an unset
``protect`` into ``False``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import authorization

from aifactory.plan.naming import child_name

__all__ = ["Protection", "explicit_protection", "lock"]

LOCK_NOTES = "aifactory: holds data; remove the project with its decommission procedure, not by hand"


def lock(
    logical_name: str,
    resource: pulumi.CustomResource,
    azure_name: str,
    scope: pulumi.Input[str] | None = None,
    *,
    protect: bool = True,
) -> authorization.ManagementLockByScope:
    """A CanNotDelete management lock on ``resource`` (or on ``scope``, its ARM id when ``resource.id`` is
    not one), parented to the resource (named ``<logical name>-lock``) and itself protected, unless the
    project is being decommissioned: then the run that removes the project deletes it before the resource."""
    return authorization.ManagementLockByScope(
        f"{logical_name}-lock",
        scope=resource.id if scope is None else scope,
        level=authorization.LockLevel.CAN_NOT_DELETE,
        lock_name=child_name("lock", azure_name),
        notes=LOCK_NOTES,
        opts=pulumi.ResourceOptions(parent=resource, protect=protect),
    )


@dataclass(frozen=True)
class Protection:
    """The environment's protection policy."""

    enabled: bool

    def options(self, parent: pulumi.Resource, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options for a stateful resource: parented, and protected when the policy says so."""
        return pulumi.ResourceOptions(parent=parent, protect=self.enabled, **kwargs)

    def lock(
        self,
        logical_name: str,
        resource: pulumi.CustomResource,
        azure_name: str,
        scope: pulumi.Input[str] | None = None,
    ) -> authorization.ManagementLockByScope | None:
        """A CanNotDelete lock on what holds data (only when protection is on)."""
        return lock(logical_name, resource, azure_name, scope) if self.enabled else None


def explicit_protection(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    """Resource transformation: a resource is protected only when its own options say so."""
    if args.opts.protect is not None:
        return None
    opts = copy.copy(args.opts)
    opts.protect = False
    return pulumi.ResourceTransformationResult(args.props, opts)
