"""Bring-your-own network: fit the existing VNets and subnets of the stack config into the IP plan.

The IP plan stays the single source of truth: an existing subnet must have exactly the range the
plan gives its key, so the NSG rules (scoped to planned prefixes), the slot-per-project stability
contract and every check the plan runs hold unchanged whether the factory or a network team
creates the subnet. A subnet with another range is an error naming the subnet, both ranges and the
fix; the plan never adopts a foreign range, because a project's ranges would then depend on who
made its subnet, and NSG rules of other projects would silently widen or break.

What is checked here, against the plan:

- a listed VNet is a VNet of the plan (``common`` or ``shard-NN`` within the address space) and
  sits in the subscription the plan puts it in (Azure requires private endpoints, VM NICs and Azure
  ML compute to be in the VNet's subscription);
- a listed subnet belongs to a subnet key of the plan, lies in the existing VNet that stands for
  its planned VNet, has the planned range and, for Bastion, the name Azure requires;
- every subnet the plan needs in a listed VNet is listed (the factory creates nothing inside an
  existing VNet).

The result is the same plan with ``existing_id`` on the VNets and subnets that are brought.

What only Azure knows (the subnet's NSG, delegations, route table and endpoint policies as they
are, the VNet's region) is checked when the program runs: ``CommonNetwork`` reads every brought
VNet and subnet (a data source, so ``pulumi preview`` already reads them) and stops with
:func:`subnet_findings` / :func:`vnet_findings` before anything uses them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from aifactory.config.existing_network import ExistingNetwork, parent_vnet_id, subnet_name_of, subscription_of
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigProblem
from aifactory.plan.ipam.model import IpPlan, PlannedSubnet, PlannedVnet, ProjectNetworkPlan

__all__ = [
    "ObservedSubnet",
    "adopt_existing_network",
    "conforming_subnet",
    "subnet_findings",
    "vnet_findings",
]

_FIELD = "aifactory:network.existing"
_BASTION = "AzureBastionSubnet"
_PRIVATE_ENDPOINTS = "private_endpoints"
_NSG_APPLIES = frozenset({"Enabled", "NetworkSecurityGroupEnabled"})
_ROUTES_APPLY = frozenset({"Enabled", "RouteTableEnabled"})


@dataclass(frozen=True)
class ObservedSubnet:
    """A brought subnet as Azure reports it (``Microsoft.Network/virtualNetworks/subnets`` GET)."""

    address_prefixes: tuple[str, ...]
    network_security_group_id: str | None
    route_table_id: str | None
    delegations: tuple[str, ...]
    private_endpoint_network_policies: str | None


def subnet_findings(key: str, planned: PlannedSubnet, observed: ObservedSubnet, *, firewall: bool) -> list[str]:
    """What is wrong with a brought subnet for the plan (empty when it fits).

    ``firewall``: the stack routes egress through a hub firewall, so every subnet but Bastion's
    needs a route table (the factory's own subnets get ``0.0.0.0/0`` to the firewall).
    """
    found = []
    if observed.address_prefixes != (planned.cidr,):
        shown = ", ".join(observed.address_prefixes) or "none"
        found.append(f"{key}: Azure has address prefix {shown}; the IP plan gives {planned.cidr}")
    if observed.network_security_group_id is None:
        found.append(
            f"{key}: has no network security group (every subnet needs one, see nsgs in aifactory ipam <stack> --json)"
        )
    wanted = (planned.delegation,) if planned.delegation else ()
    if tuple(sorted(observed.delegations)) != wanted:
        have = ", ".join(observed.delegations) or "nothing"
        found.append(f"{key}: is delegated to {have}; the plan needs {planned.delegation or 'no delegation'}")
    if firewall and planned.name != _BASTION and observed.route_table_id is None:
        found.append(f"{key}: has no route table, so its traffic bypasses the hub firewall (hub.firewall_ip)")
    if planned.key == _PRIVATE_ENDPOINTS:
        policies = observed.private_endpoint_network_policies or "Disabled"
        needed = _NSG_APPLIES & _ROUTES_APPLY if firewall else _NSG_APPLIES
        if policies not in needed:
            found.append(
                f"{key}: privateEndpointNetworkPolicies is {policies}, so the NSG"
                + (" and the route table do" if firewall else " does")
                + " not apply to the private endpoints; set it to Enabled"
            )
    return found


def vnet_findings(key: str, location: str, observed_location: str | None) -> list[str]:
    """What is wrong with a brought VNet (its region; everything attached to it lives in ``location``)."""
    region = (observed_location or "").replace(" ", "").lower()
    if region != location.lower():
        return [f"VNet {key}: is in {observed_location or 'no region'}; the stack's location is {location}"]
    return []


def conforming_subnet(planned: PlannedSubnet, *, firewall: bool) -> ObservedSubnet:
    """A brought subnet as the plan asks the network team to build it (the offline plan's stand-in for Azure)."""
    if planned.existing_id is None:
        msg = f"{planned.key} is not a brought subnet"
        raise ValueError(msg)
    group = planned.existing_id.split("/providers/", 1)[0]
    return ObservedSubnet(
        address_prefixes=(planned.cidr,),
        network_security_group_id=f"{group}/providers/Microsoft.Network/networkSecurityGroups/nsg-{planned.name}",
        route_table_id=f"{group}/providers/Microsoft.Network/routeTables/rt-hub"
        if firewall and planned.name != _BASTION
        else None,
        delegations=(planned.delegation,) if planned.delegation else (),
        private_endpoint_network_policies="Enabled" if planned.key == _PRIVATE_ENDPOINTS else "Disabled",
    )


def adopt_existing_network(
    stack: StackConfig, plan: IpPlan, project_ids: Collection[int]
) -> tuple[IpPlan, list[ConfigProblem]]:
    """``plan`` with the stack's existing VNets and subnets in it, and every problem found.

    ``project_ids`` are the ids of every project of the environment, including those whose
    allocation failed (their subnets are skipped here: the allocation problem is reported already).
    """
    existing = stack.network.existing
    if existing is None:
        return plan, []
    check = _Check(stack, plan, existing, frozenset(project_ids))
    check.vnets()
    check.subnets()
    check.complete()
    return check.adopted(), check.problems


class _Check:
    def __init__(self, stack: StackConfig, plan: IpPlan, existing: ExistingNetwork, project_ids: frozenset[int]):
        self.stack, self.plan, self.existing, self.project_ids = stack, plan, existing, project_ids
        self.file = f"Pulumi.{stack.environment}.yaml"
        self.problems: list[ConfigProblem] = []
        self.brought_vnets: dict[str, str] = {}
        self.brought_subnets: dict[str, str] = {}
        self.brought_workloads: set[str] = set()

    def problem(self, field: str, value: object, message: str, fix: str) -> None:
        self.problems.append(ConfigProblem(self.file, f"{_FIELD}.{field}", value, message, fix))

    # --- VNets -------------------------------------------------------------------------------------

    def vnets(self) -> None:
        plan = self.plan
        planned = {vnet.key: vnet for vnet in plan.vnets}
        shard_count = plan.capacity // plan.slots_per_shard + 1
        for key, vnet_id in self.existing.vnets.items():
            vnet = planned.get(key)
            if vnet is None:
                index = int(key.removeprefix("shard-")) if key.startswith("shard-") else 0
                if key != f"shard-{index:02d}" or not 1 <= index < shard_count:
                    self.problem(
                        f"vnets.{key}",
                        vnet_id,
                        f"is not a VNet of {plan.environment}'s IP plan: it has 'common' and project VNets "
                        f"shard-01 to shard-{shard_count - 1:02d}",
                        "use a VNet key that aifactory ipam lists, or remove the entry",
                    )
                    continue
                # A project VNet no project of this environment uses yet: kept for the first one.
                first_id = (index - 1) * plan.slots_per_shard + 1
                subscription = self.stack.subscription_for_project(first_id)
            else:
                subscription = vnet.subscription_id
            if subscription_of(vnet_id) != subscription.lower():
                self.problem(
                    f"vnets.{key}",
                    vnet_id,
                    f"is in subscription {subscription_of(vnet_id)}, but the plan puts VNet {key} in subscription "
                    f"{subscription} (its resources attach there; Azure requires private endpoints, VM NICs and "
                    "Azure ML compute to be in their VNet's subscription)",
                    f"give a VNet in subscription {subscription}, or change project_subscriptions so that the ids "
                    f"of {key} live in {subscription_of(vnet_id)}",
                )
                continue
            if vnet is not None:
                self.brought_vnets[key] = vnet_id

    # --- subnets -----------------------------------------------------------------------------------

    def subnets(self) -> None:
        for key, given in self.existing.subnets.items():
            found = self._planned_subnet(key)
            if found is None:
                continue
            vnet_key, planned = found
            field = f"subnets.{key}"
            vnet_id = self.existing.vnets.get(vnet_key)
            if vnet_id is None:
                self.problem(
                    f"{field}.id",
                    given.id,
                    f"{key} belongs to VNet {vnet_key}, which the factory creates (it is not listed under "
                    "existing.vnets); the factory creates every subnet of a VNet it creates",
                    f"list the existing VNet under existing.vnets.{vnet_key}, or remove this entry",
                )
                continue
            if vnet_key not in self.brought_vnets:
                continue  # the VNet's own problem is reported
            problems_before = len(self.problems)
            if parent_vnet_id(given.id).lower() != vnet_id.lower():
                self.problem(
                    f"{field}.id",
                    given.id,
                    f"is in VNet {parent_vnet_id(given.id)}, but {key} belongs to VNet {vnet_key}, which is "
                    f"{vnet_id} (existing.vnets.{vnet_key})",
                    f"give the id of the subnet inside {vnet_id}",
                )
            if given.address_prefix != planned.cidr:
                self.problem(
                    f"{field}.address_prefix",
                    given.address_prefix,
                    f"subnet {key} is {given.address_prefix}, but the IP plan gives {key} {planned.cidr} "
                    f"({planned.usable_addresses} usable addresses"
                    + (f", delegated to {planned.delegation}" if planned.delegation else "")
                    + "); the NSG rules of this and other projects are written for the planned ranges",
                    f"create (or re-create) the subnet with address prefix {planned.cidr} and set address_prefix "
                    f"to {planned.cidr} (aifactory ipam {self.stack.environment} prints every range)",
                )
            if planned.name == _BASTION and subnet_name_of(given.id) != _BASTION:
                self.problem(
                    f"{field}.id",
                    given.id,
                    f"is named {subnet_name_of(given.id)}; Azure Bastion only deploys into a subnet named {_BASTION}",
                    f"give the id of the VNet's {_BASTION}",
                )
            if len(self.problems) == problems_before:
                self.brought_subnets[key] = given.id

    def _planned_subnet(self, key: str) -> tuple[str, PlannedSubnet] | None:
        """The planned VNet key and subnet for a subnet key; None (with a problem, or skipped) otherwise."""
        plan = self.plan
        workload, _, subnet_key = key.partition("/")
        field = f"subnets.{key}"
        if workload == "common":
            return plan.common.key, plan.common_subnet(subnet_key)
        project_id = int(workload[1:])
        if workload != f"p{project_id:03d}":
            self.problem(
                field, key, f"is not how the plan names project {project_id}", f"use p{project_id:03d}/{subnet_key}"
            )
            return None
        network = plan.projects.get(project_id)
        if network is None:
            if project_id not in self.project_ids:
                self.problem(
                    field,
                    key,
                    f"there is no project {project_id} in {plan.environment}",
                    f"remove the entry, or add project {project_id} to {plan.environment} (its file's environments)",
                )
            return None
        try:
            return network.vnet_key, network.subnet(subnet_key)
        except KeyError:
            self.problem(
                field,
                key,
                f"project {project_id}'s layout has no {subnet_key} subnet; its subnets are "
                + ", ".join(s.key for s in network.subnets),
                "use one of the project's subnet keys, or remove the entry",
            )
            return None

    def complete(self) -> None:
        """Every needed subnet of a brought VNet must be brought: nothing is created inside it."""
        for workload, vnet_key, subnet in self._needed_subnets():
            key = f"{workload}/{subnet.key}"
            if vnet_key not in self.brought_vnets or key in self.existing.subnets:
                continue
            requirements = f"address prefix {subnet.cidr}" + (
                f", delegated to {subnet.delegation}" if subnet.delegation else ""
            )
            self.problem(
                f"subnets.{key}",
                None,
                f"is missing: VNet {vnet_key} is an existing VNet, so the factory creates no subnet in it, and the "
                f"plan needs {key} ({requirements})",
                f"create subnet {subnet.name if subnet.name == _BASTION else '<name>'} with {requirements} and its NSG "
                f"in {self.brought_vnets[vnet_key]}, then list it here with its id and address_prefix "
                f"{subnet.cidr} (docs/network.md, Bring your own network)",
            )

    def _needed_subnets(self) -> list[tuple[str, str, PlannedSubnet]]:
        plan = self.plan
        found = [("common", plan.common.key, s) for s in plan.common_subnets if s.needed]
        found.extend(
            (f"p{project_id:03d}", network.vnet_key, s)
            for project_id, network in plan.projects.items()
            for s in network.needed_subnets
        )
        return found

    # --- the adopted plan --------------------------------------------------------------------------

    def adopted(self) -> IpPlan:
        plan = self.plan
        self.brought_workloads = {key.partition("/")[0] for key in self.brought_subnets}
        return dataclasses.replace(
            plan,
            common=self._vnet(plan.common),
            shards=tuple(self._vnet(shard) for shard in plan.shards),
            common_subnets=tuple(self._subnet("common", s) for s in plan.common_subnets),
            projects={project_id: self._project(network) for project_id, network in plan.projects.items()},
        )

    def _vnet(self, vnet: PlannedVnet) -> PlannedVnet:
        vnet_id = self.brought_vnets.get(vnet.key)
        return vnet if vnet_id is None else dataclasses.replace(vnet, existing_id=vnet_id)

    def _subnet(self, workload: str, subnet: PlannedSubnet) -> PlannedSubnet:
        subnet_id = self.brought_subnets.get(f"{workload}/{subnet.key}")
        if subnet_id is None:
            return subnet
        return dataclasses.replace(subnet, name=subnet_name_of(subnet_id), existing_id=subnet_id)

    def _project(self, network: ProjectNetworkPlan) -> ProjectNetworkPlan:
        workload = f"p{network.project_id:03d}"
        if workload not in self.brought_workloads:
            return network
        return dataclasses.replace(network, subnets=tuple(self._subnet(workload, s) for s in network.subnets))
