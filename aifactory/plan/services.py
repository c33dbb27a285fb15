"""Which service instances each workload has, and every name and flag the components build them with.

From the registry (:mod:`aifactory.services`) and the config: a project has the services every
project of its type has (storage, Key Vault) plus those it enables, in registry order; the common
environment has the instances whose condition holds (the datalake and shared Key Vault always,
Bastion when configured, the Databricks web-auth workspace when a project uses Databricks, ...).

Each :class:`PlannedService` carries the decisions the shared concerns need: the Pulumi logical
names (part of every URN: a project instance is ``<key>-<stem>``, its endpoint set
``<key>-<service>-pe``; common instances keep the names their declaration gives), the Azure name,
the private endpoints, the diagnostics profile, the effective lifecycle (a declared lifecycle
applies only where the environment protects stateful resources) and the RBAC scope keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aifactory.catalog.diagnostics import DiagnosticProfile
from aifactory.catalog.dns_zones import GroupId
from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig
from aifactory.plan.endpoints import PlannedEndpoint
from aifactory.plan.naming import Namer
from aifactory.plan.rbac.model import scope_key
from aifactory.services.model import Lifecycle, Placement, PrivateEndpoints
from aifactory.services.registry import (
    AnyService,
    ServiceKey,
    ServiceName,
    common_declarations,
    declaration,
    project_declarations,
    project_endpoint_groups,
)

__all__ = ["PlannedService", "common_services", "project_services"]


@dataclass(frozen=True)
class PlannedService:
    """One instance of a declared service in a workload (see the module docstring)."""

    service: ServiceName
    key: ServiceKey
    workload: str
    placement: Placement
    logical_name: str
    attachment_name: str
    azure_name: str
    endpoints: PlannedEndpoint | None
    diagnostics: DiagnosticProfile
    lifecycle: Lifecycle
    scope_keys: tuple[str, ...]

    @property
    def protect(self) -> bool:
        return self.lifecycle != "none"

    @property
    def lock(self) -> bool:
        return self.lifecycle == "protect_lock"

    @property
    def declaration(self) -> AnyService:
        return declaration(self.service)


def _endpoints(service: AnyService, key: ServiceKey, groups: tuple[GroupId, ...], name: str) -> PlannedEndpoint | None:
    if not isinstance(service.endpoints, PrivateEndpoints):
        return None
    return PlannedEndpoint(key, service.endpoints.kind, groups, name)


def project_services(spec: ProjectSpec, namer: Namer, stack: StackConfig) -> tuple[PlannedService, ...]:
    """The project's instances in this environment, in registry order."""
    planned = []
    for service in project_declarations(spec):
        logical = f"{spec.key}-{service.logical_stem}"
        planned.append(
            PlannedService(
                service=service.name,
                key=service.name,
                workload=spec.key,
                placement=spec.type,
                logical_name=logical,
                attachment_name=logical,
                azure_name=namer.project(service.naming_kind, spec.id, spec.name),
                endpoints=_endpoints(
                    service, service.name, project_endpoint_groups(spec, service), f"{spec.key}-{service.name}-pe"
                ),
                diagnostics=service.diagnostics,
                lifecycle=service.lifecycle_in(spec.type) if stack.protect else "none",
                scope_keys=tuple(scope_key(spec.key, s) for s in (service.name, *service.extra_scopes)),
            )
        )
    return tuple(planned)


def common_services(stack: StackConfig, projects: Sequence[ProjectSpec], namer: Namer) -> tuple[PlannedService, ...]:
    """The common environment's instances, in registry order."""
    planned = []
    for service in common_declarations(stack, projects):
        common = service.common
        if common is None:
            continue
        key = common.key or service.name
        attachments = common.attachment_name or common.logical_name
        planned.append(
            PlannedService(
                service=service.name,
                key=key,
                workload="common",
                placement="common",
                logical_name=common.logical_name,
                attachment_name=attachments,
                azure_name=namer.common(service.naming_kind, common.qualifier),
                endpoints=_endpoints(service, key, service.groups_in("common"), f"{attachments}-pe"),
                diagnostics=service.diagnostics,
                lifecycle=service.lifecycle_in("common") if stack.protect else "none",
                scope_keys=tuple(scope_key("common", s) for s in (key, *service.extra_scopes)),
            )
        )
    return tuple(planned)
