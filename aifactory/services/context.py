"""What the site building a service offers the service's ``build`` function.

The site (a project's baseline, or the common environment's shared services and datalake)
creates one :class:`ServiceContext` per instance it builds. The context carries the instance's
plan (names, lifecycle), where it goes (parent, resource group, tags, subnets) and what it may
use (the instances the workload built before it; for projects, the identity and the other
baseline resources), so a build function needs nothing else and decides nothing the plan has not.

Pulumi types appear here only in annotations; this module is imported without the SDK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pulumi

    from aifactory.catalog.naming_rules import ResourceKind
    from aifactory.components.identity import ProjectIdentity
    from aifactory.components.interfaces import CommonOutputs
    from aifactory.components.service_site import Deployed
    from aifactory.config.stack import StackConfig
    from aifactory.plan.factory import FactoryPlan, ProjectPlan
    from aifactory.plan.public_access import PublicAccess
    from aifactory.plan.services import PlannedService
    from aifactory.services.model import Placement
    from aifactory.services.registry import ServiceKey

__all__ = ["ProjectResources", "ServiceContext"]


@dataclass(frozen=True)
class ProjectResources:
    """What a project's services may use besides each other.

    ``identity_ready`` are the role assignments the baseline made for the project identity before
    the type's services: services that check their identity's access when they are created (an ML
    workspace, AKS) wait for them. ``app_insights_connection_string`` is what apps send telemetry to
    (with Entra ID: the component's local auth is off).
    """

    plan: ProjectPlan
    identity: ProjectIdentity
    common: CommonOutputs
    principals: Mapping[str, pulumi.Input[str]]
    app_insights_id: pulumi.Output[str]
    identity_ready: Sequence[pulumi.Resource] = ()
    app_insights_connection_string: pulumi.Input[str] | None = None


@dataclass(frozen=True)
class ServiceContext:
    """One instance being built: its plan, where it goes and what it may use (see the module docstring)."""

    service: PlannedService
    plan: FactoryPlan
    parent: pulumi.Resource
    resource_group_name: pulumi.Input[str]
    tags: Mapping[str, str]
    subscription_id: str
    subnet_ids: Mapping[str, pulumi.Input[str]]
    vnet_id: pulumi.Input[str] | None = None
    deployed: Mapping[ServiceKey, Deployed[Any]] = field(default_factory=dict)
    project: ProjectResources | None = None

    @property
    def stack(self) -> StackConfig:
        return self.plan.stack

    @property
    def location(self) -> str:
        return self.plan.stack.location

    @property
    def workload(self) -> str:
        """``common`` or the project key (``p007``): the prefix of the instance's children's logical names."""
        return self.service.workload

    @property
    def placement(self) -> Placement:
        return self.service.placement

    @property
    def public_access(self) -> PublicAccess:
        """The project's public exception (``network.allow_ips``); the common environment has none."""
        from aifactory.plan.public_access import PublicAccess

        return self.project.plan.public_access if self.project is not None else PublicAccess()

    def access_args(self) -> dict[str, Any]:
        """The service's public network access arguments, from its declaration and the workload's exception."""
        ip_firewall = self.service.declaration.ip_firewall
        if ip_firewall is None:
            msg = f"{self.service.service} has no IP firewall; it sets its own (private) network access"
            raise RuntimeError(msg)
        return ip_firewall(self.public_access)

    def options(self, **extra: Any) -> pulumi.ResourceOptions:
        """Options of the instance's resource: parented to the site, protected as its lifecycle says."""
        return self.protected(self.parent, **extra)

    def protected(self, parent: pulumi.Resource, **extra: Any) -> pulumi.ResourceOptions:
        """Options of an intrinsic child that holds state like the instance does (protected with it)."""
        import pulumi

        return pulumi.ResourceOptions(parent=parent, protect=self.service.protect, **extra)

    def name(self, kind: ResourceKind, qualifier: str = "") -> str:
        """The Azure name of one of the workload's resources of ``kind`` (intrinsic children)."""
        if self.project is None:
            return self.plan.namer.common(kind, qualifier)
        spec = self.project.plan.spec
        return self.plan.namer.project(kind, spec.id, spec.name, qualifier)

    def subnet_id(self, key: str) -> pulumi.Input[str]:
        """The id of one of the workload's subnets (``private_endpoints``, ``compute``, ``agents``, ...)."""
        if key not in self.subnet_ids:
            msg = f"{self.workload}: {self.service.service} needs the {key} subnet, which the IP plan did not create"
            raise KeyError(msg)
        return self.subnet_ids[key]

    def id_of(self, key: ServiceKey) -> pulumi.Output[str]:
        """The resource id of an instance the workload built before this one."""
        if key not in self.deployed:
            msg = f"{self.workload}: {self.service.service} needs {key}, which is not built yet"
            raise KeyError(msg)
        return self.deployed[key].resource.id

    def require_project(self) -> ProjectResources:
        """The project's resources; only project instances have them (a programming error otherwise)."""
        if self.project is None:
            msg = f"{self.service.service} in {self.workload} needs project resources; it is built in a project only"
            raise RuntimeError(msg)
        return self.project

    @property
    def container_registry_id(self) -> pulumi.Input[str]:
        """The project's registry: its own when it has one, else the environment's shared registry."""
        if "container_registry" in self.deployed:
            return self.id_of("container_registry")
        return self.require_project().common.container_registry_id
