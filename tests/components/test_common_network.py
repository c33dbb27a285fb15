"""CommonNetwork under the offline mocks: NSGs, delegations, subnet order, peering, routes, subscriptions."""

from __future__ import annotations

import itertools
from typing import Any

import netaddr
import pulumi_azure_native as azure_native
import pytest

from aifactory.components.network import CommonNetwork, CommonNetworkArgs
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan
from tests.support import SUBSCRIPTION, factory_plan, project, run_program

SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"
NSG = "azure-native:network:NetworkSecurityGroup"
PEERING = "azure-native:network:VirtualNetworkPeering"
ROUTE_TABLE = "azure-native:network:RouteTable"
SCALE_SET = "6f1d2c3b-0000-4000-8000-00000000d002"
HUB_VNET = (
    "/subscriptions/6f1d2c3b-0000-4000-8000-0000000000c0/resourceGroups/rg-hub"
    "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
)
ESML_ALL: dict[str, Any] = {"machine_learning": {}, "databricks": {}, "aks": {}}
GENAI_ALL: dict[str, Any] = {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}, "container_apps": {}, "web_app": {}}


def _run(plan: FactoryPlan) -> tuple[OfflineRun, dict[str, CommonNetwork]]:
    built: dict[str, CommonNetwork] = {}

    def program() -> None:
        providers: dict[str, azure_native.Provider] = {}

        def lookup(subscription_id: str) -> azure_native.Provider:
            if subscription_id not in providers:
                providers[subscription_id] = azure_native.Provider(
                    f"azure-native-{subscription_id}", subscription_id=subscription_id
                )
            return providers[subscription_id]

        built["network"] = network = CommonNetwork("network", CommonNetworkArgs(plan=plan, providers=lookup))
        # A consumer of a VNet id, as the private DNS links are.
        azure_native.resources.ResourceGroup("probe", tags={"vnet": network.vnet_ids["shard-01"]})

    return run_program(program), built


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactoryPlan, OfflineRun, CommonNetwork]:
    """Two project types with every subnet, Bastion, jump host and the Power BI gateway; no hub."""
    plan = factory_plan(
        tmp_path_factory.mktemp("full"),
        [project(7, "fraud", "esml", services=ESML_ALL), project(8, "copilot", "genai", services=GENAI_ALL)],
        shared_services={"bastion": True, "jump_host": True},
        network={"address_space": "172.20.0.0/14", "power_bi_gateway": True},
    )
    run, built = _run(plan)
    return plan, run, built["network"]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactoryPlan, OfflineRun, CommonNetwork]:
    """A hub with a firewall, and a second subscription holding the second shard (ids 65-128)."""
    plan = factory_plan(
        tmp_path_factory.mktemp("hub"),
        [project(7, "fraud", "esml", services=ESML_ALL), project(70, "forecast", "esml")],
        shared_services={"bastion": True},
        network={
            "address_space": "172.20.0.0/14",
            "hub": {
                "vnet_id": HUB_VNET,
                "firewall_ip": "10.100.0.4",
                "use_remote_gateways": True,
                "allow_forwarded_traffic": True,
            },
            "dns_servers": ["10.100.1.4"],
        },
        project_subscriptions=[{"subscription_id": SCALE_SET, "first_id": 65, "last_id": 128}],
    )
    run, built = _run(plan)
    return plan, run, built["network"]


def _by_name(run: OfflineRun, type_token: str) -> dict[str, RecordedResource]:
    return {r.name: r for r in run.of_type(type_token)}


def _provider_subscription(resource: RecordedResource) -> str:
    assert resource.provider is not None
    return resource.provider.split("::")[3].removeprefix("azure-native-")


def test_every_needed_subnet_exists_with_its_nsg_and_delegation(full: Any) -> None:
    plan, run, network = full
    subnets = _by_name(run, SUBNET)
    nsg_plan = plan.nsgs
    expected = {f"common/{s.key}": s for s in plan.ip_plan.common_subnets if s.needed}
    expected |= {f"{p.key}/{s.key}": s for p in plan.projects for s in p.network.needed_subnets}
    assert set(network.subnet_ids) == set(expected)
    assert {"common/bastion", "common/jump_hosts", "common/power_bi_gateway", "p008/agents"} <= set(expected)
    assert len(subnets) == len(expected)
    for key, planned in expected.items():
        subnet = subnets[f"{key.replace('/', '-snet-')}"]
        inputs = subnet.inputs
        assert (inputs["subnetName"], inputs["addressPrefix"]) == (planned.name, planned.cidr)
        workload = key.split("/")[0]
        nsg_name = nsg_plan.for_subnet(workload, planned.key).name
        assert inputs["networkSecurityGroup"]["id"].endswith(f"/NetworkSecurityGroup/{nsg_name}"), key
        delegations = [d["serviceName"] for d in inputs.get("delegations") or []]
        assert delegations == ([planned.delegation] if planned.delegation else []), key
        policies = inputs.get("privateEndpointNetworkPolicies")
        assert policies == ("Enabled" if planned.key == "private_endpoints" else "Disabled"), key
    assert subnets["common-snet-bastion"].inputs["subnetName"] == "AzureBastionSubnet"
    assert subnets["common-snet-power_bi_gateway"].inputs["delegations"][0]["serviceName"] == (
        "Microsoft.PowerPlatform/vnetaccesslinks"
    )


def test_nsgs_carry_the_planned_rules_and_databricks_keeps_its_own(full: Any) -> None:
    plan, run, _ = full
    nsgs = _by_name(run, NSG)
    assert set(nsgs) == {
        "common-nsg-private_endpoints",
        "common-nsg-bastion",
        "common-nsg-jump_hosts",
        "common-nsg-power_bi_gateway",
        "common-nsg-databricks_web_auth",
        "p007-nsg",
        "p007-nsg-databricks",
        "p008-nsg",
    }
    databricks_nsgs = ("p007-nsg-databricks", "common-nsg-databricks_web_auth")
    for name, nsg in nsgs.items():
        if name in databricks_nsgs:
            continue
        rules = {rule["name"]: rule for rule in nsg.inputs["securityRules"]}
        assert rules["DenyAllInbound"]["priority"] == 4096.0, name
        assert rules["DenyAllInbound"]["access"] == "Deny"
    allow = {r["name"]: r for r in nsgs["p007-nsg"].inputs["securityRules"]}["AllowProjectInbound"]
    fraud = plan.project(7).network
    assert allow["sourceAddressPrefix"] == fraud.slot
    assert allow["destinationAddressPrefixes"] == [
        fraud.subnet(k).cidr for k in ("private_endpoints", "compute", "aks")
    ]
    # Databricks writes its rules into these NSGs: ours are separate resources, the list is not declared.
    denies = {r.parent: r for r in run.of_type("azure-native:network:SecurityRule")}
    assert set(denies) == {nsgs[name].urn for name in databricks_nsgs}
    for name in databricks_nsgs:
        assert "securityRules" not in nsgs[name].inputs
        deny = denies[nsgs[name].urn]
        assert (deny.inputs["securityRuleName"], deny.inputs["access"], deny.inputs["priority"]) == (
            "DenyAllInbound",
            "Deny",
            4096.0,
        )
    assert nsgs["p007-nsg"].inputs["tags"]["aifactory-workload"] == "p007"


def test_subnets_of_a_vnet_are_written_one_after_another_in_address_order(full: Any) -> None:
    _, run, _ = full
    by_vnet: dict[str, list[RecordedResource]] = {}
    for subnet in run.of_type(SUBNET):
        by_vnet.setdefault(subnet.parent, []).append(subnet)
    assert len(by_vnet) == 2
    for subnets in by_vnet.values():
        ordered = sorted(subnets, key=lambda s: int(netaddr.IPNetwork(s.inputs["addressPrefix"]).first))
        subnet_urns = {s.urn for s in subnets}
        assert not subnet_urns & set(ordered[0].dependencies)
        for previous, current in itertools.pairwise(ordered):
            assert [d for d in current.dependencies if d in subnet_urns] == [previous.urn]


def test_vnets_declare_no_inline_subnets(full: Any) -> None:
    plan, run, network = full
    vnets = _by_name(run, VNET)
    assert set(vnets) == {"common-vnet", "common-vnet-shard-01"}
    assert set(network.vnet_ids) == {"common", "shard-01"}
    for vnet in vnets.values():
        assert "subnets" not in vnet.inputs
        assert "subnets" in vnet.ignore_changes
    assert vnets["common-vnet"].inputs["addressSpace"]["addressPrefixes"] == list(plan.ip_plan.common.address_prefixes)


def test_vnets_use_the_configured_dns_servers_only_when_set(full: Any, hub: Any) -> None:
    vnets = _by_name(full[1], VNET)
    assert vnets
    for vnet in vnets.values():
        assert "dhcpOptions" not in vnet.inputs
    hub_vnets = _by_name(hub[1], VNET)
    assert hub_vnets
    for vnet in hub_vnets.values():
        assert vnet.inputs["dhcpOptions"] == {"dnsServers": ["10.100.1.4"]}


def test_vnet_ids_resolve_after_the_vnets_last_write(full: Any) -> None:
    _, run, _ = full
    probe = run.named("probe")
    shard = run.named("common-vnet-shard-01")
    last_peering = run.named("common-peer-shard-01-to-common")
    assert probe.inputs["tags"]["vnet"].endswith("/vnet-acme-common-shard-01-dev-sdc")
    assert {shard.urn, last_peering.urn} <= set(probe.dependencies)


def test_without_a_hub_only_the_shard_peerings_and_no_routes(full: Any) -> None:
    _, run, _ = full
    peerings = _by_name(run, PEERING)
    assert set(peerings) == {"common-peer-shard-01-to-common", "common-peer-common-to-shard-01"}
    assert not run.of_type(ROUTE_TABLE)
    assert not any("routeTable" in s.inputs for s in run.of_type(SUBNET))
    vnets = _by_name(run, VNET)
    shard_to_common = peerings["common-peer-shard-01-to-common"]
    assert shard_to_common.parent == vnets["common-vnet-shard-01"].urn
    assert shard_to_common.inputs["remoteVirtualNetwork"]["id"].endswith("/vnet-acme-common-dev-sdc")
    assert shard_to_common.inputs["allowVirtualNetworkAccess"] is True
    assert shard_to_common.inputs["useRemoteGateways"] is False
    # Peerings wait for the VNet's last subnet: Azure serialises writes to a VNet's children.
    last_subnets = {s.urn for s in run.of_type(SUBNET) if s.parent == vnets["common-vnet-shard-01"].urn}
    assert set(shard_to_common.dependencies) & last_subnets


def test_hub_peering_from_every_vnet_with_the_spoke_side_settings(hub: Any) -> None:
    _, run, _ = hub
    peerings = _by_name(run, PEERING)
    to_hub = {name: p for name, p in peerings.items() if name.endswith("-to-hub")}
    assert set(to_hub) == {"common-peer-common-to-hub", "common-peer-shard-01-to-hub", "common-peer-shard-02-to-hub"}
    for peering in to_hub.values():
        inputs = peering.inputs
        assert inputs["remoteVirtualNetwork"]["id"] == HUB_VNET
        assert (inputs["useRemoteGateways"], inputs["allowForwardedTraffic"], inputs["allowGatewayTransit"]) == (
            True,
            True,
            False,
        )
    assert len(peerings) == 3 + 4  # hub peerings + both sides of two shard <-> common peerings


def test_firewall_route_table_on_every_subnet_but_bastion(hub: Any) -> None:
    _, run, _ = hub
    tables = _by_name(run, ROUTE_TABLE)
    assert set(tables) == {"common-rt", f"common-rt-{SCALE_SET}"}
    for table in tables.values():
        (route,) = table.inputs["routes"]
        assert (route["addressPrefix"], route["nextHopType"], route["nextHopIpAddress"]) == (
            "0.0.0.0/0",
            "VirtualAppliance",
            "10.100.0.4",
        )
        assert table.inputs["disableBgpRoutePropagation"] is True
    table_of = {_provider_subscription(t): t.inputs["routeTableName"] for t in tables.values()}
    subnets = run.of_type(SUBNET)
    assert any(s.inputs["subnetName"] == "AzureBastionSubnet" for s in subnets)
    assert any(s.inputs["subnetName"] != "AzureBastionSubnet" for s in subnets)
    for subnet in subnets:
        if subnet.inputs["subnetName"] == "AzureBastionSubnet":
            assert "routeTable" not in subnet.inputs
            continue
        route_table_id = subnet.inputs["routeTable"]["id"]
        subscription = _provider_subscription(subnet)
        assert route_table_id.startswith(f"/subscriptions/{subscription}/")
        assert route_table_id.endswith(f"/{table_of[subscription]}")


def test_shards_live_in_their_subscriptions(hub: Any) -> None:
    plan, run, network = hub
    assert plan.ip_plan.shard("shard-02").subscription_id == SCALE_SET
    groups = _by_name(run, "azure-native:resources:ResourceGroup")
    assert set(groups) == {"common-rg", f"common-rg-network-{SCALE_SET}", "probe"}
    assert _provider_subscription(groups["common-rg"]) == SUBSCRIPTION
    network_group = groups[f"common-rg-network-{SCALE_SET}"]
    assert _provider_subscription(network_group) == SCALE_SET
    assert network_group.inputs["resourceGroupName"] == "rg-acme-common-network-dev-sdc"
    vnets = _by_name(run, VNET)
    assert _provider_subscription(vnets["common-vnet"]) == SUBSCRIPTION
    assert _provider_subscription(vnets["common-vnet-shard-01"]) == SUBSCRIPTION
    assert _provider_subscription(vnets["common-vnet-shard-02"]) == SCALE_SET
    assert vnets["common-vnet-shard-02"].inputs["resourceGroupName"] == "rg-acme-common-network-dev-sdc"
    subnets = _by_name(run, SUBNET)
    assert _provider_subscription(subnets["p070-snet-private_endpoints"]) == SCALE_SET
    assert _provider_subscription(subnets["p007-snet-private_endpoints"]) == SUBSCRIPTION
    assert _provider_subscription(_by_name(run, NSG)["p070-nsg"]) == SCALE_SET
    peerings = _by_name(run, PEERING)
    assert _provider_subscription(peerings["common-peer-shard-02-to-common"]) == SCALE_SET
    assert _provider_subscription(peerings["common-peer-common-to-shard-02"]) == SUBSCRIPTION
    assert network.subnet_ids.keys() >= {"p070/private_endpoints", "p070/compute"}
