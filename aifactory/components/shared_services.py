"""SharedServices: what every project of the environment uses, all private and keyless.

The common environment's instances of the declared services (:mod:`aifactory.services`), as the
plan lists them (``FactoryPlan.common_services``), built on the common site, which applies their
private endpoints (in ``common/private_endpoints``), diagnostics, protection, locks and scopes:

- the Log Analytics workspace (Entra-only access); every service of the factory sends its
  diagnostics there, the workspace's own audit included;
- the core team's Key Vault and the shared Container Registry;
- optional Azure Bastion with its public IP, the Linux jump host, and the common Data Factory;
- when any project uses Databricks, the environment's Databricks web-auth workspace, which serves
  browser sign-in for every workspace of the region.

The datalake - the common storage account - is built by :class:`~aifactory.components.datalake.DataLake`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi

from aifactory.components.base import FactoryComponent
from aifactory.components.service_site import ServiceSite, workload_subnets
from aifactory.plan.factory import FactoryPlan
from aifactory.services.storage import DATALAKE

__all__ = ["SharedServices", "SharedServicesArgs"]


@dataclass(frozen=True)
class SharedServicesArgs:
    """The plan, the common resource group, the subnets and the private DNS zone ids."""

    plan: FactoryPlan
    resource_group_name: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]
    zone_ids: Mapping[str, pulumi.Input[str]]
    vnet_ids: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class SharedServices(FactoryComponent):
    """The environment's shared services (see the module docstring).

    ``site`` holds every instance it built (``site.deployed``) and their RBAC scopes (``site.scopes``).
    """

    log_analytics_workspace_id: pulumi.Output[str]
    key_vault_id: pulumi.Output[str]
    container_registry_id: pulumi.Output[str]
    container_registry_name: str
    data_factory_id: pulumi.Output[str] | None

    def __init__(self, name: str, args: SharedServicesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:shared:SharedServices", name, opts)
        plan = args.plan
        self.site = ServiceSite(
            plan=plan,
            parent=self,
            resource_group_name=args.resource_group_name,
            tags=plan.common_tags,
            subscription_id=plan.stack.subscription_id,
            subnet_ids=workload_subnets(args.subnet_ids, "common"),
            zone_ids=args.zone_ids,
            workspace_id=None,
            vnet_id=args.vnet_ids.get("common"),
            # The shared Key Vault's, registry's and web-auth workspace's endpoint sets were children of
            # this component before they moved under their resources.
            endpoints_moved_from_site=True,
        )
        # The workspace first: it receives every other service's diagnostics (and its own).
        workspace = self.site.deploy(plan.common_service("log_analytics"))
        self.site.send_diagnostics_to(workspace.resource.id)
        services = [s for s in plan.common_services if s.key != DATALAKE]
        for service in services:
            if service.key != "log_analytics":
                self.site.deploy(service)
        self.site.check_complete(services)
        deployed = self.site.deployed
        self.log_analytics_workspace_id = deployed["log_analytics"].resource.id
        self.key_vault_id = deployed["key_vault"].resource.id
        self.container_registry_id = deployed["container_registry"].resource.id
        self.container_registry_name = plan.common_service("container_registry").azure_name
        factory = deployed.get("data_factory")
        self.data_factory_id = factory.resource.id if factory is not None else None
        self.register_outputs(
            {
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "key_vault_id": self.key_vault_id,
                "container_registry_id": self.container_registry_id,
            }
        )
