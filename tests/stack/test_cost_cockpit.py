"""The cost cockpit in the shipped stacks: environment budgets, the dashboard listing every project, tags."""

from __future__ import annotations

from typing import Any

import pytest

from aifactory.plan.cost import ENVIRONMENT_TAG, MARKDOWN_PART, portal_link
from aifactory.plan.rbac.personas import members_use_jump_host
from aifactory.policy.offline import check_stack
from aifactory.policy.taggable import TAGGABLE_TYPES
from tests.stack.runs import shipped

STACKS = ("dev", "stage", "prod")
DASHBOARD = "azure-native:portal:Dashboard"
BUDGET = "azure-native:consumption:Budget"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"


def _markdown(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    (lens,) = dashboard["properties"]["lenses"]
    parts = lens["parts"]
    assert parts and all(p["metadata"]["type"] == MARKDOWN_PART for p in parts)
    return [p["metadata"]["settings"]["content"]["settings"] for p in parts]


@pytest.mark.parametrize("stack", STACKS)
def test_the_dashboard_lists_every_project_with_links_to_its_cost_budget_and_resource_group(stack: str) -> None:
    result = shipped(stack)
    (dashboard,) = result.run.of_type(DASHBOARD)
    assert dashboard.inputs["dashboardName"] == result.plan.cost.dashboard.name
    assert dashboard.inputs["resourceGroupName"] == result.plan.namer.common("resource_group")
    text = "\n".join(tile["content"] for tile in _markdown(dashboard.inputs))
    assert result.plan.projects
    for project in result.plan.projects:
        group = (
            f"/subscriptions/{project.subscription_id}/resourceGroups/"
            f"{result.plan.namer.project('resource_group', project.spec.id, project.spec.name)}"
        )
        for blade in ("costanalysis", "budgets", "overview"):
            assert portal_link(result.plan.stack.tenant_id, group, blade) in text, (project.key, blade)
        assert f"{project.spec.id} {project.spec.name} ({project.spec.type})" in text


@pytest.mark.parametrize("stack", STACKS)
def test_the_environment_budgets_filter_on_the_environment_tag(stack: str) -> None:
    result = shipped(stack)
    planned = result.plan.cost.environment_budgets
    assert planned, "the shipped stacks set aifactory:cost"
    recorded = {b.inputs["budgetName"]: b.inputs for b in result.run.of_type(BUDGET)}
    for budget in planned:
        inputs = recorded[budget.budget_name]
        assert inputs["scope"] == f"/subscriptions/{budget.subscription_id}"
        assert inputs["filter"] == {"tags": {"name": ENVIRONMENT_TAG, "operator": "In", "values": [stack]}}
        assert inputs["amount"] == budget.monthly_amount
        assert 0 < len(inputs["notifications"]) <= 5
    assert sum(b.monthly_amount for b in planned) == result.plan.stack.cost.monthly_budget  # type: ignore[union-attr]


def test_prod_splits_its_budget_over_its_two_subscriptions() -> None:
    result = shipped("prod")
    common, projects = result.plan.cost.environment_budgets
    assert common.subscription_id == result.plan.stack.subscription_id
    assert projects.monthly_amount == sum(p.spec.budget.monthly_amount for p in result.plan.projects)


@pytest.mark.parametrize("stack", STACKS)
def test_every_shipped_resource_carries_the_required_tags_and_every_budget_fits(stack: str) -> None:
    report = check_stack(shipped(stack))
    failing = [v for v in report.violations if v.rule in ("AIF-REQUIRED-TAGS", "ARM-BUDGET-NOTIFICATIONS")]
    assert failing == []
    assert DASHBOARD in TAGGABLE_TYPES


@pytest.mark.parametrize("stack", ["stage", "prod"])
def test_without_bastion_and_a_jump_host_no_member_gets_jump_host_roles(stack: str) -> None:
    result = shipped(stack)  # stage has Bastion but no jump host; prod neither
    assert not members_use_jump_host(result.plan.stack)
    reasons = {a.inputs.get("description", "") for a in result.run.of_type(ROLE_ASSIGNMENT)}
    assert not any("through Bastion" in reason for reason in reasons)


def test_members_reach_the_jump_host_through_bastion_on_the_narrowest_scopes() -> None:
    result = shipped("dev")
    vm = next(r for r in result.run.of_type("azure-native:compute:VirtualMachine") if r.name == "common-jump-vm")
    nic = next(r for r in result.run.of_type("azure-native:network:NetworkInterface") if r.name == "common-jump-nic")
    bastion = next(r for r in result.run.of_type("azure-native:network:BastionHost"))
    granted = {
        (a.inputs["principalId"], a.inputs["scope"], a.inputs["roleDefinitionId"].rsplit("/", 1)[1])
        for a in result.run.of_type(ROLE_ASSIGNMENT)
        if "through Bastion" in a.inputs.get("description", "")
    }
    reader, login = "acdd72a7-3385-48ef-bd42-f606fba81ae7", "fb879df8-f326-4884-b1cf-06f3ad86be52"
    (group,) = (g for g in result.run.of_type("azuread:index/group:Group") if g.name == "common-jump-host-users-group")
    assert {(s, r) for _, s, r in granted} == {(bastion.id, reader), (vm.id, reader), (vm.id, login), (nic.id, reader)}
    assert {p for p, _, _ in granted} == {group.id}
    joined = [m for m in result.run.of_type("azuread:index/groupMember:GroupMember") if "jump-host-users" in m.name]
    groups = sum(len(access.grantees) for access in result.plan.access.projects.values())
    assert len(joined) == groups > 0
