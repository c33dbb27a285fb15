"""The registry: every declared service, in one order, and the tables that used to be written by hand.

Adding a service: its module (the declaration with its settings, role sets and build), its name in
:data:`ServiceName` and its line in :data:`SERVICES`, at the same position in both.

The order is the order instances are planned and built in, the order of the ``services:`` fields,
and the order the RBAC tables list their role sets in. Everything else that lists services - which
project types may use which service and get which by default, the settings models, the services an
IP exception opens, the subnets a project needs - is derived here from the declarations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, get_args

from aifactory.catalog.dns_zones import PRIVATE_LINK_SERVICES, GroupId, zones_for
from aifactory.catalog.subnets import CommonSubnetKey, ProjectSubnetKey
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.ai_accounts import CONTENT_SAFETY, DOCUMENT_INTELLIGENCE, OPENAI, SPEECH, VISION
from aifactory.services.ai_foundry import AI_FOUNDRY
from aifactory.services.ai_search import AI_SEARCH
from aifactory.services.aks import AKS
from aifactory.services.bastion import BASTION
from aifactory.services.container_app import CONTAINER_APP
from aifactory.services.container_apps import CONTAINER_APPS
from aifactory.services.container_registry import CONTAINER_REGISTRY
from aifactory.services.cosmos_db import COSMOS_DB
from aifactory.services.data_factory import DATA_FACTORY
from aifactory.services.databricks import DATABRICKS
from aifactory.services.event_hubs import EVENT_HUBS
from aifactory.services.function_app import FUNCTION_APP
from aifactory.services.jump_host import JUMP_HOST
from aifactory.services.key_vault import KEY_VAULT
from aifactory.services.log_analytics import LOG_ANALYTICS
from aifactory.services.machine_learning import MACHINE_LEARNING
from aifactory.services.managed_redis import MANAGED_REDIS
from aifactory.services.model import PROJECT_TYPES, PrivateEndpoints, ProjectType, ServiceDeclaration
from aifactory.services.postgresql import POSTGRESQL
from aifactory.services.settings import ServiceSettings
from aifactory.services.sql_database import AZURE_SQL
from aifactory.services.storage import STORAGE
from aifactory.services.web_app import WEB_APP

if TYPE_CHECKING:
    from aifactory.catalog.personas import ProjectPersona
    from aifactory.config.project import ProjectSpec
    from aifactory.config.stack import StackConfig

__all__ = [
    "DEFAULT_SERVICES",
    "IP_FIREWALL_SERVICES",
    "OPTIONAL_SERVICES",
    "SERVICES",
    "SERVICES_BY_TYPE",
    "SERVICE_MODELS",
    "AnyService",
    "CommonKey",
    "ServiceKey",
    "ServiceName",
    "common_declarations",
    "common_subnet_needs",
    "declaration",
    "project_declarations",
    "project_endpoint_groups",
    "project_subnet_needs",
    "settings_of",
    "settings_role_sets",
]

ServiceName = Literal[
    "storage",
    "key_vault",
    "machine_learning",
    "databricks",
    "data_factory",
    "aks",
    "event_hubs",
    "container_registry",
    "postgresql",
    "sql",
    "redis",
    "ai_foundry",
    "openai",
    "content_safety",
    "document_intelligence",
    "speech",
    "vision",
    "ai_search",
    "cosmos_db",
    "container_apps",
    "container_app",
    "web_app",
    "function_app",
    "log_analytics",
    "bastion",
    "jump_host",
]
"""Every declared service, one per resource type (the registry's order)."""

CommonKey = Literal["datalake", "databricks_web_auth"]
"""Keys of common instances that are not named after their service."""

ServiceKey = ServiceName | CommonKey
"""An instance's key in its workload: its RBAC scope (``p007/<key>``) and its private endpoint target."""

AnyService = ServiceDeclaration[Any, Any]

SERVICES: tuple[AnyService, ...] = (
    STORAGE,
    KEY_VAULT,
    MACHINE_LEARNING,
    DATABRICKS,
    DATA_FACTORY,
    AKS,
    EVENT_HUBS,
    CONTAINER_REGISTRY,
    POSTGRESQL,
    AZURE_SQL,
    MANAGED_REDIS,
    AI_FOUNDRY,
    OPENAI,
    CONTENT_SAFETY,
    DOCUMENT_INTELLIGENCE,
    SPEECH,
    VISION,
    AI_SEARCH,
    COSMOS_DB,
    CONTAINER_APPS,
    CONTAINER_APP,
    WEB_APP,
    FUNCTION_APP,
    LOG_ANALYTICS,
    BASTION,
    JUMP_HOST,
)
"""Every declared service, in registry order."""

_BY_NAME: Mapping[ServiceName, AnyService] = MappingProxyType({service.name: service for service in SERVICES})
if tuple(_BY_NAME) != get_args(ServiceName):
    _msg = "the registry and the ServiceName literal must list the same services in the same order"
    raise RuntimeError(_msg)

for _service in SERVICES:
    for _target, _groups in _service.endpoint_needs.items():
        _endpoints = _BY_NAME[_target].endpoints
        if not isinstance(_endpoints, PrivateEndpoints):
            _msg = f"{_service.name} needs private endpoints on {_target}, which has none"
            raise RuntimeError(_msg)
        for _group in _groups:
            zones_for(_endpoints.kind, _group)  # KeyError at import for a group the target's kind does not have

OPTIONAL_SERVICES: tuple[AnyService, ...] = tuple(s for s in SERVICES if s.optional)
"""Services projects switch on under ``services:`` (in registry order: the order of its fields)."""

SERVICES_BY_TYPE: Mapping[ProjectType, frozenset[ServiceName]] = MappingProxyType(
    {
        project_type: frozenset(s.name for s in OPTIONAL_SERVICES if s.projects and project_type in s.projects.types)
        for project_type in PROJECT_TYPES
    }
)
"""The services a project of each type may list under ``services:``."""

DEFAULT_SERVICES: Mapping[ProjectType, frozenset[ServiceName]] = MappingProxyType(
    {
        project_type: frozenset(s.name for s in OPTIONAL_SERVICES if s.projects and project_type in s.projects.default)
        for project_type in PROJECT_TYPES
    }
)
"""The services a project of each type has unless it turns them off."""

SERVICE_MODELS: Mapping[ServiceName, type[ServiceSettings]] = MappingProxyType(
    {s.name: s.settings for s in OPTIONAL_SERVICES if s.settings is not None}
)
"""The settings model of every optional service."""

IP_FIREWALL_SERVICES: tuple[ServiceName, ...] = tuple(
    s.name for s in SERVICES if s.projects and s.ip_firewall is not None
)
"""Project services whose firewall restricts public callers by IP: what ``network.allow_ips`` opens."""


def declaration(name: ServiceName) -> AnyService:
    """The declaration of ``name``."""
    return _BY_NAME[name]


def settings_of(spec: ProjectSpec, service: AnyService) -> Any:
    """The project's settings of ``service`` (resolved for the environment), or None."""
    return getattr(spec.services, service.name, None) if service.optional else None


def project_declarations(spec: ProjectSpec) -> tuple[AnyService, ...]:
    """The services the project has: those of every project of its type and those it enables."""
    enabled = spec.enabled_services()
    return tuple(
        s
        for s in SERVICES
        if s.projects is not None and spec.type in s.projects.types and (s.projects.always or s.name in enabled)
    )


def project_endpoint_groups(spec: ProjectSpec, service: AnyService) -> tuple[GroupId, ...]:
    """The private endpoint groups of ``service`` in the project: its own, plus those its other services need.

    In the order of the private link kind's groups, so the same set always gives the same tuple.
    """
    groups = set(service.groups_in(spec.type))
    if not groups or not isinstance(service.endpoints, PrivateEndpoints):
        return ()
    for other in project_declarations(spec):
        groups.update(other.endpoint_needs.get(service.name, ()))
    own = service.groups_in(spec.type)
    extra = [g for g in PRIVATE_LINK_SERVICES[service.endpoints.kind].group_ids if g in groups and g not in own]
    return (*own, *extra)


def settings_role_sets(spec: ProjectSpec, persona: ProjectPersona) -> tuple[RoleSet, ...]:
    """The role sets ``persona`` gets from the project's settings of its services (``ServiceRoles.by_settings``)."""
    found: list[RoleSet] = []
    for service in project_declarations(spec):
        roles = service.roles
        if isinstance(roles, ServiceRoles) and roles.by_settings is not None:
            found.extend(roles.by_settings(settings_of(spec, service), persona))
    return tuple(found)


def project_subnet_needs(spec: ProjectSpec) -> frozenset[ProjectSubnetKey]:
    """The subnets the project's services use (private endpoints whenever one has endpoints)."""
    keys: set[ProjectSubnetKey] = set()
    for service in project_declarations(spec):
        if service.groups_in(spec.type):
            keys.add("private_endpoints")
        keys.update(service.subnets.for_settings(settings_of(spec, service)))
    return frozenset(keys)


def common_declarations(stack: StackConfig, projects: Sequence[ProjectSpec]) -> tuple[AnyService, ...]:
    """The services the common environment has: those whose condition holds for the stack and its projects."""
    return tuple(s for s in SERVICES if s.common is not None and s.common.when.holds(stack, projects))


def common_subnet_needs(stack: StackConfig, projects: Sequence[ProjectSpec]) -> frozenset[CommonSubnetKey]:
    """The common subnets the environment's shared services use."""
    keys: set[CommonSubnetKey] = set()
    for service in common_declarations(stack, projects):
        if service.groups_in("common"):
            keys.add("private_endpoints")
        if service.common is not None:
            keys.update(service.common.subnets)
    return frozenset(keys)
