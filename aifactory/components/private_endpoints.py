"""PrivateEndpointSet: the one way any resource gets private endpoints (the service sites create them).

Given the target resource, its private link kind and group ids, it creates one private endpoint
per group id in the given subnet, with stable names and a custom NIC name, and - unless a central
policy owns DNS - a DNS zone group with exactly the zones that group id needs.

A set that moved (``moved_from``: the parent it had before) keeps its state and that of every
resource in it: each aliases the URN it had under the old parent, explicitly. The engine would
derive the children's aliases from the set's, but the SDK's own resolution (for engines without
alias specs) stops at the set's direct children, and explicit aliases are what an offline run can
observe (:attr:`aifactory.offline.mocks.RecordedResource.aliases`).
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

_ENDPOINT = "azure-native:network:PrivateEndpoint"
_ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"


def _previous_urn(
    name: str, type_token: str, previous_parent: pulumi.Resource | pulumi.Output[str] | None
) -> pulumi.Output[str] | None:
    """The URN ``name`` had under its previous parent (None: its parent never moved)."""
    return pulumi.create_urn(name, type_token, parent=previous_parent) if previous_parent is not None else None


def _aliases(previous: pulumi.Output[str] | None) -> list[pulumi.Input[str | pulumi.Alias]] | None:
    return [previous] if previous is not None else None


@dataclass(frozen=True)
class PrivateEndpointSetArgs:
    """Inputs of a :class:`PrivateEndpointSet`.

    ``zone_ids`` maps concrete zone names to zone resource ids (created in standalone mode,
    existing in hub mode); it is not read when the DNS plan has no zone groups. ``moved_from`` is the
    parent the set had in stacks deployed before it moved under its target (see the module docstring).
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
    moved_from: pulumi.Resource | None = None


class PrivateEndpointSet(FactoryComponent):
    """Private endpoints (and their DNS zone groups) for one target resource."""

    endpoints: dict[GroupId, network.PrivateEndpoint]
    zone_groups: dict[GroupId, network.PrivateDnsZoneGroup]

    def __init__(self, name: str, args: PrivateEndpointSetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        type_token = "aifactory:network:PrivateEndpointSet"
        # The URNs the set and its children had under the set's previous parent (None: it never moved).
        previous = _previous_urn(name, type_token, args.moved_from)
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=_aliases(previous)))
        super().__init__(type_token, name, opts)
        self.endpoints = {}
        self.zone_groups = {}
        for group in args.group_ids:
            zones = args.dns.zones_for(args.kind, group)
            endpoint_name = child_name("private_endpoint", args.target_name, group)
            endpoint_logical = f"{name}-{group}"
            previous_endpoint = _previous_urn(endpoint_logical, _ENDPOINT, previous)
            endpoint = network.PrivateEndpoint(
                endpoint_logical,
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
                opts=self.child_opts(aliases=_aliases(previous_endpoint)),
            )
            self.endpoints[group] = endpoint
            if args.dns.zone_groups:
                zone_group_logical = f"{name}-{group}-dns"
                previous_zone_group = _previous_urn(zone_group_logical, _ZONE_GROUP, previous_endpoint)
                self.zone_groups[group] = network.PrivateDnsZoneGroup(
                    zone_group_logical,
                    private_dns_zone_group_name="default",
                    private_endpoint_name=endpoint_name,
                    resource_group_name=args.resource_group_name,
                    private_dns_zone_configs=[
                        network.PrivateDnsZoneConfigArgs(
                            name=zone.replace(".", "-"), private_dns_zone_id=args.zone_ids[zone]
                        )
                        for zone in zones
                    ],
                    opts=pulumi.ResourceOptions(
                        parent=endpoint, depends_on=[endpoint], aliases=_aliases(previous_zone_group)
                    ),
                )
        self.register_outputs({group: e.id for group, e in self.endpoints.items()})
