"""Bring-your-own network under the offline mocks: brought VNets and subnets are used, never created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from aifactory.offline import stack_run
from aifactory.offline.existing_network import existing_network_answers, subnet_key, vnet_key
from aifactory.offline.limits import PRIVATE_ENDPOINTS
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.report import limits_of, workloads
from aifactory.offline.stack_run import StackPlan, run_stack
from aifactory.plan.factory import FactoryPlan
from tests.byo_network import PROJECTS, SHARED, existing_for, vnet_id, write_repo
from tests.support import BASE_STACK, factory_plan

SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"
NSG = "azure-native:network:NetworkSecurityGroup"
PEERING = "azure-native:network:VirtualNetworkPeering"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
HUB_VNET = (
    "/subscriptions/6f1d2c3b-0000-4000-8000-0000000000c0/resourceGroups/rg-hub"
    "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
)


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> FactoryPlan:
    return factory_plan(tmp_path_factory.mktemp("created"), PROJECTS, shared_services=SHARED)


def _network(existing: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"address_space": BASE_STACK["network"]["address_space"], "existing": existing, **fields}


@pytest.fixture(scope="module")
def brought(tmp_path_factory: pytest.TempPathFactory, created: FactoryPlan) -> tuple[dict[str, Any], StackPlan]:
    """Every VNet and subnet brought, with a hub: the factory creates no network resource at all."""
    existing = existing_for(created)
    network = _network(existing, hub={"vnet_id": HUB_VNET, "firewall_ip": "10.100.0.4"})
    return existing, run_stack(write_repo(tmp_path_factory.mktemp("brought"), network), "dev", jobs=1)


def _endpoint_subnets(resources: list[RecordedResource]) -> dict[str, str]:
    return {r.name: r.inputs["subnet"]["id"] for r in resources if r.type == ENDPOINT}


def test_a_brought_network_creates_no_vnet_subnet_nsg_peering_or_route_table(brought: Any) -> None:
    _, result = brought
    network_types = {VNET, SUBNET, NSG, PEERING, "azure-native:network:RouteTable", "azure-native:network:SecurityRule"}
    assert [r.name for r in result.run.resources if r.type in network_types] == []
    # No diagnostic settings for network resources the factory does not own.
    diagnosed = [r.name for r in result.run.resources if r.type.endswith("DiagnosticSetting")]
    assert not [name for name in diagnosed if "vnet" in name or "nsg" in name]


def test_endpoints_compute_and_dns_use_the_given_ids(brought: Any) -> None:
    existing, result = brought
    given = {subnet["id"] for subnet in existing["subnets"].values()}
    endpoints = _endpoint_subnets(result.run.resources)
    assert endpoints
    assert set(endpoints.values()) <= given
    assert existing["subnets"]["common/private_endpoints"]["id"] in endpoints.values()
    assert existing["subnets"]["p007/private_endpoints"]["id"] in endpoints.values()
    assert existing["subnets"]["p008/private_endpoints"]["id"] in endpoints.values()
    databricks = result.run.of_type("azure-native:databricks:Workspace")
    project_workspace = next(r for r in databricks if "p007" in r.name)
    parameters = project_workspace.inputs["parameters"]
    assert parameters["customVirtualNetworkId"]["value"] == vnet_id("shard-01")
    assert parameters["customPublicSubnetName"]["value"] == "corp-p007-databricks_host"
    assert parameters["customPrivateSubnetName"]["value"] == "corp-p007-databricks_container"
    links = {r.inputs["virtualNetwork"]["id"] for r in result.run.of_type(ZONE_LINK)}
    assert links == {vnet_id("common"), vnet_id("shard-01")}


def test_endpoints_count_against_the_brought_vnets_limit(brought: Any) -> None:
    _, result = brought
    counted = {c.scope: c.count for c in limits_of(result).checks if c.limit == PRIVATE_ENDPOINTS}
    endpoints = _endpoint_subnets(result.run.resources).values()
    assert counted == {
        vnet_id(key)
        .lower()
        .replace("/subscriptions/", "")
        .replace("/resourcegroups/", "/")
        .replace("/providers/microsoft.network/virtualnetworks/", "/"): sum(
            1 for subnet in endpoints if f"/vnet-corp-{key}/" in subnet
        )
        for key in ("common", "shard-01")
    }


def test_a_factory_vnet_peers_with_a_brought_one_from_its_own_side(tmp_path: Path, created: FactoryPlan) -> None:
    """The common VNet is brought, the project VNet is the factory's: it writes only its own peering side."""
    existing = existing_for(created, ("common",))
    result = run_stack(write_repo(tmp_path, _network(existing)), "dev", jobs=1)
    vnets = result.run.of_type(VNET)
    assert [r.inputs["virtualNetworkName"] for r in vnets] == [created.namer.common("virtual_network", "shard-01")]
    peerings = result.run.of_type(PEERING)
    assert [(p.name, p.inputs["remoteVirtualNetwork"]["id"]) for p in peerings] == [
        ("common-peer-shard-01-to-common", vnet_id("common"))
    ]
    subnets = {r.inputs["subnetName"] for r in result.run.of_type(SUBNET)}
    planned = {s.name for p in created.projects for s in p.network.needed_subnets}
    assert subnets == planned
    assert {r.name for r in result.run.of_type(NSG)} == {"p007-nsg", "p007-nsg-databricks", "p008-nsg"}


def test_the_sharded_layout_gives_projects_the_same_inputs(tmp_path: Path, brought: Any) -> None:
    """Project stacks take the brought ids from the stack config: a project's inputs do not depend on
    its layout (moving it between layouts replaces nothing)."""
    existing, single = brought
    network = _network(existing, hub={"vnet_id": HUB_VNET, "firewall_ip": "10.100.0.4"})
    sharded = run_stack(write_repo(tmp_path, network, layout="sharded"), "dev", jobs=1)
    assert _endpoint_subnets(sharded.run.resources) == _endpoint_subnets(single.run.resources)
    for key in ("p007", "p008"):
        left, right = _project_inputs(single, key), _project_inputs(sharded, key)
        assert left and left == right, key


def _project_inputs(result: StackPlan, key: str) -> dict[tuple[str, str], Any]:
    owners = workloads(result.run)
    return {(r.type, r.name): r.inputs for r in result.run.resources if r.custom and owners[r.urn] == key}


def test_a_brought_subnet_that_does_not_fit_stops_the_run_with_what_to_change(
    tmp_path: Path, created: FactoryPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What only Azure knows is read when the program runs (``pulumi preview`` too); offline, the
    answers are the plan's, so here one answer is replaced by a subnet the network team got wrong."""
    existing = existing_for(created)

    def answers(plan: FactoryPlan) -> dict[tuple[str, ...], dict[str, Any]]:
        found = existing_network_answers(plan)
        compute = subnet_key("rg-corp-network", "vnet-corp-shard-01", "corp-p007-compute")
        found[compute] = {**found[compute], "networkSecurityGroup": None, "addressPrefix": "172.20.140.64/27"}
        common = vnet_key("rg-corp-network", "vnet-corp-common")
        found[common] = {**found[common], "location": "westeurope"}
        return found

    monkeypatch.setattr(stack_run, "existing_network_answers", answers)
    with pytest.raises(pulumi.RunError) as raised:
        run_stack(write_repo(tmp_path, _network(existing)), "dev", jobs=1)
    message = str(raised.value)
    planned = created.project(7).network.subnet("compute").cidr
    # Every misfit at once, with the fix.
    assert message.splitlines()[1:4] == [
        "  - VNet common: is in westeurope; the stack's location is swedencentral",
        f"  - p007/compute: Azure has address prefix 172.20.140.64/27; the IP plan gives {planned}",
        "  - p007/compute: has no network security group (every subnet needs one, see nsgs in aifactory ipam <stack> "
        "--json)",
    ]
    assert message.startswith("the existing network (aifactory:network.existing) does not fit the plan:")
    assert "fix: change the VNets and subnets in Azure as listed" in message
