"""Where the CanNotDelete locks sit, and what each one would hold back on a day-2 change.

A management lock applies to everything below its scope: child resources, and extension resources
applied to the locked resource or below it (role assignments, diagnostic settings); a CanNotDelete lock
prevents deleting the Azure RBAC assignments at its scope ("Lock your resources to protect your
infrastructure", Microsoft Learn). Deleting a private endpoint deletes the connection the target holds
below itself, which a lock on the target refuses (``ScopeLocked`` on ``privateEndpointConnectionProxies``).

So a resource the factory may delete on a day-2 change - every resource it does not protect: a
persona's or an identity's role assignment, a Cosmos DB data-plane role assignment, an endpoint, a
diagnostic setting - must not sit below a lock, or the next ``pulumi up`` that removes it fails.
:func:`lock_conflicts` checks that over a plan, purely (the mandatory guardrail ``AIF-LOCK-PLACEMENT``
runs it over every plan and preview): it reads the lock scopes, and for each
unprotected resource the scopes its deletion touches (an extension resource's ``scope`` or
``resourceUri``, a private endpoint's targets, a child resource's parents by the path parameters the
create-only table records; ``tests/diff/test_create_only.py`` keeps an entry for every type the
shipped plans create). The check covers every lock the plan makes, service locks and others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aifactory.catalog.create_only import CREATE_ONLY
from aifactory.policy.types import LOCK, PRIVATE_ENDPOINT

__all__ = ["LockConflict", "PlannedResource", "lock_conflicts"]

_SCOPE_INPUTS = ("scope", "resourceUri")
_SCOPED_CHILDREN = frozenset({"azure-native:cosmosdb:SqlResourceSqlRoleAssignment"})
"""Child resources whose ``scope`` input is a data-plane scope property, not the ARM scope they sit at."""


class PlannedResource(Protocol):
    """What the check reads of a resource (the plan's recorded resources have it)."""

    @property
    def urn(self) -> str: ...
    @property
    def parent(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def protect(self) -> bool: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class LockConflict:
    """An unprotected resource below a lock: deleting it (a day-2 change) fails until the lock is lifted."""

    lock: str
    locked: str
    resource: str
    type: str
    via: str
    urn: str

    def message(self) -> str:
        return (
            f"{self.resource} ({self.type}) sits below the lock {self.lock} on {self.locked} ({self.via}): "
            "removing it on a day-2 change would fail with ScopeLocked; lock what holds the data instead, "
            "or keep the resource outside the locked scope"
        )


@dataclass(frozen=True)
class _Lock:
    name: str
    scope: str
    locked: str
    identity: tuple[str, ...]


def lock_conflicts(resources: Iterable[PlannedResource]) -> list[LockConflict]:
    """Every unprotected resource whose deletion a lock of the plan would refuse. Linear in resources.

    A lock is parented to the resource it locks (:func:`aifactory.components.protection.lock`): its
    ``scope`` is that resource's id, which extension resources and endpoints name, and that
    resource's path parameters are the prefix of its children's.
    """
    listed = list(resources)
    by_urn = {r.urn: r for r in listed}
    locks = [_lock(r, by_urn.get(r.parent)) for r in listed if r.type == LOCK]
    by_scope = {lock.scope.lower(): lock for lock in locks}
    by_identity = {lock.identity: lock for lock in locks if lock.identity}
    conflicts = []
    for resource in listed:
        if resource.protect or resource.type == LOCK:
            continue
        for found, via in _holding(resource, by_scope, by_identity):
            conflicts.append(LockConflict(found.name, found.locked, resource.name, resource.type, via, resource.urn))
            break
    return conflicts


def _lock(lock: PlannedResource, target: PlannedResource | None) -> _Lock:
    scope = str(lock.inputs.get("scope", ""))
    if target is None:
        return _Lock(lock.name, scope, scope, ())
    return _Lock(lock.name, scope, target.name, _identity(target))


def _identity(resource: PlannedResource) -> tuple[str, ...]:
    """The path parameters of an azure-native resource, outermost first (resource group, parents, own name)."""
    rules = CREATE_ONLY.get(resource.type)
    if rules is None:
        return ()
    paths = [i.path for i in rules.inputs if i.effect == "identity"]
    if paths[:1] != ["resourceGroupName"]:
        return ()
    values = [value for path in paths if isinstance(value := resource.inputs.get(path), str)]
    return tuple(values) if len(values) == len(paths) else ()


def _holding(
    resource: PlannedResource, by_scope: Mapping[str, _Lock], by_identity: Mapping[tuple[str, ...], _Lock]
) -> Iterator[tuple[_Lock, str]]:
    """The locks at or above the scopes that deleting ``resource`` touches, with how it reaches them."""
    inputs = resource.inputs
    for key in () if resource.type in _SCOPED_CHILDREN else _SCOPE_INPUTS:
        value = inputs.get(key)
        found = _enclosing(value, by_scope) if isinstance(value, str) else None
        if found is not None:
            yield found, f"an extension resource at its {key}"
    if resource.type == PRIVATE_ENDPOINT:
        connections = inputs.get("privateLinkServiceConnections")
        # Not a list: unknown during a preview (CrossGuard), so nothing to judge yet.
        for connection in connections if isinstance(connections, list) else []:
            target = connection.get("privateLinkServiceId") if isinstance(connection, Mapping) else None
            found = _enclosing(target, by_scope) if isinstance(target, str) else None
            if found is not None:
                yield found, "its connection below the target"
    identity = _identity(resource)
    for depth in range(2, len(identity)):
        found = by_identity.get(identity[:depth])
        if found is not None:
            yield found, "a child resource"


def _enclosing(resource_id: str, by_scope: Mapping[str, _Lock]) -> _Lock | None:
    """The lock at or above ``resource_id`` (an ARM id: its prefixes at ``/`` boundaries)."""
    path = resource_id.rstrip("/").lower()
    while path:
        if path in by_scope:
            return by_scope[path]
        path = path.rpartition("/")[0]
    return None
