"""Whole stacks: the real ``__main__.py`` for dev, stage and prod under the offline mocks.

These assert the product's promises over every registered resource: private, keyless, protected
where it matters, every subnet with an NSG, deterministic and stable when a project is added.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from aifactory.catalog.roles import PRIVILEGED, ROLES
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.report import workloads
from aifactory.offline.stack_run import StackPlan, run_stack
from tests.stack.runs import shipped
from tests.support import REPO, project

STACKS = ("dev", "stage", "prod")
PRIVILEGED_IDS = {ROLES[name].id for name in PRIVILEGED}


def _stack(stack: str) -> StackPlan:
    return shipped(stack)


def _custom(result: StackPlan) -> list[RecordedResource]:
    return [r for r in result.run.resources if r.custom]


@pytest.mark.parametrize("stack", STACKS)
def test_stack_plans_with_the_example_projects(stack: str) -> None:
    result = _stack(stack)
    owners = workloads(result.run)
    expected = {p.key for p in result.plan.projects}
    assert {owners[r.urn] for r in _custom(result)} == expected | {"common"}
    groups = result.run.of_type("azure-native:resources:ResourceGroup")
    names = {r.inputs["resourceGroupName"] for r in groups}
    for project_plan in result.plan.projects:
        assert result.plan.namer.project("resource_group", project_plan.spec.id, project_plan.spec.name) in names


@pytest.mark.parametrize("stack", STACKS)
def test_nothing_has_public_network_access(stack: str) -> None:
    custom = _custom(_stack(stack))
    assert any("publicNetworkAccess" in r.inputs for r in custom)
    for record in custom:
        access = record.inputs.get("publicNetworkAccess")
        nested = (record.inputs.get("properties") or {}).get("publicNetworkAccess")
        for value in (access, nested):
            assert value in (None, "Disabled"), f"{record.type} {record.name}: publicNetworkAccess={value}"


@pytest.mark.parametrize("stack", STACKS)
def test_storage_is_keyless_and_private(stack: str) -> None:
    accounts = _stack(stack).run.of_type("azure-native:storage:StorageAccount")
    assert accounts
    for account in accounts:
        assert account.inputs["allowSharedKeyAccess"] is False, account.name
        assert account.inputs["allowBlobPublicAccess"] is False, account.name
        assert account.inputs["minimumTlsVersion"] == "TLS1_2", account.name


@pytest.mark.parametrize("stack", STACKS)
def test_every_subnet_has_an_nsg(stack: str) -> None:
    subnets = _stack(stack).run.of_type("azure-native:network:Subnet")
    assert subnets
    for subnet in subnets:
        assert subnet.inputs.get("networkSecurityGroup", {}).get("id"), subnet.name


@pytest.mark.parametrize("stack", STACKS)
def test_role_assignments_are_safe_and_unique(stack: str) -> None:
    assignments = _stack(stack).run.of_type("azure-native:authorization:RoleAssignment")
    assert assignments
    names = Counter(a.inputs["roleAssignmentName"] for a in assignments)
    assert [n for n, c in names.items() if c > 1] == []
    for assignment in assignments:
        assert assignment.inputs.get("principalType") in ("User", "Group", "ServicePrincipal")
        role_id = assignment.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
        if role_id in PRIVILEGED_IDS:
            assert assignment.inputs.get("condition"), f"unconditioned privileged role {assignment.name}"


@pytest.mark.parametrize("stack", STACKS)
def test_every_vnet_and_nsg_sends_its_diagnostics(stack: str) -> None:
    """NSGs: their two log categories, no metrics (they have none); VNets: VMProtectionAlerts and metrics."""
    run = _stack(stack).run
    settings = {r.parent: r for r in run.of_type("azure-native:monitor:DiagnosticSetting")}
    expected = {
        "azure-native:network:NetworkSecurityGroup": (
            [{"category": "NetworkSecurityGroupEvent", "enabled": True},
             {"category": "NetworkSecurityGroupRuleCounter", "enabled": True}],
            None,
        ),
        "azure-native:network:VirtualNetwork": (
            [{"category": "VMProtectionAlerts", "enabled": True}],
            [{"category": "AllMetrics", "enabled": True}],
        ),
    }  # fmt: skip
    workspace = run.of_type("azure-native:operationalinsights:Workspace")[0]
    for type_token, (logs, metrics) in expected.items():
        resources = run.of_type(type_token)
        assert resources
        for resource in resources:
            setting = settings[resource.urn]
            assert setting.name == f"{resource.name}-diag"
            assert setting.inputs.get("logs") == logs and setting.inputs.get("metrics") == metrics
            assert setting.inputs["workspaceId"].endswith(workspace.inputs["workspaceName"])
            # Written in the resource's own subscription (prod has two): it takes the resource's provider.
            assert setting.provider == resource.provider


@pytest.mark.parametrize("stack", STACKS)
def test_every_service_instance_has_exactly_its_planned_lifecycle(stack: str) -> None:
    """Each build takes its protection from the site (``ctx.options()``); the lock comes with protect_lock."""
    result = _stack(stack)
    planned = [*result.plan.common_services, *(s for p in result.plan.projects for s in p.services)]
    by_name = {r.name: r for r in result.run.resources}
    locks = {r.parent for r in result.run.of_type("azure-native:authorization:ManagementLockByScope")}
    assert {s.lifecycle for s in planned} == ({"none"} if stack == "dev" else {"none", "protect", "protect_lock"})
    for service in planned:
        resource = by_name[service.logical_name]
        assert resource.protect == service.protect, service.logical_name
        assert (resource.urn in locks) == service.lock, service.logical_name


def test_protection_only_outside_dev() -> None:
    for stack in STACKS:
        protected = [r for r in _custom(_stack(stack)) if r.protect]
        locks = _stack(stack).run.of_type("azure-native:authorization:ManagementLockByScope")
        if stack == "dev":
            assert protected == [] and locks == []
        else:
            types = {r.type for r in protected}
            assert "azure-native:storage:StorageAccount" in types
            assert "azure-native:keyvault:Vault" in types
            assert locks


def test_prod_uses_hub_peering_policy_dns_and_two_subscriptions() -> None:
    result = _stack("prod")
    assert result.run.of_type("azure-native:network:PrivateDnsZoneGroup") == []
    assert result.run.of_type("azure-native:privatedns:PrivateZone") == []
    assert result.run.of_type("azure-native:network:RouteTable")
    providers = result.run.of_type("pulumi:providers:azure-native")
    assert {p.inputs["subscriptionId"] for p in providers} == {
        "6f1d2c3b-0000-4000-8000-00000000f001",
        "6f1d2c3b-0000-4000-8000-00000000f002",
    }


def test_plan_is_deterministic() -> None:
    first = run_stack(REPO, "dev")
    second = _stack("dev")
    assert [(r.urn, r.inputs) for r in first.run.resources] == [(r.urn, r.inputs) for r in second.run.resources]


def test_adding_a_project_changes_no_existing_resource(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "projects", tmp_path / "projects")
    newcomer = project(
        60, "newcomer", "esml", services={"machine_learning": {}, "databricks": {}, "aks": {}}, environments=["dev"]
    )
    (tmp_path / "projects" / "060-newcomer.yaml").write_text(yaml.safe_dump(newcomer))
    before = {r.urn: r for r in _stack("dev").run.resources}
    grown = run_stack(tmp_path, "dev").run
    after = {r.urn: r for r in grown.resources}
    assert set(before) <= set(after)
    changed = [urn for urn, record in before.items() if after[urn].inputs != record.inputs]
    assert changed == []
    owners = workloads(grown)
    assert {owners[urn] for urn in set(after) - set(before)} == {"p060"}


def test_long_prefix_gives_valid_names(tmp_path: Path) -> None:
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "projects", tmp_path / "projects")
    stack = (REPO / "Pulumi.stage.yaml").read_text().replace("aifactory:prefix: acme", "aifactory:prefix: contosog")
    (tmp_path / "Pulumi.stage.yaml").write_text(stack)
    result = run_stack(tmp_path, "stage")
    accounts = result.run.of_type("azure-native:storage:StorageAccount")
    vaults = result.run.of_type("azure-native:keyvault:Vault")
    assert accounts and vaults
    for account in accounts:
        assert 3 <= len(account.inputs["accountName"]) <= 24
        assert account.inputs["accountName"].isalnum() and account.inputs["accountName"].islower()
    for vault in vaults:
        assert 3 <= len(vault.inputs["vaultName"]) <= 24
