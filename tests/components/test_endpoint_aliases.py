"""Endpoint sets that moved from the shared services component to their resource keep their state.

Stacks deployed before the move hold the shared Key Vault's and registry's endpoint sets (and their
endpoints and DNS zone groups) as children of ``SharedServices``. These runs compute the URN every
resource of a moved set had there, by the engine's URN rule, and assert it is among the aliases the
program sends for the resource now: for the set and for every resource below it. Both protocols the
SDK speaks are run: alias specs (what the Pulumi CLI supports) and URNs resolved by the SDK itself.

The mock monitor names URNs after the parent's last type only; the engine uses the parent's whole
type chain (and leaves the root stack out). The aliases are computed from the parents' URNs, so
these runs name URNs as the engine does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.runtime.proto import resource_pb2

from aifactory.components.shared_services import SharedServices, SharedServicesArgs
from aifactory.offline import runner
from aifactory.offline.mocks import OfflineMocks, RecordedResource, RecordingMonitor
from aifactory.offline.runner import OfflineRun
from tests.components.test_service_site import _site_program
from tests.support import factory_plan, project, run_program

SET = "aifactory:network:PrivateEndpointSet"
SITE = "aifactory:shared:SharedServices"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
ROOT_STACK = "pulumi:pulumi:Stack"
_VNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
SUBNETS = {"common/private_endpoints": f"{_VNET}/subnets/pe"}


def engine_urn(parent: str, type_token: str, name: str) -> str:
    """The URN the engine gives ``name`` under ``parent``: the parent's whole type chain, without the root stack."""
    stack, project_name, parent_type, _ = parent.removeprefix("urn:pulumi:").split("::", 3)
    qualified = type_token if parent_type == ROOT_STACK else f"{parent_type}${type_token}"
    return f"urn:pulumi:{stack}::{project_name}::{qualified}::{name}"


class EngineUrnMonitor(RecordingMonitor):
    """Names URNs as the engine does; offers alias specs or not; notes which protocol the SDK spoke."""

    def __init__(self, mocks: OfflineMocks, on_register: Any, *, alias_specs: bool) -> None:
        super().__init__(mocks, on_register)
        self.alias_specs = alias_specs
        self.protocols: set[str] = set()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if not parent:
            return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{type_}::{name}"
        return engine_urn(parent, type_, name)

    def GetDeploymentInfo(self, request: Any) -> Any:
        info = super().GetDeploymentInfo(request)  # type: ignore[no-untyped-call]
        unsupported = () if self.alias_specs else (resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,)
        features = [feature for feature in info.supportedFeatures if feature not in unsupported]
        return resource_pb2.DeploymentInfo(supportedFeatures=features)

    def RegisterResource(self, request: Any) -> Any:
        if request.aliasURNs:
            self.protocols.add("urns")
        if request.aliases:
            self.protocols.add("specs")
        return super().RegisterResource(request)


def _run(monkeypatch: pytest.MonkeyPatch, program: Any, *, alias_specs: bool) -> tuple[OfflineRun, set[str]]:
    monitors: list[EngineUrnMonitor] = []

    def monitor(mocks: OfflineMocks, on_register: Any) -> EngineUrnMonitor:
        monitors.append(EngineUrnMonitor(mocks, on_register, alias_specs=alias_specs))
        return monitors[-1]

    monkeypatch.setattr(runner, "RecordingMonitor", monitor)
    run = run_program(program)
    return run, monitors[0].protocols


@pytest.fixture(params=[True, False], ids=["alias-specs", "sdk-resolved-urns"])
def moved(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[OfflineRun, bool]:
    plan = factory_plan(tmp_path, [project(7, "fraud", "esml")])
    zone_ids = {zone: f"/zones/{zone}" for zone in plan.dns.zones_to_create}

    def program() -> None:
        SharedServices(
            "shared", SharedServicesArgs(plan=plan, resource_group_name="rg", subnet_ids=SUBNETS, zone_ids=zone_ids)
        )

    run, protocols = _run(monkeypatch, program, alias_specs=request.param)
    assert protocols == {"specs" if request.param else "urns"}  # the protocol asked for is the one spoken
    return run, request.param


def _type_of(urn: str) -> str:
    return urn.split("::")[2].rsplit("$", 1)[-1]


def _below(run: OfflineRun, parent: RecordedResource) -> Iterator[RecordedResource]:
    for child in run.children_of(parent.urn):
        yield child
        yield from _below(run, child)


def test_a_moved_set_and_everything_in_it_alias_their_urns_under_the_old_parent(moved: Any) -> None:
    run, _ = moved
    (site,) = run.of_type(SITE)
    sets = run.of_type(SET)
    assert {s.name for s in sets} == {"common-kv-pe", "common-acr-pe"}
    by_urn = {r.urn: r for r in run.resources}
    seen_types: set[str] = set()
    for endpoint_set in sets:
        assert by_urn[endpoint_set.parent].type != SITE  # it really moved: under its resource now
        old = {endpoint_set.urn: engine_urn(site.urn, SET, endpoint_set.name)}
        assert old[endpoint_set.urn] in endpoint_set.aliases, endpoint_set.urn
        for resource in _below(run, endpoint_set):
            old[resource.urn] = engine_urn(old[resource.parent], resource.type, resource.name)
            assert old[resource.urn] != resource.urn
            assert old[resource.urn] in resource.aliases, resource.urn
            seen_types.add(resource.type)
    assert seen_types == {ENDPOINT, ZONE_GROUP}


def test_sets_that_never_moved_carry_no_alias(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = factory_plan(tmp_path, [project(7, "fraud", "esml")])
    run, _ = _run(monkeypatch, lambda: _site_program(plan), alias_specs=True)  # project 7's Key Vault on a site
    (endpoint_set,) = run.of_type(SET)
    below = [endpoint_set, *_below(run, endpoint_set)]
    assert {r.type for r in below} == {SET, ENDPOINT, ZONE_GROUP}
    assert endpoint_set.aliases == []
    # The provider declares its former type tokens as aliases; none names another parent or name.
    for resource in below:
        assert all(engine_urn(resource.parent, _type_of(alias), resource.name) == alias for alias in resource.aliases)


@pytest.mark.parametrize("alias_specs", [True, False], ids=["alias-specs", "sdk-resolved-urns"])
def test_recorded_aliases_are_urns_whichever_protocol(monkeypatch: pytest.MonkeyPatch, alias_specs: bool) -> None:
    def program() -> None:
        old_home = pulumi.ComponentResource("t:home:Old", "old")
        new_home = pulumi.ComponentResource("t:home:New", "new", opts=pulumi.ResourceOptions(parent=old_home))
        pulumi.ComponentResource(
            "t:thing:Thing",
            "thing",
            opts=pulumi.ResourceOptions(
                parent=new_home, aliases=[pulumi.Alias(parent=old_home), pulumi.Alias(name="before")]
            ),
        )

    run, _ = _run(monkeypatch, program, alias_specs=alias_specs)
    (thing,) = run.of_type("t:thing:Thing")
    prefix = "urn:pulumi:dev::aifactory::t:home:Old"
    assert sorted(thing.aliases) == sorted(
        [f"{prefix}$t:thing:Thing::thing", f"{prefix}$t:home:New$t:thing:Thing::before"]
    )
