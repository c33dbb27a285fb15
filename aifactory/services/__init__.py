"""The service registry: one declaration per Azure resource type the factory creates.

Each module declares one service (:class:`~aifactory.services.model.ServiceDeclaration`): its
settings, naming, subnets, private endpoints, diagnostics, lifecycle, IP firewall, RBAC scopes and
role sets, and a ``build`` function that creates just the resource. The registry
(:mod:`aifactory.services.registry`) orders them and derives the tables other layers read; the
sites that build instances (:mod:`aifactory.components.service_site`) apply the shared concerns
uniformly. Adding a service is one module here plus its name and its line in the registry (see docs/services.md).
"""

from aifactory.services.model import (
    Built,
    CommonUse,
    Lifecycle,
    NoPrivateEndpoint,
    Placement,
    PrivateEndpoints,
    ProjectType,
    ProjectUse,
    ServiceDeclaration,
)
from aifactory.services.registry import SERVICES, AnyService, ServiceKey, ServiceName, declaration

__all__ = [
    "SERVICES",
    "AnyService",
    "Built",
    "CommonUse",
    "Lifecycle",
    "NoPrivateEndpoint",
    "Placement",
    "PrivateEndpoints",
    "ProjectType",
    "ProjectUse",
    "ServiceDeclaration",
    "ServiceKey",
    "ServiceName",
    "declaration",
]
