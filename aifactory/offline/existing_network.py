"""What the offline plan's Azure says about a brought network: exactly what the plan asks for.

Under ``pulumi preview`` / ``up`` the program reads every brought VNet and subnet from Azure and
stops when one does not fit (:mod:`aifactory.plan.ipam.existing`). Offline there is no Azure, so the
mocks answer those reads as if the network team had built what the plan asks
(:func:`~aifactory.plan.ipam.existing.conforming_subnet`): the offline plan shows the factory on a
network that fits, and tests replace single answers to see the checks stop a run.
"""

from __future__ import annotations

from typing import Any

from aifactory.config.existing_network import parent_vnet_id, vnet_parts
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.ipam.existing import ObservedSubnet, conforming_subnet

__all__ = ["ExistingNetworkAnswers", "existing_network_answers", "subnet_answer", "subnet_key", "vnet_key"]

ExistingNetworkAnswers = dict[tuple[str, ...], dict[str, Any]]
"""Answers by :func:`subnet_key` / :func:`vnet_key`, in the provider's camelCase shape."""


def vnet_key(resource_group: str, vnet: str) -> tuple[str, ...]:
    return ("vnet", resource_group.lower(), vnet.lower())


def subnet_key(resource_group: str, vnet: str, subnet: str) -> tuple[str, ...]:
    return ("subnet", resource_group.lower(), vnet.lower(), subnet.lower())


def subnet_answer(subnet_id: str, observed: ObservedSubnet) -> dict[str, Any]:
    """A ``getSubnet`` result as the provider returns it."""
    answer: dict[str, Any] = {
        "id": subnet_id,
        "name": subnet_id.rsplit("/", 1)[1],
        "addressPrefix": observed.address_prefixes[0] if len(observed.address_prefixes) == 1 else None,
        "addressPrefixes": list(observed.address_prefixes) if len(observed.address_prefixes) > 1 else None,
        "delegations": [{"name": name.replace("/", "."), "serviceName": name} for name in observed.delegations],
        "privateEndpointNetworkPolicies": observed.private_endpoint_network_policies,
    }
    if observed.network_security_group_id:
        answer["networkSecurityGroup"] = {"id": observed.network_security_group_id}
    if observed.route_table_id:
        answer["routeTable"] = {"id": observed.route_table_id}
    return answer


def existing_network_answers(plan: FactoryPlan) -> ExistingNetworkAnswers:
    """Every brought VNet (in the stack's region) and subnet (as planned) of ``plan``."""
    hub = plan.stack.network.hub
    firewall = hub is not None and hub.firewall_ip is not None
    answers: ExistingNetworkAnswers = {}
    ip_plan = plan.ip_plan
    for vnet in ip_plan.vnets:
        if vnet.existing_id is not None:
            _, group, name = vnet_parts(vnet.existing_id)
            answers[vnet_key(group, name)] = {"id": vnet.existing_id, "name": name, "location": plan.stack.location}
    subnets = [*ip_plan.common_subnets, *(s for p in ip_plan.projects.values() for s in p.subnets)]
    for subnet in subnets:
        if subnet.existing_id is None:
            continue
        _, group, name = vnet_parts(parent_vnet_id(subnet.existing_id))
        observed = conforming_subnet(subnet, firewall=firewall)
        answers[subnet_key(group, name, subnet.name)] = subnet_answer(subnet.existing_id, observed)
    return answers
