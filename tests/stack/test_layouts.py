"""Both layouts deploy the same resources: a project's URNs (but for the stack), names and inputs do not
depend on which stack holds it, so ``pulumi state move`` can carry it between layouts unchanged."""

from __future__ import annotations

from collections import defaultdict

import pytest

from aifactory.components.interfaces import COMMON_OUTPUT, common_keys
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.report import workloads
from aifactory.offline.stack_run import StackPlan
from tests.stack.runs import in_layout, without_stack

STACKS = ("dev", "stage", "prod")
STACK_TOKEN = "pulumi:pulumi:StackReference"


def _by_workload(result: StackPlan) -> dict[str, dict[str, RecordedResource]]:
    """Workload -> URN without its stack -> record, over every stack of the result."""
    stack_of = {r.urn: s.run.stack for s in result.stacks for r in s.run.resources}
    owners = workloads(result.run)
    grouped: dict[str, dict[str, RecordedResource]] = defaultdict(dict)
    for record in result.run.resources:
        grouped[owners[record.urn]][without_stack(record.urn, stack_of[record.urn])] = record
    return grouped


@pytest.mark.parametrize("stack", STACKS)
def test_every_project_has_the_same_urns_names_and_inputs_in_both_layouts(stack: str) -> None:
    single, sharded = in_layout(stack, "single"), in_layout(stack, "sharded")
    single_resources, sharded_resources = _by_workload(single), _by_workload(sharded)
    assert single.plan.projects
    for project in single.plan.projects:
        left, right = single_resources[project.key], sharded_resources[project.key]
        assert left, project.key
        assert sorted(left) == sorted(right), project.key
        for urn, record in left.items():
            other = right[urn]
            assert (record.type, record.inputs, record.protect) == (other.type, other.inputs, other.protect), urn


@pytest.mark.parametrize("stack", STACKS)
def test_a_project_stack_holds_exactly_its_project(stack: str) -> None:
    sharded = in_layout(stack, "sharded")
    owners = workloads(sharded.run)
    common, *projects = sharded.stacks
    assert common.run.stack == stack and not common.contents.project_ids
    assert [s.contents.project_ids for s in projects] == [(p.spec.id,) for p in sharded.plan.projects]
    for project_stack in projects:
        (project_id,) = project_stack.contents.project_ids
        key = sharded.plan.project(project_id).key
        custom = [r for r in project_stack.run.resources if r.custom]
        own = {owners[r.urn] for r in custom if not r.type.startswith(("pulumi:providers:", STACK_TOKEN))}
        assert own == {key}, project_stack.run.stack
        [reference] = [r for r in custom if r.type == STACK_TOKEN]
        assert reference.inputs["name"] == f"organization/aifactory/{stack}"
    # Subnets and NSGs (with the NSGs' diagnostic settings) stay with the VNet in the common stack; nothing else
    # of a project does.
    in_common = {r.type for r in common.run.resources if r.custom and owners[r.urn] != "common"}
    network = {f"azure-native:network:{t}" for t in ("Subnet", "NetworkSecurityGroup", "SecurityRule")}
    assert in_common == {*network, "azure-native:monitor:DiagnosticSetting"}
    diagnosed = {r.parent for r in common.run.resources if r.type == "azure-native:monitor:DiagnosticSetting"}
    nsgs = {r.urn for r in common.run.resources if r.type == "azure-native:network:NetworkSecurityGroup"}
    assert {u for u in diagnosed if owners[u] != "common"} <= nsgs


@pytest.mark.parametrize("stack", STACKS)
def test_project_resources_keep_their_providers_urns(stack: str) -> None:
    single, sharded = in_layout(stack, "single"), in_layout(stack, "sharded")

    def providers(result: StackPlan) -> dict[str, str]:
        """Resource URN -> provider URN, both without the stack."""
        found = {}
        for part in result.stacks:
            name = part.run.stack
            for record in part.run.resources:
                if record.provider and part.contents.project_ids:
                    found[without_stack(record.urn, name)] = without_stack(record.provider.rsplit("::", 1)[0], name)
        return found

    single_providers = providers(single)
    sharded_providers = providers(sharded)
    assert sharded_providers
    for urn, provider in sharded_providers.items():
        if STACK_TOKEN not in urn:
            assert single_providers[urn] == provider, urn


@pytest.mark.parametrize("stack", STACKS)
def test_the_common_stack_exports_exactly_what_project_stacks_read(stack: str) -> None:
    sharded = in_layout(stack, "sharded")
    common = sharded.stacks[0].run
    exported = common.outputs[COMMON_OUTPUT]
    expected = common_keys(sharded.plan)
    for mapping in ("vnet_ids", "zone_ids", "scopes", "principals"):
        assert sorted(exported[mapping]) == sorted(expected.of(mapping)), mapping
    # Project stacks compose subnet ids from the exported VNet ids: exactly the common stack's subnets.
    subnets = {r.id for r in common.resources if r.type == "azure-native:network:Subnet"}
    composed = {f"{exported['vnet_ids'][vnet]}/subnets/{name}" for vnet, name in expected.subnet_ids.values()}
    assert composed == subnets
    assert "subnet_ids" not in common.outputs  # outputs stay the same size whatever the number of projects
    assert len(sharded.stacks) == 1 + len(sharded.plan.projects)
