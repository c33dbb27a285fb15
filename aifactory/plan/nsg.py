"""Network security group decisions as data: which NSGs exist, which subnets each guards, their rules.

Design (see docs/network.md, NSG design):

- **Deny by default inbound.** Every NSG ends with an explicit ``DenyAllInbound`` at priority 4096.
  Azure's default ``AllowVnetInBound`` (65000) would otherwise let every project reach every other
  project: projects share shard VNets, and ``VirtualNetwork`` also covers every peered VNet.
- **Few NSGs.** One per common subnet (their rules differ completely), one per project for all its
  regular subnets (rules scoped by destination subnet prefix) and one per project for its Databricks
  pair. Databricks adds its own rules to that NSG through a network intent policy, so the factory
  never declares that NSG's rule list inline (it would fight Databricks on every update): our rules
  on it are separate ``SecurityRule`` resources (``PlannedNsg.service_rules``).
- **Project subnets accept inbound** only from the project's own ranges, the common VNet and
  ``network.trusted_ranges``, plus the Azure load balancer's health probes where compute runs.
- **Outbound stays open** inside the NSGs: Azure ML, AKS, Databricks and Container Apps need dozens
  of service tags and FQDNs that NSGs cannot express; egress is governed by the hub firewall
  (route table) when one is configured.

Every rule depends only on the owning workload's ranges and the environment's fixed ranges, never
on other projects: adding a project never changes another project's NSG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import netaddr

from aifactory.config.stack import NetworkConfig
from aifactory.plan.ipam.model import IpPlan, PlannedSubnet, ProjectNetworkPlan
from aifactory.plan.naming import Namer

__all__ = [
    "DENY_ALL_PRIORITY",
    "NsgPlan",
    "PlannedNsg",
    "SecurityRule",
    "common_nsgs",
    "plan_nsgs",
    "project_nsgs",
]

Direction = Literal["Inbound", "Outbound"]
Access = Literal["Allow", "Deny"]
Protocol = Literal["*", "Tcp", "Udp", "Icmp"]

DENY_ALL_PRIORITY = 4096
"""The lowest custom priority Azure allows: the explicit deny sits below every allow rule."""

_COMPUTE_SUBNETS = ("compute", "aks", "container_apps", "agents")
"""Project subnets whose workloads sit behind an Azure load balancer that health-probes them."""
_DATABRICKS_SUBNETS = ("databricks_host", "databricks_container")


def _is_cidr(prefix: str) -> bool:
    try:
        netaddr.IPNetwork(prefix)
    except (netaddr.AddrFormatError, ValueError):
        return False
    return "/" in prefix


@dataclass(frozen=True)
class SecurityRule:
    """One NSG rule. ``sources``/``destinations`` are CIDRs, ``*`` or a single service tag."""

    name: str
    priority: int
    direction: Direction
    access: Access
    protocol: Protocol
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    ports: tuple[str, ...] = ("*",)
    description: str = ""

    def __post_init__(self) -> None:
        if not 100 <= self.priority <= DENY_ALL_PRIORITY:
            msg = f"NSG rule {self.name}: priority {self.priority} is outside 100-4096"
            raise ValueError(msg)
        for label, prefixes in (("sources", self.sources), ("destinations", self.destinations)):
            if not prefixes:
                msg = f"NSG rule {self.name}: no {label}"
                raise ValueError(msg)
            # Azure takes a service tag or '*' only as the single prefix, never inside a list.
            if len(prefixes) > 1 and not all(_is_cidr(p) for p in prefixes):
                msg = f"NSG rule {self.name}: {label} mix service tags and ranges: {prefixes}"
                raise ValueError(msg)


@dataclass(frozen=True)
class PlannedNsg:
    """An NSG, the subnets of one workload it guards, and its rules.

    ``key`` is ``common/<subnet key>``, ``<project key>`` or ``<project key>/databricks``.
    ``service_rules`` marks an NSG a service also writes rules to (Databricks): its rules are
    created as separate resources so the service's own rules survive updates.
    """

    key: str
    workload: str
    name: str
    subnets: tuple[PlannedSubnet, ...]
    rules: tuple[SecurityRule, ...]
    service_rules: bool = False

    @property
    def subnet_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.subnets)


@dataclass(frozen=True)
class NsgPlan:
    """Every NSG of the environment, and which one guards each subnet."""

    nsgs: tuple[PlannedNsg, ...]
    _by_subnet: dict[tuple[str, str], PlannedNsg] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(nsg.workload, subnet.key): nsg for nsg in self.nsgs for subnet in nsg.subnets}
        object.__setattr__(self, "_by_subnet", index)

    def for_subnet(self, workload: str, subnet_key: str) -> PlannedNsg:
        """The NSG guarding ``workload``'s subnet ``subnet_key`` (KeyError if it has none)."""
        try:
            return self._by_subnet[(workload, subnet_key)]
        except KeyError:
            msg = f"no NSG guards {workload}/{subnet_key}"
            raise KeyError(msg) from None


def _deny_all_inbound() -> SecurityRule:
    return SecurityRule(
        "DenyAllInbound",
        DENY_ALL_PRIORITY,
        "Inbound",
        "Deny",
        "*",
        ("*",),
        ("*",),
        description="Deny by default: overrides Azure's AllowVnetInBound, which spans shared and peered VNets",
    )


def _allow_from(
    name: str, priority: int, sources: Sequence[str], destinations: Sequence[str], description: str
) -> SecurityRule:
    return SecurityRule(
        name, priority, "Inbound", "Allow", "*", tuple(sources), tuple(destinations), description=description
    )


# fmt: off
def _bastion_rules() -> tuple[SecurityRule, ...]:
    """The rules Azure documents as required on an NSG of AzureBastionSubnet, plus the explicit deny."""
    return (
        SecurityRule("AllowHttpsInbound", 120, "Inbound", "Allow", "Tcp", ("Internet",), ("*",), ("443",),
                     "Users reach Bastion's public endpoint over TLS"),
        SecurityRule("AllowGatewayManagerInbound", 130, "Inbound", "Allow", "Tcp", ("GatewayManager",), ("*",),
                     ("443",), "Bastion control plane"),
        SecurityRule("AllowAzureLoadBalancerInbound", 140, "Inbound", "Allow", "Tcp", ("AzureLoadBalancer",),
                     ("*",), ("443",), "Health probes"),
        SecurityRule("AllowBastionHostCommunication", 150, "Inbound", "Allow", "*", ("VirtualNetwork",),
                     ("VirtualNetwork",), ("8080", "5701"), "Bastion data plane between its instances"),
        _deny_all_inbound(),
        SecurityRule("AllowSshRdpOutbound", 100, "Outbound", "Allow", "*", ("*",), ("VirtualNetwork",),
                     ("22", "3389"), "Sessions to target VMs over private IP"),
        SecurityRule("AllowAzureCloudOutbound", 110, "Outbound", "Allow", "Tcp", ("*",), ("AzureCloud",), ("443",),
                     "Diagnostics and metering endpoints"),
        SecurityRule("AllowBastionCommunication", 120, "Outbound", "Allow", "*", ("VirtualNetwork",),
                     ("VirtualNetwork",), ("8080", "5701"), "Bastion data plane between its instances"),
        SecurityRule("AllowHttpOutbound", 130, "Outbound", "Allow", "*", ("*",), ("Internet",), ("80",),
                     "Session and certificate validation"),
    )
# fmt: on


def common_nsgs(network: NetworkConfig, ip_plan: IpPlan, namer: Namer) -> tuple[PlannedNsg, ...]:
    """One NSG per needed common subnet."""
    subnets = {s.key: s for s in ip_plan.common_subnets if s.needed}
    trusted = tuple(network.trusted_ranges)
    factory_ranges = (*ip_plan.address_space, *((ip_plan.agent_address_space,) if ip_plan.agent_address_space else ()))
    nsgs: list[PlannedNsg] = []
    web_auth = tuple(s for k, s in subnets.items() if k.startswith("databricks_web_auth"))
    for key, subnet in subnets.items():
        if key.startswith("databricks_web_auth"):
            continue
        own = (subnet.cidr,)
        rules: list[SecurityRule] = []
        if key == "bastion":
            rules.extend(_bastion_rules())
        elif key == "private_endpoints":
            rules.append(
                _allow_from("AllowFactoryInbound", 100, factory_ranges, own, "Every project and the common VNet")
            )
            if trusted:
                rules.append(_allow_from("AllowTrustedInbound", 110, trusted, own, "network.trusted_ranges"))
            rules.append(_deny_all_inbound())
        elif key == "jump_hosts":
            if "bastion" in subnets:
                rules.append(
                    SecurityRule(
                        "AllowBastionSshInbound",
                        100,
                        "Inbound",
                        "Allow",
                        "Tcp",
                        (subnets["bastion"].cidr,),
                        own,
                        ("22",),
                        "SSH through Azure Bastion",
                    )
                )
            if trusted:
                rules.append(
                    SecurityRule(
                        "AllowTrustedSshInbound",
                        110,
                        "Inbound",
                        "Allow",
                        "Tcp",
                        trusted,
                        own,
                        ("22",),
                        "SSH from network.trusted_ranges",
                    )
                )
            rules.append(_deny_all_inbound())
        else:  # power_bi_gateway: the VNet data gateway only connects out
            rules.append(_deny_all_inbound())
        nsgs.append(
            PlannedNsg(
                key=f"common/{key}",
                workload="common",
                name=namer.common("network_security_group", key.replace("_", "-")),
                subnets=(subnet,),
                rules=tuple(rules),
            )
        )
    if web_auth:
        # Like a project's Databricks pair: Databricks adds its own rules (network intent policy).
        nsgs.append(
            PlannedNsg(
                key="common/databricks_web_auth",
                workload="common",
                name=namer.common("network_security_group", "dbw-web-auth"),
                subnets=web_auth,
                rules=(_deny_all_inbound(),),
                service_rules=True,
            )
        )
    return tuple(nsgs)


def project_nsgs(
    network: NetworkConfig,
    ip_plan: IpPlan,
    namer: Namer,
    *,
    project_id: int,
    project_name: str,
    project_network: ProjectNetworkPlan,
) -> tuple[PlannedNsg, ...]:
    """The project's NSG for its regular subnets and, with Databricks, one for the Databricks pair."""
    workload = f"p{project_id:03d}"
    needed = project_network.needed_subnets
    regular = tuple(s for s in needed if s.key not in _DATABRICKS_SUBNETS)
    databricks = tuple(s for s in needed if s.key in _DATABRICKS_SUBNETS)
    nsgs: list[PlannedNsg] = []
    if regular:
        destinations = tuple(s.cidr for s in regular)
        rules = [
            _allow_from(
                "AllowProjectInbound", 100, project_network.address_ranges, destinations, "The project's own ranges"
            ),
            _allow_from(
                "AllowCommonInbound",
                110,
                ip_plan.common.address_prefixes,
                destinations,
                "Bastion, jump hosts, shared services and the Power BI gateway in the common VNet",
            ),
        ]
        if network.trusted_ranges:
            rules.append(
                _allow_from("AllowTrustedInbound", 120, network.trusted_ranges, destinations, "network.trusted_ranges")
            )
        probed = tuple(s.cidr for s in regular if s.key in _COMPUTE_SUBNETS)
        if probed:
            rules.append(
                _allow_from("AllowAzureLoadBalancerInbound", 130, ("AzureLoadBalancer",), probed, "Health probes")
            )
        aks = [s.cidr for s in regular if s.key == "aks"]
        if aks:
            # Azure CNI Overlay (the cluster's network plugin mode) keeps pod source addresses between nodes,
            # so pod traffic from network.aks_pod_cidr must be allowed into the AKS subnet.
            rules.append(
                _allow_from("AllowAksPodsInbound", 140, (network.aks_pod_cidr,), aks, "AKS overlay pod traffic")
            )
        rules.append(_deny_all_inbound())
        nsgs.append(
            PlannedNsg(
                key=workload,
                workload=workload,
                name=namer.project("network_security_group", project_id, project_name),
                subnets=regular,
                rules=tuple(rules),
            )
        )
    if databricks:
        nsgs.append(
            PlannedNsg(
                key=f"{workload}/databricks",
                workload=workload,
                name=namer.project("network_security_group", project_id, project_name, "dbw"),
                subnets=databricks,
                rules=(_deny_all_inbound(),),
                service_rules=True,
            )
        )
    return tuple(nsgs)


def plan_nsgs(network: NetworkConfig, ip_plan: IpPlan, namer: Namer, project_names: Mapping[int, str]) -> NsgPlan:
    """Every NSG of the environment: the common subnets' and each project's (``project_names`` by id)."""
    nsgs = list(common_nsgs(network, ip_plan, namer))
    for project_id in sorted(ip_plan.projects):
        nsgs.extend(
            project_nsgs(
                network,
                ip_plan,
                namer,
                project_id=project_id,
                project_name=project_names[project_id],
                project_network=ip_plan.projects[project_id],
            )
        )
    return NsgPlan(tuple(nsgs))
