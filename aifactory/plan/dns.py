"""Private DNS decisions: which zones exist, where, and which zone group each endpoint gets.

- ``standalone``: the factory creates every zone its endpoints need, linked to every factory VNet;
- ``hub``: zones already exist in the hub's subscription and resource group; nothing is created;
- ``hub`` + ``policy_managed_dns``: endpoints get no zone group; a central Azure Policy writes the
  records.

``zone_overrides`` point single zones at existing zones in any mode.

Private AKS clusters resolve their API server through a private zone AKS manages itself
(``privateDNSZone: system``, created in the node resource group and linked to the cluster's VNet).
That only works where the VNet uses Azure-provided DNS: with custom DNS servers (the hub's
resolver) or in hub mode the cluster does not come up. Microsoft's supported alternatives there
("Create a private AKS cluster", hub and spoke with custom DNS) are a custom zone - for which the
cluster identity needs Network Contributor on the spoke VNet, because AKS links the zone to it - or
public DNS only (``privateDNSZone: none`` with the public FQDN on). The factory's spoke VNets are
shards shared by up to 64 projects, so Network Contributor there would let one project reconfigure
every other project's subnets; the factory therefore uses ``none``: the API server stays private
(only its private IP is published in Azure's public DNS), no shared scope is granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from aifactory.catalog.dns_zones import GroupId, PrivateLinkKind, zone_name, zones_for
from aifactory.config.stack import DnsMode, StackConfig
from aifactory.plan.endpoints import PlannedEndpoint

__all__ = ["AksPrivateDns", "DnsPlan", "plan_dns"]

AksPrivateDns = Literal["system", "none"]


@dataclass(frozen=True)
class DnsPlan:
    """Zones to create, zones that already exist (by id), and whether endpoints get zone groups."""

    mode: DnsMode
    policy_managed: bool
    region: str
    zones_to_create: tuple[str, ...]
    existing_zone_ids: Mapping[str, str] = field(default_factory=dict)
    aks_private_dns: AksPrivateDns = "system"

    @property
    def zone_groups(self) -> bool:
        """Endpoints get DNS zone groups unless a central policy owns the records."""
        return not self.policy_managed

    def zones_for(self, kind: PrivateLinkKind, group_id: GroupId) -> tuple[str, ...]:
        """Concrete zone names an endpoint of ``kind``/``group_id`` registers in."""
        return tuple(zone_name(z, self.region) for z in zones_for(kind, group_id))


def plan_dns(stack: StackConfig, endpoints: Iterable[PlannedEndpoint]) -> DnsPlan:
    """The DNS plan for the environment's endpoints (common and every project's)."""
    region = stack.location
    needed = sorted(
        {
            zone_name(zone, region)
            for endpoint in endpoints
            for group in endpoint.group_ids
            for zone in zones_for(endpoint.kind, group)
        }
    )
    overrides = dict(stack.dns.zone_overrides)
    existing: dict[str, str] = {}
    to_create: list[str] = []
    for zone in needed:
        if zone in overrides:
            existing[zone] = overrides[zone]
        elif stack.dns.mode == "hub":
            if stack.dns.hub is not None:
                existing[zone] = (
                    f"/subscriptions/{stack.dns.hub.subscription_id}/resourceGroups/{stack.dns.hub.resource_group}"
                    f"/providers/Microsoft.Network/privateDnsZones/{zone}"
                )
        else:
            to_create.append(zone)
    custom_dns = stack.dns.mode == "hub" or bool(stack.network.dns_servers)
    return DnsPlan(
        mode=stack.dns.mode,
        policy_managed=stack.dns.policy_managed_dns,
        region=region,
        zones_to_create=tuple(to_create),
        existing_zone_ids=existing,
        aks_private_dns="none" if custom_dns else "system",
    )
