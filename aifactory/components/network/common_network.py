"""CommonNetwork: the environment's resource groups, VNets, subnets, NSGs, peerings and routes.

Everything comes from the IP plan and the NSG plan (both part of the factory plan, so ``aifactory
validate`` checks them too); this component only turns them into resources:

- the common resource group, and a network resource group in every *other* subscription that holds
  a project VNet (scale sets); each VNet, NSG and route table lives in its VNet's subscription;
- the common VNet and one VNet per shard, with separate ``Subnet`` resources (the VNets declare no
  inline subnets and ignore them, so the two models never fight);
- every needed subnet (common and project) with its delegation and NSG; the subnets of one VNet are
  written one after another, then its peerings, because Azure serialises writes to a VNet's children
  ("AnotherOperationInProgress" otherwise);
- peering shard <-> common (both sides are ours), optional spoke-side peering of every VNet to the
  hub, and with a hub firewall a route table per subscription sending 0.0.0.0/0 to it from every
  subnet except AzureBastionSubnet (Azure does not support routes there).

VNets and subnets the network team brings (``existing_id`` in the IP plan, from
``aifactory:network.existing``) are used by id and never created: no VNet, subnet, NSG, route table
or peering is made for or inside them. A VNet the factory creates still peers with a brought one
(its own side only; the brought VNet's side belongs to the network team).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import netaddr
import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import network, resources

from aifactory.catalog.diagnostics import NETWORK_SECURITY_GROUP, VIRTUAL_NETWORK, DiagnosticProfile
from aifactory.components.base import FactoryComponent
from aifactory.components.interfaces import ProviderLookup
from aifactory.config.existing_network import parent_vnet_id, vnet_parts
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.ipam import PlannedSubnet, PlannedVnet
from aifactory.plan.ipam.existing import ObservedSubnet, subnet_findings, vnet_findings
from aifactory.plan.naming import Namer, child_name
from aifactory.plan.nsg import PlannedNsg, SecurityRule

__all__ = [
    "CommonNetwork",
    "CommonNetworkArgs",
    "Diagnosed",
    "security_rule_properties",
    "vnet_logical_name",
    "vnet_name",
]

_NO_ROUTE_TABLE = frozenset({"AzureBastionSubnet"})
_PRIVATE_ENDPOINT_SUBNET = "private_endpoints"


def vnet_logical_name(vnet_key: str) -> str:
    """Pulumi logical name of a factory VNet by its plan key."""
    return "common-vnet" if vnet_key == "common" else f"common-vnet-{vnet_key}"


def vnet_name(namer: Namer, vnet_key: str) -> str:
    """Azure name of a factory VNet by its plan key: ``common`` or a shard such as ``shard-01``."""
    return namer.common("virtual_network") if vnet_key == "common" else namer.common("virtual_network", vnet_key)


def security_rule_properties(rule: SecurityRule) -> dict[str, Any]:
    """A planned rule as provider arguments: the singular field for one value, the list field for many."""
    properties: dict[str, Any] = {
        "priority": rule.priority,
        "direction": rule.direction,
        "access": rule.access,
        "protocol": rule.protocol,
        "source_port_range": "*",
    }
    if rule.description:
        properties["description"] = rule.description
    for single, plural, values in (
        ("source_address_prefix", "source_address_prefixes", rule.sources),
        ("destination_address_prefix", "destination_address_prefixes", rule.destinations),
        ("destination_port_range", "destination_port_ranges", rule.ports),
    ):
        if len(values) == 1:
            properties[single] = values[0]
        else:
            properties[plural] = list(values)
    return properties


@dataclass(frozen=True)
class Diagnosed:
    """A network resource and what its diagnostic setting (``<logical name>-diag``) sends."""

    logical_name: str
    resource: pulumi.CustomResource
    profile: DiagnosticProfile


@dataclass(frozen=True)
class CommonNetworkArgs:
    """The environment's plan and the azure-native provider of each subscription."""

    plan: FactoryPlan
    providers: ProviderLookup


@dataclass(frozen=True)
class _Site:
    """Where one subscription's network resources go."""

    resource_group_name: pulumi.Output[str]
    provider: azure_native.Provider
    route_table_id: pulumi.Output[str] | None


@dataclass(frozen=True)
class _SubnetSpec:
    vnet_key: str
    workload: str
    subnet: PlannedSubnet
    tags: dict[str, str]


class CommonNetwork(FactoryComponent):
    """The environment's network; projects only consume :attr:`subnet_ids`.

    ``vnet_ids`` is keyed by VNet plan key (``common``, ``shard-01``...) and resolves once the VNet's
    subnets and peerings are written; ``subnet_ids`` is keyed by ``common/<subnet key>`` and
    ``<project key>/<subnet key>`` for every needed subnet. ``diagnosed`` lists every VNet and NSG with
    its diagnostics profile: the network exists before the Log Analytics workspace, so the common
    environment gives them their diagnostic settings once the workspace does.
    """

    resource_group_name: pulumi.Output[str]
    resource_group_id: pulumi.Output[str]
    vnet_ids: dict[str, pulumi.Output[str]]
    subnet_ids: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: CommonNetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aifactory:network:CommonNetwork", name, opts)
        plan = args.plan
        self._plan = plan
        self._provider_for = args.providers
        self._location = plan.stack.location
        self._tags = dict(plan.common_tags)
        self._last_write: dict[str, pulumi.CustomResource] = {}
        self._nsgs: dict[str, network.NetworkSecurityGroup] = {}
        self._nsg_logical_names: dict[str, network.NetworkSecurityGroup] = {}

        common_subscription = plan.stack.subscription_id
        group = resources.ResourceGroup(
            "common-rg",
            resource_group_name=plan.namer.common("resource_group"),
            location=self._location,
            tags=self._tags,
            opts=self._opts(common_subscription),
        )
        self.resource_group_name = group.name
        self.resource_group_id = group.id
        planned_vnets = plan.ip_plan.vnets
        # Only subscriptions with a VNet the factory creates get network resources of their own.
        created_in = {v.subscription_id for v in planned_vnets if v.existing_id is None}
        self._sites = {
            common_subscription: self._site(common_subscription, group.name, common_subscription in created_in)
        }
        for subscription in sorted(created_in - {common_subscription}):
            self._sites[subscription] = self._network_site(subscription)

        vnets = {planned.key: self._vnet(planned) for planned in planned_vnets if planned.existing_id is None}

        # Brought VNets and subnets are read from Azure; their ids resolve once all of them fit the plan.
        findings = [self._vnet_findings(planned) for planned in planned_vnets if planned.existing_id is not None]
        brought: dict[str, str] = {}
        self.subnet_ids = {}
        for spec in self._subnets_in_order():
            key = f"{spec.workload}/{spec.subnet.key}"
            if spec.subnet.existing_id is not None:
                brought[key] = spec.subnet.existing_id
                findings.append(self._subnet_findings(key, spec))
                continue
            nsg = self._nsg(plan.nsgs.for_subnet(spec.workload, spec.subnet.key), spec)
            subnet = self._subnet(spec, vnets[spec.vnet_key], nsg)
            self.subnet_ids[key] = subnet.id
        fits = _all_fit(findings)
        self.subnet_ids.update({key: _after(fits, subnet_id) for key, subnet_id in brought.items()})

        self._peerings(planned_vnets, vnets)
        self.vnet_ids = {
            planned.key: _after(fits, planned.existing_id)
            if planned.existing_id is not None
            else self._settled_id(planned.key, vnets[planned.key])
            for planned in planned_vnets
        }
        self.diagnosed: list[Diagnosed] = [
            *(Diagnosed(vnet_logical_name(key), vnet, VIRTUAL_NETWORK) for key, vnet in vnets.items()),
            *(Diagnosed(logical, nsg, NETWORK_SECURITY_GROUP) for logical, nsg in self._nsg_logical_names.items()),
        ]
        self.register_outputs(
            {"resource_group_name": self.resource_group_name, "vnet_ids": self.vnet_ids, "subnet_ids": self.subnet_ids}
        )

    # --- sites: resource group, provider and route table per subscription -------------------------

    def _opts(self, subscription_id: str, **kwargs: Any) -> pulumi.ResourceOptions:
        return self.child_opts(provider=self._provider_for(subscription_id), **kwargs)

    def _network_site(self, subscription_id: str) -> _Site:
        group = resources.ResourceGroup(
            f"common-rg-network-{subscription_id}",
            resource_group_name=self._plan.namer.common("resource_group", "network"),
            location=self._location,
            tags=self._tags,
            opts=self._opts(subscription_id),
        )
        return self._site(subscription_id, group.name, has_vnets=True)

    def _site(self, subscription_id: str, group_name: pulumi.Output[str], has_vnets: bool) -> _Site:
        hub = self._plan.stack.network.hub
        route_table_id = None
        if has_vnets and hub is not None and hub.firewall_ip is not None:
            suffix = "" if subscription_id == self._plan.stack.subscription_id else f"-{subscription_id}"
            route_table = network.RouteTable(
                f"common-rt{suffix}",
                route_table_name=self._plan.namer.common("route_table"),
                resource_group_name=group_name,
                location=self._location,
                # Gateway-learned routes would let on-premises traffic bypass the firewall.
                disable_bgp_route_propagation=True,
                routes=[
                    network.RouteArgs(
                        name="default-to-hub-firewall",
                        address_prefix="0.0.0.0/0",
                        next_hop_type="VirtualAppliance",
                        next_hop_ip_address=hub.firewall_ip,
                    )
                ],
                tags=self._tags,
                opts=self._opts(subscription_id),
            )
            route_table_id = route_table.id
        return _Site(group_name, self._provider_for(subscription_id), route_table_id)

    # --- VNets, NSGs and subnets -------------------------------------------------------------------

    def _vnet(self, planned: PlannedVnet) -> network.VirtualNetwork:
        site = self._sites[planned.subscription_id]
        return network.VirtualNetwork(
            "common-vnet" if planned.key == "common" else f"common-vnet-{planned.key}",
            virtual_network_name=vnet_name(self._plan.namer, planned.key),
            resource_group_name=site.resource_group_name,
            location=self._location,
            address_space=network.AddressSpaceArgs(address_prefixes=list(planned.address_prefixes)),
            dhcp_options=network.DhcpOptionsArgs(dns_servers=list(self._plan.stack.network.dns_servers))
            if self._plan.stack.network.dns_servers
            else None,
            tags=self._tags,
            opts=self._opts(planned.subscription_id, ignore_changes=["subnets", "virtualNetworkPeerings"]),
        )

    def _subnets_in_order(self) -> Iterator[_SubnetSpec]:
        """Every needed subnet, grouped by VNet and in address order (the order they are written in)."""
        specs = [
            _SubnetSpec("common", "common", subnet, self._tags)
            for subnet in self._plan.ip_plan.common_subnets
            if subnet.needed
        ]
        for project in self._plan.projects:
            specs.extend(
                _SubnetSpec(project.network.vnet_key, project.key, subnet, dict(project.tags))
                for subnet in project.network.needed_subnets
            )
        yield from sorted(specs, key=lambda s: (s.vnet_key, int(netaddr.IPNetwork(s.subnet.cidr).first)))

    def _subscription_of(self, vnet_key: str) -> str:
        ip_plan = self._plan.ip_plan
        return ip_plan.common.subscription_id if vnet_key == "common" else ip_plan.shard(vnet_key).subscription_id

    def _nsg(self, planned: PlannedNsg, spec: _SubnetSpec) -> network.NetworkSecurityGroup:
        if planned.key in self._nsgs:
            return self._nsgs[planned.key]
        subscription = self._subscription_of(spec.vnet_key)
        site = self._sites[subscription]
        qualifier = planned.key.partition("/")[2]
        logical = f"{planned.workload}-nsg" + (f"-{qualifier}" if qualifier else "")
        nsg = network.NetworkSecurityGroup(
            logical,
            network_security_group_name=planned.name,
            resource_group_name=site.resource_group_name,
            location=self._location,
            # A service that writes its own rules (Databricks) keeps them: the list is left undeclared
            # (azure-native then preserves existing rules) and ours become separate resources.
            security_rules=None
            if planned.service_rules
            else [network.SecurityRuleArgs(name=rule.name, **security_rule_properties(rule)) for rule in planned.rules],
            tags=spec.tags,
            opts=self._opts(subscription),
        )
        if planned.service_rules:
            for rule in planned.rules:
                network.SecurityRule(
                    f"{logical}-{rule.name}",
                    security_rule_name=rule.name,
                    network_security_group_name=nsg.name,
                    resource_group_name=site.resource_group_name,
                    **security_rule_properties(rule),
                    opts=pulumi.ResourceOptions(parent=nsg, provider=site.provider),
                )
        self._nsgs[planned.key] = nsg
        self._nsg_logical_names[logical] = nsg
        return nsg

    def _settled_id(self, vnet_key: str, vnet: network.VirtualNetwork) -> pulumi.Output[str]:
        """The VNet's id, known once its subnets and peerings are written: whoever links to the VNet
        (private DNS zones) then does not race those writes."""
        last = self._last_write.get(vnet_key)
        if last is None:
            return vnet.id
        return pulumi.Output.all(vnet.id, last.id).apply(lambda ids: str(ids[0]))

    def _after(self, vnet_key: str) -> list[pulumi.Resource]:
        """The VNet's previous child write, which the next one waits for."""
        previous = self._last_write.get(vnet_key)
        return [previous] if previous is not None else []

    def _subnet(
        self, spec: _SubnetSpec, vnet: network.VirtualNetwork, nsg: network.NetworkSecurityGroup
    ) -> network.Subnet:
        planned = spec.subnet
        site = self._sites[self._subscription_of(spec.vnet_key)]
        route_table = (
            network.RouteTableArgs(id=site.route_table_id)
            if site.route_table_id is not None and planned.name not in _NO_ROUTE_TABLE
            else None
        )
        subnet = network.Subnet(
            f"{spec.workload}-snet-{planned.key}",
            subnet_name=planned.name,
            virtual_network_name=vnet.name,
            resource_group_name=site.resource_group_name,
            address_prefix=planned.cidr,
            delegations=[
                network.DelegationArgs(name=planned.delegation.replace("/", "."), service_name=planned.delegation)
            ]
            if planned.delegation
            else None,
            network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
            route_table=route_table,
            # Applies the NSG (and routes) to the private endpoints in the subnet, too.
            private_endpoint_network_policies="Enabled" if planned.key == _PRIVATE_ENDPOINT_SUBNET else None,
            opts=pulumi.ResourceOptions(parent=vnet, provider=site.provider, depends_on=self._after(spec.vnet_key)),
        )
        self._last_write[spec.vnet_key] = subnet
        return subnet

    # --- brought VNets and subnets: read from Azure, used only when they fit the plan ---------------

    def _subnet_findings(self, key: str, spec: _SubnetSpec) -> pulumi.Output[list[str]]:
        """What Azure reports about a brought subnet that does not fit the plan."""
        planned = spec.subnet
        subnet_id = str(planned.existing_id)
        _, group, vnet = vnet_parts(parent_vnet_id(subnet_id))
        observed = network.get_subnet_output(
            resource_group_name=group,
            virtual_network_name=vnet,
            subnet_name=planned.name,
            opts=pulumi.InvokeOutputOptions(provider=self._provider_for(self._subscription_of(spec.vnet_key))),
        )
        hub = self._plan.stack.network.hub
        firewall = hub is not None and hub.firewall_ip is not None

        def findings(result: network.GetSubnetResult) -> list[str]:
            prefixes = (result.address_prefix,) if result.address_prefix else tuple(result.address_prefixes or ())
            return subnet_findings(
                key,
                planned,
                ObservedSubnet(
                    address_prefixes=prefixes,
                    network_security_group_id=result.network_security_group.id
                    if result.network_security_group
                    else None,
                    route_table_id=result.route_table.id if result.route_table else None,
                    delegations=tuple(d.service_name for d in result.delegations or () if d.service_name),
                    private_endpoint_network_policies=result.private_endpoint_network_policies,
                ),
                firewall=firewall,
            )

        return observed.apply(findings)

    def _vnet_findings(self, planned: PlannedVnet) -> pulumi.Output[list[str]]:
        _, group, name = vnet_parts(str(planned.existing_id))
        observed = network.get_virtual_network_output(
            resource_group_name=group,
            virtual_network_name=name,
            opts=pulumi.InvokeOutputOptions(provider=self._provider_for(planned.subscription_id)),
        )
        return observed.apply(lambda result: vnet_findings(planned.key, self._location, result.location))

    # --- peerings ------------------------------------------------------------------------------------

    def _peerings(self, planned_vnets: tuple[PlannedVnet, ...], vnets: dict[str, network.VirtualNetwork]) -> None:
        """Each side of a peering is written on the VNet it belongs to, so only on VNets the factory creates."""

        def vnet_id(planned: PlannedVnet) -> pulumi.Input[str]:
            return planned.existing_id if planned.existing_id is not None else vnets[planned.key].id

        common = planned_vnets[0]
        for shard in planned_vnets[1:]:
            if shard.key in vnets:
                self._peer(shard.key, vnets[shard.key], "common", vnet_id(common))
            if common.key in vnets:
                self._peer(common.key, vnets[common.key], shard.key, vnet_id(shard))
        hub = self._plan.stack.network.hub
        if hub is None:
            return
        for planned in planned_vnets:
            if planned.key not in vnets:
                continue
            self._peer(
                planned.key,
                vnets[planned.key],
                "hub",
                hub.vnet_id,
                allow_forwarded_traffic=hub.allow_forwarded_traffic,
                use_remote_gateways=hub.use_remote_gateways,
            )

    def _peer(
        self,
        vnet_key: str,
        vnet: network.VirtualNetwork,
        remote_key: str,
        remote_id: pulumi.Input[str],
        *,
        allow_forwarded_traffic: bool = False,
        use_remote_gateways: bool = False,
    ) -> None:
        site = self._sites[self._subscription_of(vnet_key)]
        peering = network.VirtualNetworkPeering(
            f"common-peer-{vnet_key}-to-{remote_key}",
            virtual_network_peering_name=child_name("peering", vnet_key, f"to-{remote_key}"),
            virtual_network_name=vnet.name,
            resource_group_name=site.resource_group_name,
            remote_virtual_network=network.SubResourceArgs(id=remote_id),
            allow_virtual_network_access=True,
            allow_forwarded_traffic=allow_forwarded_traffic,
            # The spoke side never offers a gateway; the hub's own peering sets allowGatewayTransit.
            allow_gateway_transit=False,
            use_remote_gateways=use_remote_gateways,
            opts=pulumi.ResourceOptions(parent=vnet, provider=site.provider, depends_on=self._after(vnet_key)),
        )
        self._last_write[vnet_key] = peering


def _all_fit(findings: list[pulumi.Output[list[str]]]) -> pulumi.Output[None]:
    """Resolves once every brought VNet and subnet was read and fits; else stops the run listing every
    misfit at once (``pulumi preview`` reads them too, so nothing is changed first)."""

    def check(found: list[list[str]]) -> None:
        listed = "\n".join(f"  - {finding}" for findings in found for finding in findings)
        if listed:
            raise pulumi.RunError(
                f"the existing network (aifactory:network.existing) does not fit the plan:\n{listed}\n"
                "fix: change the VNets and subnets in Azure as listed (docs/network.md, Bring your own network), "
                "then run again"
            )

    return pulumi.Output.all(*findings).apply(check)


def _after(fits: pulumi.Output[None], resource_id: str) -> pulumi.Output[str]:
    """``resource_id``, known only once the brought network fits: nothing attaches to a misfit."""
    return fits.apply(lambda _: resource_id)
