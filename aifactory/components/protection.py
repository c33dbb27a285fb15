"""Data is never lost by accident: protection and CanNotDelete locks for stateful resources.

In stage and prod (or wherever ``aifactory:protect_stateful`` is true) stateful resources are
``protect``ed, so ``pulumi up`` refuses to delete or replace them, and data stores get a
CanNotDelete management lock, so nobody deletes them in the portal either. Workspaces that own
child resources with a lifecycle of their own (an ML workspace's computes and endpoints) are
protected but not locked: a lock would also forbid deleting those children. Each service declares
its lifecycle (:mod:`aifactory.services`) and the site that builds it applies it; :class:`Protection`
serves what is not a service (resource groups, lake folders).

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


def lock(logical_name: str, resource: pulumi.CustomResource, azure_name: str) -> authorization.ManagementLockByScope:
    """A CanNotDelete management lock on ``resource``, itself protected (named ``<logical name>-lock``)."""
    return authorization.ManagementLockByScope(
        f"{logical_name}-lock",
        scope=resource.id,
        level=authorization.LockLevel.CAN_NOT_DELETE,
        lock_name=child_name("lock", azure_name),
        notes=LOCK_NOTES,
        opts=pulumi.ResourceOptions(parent=resource, protect=True),
    )


@dataclass(frozen=True)
class Protection:
    """The environment's protection policy."""

    enabled: bool

    def options(self, parent: pulumi.Resource, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options for a stateful resource: parented, and protected when the policy says so."""
        return pulumi.ResourceOptions(parent=parent, protect=self.enabled, **kwargs)

    def lock(
        self, logical_name: str, resource: pulumi.CustomResource, azure_name: str
    ) -> authorization.ManagementLockByScope | None:
        """A CanNotDelete lock on a data store (only when protection is on)."""
        return lock(logical_name, resource, azure_name) if self.enabled else None


def explicit_protection(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    """Resource transformation: a resource is protected only when its own options say so."""
    if args.opts.protect is not None:
        return None
    opts = copy.copy(args.opts)
    opts.protect = False
    return pulumi.ResourceTransformationResult(args.props, opts)
