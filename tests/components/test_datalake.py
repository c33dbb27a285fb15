"""DataLake and ProjectLakeFolders under the offline mocks: account settings, endpoints, folders and ACL entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from aifactory.components.datalake import (
    DataLake,
    DataLakeArgs,
    ProjectLakeFolders,
    ProjectLakeFoldersArgs,
    dataplane_provider,
)
from aifactory.offline.mocks import RecordedResource
from aifactory.offline.runner import OfflineRun
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.lake import LakeFolder, project_folder
from aifactory.plan.rbac.principals import LAKE_TRAVERSE_KEY
from tests.support import factory_plan, project, run_program

PATH = "azure:storage/dataLakeGen2Path:DataLakeGen2Path"
FILESYSTEM = "azure:storage/dataLakeGen2Filesystem:DataLakeGen2Filesystem"
ACCOUNT = "azure-native:storage:StorageAccount"
TEAM = [
    {"principal": "anna@contoso.com", "persona": "team-lead"},
    {"principal": "rita@contoso.com", "persona": "reader"},
]


def principals_for(plan: FactoryPlan) -> dict[str, str]:
    """Object ids for every principal the lake plan names by key only (what the identity components provide)."""
    return {p.key: f"oid-{p.key}" for f in plan.lake.folders for p in f.principals() if p.object_id is None}


def zone_ids(plan: FactoryPlan) -> dict[str, str]:
    return {zone: f"/zones/{zone}" for zone in plan.dns.zones_to_create}


def run_lake(
    plan: FactoryPlan, project_ids: tuple[int, ...] = (), principals: dict[str, str] | None = None
) -> OfflineRun:
    ids = principals_for(plan) if principals is None else principals

    def program() -> None:
        lake = DataLake(
            "datalake",
            DataLakeArgs(
                plan=plan,
                resource_group_name="rg-common",
                private_endpoint_subnet_id="/subnets/common-pe",
                zone_ids=zone_ids(plan),
                log_analytics_workspace_id="/workspaces/law",
                principals=ids,
                dataplane_provider=dataplane_provider(plan, pulumi.ResourceOptions()),
            ),
        )
        for project_id in project_ids:
            project_plan = plan.project(project_id)
            ProjectLakeFolders(
                f"{project_plan.key}-lake",
                ProjectLakeFoldersArgs(plan=plan, project=project_plan, lake=lake.ref, principals=ids),
            )

    return run_program(program)


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> tuple[FactoryPlan, OfflineRun]:
    plan = factory_plan(
        tmp_path_factory.mktemp("prod"),
        [project(7, "fraud", members=TEAM), project(8, "churn")],
        environment="prod",
        datalake={"sources": ["crm"], "redundancy": "GZRS", "soft_delete_days": 30, "container": "data"},
    )
    return plan, run_lake(plan, (7, 8))


def aces(resource: RecordedResource) -> set[tuple[str, str, str, str]]:
    return {(a["scope"], a["type"], a.get("id", ""), a["permissions"]) for a in resource.inputs["aces"]}


def expected_aces(folder: LakeFolder, ids: dict[str, str]) -> set[tuple[str, str, str, str]]:
    expected = set()
    for scope in ("access", "default") if folder.has_default else ("access",):
        expected |= {(scope, "user", "", "rwx"), (scope, "group", "", "---"), (scope, "other", "", "---")}
        expected.add((scope, "mask", "", folder.mask(scope)))
        for entry in folder.entries(scope):
            object_id = entry.principal.object_id or ids[entry.principal.key]
            expected.add((scope, entry.tag, object_id, entry.permissions))
    return expected


def test_the_account_is_private_keyless_and_hierarchical(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    plan, run = prod
    [account] = run.of_type(ACCOUNT)
    inputs: dict[str, Any] = account.inputs
    assert inputs["accountName"] == plan.namer.common("storage_account", "dl")
    assert inputs["isHnsEnabled"] is True
    assert inputs["sku"] == {"name": "Standard_GZRS"}
    assert inputs["kind"] == "StorageV2"
    assert inputs["minimumTlsVersion"] == "TLS1_2"
    assert inputs["enableHttpsTrafficOnly"] is True
    assert inputs["allowSharedKeyAccess"] is False
    assert inputs["allowBlobPublicAccess"] is False
    assert inputs["publicNetworkAccess"] == "Disabled"
    assert inputs["networkRuleSet"]["defaultAction"] == "Deny"
    assert not inputs["networkRuleSet"].get("ipRules") and not inputs["networkRuleSet"].get("virtualNetworkRules")
    assert inputs["tags"]["aifactory-workload"] == "common"


def test_blob_and_container_soft_delete(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    _, run = prod
    [blob] = run.of_type("azure-native:storage:BlobServiceProperties")
    assert blob.inputs["blobServicesName"] == "default"
    assert blob.inputs["deleteRetentionPolicy"] == {"enabled": True, "days": 30.0}
    assert blob.inputs["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30.0}


def test_private_endpoints_for_every_storage_service_and_diagnostics(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    _, run = prod
    endpoints = run.of_type("azure-native:network:PrivateEndpoint")
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in endpoints)
    assert groups == ["blob", "dfs", "file", "queue", "table"]
    assert {e.inputs["subnet"]["id"] for e in endpoints} == {"/subnets/common-pe"}
    # standalone DNS (the test stack): every endpoint gets its zone group
    assert len(run.of_type("azure-native:network:PrivateDnsZoneGroup")) == 5
    diagnostics = run.of_type("azure-native:monitor:DiagnosticSetting")
    assert {d.inputs["workspaceId"] for d in diagnostics} == {"/workspaces/law"}
    assert len(diagnostics) == 5  # the account's metrics and the logs of blob, file, queue and table


def test_stage_and_prod_protect_and_lock_the_data(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    _, run = prod
    [account] = run.of_type(ACCOUNT)
    assert account.protect
    [lock] = run.of_type("azure-native:authorization:ManagementLockByScope")
    [filesystem] = run.of_type(FILESYSTEM)
    assert lock.inputs["level"] == "CanNotDelete"
    # The container holds the data; a lock on the account would also hold its endpoints and grants.
    assert lock.parent == filesystem.urn
    assert lock.inputs["scope"] == f"{account.id}/blobServices/default/containers/{filesystem.inputs['name']}"
    assert all(r.protect for r in [*run.of_type(FILESYSTEM), *run.of_type(PATH)])


def test_dev_neither_protects_nor_locks(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [project(7, "fraud")])
    run = run_lake(plan, (7,))
    assert not run.of_type("azure-native:authorization:ManagementLockByScope")
    assert not any(r.protect for r in [*run.of_type(ACCOUNT), *run.of_type(FILESYSTEM), *run.of_type(PATH)])
    assert run.of_type(ACCOUNT)[0].inputs["sku"] == {"name": "Standard_ZRS"}


def test_the_container_root_acl_and_the_data_plane_provider(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    plan, run = prod
    [filesystem] = run.of_type(FILESYSTEM)
    [provider] = run.of_type("pulumi:providers:azure")
    assert filesystem.inputs["name"] == "data"
    assert filesystem.inputs["owner"] == filesystem.inputs["group"] == "$superuser"
    assert aces(filesystem) == expected_aces(plan.lake.root, principals_for(plan))
    assert ("access", "group", f"oid-{LAKE_TRAVERSE_KEY}", "--x") in aces(filesystem)
    assert filesystem.provider is not None and filesystem.provider.startswith(provider.urn)
    assert provider.inputs["storageUseAzuread"] == "true"
    subscription = provider.inputs["subscriptionId"]  # the provider marks it secret
    assert (subscription["value"] if isinstance(subscription, dict) else subscription) == plan.stack.subscription_id
    dfs = next(e for e in run.of_type("azure-native:network:PrivateEndpoint") if e.name.endswith("-dfs"))
    assert dfs.urn in filesystem.dependencies, "the container is created once the dfs endpoint exists"


def test_every_planned_folder_is_a_directory_with_its_entries(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    plan, run = prod
    ids = principals_for(plan)
    paths = {r.inputs["path"]: r for r in run.of_type(PATH)}
    assert set(paths) == {f.path for f in plan.lake.folders if f.path}
    for folder in plan.lake.folders[1:]:
        resource = paths[folder.path]
        assert resource.inputs["resource"] == "directory"
        assert resource.inputs["filesystemName"] == "data"
        assert resource.inputs["owner"] == resource.inputs["group"] == "$superuser"
        assert aces(resource) == expected_aces(folder, ids), folder.display
        assert resource.provider is not None and "common-datalake-dataplane" in resource.provider


def test_each_directory_is_created_after_its_parent(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    _, run = prod
    by_path = {r.inputs["path"]: r for r in run.of_type(PATH)}
    [filesystem] = run.of_type(FILESYSTEM)
    assert any("/" in path for path in by_path) and any("/" not in path for path in by_path)
    for path, resource in by_path.items():
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        parent_urn = by_path[parent].urn if parent else filesystem.urn
        assert parent_urn in resource.dependencies, path


def test_project_folders_belong_to_the_project_and_name_its_principals(prod: tuple[FactoryPlan, OfflineRun]) -> None:
    _, run = prod
    [component] = [r for r in run.of_type("aifactory:datalake:ProjectLakeFolders") if r.name == "p007-lake"]
    children = {r.name: r for r in run.children_of(component.urn)}
    assert sorted(children) == ["p007-lake-in", "p007-lake-out", "p007-lake-root", "p007-lake-work"]
    out = aces(children["p007-lake-out"])
    assert ("access", "group", "oid-p007/group/team-lead", "rwx") in out
    assert ("default", "group", "oid-p007/group/reader", "r-x") in out
    assert ("access", "user", "oid-p007/identity", "rwx") in out
    assert not any("p008" in ace[2] for ace in out)
    assert children["p007-lake-root"].inputs["path"] == project_folder(7)


def test_adding_a_project_changes_no_input_of_another(tmp_path: Path) -> None:
    def folders(run: OfflineRun) -> dict[str, dict[str, Any]]:
        return {r.name: r.inputs for r in run.of_type(PATH) if not r.name.startswith("p008")}

    one = factory_plan(tmp_path / "one", [project(7, "fraud", members=TEAM)])
    two = factory_plan(tmp_path / "two", [project(7, "fraud", members=TEAM), project(8, "churn")])
    before, after = folders(run_lake(one, (7,))), folders(run_lake(two, (7, 8)))
    assert before == after


def test_a_principal_the_identities_did_not_provide_fails_loudly(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [project(7, "fraud")])
    ids = {k: v for k, v in principals_for(plan).items() if k != "p007/identity"}
    with pytest.raises(Exception, match="p007/identity"):
        run_lake(plan, (7,), principals=ids)
