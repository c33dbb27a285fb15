"""The NSG plan: every subnet guarded, deny by default, projects isolated from each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import netaddr
import pytest

from aifactory.plan.factory import FactoryPlan
from aifactory.plan.nsg import DENY_ALL_PRIORITY, NsgPlan, PlannedNsg, SecurityRule, plan_nsgs
from tests.support import factory_plan, project

ESML_ALL: dict[str, Any] = {"machine_learning": {}, "databricks": {}, "aks": {}, "data_factory": {}}
GENAI_ALL: dict[str, Any] = {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}, "container_apps": {}, "web_app": {}}
HUB_VNET = (
    "/subscriptions/6f1d2c3b-0000-4000-8000-0000000000c0/resourceGroups/rg-hub"
    "/providers/Microsoft.Network/virtualNetworks/vnet-hub"
)


def _plan(tmp_path: Path, projects: list[dict[str, Any]] | None = None, **overrides: Any) -> FactoryPlan:
    if projects is None:
        projects = [project(7, "fraud", "esml", services=ESML_ALL), project(8, "copilot", "genai", services=GENAI_ALL)]
    return factory_plan(tmp_path, projects, **overrides)


def _nsgs(plan: FactoryPlan) -> NsgPlan:
    return plan.nsgs


def test_the_factory_plan_carries_the_nsg_plan(tmp_path: Path) -> None:
    """The NSG plan is plan data (``aifactory validate`` computes it), not a decision of the network component."""
    plan = _plan(tmp_path)
    names = {p.spec.id: p.spec.name for p in plan.projects}
    assert plan.nsgs == plan_nsgs(plan.stack.network, plan.ip_plan, plan.namer, names)
    assert {"p007", "p007/databricks", "p008", "common/private_endpoints"} <= {n.key for n in plan.nsgs.nsgs}


def _by_key(nsgs: NsgPlan) -> dict[str, PlannedNsg]:
    return {nsg.key: nsg for nsg in nsgs.nsgs}


def _rule(nsg: PlannedNsg, name: str) -> SecurityRule:
    return next(rule for rule in nsg.rules if rule.name == name)


def _inbound_sources(nsg: PlannedNsg) -> set[str]:
    return {s for rule in nsg.rules if rule.direction == "Inbound" and rule.access == "Allow" for s in rule.sources}


def test_every_needed_subnet_has_exactly_one_nsg(tmp_path: Path) -> None:
    plan = _plan(tmp_path, shared_services={"bastion": True, "jump_host": True})
    nsgs = _nsgs(plan)
    needed = [("common", s.key) for s in plan.ip_plan.common_subnets if s.needed] + [
        (p.key, s.key) for p in plan.projects for s in p.network.needed_subnets
    ]
    guarded = [(nsg.workload, key) for nsg in nsgs.nsgs for key in nsg.subnet_keys]
    assert sorted(guarded) == sorted(needed)
    assert {key for _, key in needed} >= {"bastion", "jump_hosts", "databricks_host", "agents", "app_service"}
    for workload, key in needed:
        assert key in nsgs.for_subnet(workload, key).subnet_keys


def test_unneeded_subnets_get_no_nsg(tmp_path: Path) -> None:
    nsgs = _nsgs(_plan(tmp_path, [project(7, "fraud", "esml")]))
    assert set(_by_key(nsgs)) == {"common/private_endpoints", "p007"}
    assert _by_key(nsgs)["p007"].subnet_keys == ("private_endpoints", "compute")
    with pytest.raises(KeyError, match="p007/aks"):
        nsgs.for_subnet("p007", "aks")


def test_every_nsg_denies_inbound_by_default_below_its_allow_rules(tmp_path: Path) -> None:
    nsgs = _nsgs(_plan(tmp_path, shared_services={"bastion": True, "jump_host": True}, network=_network(trusted=True)))
    assert {"common/bastion", "common/jump_hosts", "common/private_endpoints"} <= {n.key for n in nsgs.nsgs}
    for nsg in nsgs.nsgs:
        inbound = [r for r in nsg.rules if r.direction == "Inbound"]
        deny = _rule(nsg, "DenyAllInbound")
        assert (deny.access, deny.priority, deny.sources, deny.destinations, deny.ports) == (
            "Deny",
            DENY_ALL_PRIORITY,
            ("*",),
            ("*",),
            ("*",),
        )
        assert max(r.priority for r in inbound) == DENY_ALL_PRIORITY, nsg.key
        for direction in ("Inbound", "Outbound"):
            priorities = [r.priority for r in nsg.rules if r.direction == direction]
            assert len(priorities) == len(set(priorities)), f"{nsg.key}: duplicate {direction} priorities"


def test_project_accepts_only_its_own_ranges_the_common_vnet_and_trusted_ranges(tmp_path: Path) -> None:
    plan = _plan(tmp_path, network=_network(trusted=True))
    nsgs = _by_key(_nsgs(plan))
    common_vnet = plan.ip_plan.common.address_prefixes[0]
    assert len(plan.projects) >= 2
    for project_plan in plan.projects:
        nsg = nsgs[project_plan.key]
        cidrs = {s for s in _inbound_sources(nsg) if s not in ("AzureLoadBalancer", "192.168.0.0/17")}
        assert cidrs == {*project_plan.network.address_ranges, common_vnet, "10.0.0.0/8"}
        others = [p for p in plan.projects if p.key != project_plan.key]
        for other in others:
            # Both projects share shard-01: Azure's AllowVnetInBound would have let them in.
            assert other.network.vnet_key == project_plan.network.vnet_key
            other_slot = netaddr.IPNetwork(other.network.slot)
            assert not any(netaddr.IPNetwork(s) in other_slot or other_slot in netaddr.IPNetwork(s) for s in cidrs)


def test_project_rules_target_exactly_the_subnets_the_nsg_guards(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    nsg = _by_key(_nsgs(plan))["p007"]
    subnets = {s.key: s.cidr for s in plan.project(7).network.needed_subnets}
    assert nsg.subnet_keys == ("private_endpoints", "compute", "aks")
    guarded = (subnets["private_endpoints"], subnets["compute"], subnets["aks"])
    assert _rule(nsg, "AllowProjectInbound").destinations == guarded
    assert _rule(nsg, "AllowCommonInbound").destinations == guarded
    assert _rule(nsg, "AllowAzureLoadBalancerInbound").destinations == (subnets["compute"], subnets["aks"])
    assert _rule(nsg, "AllowAksPodsInbound").destinations == (subnets["aks"],)
    assert _rule(nsg, "AllowAksPodsInbound").sources == ("192.168.0.0/17",)


def test_trusted_rule_only_when_trusted_ranges_are_configured(tmp_path: Path) -> None:
    nsgs = _by_key(_nsgs(_plan(tmp_path)))
    assert not any(rule.name.startswith("AllowTrusted") for nsg in nsgs.values() for rule in nsg.rules)


def test_genai_probes_reach_container_apps_and_agents_not_private_endpoints(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    nsg = _by_key(_nsgs(plan))["p008"]
    subnets = {s.key: s.cidr for s in plan.project(8).network.needed_subnets}
    assert set(_rule(nsg, "AllowAzureLoadBalancerInbound").destinations) == {
        subnets["agents"],
        subnets["container_apps"],
    }
    assert "AllowAksPodsInbound" not in {r.name for r in nsg.rules}


def test_databricks_pair_has_its_own_nsg_whose_rules_are_separate(tmp_path: Path) -> None:
    nsgs = _by_key(_nsgs(_plan(tmp_path)))
    databricks = nsgs["p007/databricks"]
    assert databricks.subnet_keys == ("databricks_host", "databricks_container")
    assert databricks.service_rules
    assert [r.name for r in databricks.rules] == ["DenyAllInbound"]
    assert not nsgs["p007"].service_rules
    assert not set(nsgs["p007"].subnet_keys) & set(databricks.subnet_keys)
    assert databricks.name != nsgs["p007"].name


def test_bastion_nsg_has_the_rules_azure_requires(tmp_path: Path) -> None:
    nsg = _by_key(_nsgs(_plan(tmp_path, shared_services={"bastion": True})))["common/bastion"]
    rules = {(r.direction, r.access, r.protocol, r.sources, r.destinations, r.ports) for r in nsg.rules}
    required = {
        ("Inbound", "Allow", "Tcp", ("Internet",), ("*",), ("443",)),
        ("Inbound", "Allow", "Tcp", ("GatewayManager",), ("*",), ("443",)),
        ("Inbound", "Allow", "Tcp", ("AzureLoadBalancer",), ("*",), ("443",)),
        ("Inbound", "Allow", "*", ("VirtualNetwork",), ("VirtualNetwork",), ("8080", "5701")),
        ("Outbound", "Allow", "*", ("*",), ("VirtualNetwork",), ("22", "3389")),
        ("Outbound", "Allow", "Tcp", ("*",), ("AzureCloud",), ("443",)),
        ("Outbound", "Allow", "*", ("VirtualNetwork",), ("VirtualNetwork",), ("8080", "5701")),
        ("Outbound", "Allow", "*", ("*",), ("Internet",), ("80",)),
    }
    assert required <= rules
    assert len(rules) == len(required) + 1  # and the explicit deny


@pytest.mark.parametrize("bastion", [True, False])
def test_jump_hosts_take_ssh_from_bastion_only_when_there_is_one(tmp_path: Path, bastion: bool) -> None:
    plan = _plan(tmp_path, shared_services={"bastion": bastion, "jump_host": True})
    nsg = _by_key(_nsgs(plan))["common/jump_hosts"]
    allowed = [(r.sources, r.ports, r.destinations) for r in nsg.rules if r.access == "Allow"]
    jump_hosts = (plan.ip_plan.common_subnet("jump_hosts").cidr,)
    expected = [((plan.ip_plan.common_subnet("bastion").cidr,), ("22",), jump_hosts)] if bastion else []
    assert allowed == expected


def test_common_private_endpoints_accept_the_whole_factory_and_its_agent_space(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        network=_network(agent_address_space="172.16.0.0/16", address_space="10.40.0.0/14"),
    )
    nsg = _by_key(_nsgs(plan))["common/private_endpoints"]
    assert _rule(nsg, "AllowFactoryInbound").sources == ("10.40.0.0/14", "172.16.0.0/16")
    assert _rule(nsg, "AllowFactoryInbound").destinations == (plan.ip_plan.common_subnet("private_endpoints").cidr,)


def test_adding_a_project_changes_no_other_projects_nsgs(tmp_path: Path) -> None:
    alone = _by_key(_nsgs(_plan(tmp_path / "a", [project(7, "fraud", "esml", services=ESML_ALL)])))
    together = _by_key(_nsgs(_plan(tmp_path / "b")))
    assert together["p007"] == alone["p007"]
    assert together["p007/databricks"] == alone["p007/databricks"]
    assert together["common/private_endpoints"] == alone["common/private_endpoints"]


def test_power_bi_gateway_subnet_takes_no_inbound(tmp_path: Path) -> None:
    nsg = _by_key(_nsgs(_plan(tmp_path, network=_network(power_bi_gateway=True))))["common/power_bi_gateway"]
    assert [(r.name, r.access) for r in nsg.rules] == [("DenyAllInbound", "Deny")]


def test_rules_refuse_service_tags_inside_prefix_lists() -> None:
    with pytest.raises(ValueError, match="mix service tags"):
        SecurityRule("Bad", 100, "Inbound", "Allow", "*", ("10.0.0.0/8", "AzureLoadBalancer"), ("*",))
    with pytest.raises(ValueError, match="outside 100-4096"):
        SecurityRule("Bad", 4097, "Inbound", "Deny", "*", ("*",), ("*",))
    with pytest.raises(ValueError, match="no sources"):
        SecurityRule("Bad", 100, "Inbound", "Allow", "*", (), ("*",))


def _network(*, trusted: bool = False, address_space: str = "172.20.0.0/14", **fields: Any) -> dict[str, Any]:
    network: dict[str, Any] = {"address_space": address_space, **fields}
    if trusted:
        network["trusted_ranges"] = ["10.0.0.0/8"]
    return network


def test_hub_settings_do_not_change_nsgs(tmp_path: Path) -> None:
    plain = _nsgs(_plan(tmp_path / "a"))
    hub = _nsgs(_plan(tmp_path / "b", network=_network(hub={"vnet_id": HUB_VNET, "firewall_ip": "10.100.0.4"})))
    assert plain == hub
