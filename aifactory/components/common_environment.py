"""CommonEnvironment: the environment's shared part, in dependency order.

Network (VNets, subnets, NSGs, peering) -> private DNS -> shared services (Log Analytics, Key
Vault, registry, Bastion, jump host, Data Factory) -> the network's diagnostic settings (VNets and
NSGs, once the workspace exists) -> common identities (lake traverse group) -> datalake -> the core
team's role assignments -> the Defender for Cloud plans of every subscription of the stack (when
``aifactory:defender`` turns any on). Projects receive :class:`CommonOutputs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from aifactory.components.base import FactoryComponent
from aifactory.components.datalake import DataLake, DataLakeArgs
from aifactory.components.defender import DefenderPlans, DefenderPlansArgs
from aifactory.components.diagnostics import send_diagnostics
from aifactory.components.identity import CommonIdentity, CommonIdentityArgs
from aifactory.components.interfaces import CommonOutputs, ProviderLookup
from aifactory.components.network.common_network import CommonNetwork, CommonNetworkArgs
from aifactory.components.network.private_dns import PrivateDns, PrivateDnsArgs
from aifactory.components.role_assignments import assign_roles
from aifactory.components.shared_services import SharedServices, SharedServicesArgs
from aifactory.plan.defender import plan_defender
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.rbac.model import scope_key

__all__ = ["CommonEnvironment", "CommonEnvironmentArgs"]


@dataclass(frozen=True)
class CommonEnvironmentArgs:
    """The environment's plan, the provider for each subscription and the lake's data-plane provider."""

    plan: FactoryPlan
    providers: ProviderLookup
    dataplane_provider: pulumi.ProviderResource


class CommonEnvironment(FactoryComponent):
    """Everything an environment shares, exposed to projects as :attr:`outputs`."""

    def __init__(self, name: str, args: CommonEnvironmentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:index:CommonEnvironment", name, opts)
        plan = args.plan
        network = CommonNetwork("network", CommonNetworkArgs(plan=plan, providers=args.providers), self.child_opts())
        dns = PrivateDns(
            "dns",
            PrivateDnsArgs(plan=plan, resource_group_name=network.resource_group_name, vnet_ids=network.vnet_ids),
            self.child_opts(),
        )
        services = SharedServices(
            "shared",
            SharedServicesArgs(
                plan=plan,
                resource_group_name=network.resource_group_name,
                subnet_ids=network.subnet_ids,
                zone_ids=dns.zone_ids,
                vnet_ids=network.vnet_ids,
            ),
            self.child_opts(),
        )
        identity = CommonIdentity("identity", CommonIdentityArgs(plan=plan), self.child_opts())
        lake = DataLake(
            "datalake",
            DataLakeArgs(
                plan=plan,
                resource_group_name=network.resource_group_name,
                private_endpoint_subnet_id=network.subnet_ids["common/private_endpoints"],
                zone_ids=dns.zone_ids,
                log_analytics_workspace_id=services.log_analytics_workspace_id,
                principals=identity.principals,
                dataplane_provider=args.dataplane_provider,
            ),
            self.child_opts(),
        )
        for diagnosed in network.diagnosed:
            send_diagnostics(
                diagnosed.logical_name, diagnosed.resource, diagnosed.profile, services.log_analytics_workspace_id
            )
        scopes: dict[str, pulumi.Input[str]] = {
            scope_key("common", "resource_group"): network.resource_group_id,
            **{scope_key("common", f"network/{key}"): vnet_id for key, vnet_id in network.vnet_ids.items()},
            **services.site.scopes,
            **lake.scopes,
        }
        assign_roles(self, plan.access.common_assignments, principals=identity.principals, scopes=scopes)
        defender = plan_defender(plan.stack)
        if defender:
            DefenderPlans("defender", DefenderPlansArgs(plans=defender, providers=args.providers), self.child_opts())
        self.outputs = CommonOutputs(
            resource_group_name=network.resource_group_name,
            log_analytics_workspace_id=services.log_analytics_workspace_id,
            container_registry_id=services.container_registry_id,
            container_registry_name=services.container_registry_name,
            key_vault_id=services.key_vault_id,
            lake=lake.ref,
            subnet_ids=network.subnet_ids,
            vnet_ids=network.vnet_ids,
            zone_ids=dns.zone_ids,
            scopes=scopes,
            principals=identity.principals,
        )
        self.exports: dict[str, Any] = {
            "common_resource_group": network.resource_group_name,
            "vnet_ids": network.vnet_ids,
            "subnet_ids": network.subnet_ids,
            "private_dns_zone_ids": dns.zone_ids,
            "log_analytics_workspace_id": services.log_analytics_workspace_id,
            "container_registry_id": services.container_registry_id,
            "key_vault_id": services.key_vault_id,
            "datalake_id": lake.account_id,
        }
        self.register_outputs({"resource_group_name": network.resource_group_name})
