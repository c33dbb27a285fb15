"""Limits per subscription, VNet and stack, and the longest dependency chain, over recorded resources."""

from __future__ import annotations

from typing import Any

from aifactory.offline.limits import (
    PRIVATE_ENDPOINTS,
    RESOURCE_GROUPS,
    ROLE_ASSIGNMENTS,
    STACK_RESOURCES,
    check_limits,
    longest_chain,
)
from aifactory.offline.mocks import RecordedResource
from tests.stack.runs import in_layout

SUB_A = "/subscriptions/aaaa"
SUB_B = "/subscriptions/bbbb"


def _record(urn: str, type_: str, *, id_: str = "", deps: tuple[str, ...] = (), **inputs: Any) -> RecordedResource:
    return RecordedResource(
        urn=urn, type=type_, name=urn, inputs=inputs, custom=True, provider=None, id=id_, dependencies=list(deps)
    )


def _role_assignments(subscription: str, count: int) -> list[RecordedResource]:
    return [
        _record(f"ra-{subscription}-{i}", "azure-native:authorization:RoleAssignment", scope=f"{subscription}/rg/x")
        for i in range(count)
    ]


def test_role_assignments_count_per_subscription_of_their_scope() -> None:
    report = check_limits("single", {"dev": [*_role_assignments(SUB_A, 4001), *_role_assignments(SUB_B, 3200)]})
    levels = {c.scope: c.level for c in report.checks if c.limit == ROLE_ASSIGNMENTS}
    assert levels == {"aaaa": "exceeded", "bbbb": "near"}
    assert [c.scope for c in report.errors] == ["aaaa"]
    assert [c.scope for c in report.warnings] == ["bbbb", "dev"]  # and the stack of 7,201 is past the advice


def test_private_endpoints_count_per_vnet_of_their_subnet() -> None:
    subnets = [
        _record(f"snet-{v}", "azure-native:network:Subnet", id_=f"{SUB_A}/snet-{v}", resourceGroupName="rg",
                virtualNetworkName=f"vnet-{v}")
        for v in ("one", "two")
    ]  # fmt: skip
    endpoints = [
        _record(f"pe-{i}", "azure-native:network:PrivateEndpoint", subnet={"id": f"{SUB_A}/snet-one"})
        for i in range(1001)
    ] + [_record("pe-two", "azure-native:network:PrivateEndpoint", subnet={"id": f"{SUB_A}/snet-two"})]
    report = check_limits("sharded", {"dev": subnets, "dev-p001": endpoints})
    counts = {c.scope: (c.count, c.level) for c in report.checks if c.limit == PRIVATE_ENDPOINTS}
    assert counts == {"aaaa/rg/vnet-one": (1001, "exceeded"), "aaaa/rg/vnet-two": (1, "ok")}


def test_resource_groups_per_subscription_and_resources_per_stack() -> None:
    groups = [
        _record(f"rg-{i}", "azure-native:resources:ResourceGroup", id_=f"{SUB_A}/resourceGroups/rg-{i}")
        for i in range(3001)
    ]
    report = check_limits("single", {"dev": groups})
    [group_check] = [c for c in report.checks if c.limit == RESOURCE_GROUPS]
    [stack_check] = [c for c in report.checks if c.limit == STACK_RESOURCES]
    assert (group_check.count, group_check.level) == (3001, "exceeded")
    assert (stack_check.scope, stack_check.count, stack_check.level) == ("dev", 3001, "exceeded")
    assert report.errors == [group_check]  # Azure refuses it; a big stack is only advice
    assert stack_check in report.warnings


def test_the_longest_chain_counts_resources_created_one_after_another() -> None:
    chain = [
        _record("a", "azure-native:resources:ResourceGroup"),
        _record("b", "azure-native:network:VirtualNetwork", deps=("a",)),
        _record("c", "azure-native:network:Subnet", deps=("b",)),
        _record("d", "azure-native:network:Subnet", deps=("c", "a")),
        _record("provider", "pulumi:providers:azure-native"),
        _record("e", "azure-native:storage:StorageAccount", deps=("a", "provider")),
    ]
    assert longest_chain(chain) == 4
    assert longest_chain([]) == 0
    report = check_limits("sharded", {"dev": chain, "dev-p001": chain[:2], "dev-p002": chain[:3]})
    assert report.chains == {"dev": 4, "dev-p001": 2, "dev-p002": 3}
    assert report.deployment_chain == 4 + 3  # project stacks start once the common stack is up


def test_shipped_stacks_are_within_every_limit() -> None:
    for stack in ("dev", "prod"):
        result = in_layout(stack, "sharded")
        report = check_limits("sharded", {s.run.stack: s.run.resources for s in result.stacks})
        assert report.errors == [] and report.warnings == []
        assert {c.limit for c in report.checks} == {
            ROLE_ASSIGNMENTS,
            PRIVATE_ENDPOINTS,
            RESOURCE_GROUPS,
            STACK_RESOURCES,
        }
        assert all(c.scope != "(unknown)" for c in report.checks)
        assert report.deployment_chain > max(report.chains.values()) > 1
