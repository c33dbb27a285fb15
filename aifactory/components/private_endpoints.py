"""PrivateEndpointSet: the one way any resource gets private endpoints (the service sites create them).

Given the target resource, its private link kind and group ids, it creates one private endpoint
per group id in the given subnet, with stable names and a custom NIC name, and - unless a central
policy owns DNS - a DNS zone group with exactly the zones that group id needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import network

from aifactory.catalog.dns_zones import GroupId, PrivateLinkKind
from aifactory.components.base import FactoryComponent
from aifactory.plan.dns import DnsPlan
from aifactory.plan.naming import child_name

__all__ = ["PrivateEndpointSet", "PrivateEndpointSetArgs"]


@dataclass(frozen=True)
class PrivateEndpointSetArgs:
    """Inputs of a :class:`PrivateEndpointSet`.

    ``zone_ids`` maps concrete zone names to zone resource ids (created in standalone mode,
    existing in hub mode); it is not read when the DNS plan has no zone groups.
    """

    target_id: pulumi.Input[str]
    target_name: str
    kind: PrivateLinkKind
    group_ids: Sequence[GroupId]
    subnet_id: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    location: str
    dns: DnsPlan
    zone_ids: Mapping[str, pulumi.Input[str]]
    tags: Mapping[str, str] = field(default_factory=dict)


class PrivateEndpointSet(FactoryComponent):
    """Private endpoints (and their DNS zone groups) for one target resource."""

    endpoints: dict[GroupId, network.PrivateEndpoint]
    zone_groups: dict[GroupId, network.PrivateDnsZoneGroup]

    def __init__(self, name: str, args: PrivateEndpointSetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:network:PrivateEndpointSet", name, opts)
        self.endpoints = {}
        self.zone_groups = {}
        for group in args.group_ids:
            zones = args.dns.zones_for(args.kind, group)
            endpoint_name = child_name("private_endpoint", args.target_name, group)
            endpoint = network.PrivateEndpoint(
                f"{name}-{group}",
                private_endpoint_name=endpoint_name,
                custom_network_interface_name=child_name("network_interface", endpoint_name),
                resource_group_name=args.resource_group_name,
                location=args.location,
                subnet=network.SubnetArgs(id=args.subnet_id),
                private_link_service_connections=[
                    network.PrivateLinkServiceConnectionArgs(
                        name=endpoint_name,
                        private_link_service_id=args.target_id,
                        group_ids=[group],
                    )
                ],
                tags=dict(args.tags),
                opts=self.child_opts(),
            )
            self.endpoints[group] = endpoint
            if args.dns.zone_groups:
                self.zone_groups[group] = network.PrivateDnsZoneGroup(
                    f"{name}-{group}-dns",
                    private_dns_zone_group_name="default",
                    private_endpoint_name=endpoint_name,
                    resource_group_name=args.resource_group_name,
                    private_dns_zone_configs=[
                        network.PrivateDnsZoneConfigArgs(
                            name=zone.replace(".", "-"), private_dns_zone_id=args.zone_ids[zone]
                        )
                        for zone in zones
                    ],
                    opts=pulumi.ResourceOptions(parent=endpoint, depends_on=[endpoint]),
                )
        self.register_outputs({group: e.id for group, e in self.endpoints.items()})
