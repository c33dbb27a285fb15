"""Bring-your-own network, pure: existing VNets and subnets fitted into the IP plan, or clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.ipam import IpPlan, PlannedSubnet
from aifactory.plan.ipam.existing import conforming_subnet, subnet_findings, vnet_findings
from tests.byo_network import NETWORK_GROUP, PROJECTS, SHARED, existing_for, vnet_id
from tests.support import SUBSCRIPTION, factory_plan

OTHER_SUBSCRIPTION = "6f1d2c3b-0000-4000-8000-00000000d0ff"


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> FactoryPlan:
    """The plan with a factory-made network: what the network team is asked to build."""
    return factory_plan(tmp_path_factory.mktemp("created"), PROJECTS, shared_services=SHARED)


def plan_with(folder: Path, existing: dict[str, Any], **stack: Any) -> FactoryPlan:
    network = {"address_space": "172.20.0.0/14", "existing": existing, **stack.pop("network", {})}
    return factory_plan(folder, PROJECTS, shared_services=SHARED, network=network, **stack)


def problems_of(folder: Path, existing: dict[str, Any], **stack: Any) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        plan_with(folder, existing, **stack)
    return list(caught.value.problems)


def without_existing(plan: IpPlan) -> IpPlan:
    """The plan with every existing id removed and every planned name restored by the given one."""
    return dataclasses.replace(
        plan,
        common=dataclasses.replace(plan.common, existing_id=None),
        shards=tuple(dataclasses.replace(s, existing_id=None) for s in plan.shards),
        common_subnets=tuple(dataclasses.replace(s, existing_id=None, name="") for s in plan.common_subnets),
        projects={
            i: dataclasses.replace(
                n, subnets=tuple(dataclasses.replace(s, existing_id=None, name="") for s in n.subnets)
            )
            for i, n in plan.projects.items()
        },
    )


def test_brought_vnets_and_subnets_keep_every_planned_range(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    plan = plan_with(tmp_path, existing)
    ip_plan = plan.ip_plan
    assert ip_plan.common.existing_id == vnet_id("common")
    assert ip_plan.shard("shard-01").existing_id == vnet_id("shard-01")
    brought = {
        f"{workload}/{s.key}": s
        for workload, subnets in [("common", ip_plan.common_subnets)]
        + [(f"p{i:03d}", n.subnets) for i, n in ip_plan.projects.items()]
        for s in subnets
        if s.existing_id is not None
    }
    assert set(brought) == set(existing["subnets"])
    for key, subnet in brought.items():
        assert subnet.existing_id == existing["subnets"][key]["id"]
        assert subnet.name == existing["subnets"][key]["id"].rsplit("/", 1)[1]
    assert ip_plan.common_subnet("bastion").name == "AzureBastionSubnet"
    # Nothing but the ids and names differs from the plan of a factory-made network.
    assert without_existing(ip_plan) == without_existing(created.ip_plan)
    # The NSG plan (what the network team's NSGs must allow) is the factory-made network's.
    assert [(n.key, n.name, n.rules) for n in plan.nsgs.nsgs] == [(n.key, n.name, n.rules) for n in created.nsgs.nsgs]


def test_only_the_common_vnet_may_be_brought(created: FactoryPlan, tmp_path: Path) -> None:
    plan = plan_with(tmp_path, existing_for(created, ("common",)))
    assert plan.ip_plan.common.existing_id == vnet_id("common")
    assert plan.ip_plan.shard("shard-01").existing_id is None
    assert all(s.existing_id is None for p in plan.projects for s in p.network.subnets)


def test_a_mismatching_subnet_names_the_subnet_both_ranges_and_the_fix(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    planned = created.project(7).network.subnet("compute").cidr
    existing["subnets"]["p007/compute"]["address_prefix"] = "172.20.200.0/26"
    problems = problems_of(tmp_path, existing)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == "Pulumi.dev.yaml"
    assert problem.field == "aifactory:network.existing.subnets.p007/compute.address_prefix"
    assert problem.value == "172.20.200.0/26"
    assert "subnet p007/compute is 172.20.200.0/26" in problem.message
    assert f"the IP plan gives p007/compute {planned}" in problem.message
    assert f"address prefix {planned}" in problem.fix
    assert "aifactory ipam dev" in problem.fix


def test_every_needed_subnet_of_a_brought_vnet_must_be_listed(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    del existing["subnets"]["p007/databricks_host"]
    del existing["subnets"]["common/jump_hosts"]
    problems = {p.field: p for p in problems_of(tmp_path, existing)}
    assert set(problems) == {
        "aifactory:network.existing.subnets.p007/databricks_host",
        "aifactory:network.existing.subnets.common/jump_hosts",
    }
    host = problems["aifactory:network.existing.subnets.p007/databricks_host"]
    planned = created.project(7).network.subnet("databricks_host").cidr
    assert "VNet shard-01 is an existing VNet" in host.message
    assert f"address prefix {planned}, delegated to Microsoft.Databricks/workspaces" in host.message
    assert vnet_id("shard-01") in host.fix


def test_a_subnet_of_a_vnet_the_factory_creates_is_refused(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created, ("common",))
    # The project's subnet, placed in the common VNet: shard-01 itself is the factory's.
    subnet = created.project(7).network.subnet("compute")
    existing["subnets"]["p007/compute"] = {
        "id": f"{vnet_id('common')}/subnets/corp-p007-compute",
        "address_prefix": subnet.cidr,
    }
    (problem,) = problems_of(tmp_path, existing)
    assert problem.field == "aifactory:network.existing.subnets.p007/compute.id"
    assert "belongs to VNet shard-01, which the factory creates" in problem.message
    assert "existing.vnets.shard-01" in problem.fix


def test_a_subnet_in_the_vnet_of_another_plan_key_is_refused(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    existing["subnets"]["p007/compute"]["id"] = f"{vnet_id('common')}/subnets/corp-p007-compute"
    (problem,) = problems_of(tmp_path, existing)
    assert problem.field == "aifactory:network.existing.subnets.p007/compute.id"
    assert f"but p007/compute belongs to VNet shard-01, which is {vnet_id('shard-01')}" in problem.message


def test_a_vnet_in_another_subscription_than_the_plan_puts_it_is_refused(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    group = NETWORK_GROUP.replace(SUBSCRIPTION, OTHER_SUBSCRIPTION)
    existing["vnets"]["shard-01"] = vnet_id("shard-01", group)
    for key, subnet in existing["subnets"].items():
        if not key.startswith("common/"):
            subnet["id"] = subnet["id"].replace(SUBSCRIPTION, OTHER_SUBSCRIPTION)
    (problem,) = problems_of(tmp_path, existing)
    assert problem.field == "aifactory:network.existing.vnets.shard-01"
    assert f"is in subscription {OTHER_SUBSCRIPTION}" in problem.message
    assert f"the plan puts VNet shard-01 in subscription {SUBSCRIPTION}" in problem.message


def test_unknown_projects_keys_and_a_misnamed_bastion_subnet_are_refused(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    existing["vnets"]["shard-99"] = vnet_id("shard-99")
    existing["subnets"]["p009/compute"] = {"id": f"{vnet_id('shard-01')}/subnets/x", "address_prefix": "10.0.0.0/26"}
    existing["subnets"]["p008/compute"] = {"id": f"{vnet_id('shard-01')}/subnets/y", "address_prefix": "10.0.0.0/26"}
    existing["subnets"]["common/bastion"]["id"] = f"{vnet_id('common')}/subnets/snet-bastion"
    problems = {p.field: p for p in problems_of(tmp_path, existing)}
    assert set(problems) == {
        "aifactory:network.existing.vnets.shard-99",
        "aifactory:network.existing.subnets.p009/compute",
        "aifactory:network.existing.subnets.p008/compute",
        "aifactory:network.existing.subnets.common/bastion.id",
    }
    assert "is not a VNet of dev's IP plan" in problems["aifactory:network.existing.vnets.shard-99"].message
    assert "there is no project 9 in dev" in problems["aifactory:network.existing.subnets.p009/compute"].message
    assert "has no compute subnet" in problems["aifactory:network.existing.subnets.p008/compute"].message
    assert "AzureBastionSubnet" in problems["aifactory:network.existing.subnets.common/bastion.id"].message


def test_an_unused_project_vnet_of_the_address_space_may_be_listed(created: FactoryPlan, tmp_path: Path) -> None:
    existing = existing_for(created)
    existing["vnets"]["shard-02"] = vnet_id("shard-02")
    plan = plan_with(tmp_path, existing)
    assert [s.key for s in plan.ip_plan.shards] == ["shard-01"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("vnets", "shard-1"), "aifactory:network.existing.vnets.shard-1", "is not a VNet of the IP plan"),
        (("subnets", "p007/gpu"), "aifactory:network.existing.subnets.p007/gpu", "is not a subnet key of the IP plan"),
        (("vnet_id", "/subscriptions/x/vnet"), "aifactory:network.existing.vnets.common", "resource id of a virtual"),
        (("subnet_id", "vnet-only"), "aifactory:network.existing.subnets.p007/compute.id", "resource id of a subnet"),
        (("prefix", "172.20.140.65/26"), "aifactory:network.existing.subnets.p007/compute.address_prefix", "network"),
        (("duplicate", ""), "aifactory:network.existing.subnets.p007/aks.id", "is also given for p007/compute"),
        (("unlisted_vnet", ""), "aifactory:network.existing.subnets.p007/compute.id", "not in existing.vnets"),
    ],
)
def test_the_config_model_refuses_malformed_entries(
    created: FactoryPlan, tmp_path: Path, change: tuple[str, str], field: str, words: str
) -> None:
    existing = existing_for(created)
    kind, value = change
    compute = existing["subnets"]["p007/compute"]
    if kind == "vnets":
        existing["vnets"][value] = vnet_id("shard-01")
    elif kind == "subnets":
        existing["subnets"][value] = compute
    elif kind == "vnet_id":
        existing["vnets"]["common"] = value
    elif kind == "subnet_id":
        compute["id"] = value
    elif kind == "prefix":
        compute["address_prefix"] = value
    elif kind == "duplicate":
        existing["subnets"]["p007/aks"] = dict(compute)
    else:
        compute["id"] = compute["id"].replace("rg-corp-network", "rg-elsewhere")
    problems = problems_of(tmp_path, existing)
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message
    assert problems[0].fix


# --- what only Azure knows: read at deploy time, checked by the same pure functions --------------


def _brought(plan: FactoryPlan, key: str) -> PlannedSubnet:
    workload, _, subnet_key = key.partition("/")
    if workload == "common":
        return plan.ip_plan.common_subnet(subnet_key)
    return plan.project(int(workload[1:])).network.subnet(subnet_key)


@pytest.fixture(scope="module")
def brought(created: FactoryPlan, tmp_path_factory: pytest.TempPathFactory) -> FactoryPlan:
    return plan_with(tmp_path_factory.mktemp("brought"), existing_for(created))


@pytest.mark.parametrize("firewall", [False, True])
def test_a_subnet_built_as_the_plan_asks_has_no_findings(brought: FactoryPlan, firewall: bool) -> None:
    keys = ["common/private_endpoints", "common/bastion", "p007/databricks_host", "p008/agents", "p007/compute"]
    for key in keys:
        planned = _brought(brought, key)
        assert subnet_findings(key, planned, conforming_subnet(planned, firewall=firewall), firewall=firewall) == []


def test_each_deviation_of_a_brought_subnet_is_a_finding(brought: FactoryPlan) -> None:
    planned = _brought(brought, "common/private_endpoints")
    good = conforming_subnet(planned, firewall=True)
    bad = dataclasses.replace(
        good,
        address_prefixes=("172.20.0.0/25",),
        network_security_group_id=None,
        route_table_id=None,
        delegations=("Microsoft.Web/serverFarms",),
        private_endpoint_network_policies="NetworkSecurityGroupEnabled",
    )
    found = subnet_findings("common/private_endpoints", planned, bad, firewall=True)
    assert found == [
        f"common/private_endpoints: Azure has address prefix 172.20.0.0/25; the IP plan gives {planned.cidr}",
        "common/private_endpoints: has no network security group (every subnet needs one, see nsgs in aifactory ipam "
        "<stack> --json)",
        "common/private_endpoints: is delegated to Microsoft.Web/serverFarms; the plan needs no delegation",
        "common/private_endpoints: has no route table, so its traffic bypasses the hub firewall (hub.firewall_ip)",
        "common/private_endpoints: privateEndpointNetworkPolicies is NetworkSecurityGroupEnabled, so the NSG and the "
        "route table do not apply to the private endpoints; set it to Enabled",
    ]
    # Without a firewall, a missing route table is fine and NSG-only endpoint policies suffice.
    nsg_only = dataclasses.replace(
        good, route_table_id=None, private_endpoint_network_policies="NetworkSecurityGroupEnabled"
    )
    assert subnet_findings("common/private_endpoints", planned, nsg_only, firewall=False) == []
    agents = _brought(brought, "p008/agents")
    undelegated = dataclasses.replace(conforming_subnet(agents, firewall=False), delegations=())
    assert subnet_findings("p008/agents", agents, undelegated, firewall=False) == [
        "p008/agents: is delegated to nothing; the plan needs Microsoft.App/environments"
    ]
    bastion = _brought(brought, "common/bastion")
    no_route = dataclasses.replace(conforming_subnet(bastion, firewall=True), route_table_id=None)
    assert subnet_findings("common/bastion", bastion, no_route, firewall=True) == []


def test_a_brought_vnet_must_be_in_the_stacks_region() -> None:
    assert vnet_findings("common", "swedencentral", "Sweden Central") == []
    assert vnet_findings("common", "swedencentral", "westeurope") == [
        "VNet common: is in westeurope; the stack's location is swedencentral"
    ]
