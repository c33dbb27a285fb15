"""PrivateDns: the privatelink zones the environment's private endpoints register in.

- ``standalone``: creates every zone of ``DnsPlan.zones_to_create`` (location ``global``) in the
  common resource group, linked to every factory VNet (no auto-registration; ``NxDomainRedirect``
  so names without a private record, e.g. another tenant's storage account, still resolve publicly);
- ``hub``: creates nothing; the zones live in the hub and the hub's DNS serves the factory VNets;
- policy-managed: nothing either, and ``PrivateEndpointSet`` makes no zone groups.

:attr:`zone_ids` maps every zone name an endpoint may need to its id: the zones created here plus
``DnsPlan.existing_zone_ids`` (hub zones and per-zone overrides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import privatedns

from aifactory.components.base import FactoryComponent
from aifactory.components.network.common_network import vnet_name
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.naming import child_name

__all__ = ["PrivateDns", "PrivateDnsArgs"]


@dataclass(frozen=True)
class PrivateDnsArgs:
    """The plan, the resource group for created zones, and the VNets to link (by VNet plan key)."""

    plan: FactoryPlan
    resource_group_name: pulumi.Input[str]
    vnet_ids: Mapping[str, pulumi.Input[str]]


class PrivateDns(FactoryComponent):
    """Private DNS zones (standalone mode) and the zone ids every private endpoint resolves against."""

    zone_ids: dict[str, pulumi.Input[str]]
    zones: dict[str, privatedns.PrivateZone]

    def __init__(self, name: str, args: PrivateDnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:network:PrivateDns", name, opts)
        plan = args.plan
        tags = dict(plan.common_tags)
        self.zones = {}
        self.zone_ids = dict(plan.dns.existing_zone_ids)
        zones_to_create = plan.dns.zones_to_create if plan.dns.mode == "standalone" else ()
        for zone_name in zones_to_create:
            zone = privatedns.PrivateZone(
                f"common-pdz-{zone_name}",
                private_zone_name=zone_name,
                resource_group_name=args.resource_group_name,
                location="global",
                tags=tags,
                opts=self.child_opts(),
            )
            for vnet_key, vnet_id in args.vnet_ids.items():
                privatedns.VirtualNetworkLink(
                    f"common-pdz-{zone_name}-{vnet_key}",
                    virtual_network_link_name=child_name("private_dns_link", vnet_name(plan.namer, vnet_key)),
                    private_zone_name=zone.name,
                    resource_group_name=args.resource_group_name,
                    location="global",
                    virtual_network=privatedns.SubResourceArgs(id=vnet_id),
                    registration_enabled=False,
                    resolution_policy=privatedns.ResolutionPolicy.NX_DOMAIN_REDIRECT,
                    tags=tags,
                    opts=pulumi.ResourceOptions(parent=zone),
                )
            self.zones[zone_name] = zone
            self.zone_ids[zone_name] = zone.id
        self.register_outputs({"zone_ids": self.zone_ids})
