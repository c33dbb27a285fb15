"""Diagrams of an environment and of one project, built from the pure plan (never from resources).

The environment: the hub (when peered), the common VNet with its subnets, each project VNet
(shard) with the projects whose slots it holds, peerings, the firewall route and the DNS mode. A
project: its slot's subnets, its services, the private endpoints each service gets (subnet and
group ids) and the private DNS zones those endpoints register in.
"""

from __future__ import annotations

import re

from aifactory.diagram.model import Diagram, Edge, Group, Node
from aifactory.plan.factory import FactoryPlan, ProjectPlan

__all__ = ["environment_diagram", "project_diagram"]

_ID = re.compile(r"[^A-Za-z0-9_]")


def _id(*parts: str) -> str:
    return "_".join(_ID.sub("_", p) for p in parts)


def _dns_lines(plan: FactoryPlan) -> tuple[str, ...]:
    dns = plan.dns
    if dns.policy_managed:
        return ("DNS: policy-managed", "the hub's Azure Policy writes the records", "(endpoints get no zone group)")
    if dns.mode == "hub":
        return ("DNS: hub mode", f"{len(dns.existing_zone_ids)} existing privatelink zones in the hub")
    lines = ["DNS: standalone", f"{len(dns.zones_to_create)} privatelink zones created,", "linked to every VNet"]
    if dns.existing_zone_ids:
        lines.append(f"{len(dns.existing_zone_ids)} zones overridden to existing ones")
    return tuple(lines)


def environment_diagram(plan: FactoryPlan) -> Diagram:
    """The environment's network: VNets, shards, peerings, hub, firewall route and DNS mode."""
    stack, ip_plan = plan.stack, plan.ip_plan
    groups: list[Group] = []
    edges: list[Edge] = []
    hub = stack.network.hub
    if hub is not None:
        hub_nodes = [
            Node("hub_vnet", ("hub VNet " + hub.vnet_id.rsplit("/", 1)[-1], *hub.address_space), "hub"),
        ]
        if hub.firewall_ip:
            hub_nodes.append(Node("hub_firewall", ("firewall", hub.firewall_ip), "firewall"))
        if stack.network.dns_servers:
            hub_nodes.append(Node("hub_dns_servers", ("DNS servers", *stack.network.dns_servers), "dns"))
        groups.append(Group("hub", "hub (platform team)", tuple(hub_nodes)))
    common_nodes = tuple(
        Node(_id("common", s.key), (s.name, s.cidr), "subnet") for s in ip_plan.common_subnets if s.needed
    )
    groups.append(Group("common", f"common VNet {' '.join(ip_plan.common.address_prefixes)}", common_nodes))
    by_vnet: dict[str, list[ProjectPlan]] = {}
    for project in plan.projects:
        by_vnet.setdefault(project.network.vnet_key, []).append(project)
    for shard in ip_plan.shards:
        members = by_vnet.get(shard.key, [])
        nodes = tuple(
            Node(
                _id(shard.key, p.key),
                (f"{p.key} {p.spec.name} ({p.spec.type})", p.network.slot),
                "project",
            )
            for p in sorted(members, key=lambda p: p.spec.id)
        )
        label = f"{shard.key} {' '.join(shard.address_prefixes)}, ids {shard.first_project_id}-{shard.last_project_id}"
        if shard.subscription_id != ip_plan.common.subscription_id:
            nodes = (Node(_id(shard.key, "subscription"), ("subscription", shard.subscription_id), "note"), *nodes)
        groups.append(Group(_id(shard.key), label, nodes))
        edges.append(Edge(_id(shard.key), "common", "peering", both=True))
        if hub is not None:
            edges.append(Edge(_id(shard.key), "hub", "peering", dashed=True, both=True))
    if hub is not None:
        edges.append(Edge("common", "hub", "peering", dashed=True, both=True))
        if hub.firewall_ip:
            edges.extend(Edge(_id(s.key), "hub_firewall", "0.0.0.0/0 route", dashed=True) for s in ip_plan.shards)
    groups.append(Group("dns", "private DNS", (Node("dns_mode", _dns_lines(plan), "dns"),)))
    if plan.dns.mode == "standalone":
        edges.extend(Edge("dns_mode", g.id, "zone links", dashed=True) for g in groups if g.id not in ("dns", "hub"))
    else:
        edges.append(Edge("dns_mode", "hub", "zones live in the hub", dashed=True))
    title = f"{plan.environment} environment: {stack.prefix} in {stack.location}, {len(plan.projects)} projects"
    return Diagram(title, tuple(groups), tuple(edges))


def project_diagram(plan: FactoryPlan, project_id: int) -> Diagram:
    """One project: subnets, services, private endpoints and their DNS zones (raises KeyError if absent)."""
    project = plan.project(project_id)
    network, spec = project.network, project.spec
    subnet_nodes = tuple(
        Node(
            _id("subnet", s.key),
            (s.name, s.cidr, *((f"delegated to {s.delegation}",) if s.delegation else ())),
            "subnet",
        )
        for s in network.needed_subnets
    )
    groups = [Group("slot", f"{project.key} slot {network.slot} in {network.vnet_key}", subnet_nodes)]
    endpoint_targets = [e.target for e in project.endpoints]
    services = [*endpoint_targets, *(s for s in sorted(spec.enabled_services()) if s not in endpoint_targets)]
    groups.append(
        Group(
            "services",
            f"{spec.name} ({spec.type}) services",
            tuple(Node(_id("svc", s), (s,), "service") for s in services),
        )
    )
    edges: list[Edge] = []
    zones: dict[str, Node] = {}
    pe_subnet = next((s for s in network.needed_subnets if s.key == "private_endpoints"), None)
    for endpoint in project.endpoints:
        if pe_subnet is not None:
            edges.append(
                Edge(
                    _id("svc", endpoint.target),
                    _id("subnet", pe_subnet.key),
                    "endpoint: " + ", ".join(endpoint.group_ids),
                )
            )
        for group_id in endpoint.group_ids:
            for zone in plan.dns.zones_for(endpoint.kind, group_id):
                node = zones.setdefault(zone, Node(_id("zone", zone), (zone,), "zone"))
                edges.append(Edge(_id("svc", endpoint.target), node.id, group_id, dashed=plan.dns.policy_managed))
    mode = "policy-managed" if plan.dns.policy_managed else plan.dns.mode
    groups.append(Group("zones", f"private DNS zones ({mode})", tuple(zones.values())))
    title = f"{project.key} {spec.name} ({spec.type}) in {plan.environment}"
    return Diagram(title, tuple(groups), tuple(edges))
