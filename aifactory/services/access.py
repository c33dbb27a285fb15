"""Access a service contributes: role sets (built-in roles on scopes for one capability) and who gets them.

A :class:`RoleSet` is one capability ("read and write the project's storage") as built-in roles on
scopes, with a one-line *why* that becomes every resulting assignment's description. A service's
:class:`ServiceRoles` says which role sets each project persona, the project's managed identity,
its CI (deployment) identity and the core team get where the service exists. The RBAC planner
assembles its tables from these (:mod:`aifactory.plan.rbac.personas`), so a service's access is
declared in its own module and nowhere else.

Scopes are resource keys of the workload (``storage`` becomes ``p007/storage``) or common scope
keys used as they are (``common/container_registry``); see :mod:`aifactory.plan.rbac.model`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from aifactory.catalog.personas import CorePersona, ProjectPersona
from aifactory.catalog.roles import role

if TYPE_CHECKING:
    from aifactory.services.registry import ServiceName

__all__ = ["ASSIGN_PROJECT_IDENTITY", "NoRoles", "RoleSet", "ServiceRoles"]


@dataclass(frozen=True, eq=False)
class RoleSet:
    """Built-in roles on scopes that together grant one capability.

    ``grants`` maps a scope to Azure roles; ``cosmos`` maps a scope to Cosmos DB data-plane roles
    (assigned inside the account, not through Azure RBAC). ``delegates`` marks the role set that lets
    its grantee assign roles: the RBAC planner gives its assignments the project's delegation
    condition (:mod:`aifactory.plan.rbac.delegation`).
    """

    why: str
    grants: Mapping[str, tuple[str, ...]]
    condition: str | None = None
    cosmos: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    delegates: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "grants", MappingProxyType(dict(self.grants)))
        object.__setattr__(self, "cosmos", MappingProxyType(dict(self.cosmos)))
        for names in self.grants.values():
            for name in names:
                role(name)  # fail at import on a role the catalogue does not know


@dataclass(frozen=True, eq=False)
class ServiceRoles:
    """The role sets a service contributes, by grantee, where it exists.

    ``core`` applies to the common environment's instance. ``workload_identities`` are the service's
    own user-assigned identities (``aks-kubelet``: the AKS nodes' identity, which any pod can reach
    through the node's metadata endpoint, so it holds only what the nodes need), created next to the
    project identity. ``system_identity`` is the instance's own system-assigned identity (AI Search's:
    the only identity Azure lets through a data store's trusted-service exception); its object id
    exists once the instance does. ``with_services`` adds role sets when the project also has other services (an
    ML workspace's identity needs Contributor on the project's *own* registry), ``without_services``
    when it lacks them (AKS nodes pull from the shared registry when the project has none);
    ``when_absent`` applies to projects without the service itself.
    """

    personas: Mapping[ProjectPersona, tuple[RoleSet, ...]] = field(default_factory=dict)
    identity: tuple[RoleSet, ...] = ()
    deployment: tuple[RoleSet, ...] = ()
    core: Mapping[CorePersona, tuple[RoleSet, ...]] = field(default_factory=dict)
    workload_identities: Mapping[str, tuple[RoleSet, ...]] = field(default_factory=dict)
    system_identity: tuple[RoleSet, ...] = ()
    with_services: Mapping[ServiceName, ServiceRoles] = field(default_factory=dict)
    without_services: Mapping[ServiceName, ServiceRoles] = field(default_factory=dict)
    when_absent: ServiceRoles | None = None
    by_settings: Callable[[Any, ProjectPersona], tuple[RoleSet, ...]] | None = None
    by_settings_note: str = ""

    def __post_init__(self) -> None:
        for name in ("personas", "core", "workload_identities", "with_services", "without_services"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


@dataclass(frozen=True)
class NoRoles:
    """An explicit, reasoned "this service contributes no role sets of its own"."""

    why: str


ASSIGN_PROJECT_IDENTITY = RoleSet(
    "attach the project's managed identity to what CI deploys (online endpoints, container apps)",
    {"managed_identity": ("Managed Identity Operator",)},
)
"""Shared by the services whose deployments run as the project identity (ML endpoints, container apps)."""
