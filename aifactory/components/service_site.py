"""ServiceSite: where a workload's services are built, and the one place their shared concerns are applied.

A site belongs to the component that builds a workload's instances (a project's baseline, the
common environment's shared services, the datalake). For every planned instance
(:class:`~aifactory.plan.services.PlannedService`) it calls the declaration's ``build`` with a
:class:`~aifactory.services.context.ServiceContext` (parent, lifecycle, tags, subnets, public
access arguments, the instances built before), then applies, from the declaration and the plan,
the same way for every service:

- the private endpoints the plan gives the instance (one :class:`PrivateEndpointSet`, zones from
  the DNS plan), in the workload's ``private_endpoints`` subnet;
- its diagnostic settings (and those of the intrinsic children its declaration names) to the
  environment's Log Analytics workspace;
- the CanNotDelete locks when its lifecycle is ``protect_lock``: on the instance, or on the children
  its build reports as holding the data (protection itself is in the options the build received);
- the RBAC scope registration of the instance (and of the extra scopes it declares), and of its
  system-assigned identity as a principal when its build reports one.

:meth:`ServiceSite.check_complete` then proves every planned instance was built with every planned
endpoint and diagnostic setting, and names the service when one is missing.

Endpoint sets of projects and the datalake are parented to their resource; those of the common
environment's shared services to the shared services component, as they always have been (the
parent is part of every URN below it, so it stays).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import pulumi
from pulumi_azure_native import authorization, monitor

from aifactory.components.diagnostics import send_diagnostics
from aifactory.components.private_endpoints import PrivateEndpointSet, PrivateEndpointSetArgs
from aifactory.components.protection import lock
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.model import scope_key
from aifactory.plan.services import PlannedService
from aifactory.services.context import ProjectResources, ServiceContext
from aifactory.services.model import Built, ServiceDeclaration
from aifactory.services.registry import ServiceKey, settings_of

__all__ = ["Deployed", "ServiceSite", "workload_subnets"]

B = TypeVar("B", bound=Built[Any])


def workload_subnets(subnet_ids: Mapping[str, pulumi.Input[str]], workload: str) -> dict[str, pulumi.Input[str]]:
    """One workload's subnets by key (``private_endpoints``), from the network's ``<workload>/<key>`` ids."""
    prefix = f"{workload}/"
    return {key.removeprefix(prefix): subnet_id for key, subnet_id in subnet_ids.items() if key.startswith(prefix)}


@dataclass(frozen=True)
class Deployed(Generic[B]):
    """An instance as the site built it: what its build returned and what the site added."""

    service: PlannedService
    built: B
    endpoints: PrivateEndpointSet | None
    diagnostics: tuple[monitor.DiagnosticSetting, ...]
    locks: tuple[authorization.ManagementLockByScope, ...]

    @property
    def resource(self) -> pulumi.CustomResource:
        resource: pulumi.CustomResource = self.built.resource
        return resource


class ServiceSite:
    """Builds a workload's instances and applies their shared concerns (see the module docstring).

    ``subnet_ids`` are the workload's subnets by key; ``workspace_id`` is the Log Analytics workspace
    (None only for the common site before it has built the workspace, whose own audit goes to itself).
    """

    def __init__(
        self,
        *,
        plan: FactoryPlan,
        parent: pulumi.Resource,
        resource_group_name: pulumi.Input[str],
        tags: Mapping[str, str],
        subscription_id: str,
        subnet_ids: Mapping[str, pulumi.Input[str]],
        zone_ids: Mapping[str, pulumi.Input[str]],
        workspace_id: pulumi.Input[str] | None,
        vnet_id: pulumi.Input[str] | None = None,
        project: ProjectResources | None = None,
        endpoints_moved_from_site: bool = False,
    ) -> None:
        self.plan = plan
        self.parent = parent
        self.resource_group_name = resource_group_name
        self.tags = dict(tags)
        self.subscription_id = subscription_id
        self.subnet_ids = dict(subnet_ids)
        self.zone_ids = zone_ids
        self.workspace_id = workspace_id
        self.vnet_id = vnet_id
        self.project = project
        self.endpoints_moved_from_site = endpoints_moved_from_site
        self.deployed: dict[ServiceKey, Deployed[Any]] = {}
        self.scopes: dict[str, pulumi.Input[str]] = {}
        self.principals: dict[str, pulumi.Input[str]] = {}

    def send_diagnostics_to(self, workspace_id: pulumi.Input[str]) -> None:
        """Later instances send their diagnostics to ``workspace_id`` (the common site, once it has built it)."""
        self.workspace_id = workspace_id

    def with_project(self, project: ProjectResources) -> None:
        """Later instances see ``project`` (e.g. with the identity's role assignments made in between)."""
        self.project = project

    def deploy(self, service: PlannedService, parent: pulumi.Resource | None = None) -> Deployed[Any]:
        """Build ``service`` under ``parent`` (default: the site's component) and apply its shared concerns."""
        if service.key in self.deployed:
            msg = f"{service.workload}: {service.key} is built twice"
            raise RuntimeError(msg)
        declaration = service.declaration
        settings = settings_of(self.project.plan.spec, declaration) if self.project is not None else None
        context = ServiceContext(
            service=service,
            plan=self.plan,
            parent=parent or self.parent,
            resource_group_name=self.resource_group_name,
            tags=self.tags,
            subscription_id=self.subscription_id,
            subnet_ids=self.subnet_ids,
            vnet_id=self.vnet_id,
            deployed=dict(self.deployed),
            project=self.project,
        )
        built = declaration.build(context, settings)
        self._register_scopes(service, declaration, built)
        if built.system_principal is not None:
            self.principals[f"{service.workload}/system/{service.key}"] = built.system_principal
        deployed = Deployed(
            service=service,
            built=built,
            endpoints=self._endpoints(service, built.resource),
            diagnostics=self._diagnostics(service, declaration, built),
            locks=self._locks(service, built) if service.lock else (),
        )
        self.deployed[service.key] = deployed
        return deployed

    def get(self, declaration: ServiceDeclaration[Any, B], key: ServiceKey | None = None) -> Deployed[B] | None:
        """The deployed instance of ``declaration`` (by its key; default the service name), or None."""
        found = self.deployed.get(key or declaration.name)
        if found is not None and found.service.service != declaration.name:
            msg = f"{found.service.workload}: {key} is a {found.service.service}, not a {declaration.name}"
            raise TypeError(msg)
        return cast("Deployed[B] | None", found)

    def check_complete(self, services: Sequence[PlannedService]) -> None:
        """Every planned instance was built, with its planned endpoints and its diagnostic settings."""
        for service in services:
            deployed = self.deployed.get(service.key)
            where = f"{service.workload}: {service.service} ({service.key})"
            if deployed is None:
                msg = f"{where} is planned but was not built"
                raise RuntimeError(msg)
            planned_groups = set(service.endpoints.group_ids) if service.endpoints else set()
            built_groups = set(deployed.endpoints.endpoints) if deployed.endpoints else set()
            if planned_groups != built_groups:
                msg = f"{where}: planned private endpoints {sorted(planned_groups)}, built {sorted(built_groups)}"
                raise RuntimeError(msg)
            profiles = (service.diagnostics, *service.declaration.child_diagnostics.values())
            expected = sum(profile.setting_count for profile in profiles)
            if len(deployed.diagnostics) != expected:
                msg = f"{where}: {expected} diagnostic settings planned, {len(deployed.diagnostics)} created"
                raise RuntimeError(msg)

    # --- the shared concerns ------------------------------------------------------------------

    def _register_scopes(
        self, service: PlannedService, declaration: ServiceDeclaration[Any, Any], built: Built[Any]
    ) -> None:
        # A declared scope may come with its family: ``ai_foundry_project/<name>`` for further Foundry projects.
        declared = set(declaration.extra_scopes)
        families = tuple(f"{scope}/" for scope in declared)
        if not declared <= set(built.scopes) or any(
            key not in declared and not key.startswith(families) for key in built.scopes
        ):
            msg = (
                f"{service.workload}: {service.service} declares the scopes {sorted(declaration.extra_scopes)} "
                f"but its build returned {sorted(built.scopes)}"
            )
            raise RuntimeError(msg)
        self.scopes[service.scope_keys[0]] = built.resource.id
        for name, resource_id in built.scopes.items():
            self.scopes[scope_key(service.workload, name)] = resource_id

    def _locks(self, service: PlannedService, built: Built[Any]) -> tuple[authorization.ManagementLockByScope, ...]:
        protect = service.lock_protected
        if built.data is None:
            return (lock(service.attachment_name, built.resource, service.azure_name, protect=protect),)
        return tuple(
            lock(f"{service.attachment_name}-{label}", child, f"{service.azure_name}-{label}", protect=protect)
            for label, child in sorted(built.data.items())
        )

    def _endpoints(self, service: PlannedService, resource: pulumi.CustomResource) -> PrivateEndpointSet | None:
        planned = service.endpoints
        if planned is None:
            return None
        # Every endpoint set is a child of the resource it serves (the guardrails link them through the
        # URN parent chain). Sets that were once children of the site keep their state through aliases.
        return PrivateEndpointSet(
            planned.logical_name,
            PrivateEndpointSetArgs(
                target_id=resource.id,
                target_name=service.azure_name,
                kind=planned.kind,
                group_ids=planned.group_ids,
                subnet_id=self.subnet_ids["private_endpoints"],
                resource_group_name=self.resource_group_name,
                location=self.plan.stack.location,
                dns=self.plan.dns,
                zone_ids=self.zone_ids,
                tags=self.tags,
                moved_from=self.parent if self.endpoints_moved_from_site else None,
            ),
            pulumi.ResourceOptions(parent=resource),
        )

    def _diagnostics(
        self, service: PlannedService, declaration: ServiceDeclaration[Any, Any], built: Built[Any]
    ) -> tuple[monitor.DiagnosticSetting, ...]:
        if set(built.children) != set(declaration.child_diagnostics):
            declared, built_children = sorted(declaration.child_diagnostics), sorted(built.children)
            msg = f"{service.workload}: {service.service} declares diagnostics for {declared}, built {built_children}"
            raise RuntimeError(msg)
        workspace = self.workspace_id
        if workspace is None:
            if service.service != "log_analytics":
                msg = f"{service.workload}: no Log Analytics workspace for the diagnostics of {service.service}"
                raise RuntimeError(msg)
            workspace = built.resource.id  # the workspace's own audit (who queried what) goes to itself
        settings = send_diagnostics(service.attachment_name, built.resource, service.diagnostics, workspace)
        for label, profile in declaration.child_diagnostics.items():
            settings.extend(
                send_diagnostics(f"{service.attachment_name}-{label}", built.children[label], profile, workspace)
            )
        return tuple(settings)
