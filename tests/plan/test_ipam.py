"""The IP plan: literal snapshots of the canonical layout, and property tests of its invariants."""

from __future__ import annotations

import itertools
from typing import Any

import netaddr
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aifactory.config.loader import parse_stack_config, read_stack_file, stack_values
from aifactory.config.project import ProjectSpec
from aifactory.config.resolve import apply_environment_defaults
from aifactory.config.stack import AKS_RESERVED_RANGES, StackConfig
from aifactory.errors import ConfigError
from aifactory.plan.environments import cross_stack_problems
from aifactory.plan.ipam import AGENT_RANGES, IpPlan, plan_network
from tests.support import REPO, project
from tests.support import stack_values as base_stack_values

ESML_ALL: dict[str, Any] = {"machine_learning": {}, "databricks": {}, "aks": {}, "data_factory": {}}
GENAI_ALL: dict[str, Any] = {"ai_foundry": {}, "ai_search": {}, "cosmos_db": {}, "container_apps": {}, "web_app": {}}


def _stack(**network: Any) -> StackConfig:
    values = base_stack_values()
    values["network"] = {"address_space": "172.20.0.0/14", **network}
    return StackConfig.model_validate(values)


def _spec(project_id: int, type_: str = "esml", size: str = "medium", **fields: Any) -> ProjectSpec:
    services = ESML_ALL if type_ == "esml" else GENAI_ALL
    spec = ProjectSpec.model_validate(
        project(
            project_id,
            f"proj-{project_id}",
            type_,
            network={"size": size, **fields.pop("network", {})},
            services=fields.pop("services", services),
            **fields,
        )
    )
    return apply_environment_defaults(spec, "dev")


def _plan(stack: StackConfig, specs: list[ProjectSpec]) -> IpPlan:
    return plan_network(stack, specs)


def test_canonical_esml_layout_is_pinned() -> None:
    plan = _plan(_stack(), [_spec(1)])
    subnets = {s.key: (s.cidr, s.delegation, s.needed) for s in plan.projects[1].subnets}
    assert plan.projects[1].slot == "172.20.128.0/23"
    assert plan.projects[1].vnet_key == "shard-01"
    assert subnets == {
        "private_endpoints": ("172.20.128.0/26", None, True),
        "compute": ("172.20.128.64/26", None, True),
        "aks": ("172.20.128.128/26", None, True),
        "databricks_host": ("172.20.128.192/26", "Microsoft.Databricks/workspaces", True),
        "databricks_container": ("172.20.129.0/26", "Microsoft.Databricks/workspaces", True),
    }


def test_canonical_genai_layout_is_pinned() -> None:
    plan = _plan(_stack(), [_spec(65, "genai")])
    network = plan.projects[65]
    assert (network.vnet_key, network.slot) == ("shard-02", "172.21.0.0/23")
    assert {s.key: s.cidr for s in network.subnets} == {
        "agents": "172.21.0.0/24",
        "private_endpoints": "172.21.1.0/26",
        "container_apps": "172.21.1.64/27",
        "app_service": "172.21.1.96/27",
        "functions": "172.21.1.128/27",  # appended later: after the original four, which never moved
    }
    assert network.subnet("agents").delegation == "Microsoft.App/environments"
    assert network.subnet("app_service").delegation == "Microsoft.Web/serverFarms"
    assert network.subnet("functions").delegation == "Microsoft.App/environments"
    assert not network.subnet("functions").needed


def test_common_vnet_and_subnets_are_pinned() -> None:
    plan = _plan(_stack(), [])
    assert plan.common.address_prefixes == ("172.20.0.0/17",)
    assert {s.name: s.cidr for s in plan.common_subnets} == {
        "snet-common-private-endpoints": "172.20.0.0/24",
        "AzureBastionSubnet": "172.20.1.0/26",
        "snet-common-jump-hosts": "172.20.1.64/27",
        "snet-common-power-bi-gateway": "172.20.1.96/27",
        "snet-common-databricks-web-auth-host": "172.20.1.128/26",
        "snet-common-databricks-web-auth-container": "172.20.1.192/26",
    }
    assert not plan.common_subnet("databricks_web_auth_host").needed
    with_databricks = _plan(_stack(), [_spec(1)])
    assert with_databricks.common_subnet("databricks_web_auth_host").needed
    assert (
        with_databricks.common_subnet("databricks_web_auth_container").delegation == "Microsoft.Databricks/workspaces"
    )
    assert plan.common_subnet("power_bi_gateway").delegation == "Microsoft.PowerPlatform/vnetaccesslinks"
    assert plan.capacity == 448


def test_default_environment_holds_300_mixed_projects() -> None:
    specs = [_spec(i, "esml" if i % 2 else "genai", ("small", "medium", "large")[i % 3]) for i in range(1, 301)]
    plan = _plan(_stack(), specs)
    assert len(plan.projects) == 300
    assert len(plan.shards) == 5


def test_disabled_service_keeps_its_range_reserved() -> None:
    with_aks = _plan(_stack(), [_spec(3)]).projects[3]
    without = _plan(_stack(), [_spec(3, services={"machine_learning": {}})]).projects[3]
    assert [s.cidr for s in with_aks.subnets] == [s.cidr for s in without.subnets]
    assert not without.subnet("aks").needed
    assert with_aks.subnet("aks").needed


def test_capacity_exhaustion_says_how_many_fit() -> None:
    with pytest.raises(ConfigError) as caught:
        _plan(_stack(), [_spec(449)])
    problem = caught.value.problems[0]
    assert problem.field == "id"
    assert "holds 448 projects (ids 1-448" in problem.message
    assert "use a free id up to 448" in problem.fix


def test_pinned_slot_is_used_and_collisions_are_refused() -> None:
    pinned = _spec(9, network={"slot": "172.20.200.0/23"})
    plan = _plan(_stack(), [pinned, _spec(1)])
    assert plan.projects[9].slot == "172.20.200.0/23"
    assert plan.projects[9].pinned
    with pytest.raises(ConfigError) as caught:
        _plan(_stack(), [_spec(1), _spec(9, network={"slot": "172.20.128.0/23"})])
    assert "already used by project 1" in caught.value.problems[0].message


def test_pinned_slot_outside_project_vnets_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        _plan(_stack(), [_spec(9, network={"slot": "172.20.2.0/23"})])
    assert "not in a project VNet" in caught.value.problems[0].message


def test_agents_need_rfc1918_agent_ranges() -> None:
    stack = _stack(address_space="10.64.0.0/14")
    with pytest.raises(ConfigError) as caught:
        _plan(stack, [_spec(1, "genai")])
    problem = caught.value.problems[0]
    assert problem.field == "aifactory:network.agent_address_space"
    assert "172.16.0.0/12 or 192.168.0.0/16" in problem.message
    plan = _plan(_stack(address_space="10.64.0.0/14", agent_address_space="172.16.0.0/16"), [_spec(1, "genai")])
    assert plan.projects[1].subnet("agents").cidr == "172.16.0.0/24"
    assert plan.shards[0].address_prefixes == ("10.64.128.0/17", "172.16.0.0/18")


def test_size_that_does_not_fit_the_slot_is_explained() -> None:
    with pytest.raises(ConfigError) as caught:
        _plan(_stack(project_slot_prefix=24), [_spec(1, size="large")])
    assert "needs 512 addresses but slots are /24 (256)" in caught.value.problems[0].message


def test_address_space_may_be_several_blocks_in_order() -> None:
    stack = _stack(address_space=["172.28.0.0/15", "172.18.0.0/15"])
    plan = _plan(stack, [_spec(1), _spec(200), _spec(448)])
    assert plan.capacity == 448
    assert plan.common.address_prefixes == ("172.28.0.0/17",)
    assert plan.projects[1].slot == "172.28.128.0/23"
    assert (plan.projects[200].vnet_key, plan.projects[200].slot) == ("shard-04", "172.18.14.0/23")
    assert plan.projects[448].slot == "172.19.254.0/23"


def test_aks_is_refused_in_a_vnet_touching_ranges_aks_reserves() -> None:
    aks: dict[str, Any] = {"machine_learning": {}, "aks": {}}
    with pytest.raises(ConfigError) as caught:
        _plan(_stack(address_space="172.28.0.0/14"), [_spec(1, services=aks), _spec(200, services=aks)])
    [problem] = caught.value.problems
    assert problem.field == "services.aks"
    assert "VNet 172.30.0.0/17 overlaps 172.30.0.0/16, which AKS reserves" in problem.message
    assert _plan(_stack(address_space="172.28.0.0/14"), [_spec(200, services={"machine_learning": {}})])


def test_shards_follow_subscription_placement() -> None:
    values = base_stack_values()
    values["project_subscriptions"] = [
        {"subscription_id": "6f1d2c3b-0000-4000-8000-00000000d002", "first_id": 65, "last_id": 128}
    ]
    stack = StackConfig.model_validate(values)
    plan = _plan(stack, [_spec(1), _spec(70)])
    assert [(s.key, s.subscription_id) for s in plan.shards] == [
        ("shard-01", stack.subscription_id),
        ("shard-02", "6f1d2c3b-0000-4000-8000-00000000d002"),
    ]


# --- properties ---------------------------------------------------------------------------------

project_entries = st.dictionaries(
    keys=st.integers(min_value=1, max_value=448),
    values=st.tuples(st.sampled_from(["esml", "genai"]), st.sampled_from(["small", "medium", "large"])),
    min_size=1,
    max_size=40,
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _specs(entries: dict[int, tuple[str, str]]) -> list[ProjectSpec]:
    return [_spec(i, t, s) for i, (t, s) in sorted(entries.items())]


def _all_ranges(plan: IpPlan) -> list[tuple[str, netaddr.IPNetwork]]:
    ranges = [(f"common/{s.key}", netaddr.IPNetwork(s.cidr)) for s in plan.common_subnets]
    for project_id, network in plan.projects.items():
        ranges.extend((f"{project_id}/{s.key}", netaddr.IPNetwork(s.cidr)) for s in network.subnets)
    return ranges


@SETTINGS
@given(project_entries)
def test_no_overlaps_and_everything_inside_its_vnet(entries: dict[int, tuple[str, str]]) -> None:
    plan = _plan(_stack(), _specs(entries))
    ranges = _all_ranges(plan)
    for (name_a, a), (name_b, b) in itertools.combinations(ranges, 2):
        assert a.last < b.first or b.last < a.first, f"{name_a} {a} overlaps {name_b} {b}"
    vnets = {v.key: [netaddr.IPNetwork(p) for p in v.address_prefixes] for v in (plan.common, *plan.shards)}
    for subnet in plan.common_subnets:
        assert any(netaddr.IPNetwork(subnet.cidr) in prefix for prefix in vnets["common"])
    spaces = [netaddr.IPNetwork(block) for block in plan.address_space]
    for network in plan.projects.values():
        for subnet in network.subnets:
            cidr = netaddr.IPNetwork(subnet.cidr)
            assert any(cidr in space for space in spaces)
            assert any(cidr in prefix for prefix in vnets[network.vnet_key])
            assert cidr in netaddr.IPNetwork(network.slot)


@SETTINGS
@given(project_entries)
def test_azure_subnet_rules_hold(entries: dict[int, tuple[str, str]]) -> None:
    plan = _plan(_stack(), _specs(entries))
    assert plan.common_subnet("bastion").name == "AzureBastionSubnet"
    assert netaddr.IPNetwork(plan.common_subnet("bastion").cidr).prefixlen <= 26
    for network in plan.projects.values():
        for subnet in network.subnets:
            cidr = netaddr.IPNetwork(subnet.cidr)
            assert subnet.usable_addresses > 0
            if subnet.key.startswith("databricks"):
                assert cidr.prefixlen <= 26 and subnet.delegation == "Microsoft.Databricks/workspaces"
            if subnet.key == "agents":
                assert any(cidr in r for r in AGENT_RANGES) and cidr.prefixlen <= 24
            if subnet.key == "container_apps":
                assert cidr.prefixlen <= 27 and subnet.delegation == "Microsoft.App/environments"
            if subnet.key == "app_service":
                assert subnet.delegation == "Microsoft.Web/serverFarms"
            assert not (cidr.first <= netaddr.IPNetwork("172.17.0.0/16").last and cidr.last >= 0xAC110000)


@SETTINGS
@given(project_entries, st.integers(min_value=1, max_value=448), st.data())
def test_adding_removing_or_editing_a_project_never_moves_another(
    entries: dict[int, tuple[str, str]], other_id: int, data: st.DataObject
) -> None:
    before = _plan(_stack(), _specs(entries))
    changed = dict(entries)
    if other_id in changed and data.draw(st.booleans(), label="remove"):
        del changed[other_id]
    else:
        changed[other_id] = (
            data.draw(st.sampled_from(["esml", "genai"])),
            data.draw(st.sampled_from(["small", "large"])),
        )
    after = _plan(_stack(), _specs(changed))
    assert before.common_subnets
    for project_id, network in before.projects.items():
        if project_id != other_id:
            assert after.projects[project_id] == network
    # Common ranges never move; a common subnet is only switched on or off (e.g. Databricks web auth).
    assert [(s.key, s.cidr) for s in after.common_subnets] == [(s.key, s.cidr) for s in before.common_subnets]


@SETTINGS
@given(project_entries)
def test_plan_is_deterministic_and_order_independent(entries: dict[int, tuple[str, str]]) -> None:
    specs = _specs(entries)
    assert _plan(_stack(), specs) == _plan(_stack(), list(reversed(specs)))


def test_shipped_environments_do_not_overlap_and_hold_300_projects() -> None:
    stacks = {}
    for name in ("dev", "stage", "prod"):
        config, display = read_stack_file(REPO, name)
        stacks[name] = parse_stack_config(stack_values(config), display)
    assert cross_stack_problems(stacks) == []
    for stack in stacks.values():
        spaces = [netaddr.IPNetwork(c) for c in stack.network.address_space]
        assert all(any(s in r for r in AGENT_RANGES) for s in spaces)
        assert not any(s.first <= r.last and r.first <= s.last for s in spaces for r in AKS_RESERVED_RANGES)
        assert plan_network(stack, []).capacity >= 300
