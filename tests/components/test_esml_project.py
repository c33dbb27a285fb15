"""EsmlProject and the ProjectBaseline under it, under the offline mocks.

One dev run holds two full ESML projects (7, 8), an ESML project with every service off (9) and a
GenAI project (10); one prod run holds project 7 again. Every test reads those two runs.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from aifactory.components.projects.baseline import ProjectBaseline, ProjectBaselineArgs
from aifactory.errors import ConfigError
from tests.support import ProjectsRun, factory_plan, fake_common_outputs, project, run_program, run_projects

GUID_USER = "22222222-0000-4000-8000-000000000003"
GROUP = "33333333-0000-4000-8000-000000000004"
MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "anna@contoso.com", "persona": "data-scientist"},
    {"principal": GUID_USER, "persona": "ml-engineer"},
    {"principal": GROUP, "kind": "group", "persona": "data-scientist"},
    {"principal": "bob@contoso.com", "persona": "data-engineer"},
]
ALL_SERVICES = {
    "machine_learning": {"compute_instances": True},
    "databricks": {},
    "data_factory": {},
    "aks": {},
    "event_hubs": {"hubs": [{"name": "telemetry", "partitions": 4, "retention_hours": 48}]},
    "container_registry": {},
}
FULL = project(
    7,
    "fraud",
    services=ALL_SERVICES,
    members=MEMBERS,
    delivery={"github": {"repository": "contoso/fraud"}},
    overrides={"prod": {"services": {"machine_learning": {"compute": {"max_nodes": 10}}}}},
)
OTHER = project(8, "churn", services=ALL_SERVICES, members=MEMBERS)
BARE = project(
    9, "minimal", services={"machine_learning": {"enabled": False}, "container_registry": {"enabled": False}}
)
GENAI = project(10, "assistant", "genai", services={"ai_foundry": {"agents": False}})
PROJECT_MARKERS = {"p007": "fraud", "p008": "churn", "p009": "minimal", "p010": "assistant"}


# --- the runs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("dev"), [FULL, OTHER, BARE, GENAI], "dev")


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("prod"), [FULL], "prod")


def _name(run: ProjectsRun, kind: Any, project_id: int = 7, qualifier: str = "") -> str:
    spec = run.plan.project(project_id).spec
    return str(run.plan.namer.project(kind, spec.id, spec.name, qualifier))


def _uami(run: ProjectsRun, key: str = "p007") -> str:
    identity = run.output(f"{key}-identity")
    assert isinstance(identity, str)
    assert identity.startswith("/subscriptions/")
    return identity


# --- what gets built -------------------------------------------------------------------------

ESML_SERVICE_TYPES = (
    "azure-native:machinelearningservices:Workspace",
    "azure-native:machinelearningservices:Compute",
    "azure-native:databricks:Workspace",
    "azure-native:databricks:AccessConnector",
    "azure-native:datafactory:Factory",
    "azure-native:datafactory:IntegrationRuntime",
    "azure-native:datafactory:ManagedPrivateEndpoint",
    "azure-native:datafactory:CredentialOperation",
    "azure-native:datafactory:LinkedService",
    "azure-native:resources:Deployment",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:eventhub:Namespace",
    "azure-native:eventhub:EventHub",
    "azure-native:containerregistry:Registry",
)
BASELINE_TYPES = (
    "azure-native:resources:ResourceGroup",
    "azure-native:consumption:Budget",
    "azure-native:applicationinsights:Component",
    "azure-native:storage:StorageAccount",
    "azure-native:keyvault:Vault",
)


def test_every_service_on_builds_each_service_once(dev: ProjectsRun) -> None:
    counts = {t: len(dev.owned("p007", t)) for t in ESML_SERVICE_TYPES + BASELINE_TYPES}
    assert counts == {
        **dict.fromkeys(ESML_SERVICE_TYPES + BASELINE_TYPES, 1),
        # the cluster and one personal instance per data-scientist / ml-engineer *user*
        "azure-native:machinelearningservices:Compute": 3,
        "azure-native:datafactory:ManagedPrivateEndpoint": 3,
        "azure-native:datafactory:LinkedService": 3,
    }


def test_every_service_off_leaves_only_the_baseline(dev: ProjectsRun) -> None:
    types_ = {r.type for r in dev.owned("p009")}
    assert not types_ & set(ESML_SERVICE_TYPES)
    assert set(BASELINE_TYPES) <= types_
    endpoints = dev.owned("p009", "azure-native:network:PrivateEndpoint")
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in endpoints)
    assert groups == ["blob", "file", "queue", "table", "vault"]


def test_genai_project_shares_the_baseline_but_no_ml_service(dev: ProjectsRun) -> None:
    types_ = {r.type for r in dev.owned("p010")}
    assert set(BASELINE_TYPES) <= types_
    assert not types_ & set(ESML_SERVICE_TYPES)
    assert {c.type for c in dev.run.resources if dev.owners[c.urn] == "p010" and not c.custom} >= {
        "aifactory:projects:GenAIProject",
        "aifactory:baseline:ProjectBaseline",
    }


# --- private and keyless ---------------------------------------------------------------------


def test_storage_and_key_vault_are_private_and_keyless(dev: ProjectsRun) -> None:
    account = dev.one("p007", "azure-native:storage:StorageAccount").inputs
    assert account["allowSharedKeyAccess"] is False
    assert account["allowBlobPublicAccess"] is False
    assert account["publicNetworkAccess"] == "Disabled"
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["accountName"] == _name(dev, "storage_account")
    vault = dev.one("p007", "azure-native:keyvault:Vault").inputs["properties"]
    assert vault["enableRbacAuthorization"] is True
    assert vault["enablePurgeProtection"] is True
    assert vault["enableSoftDelete"] is True
    assert vault["publicNetworkAccess"] == "Disabled"
    insights = dev.one("p007", "azure-native:applicationinsights:Component").inputs
    assert insights["ingestionMode"] == "LogAnalytics"
    assert insights["workspaceResourceId"].endswith("/workspaces/log-acme")
    assert insights["disableLocalAuth"] is True


def test_machine_learning_workspace_is_private_and_identity_based(dev: ProjectsRun) -> None:
    workspace = dev.one("p007", "azure-native:machinelearningservices:Workspace").inputs
    scopes = dev.output("p007-scopes")
    assert workspace["publicNetworkAccess"] == "Disabled"
    assert workspace["systemDatastoresAuthMode"] == "Identity"
    assert workspace["v1LegacyMode"] is False
    assert workspace["kind"] == "Default"
    assert workspace["primaryUserAssignedIdentity"] == _uami(dev)
    assert workspace["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [_uami(dev)]}
    assert workspace["storageAccount"] == scopes["p007/storage"]
    assert workspace["keyVault"] == scopes["p007/key_vault"]
    assert workspace["applicationInsights"] == scopes["p007/application_insights"]
    assert workspace["containerRegistry"] == scopes["p007/container_registry"]
    assert workspace["imageBuildCompute"] == "cpu-cluster"
    assert workspace["serverlessComputeSettings"]["serverlessComputeNoPublicIP"] is True


def test_the_workspace_builds_into_the_projects_own_registry_by_default(tmp_path: Path) -> None:
    result = run_projects(tmp_path, [project(11, "solo")], "dev").run
    (workspace,) = result.of_type("azure-native:machinelearningservices:Workspace")
    (registry,) = result.of_type("azure-native:containerregistry:Registry")
    assert workspace.inputs["containerRegistry"].endswith(f"/{registry.inputs['registryName']}")
    assert "cracmecommon" not in workspace.inputs["containerRegistry"]


def test_a_workspace_on_the_shared_registry_is_refused(tmp_path: Path) -> None:
    shared = project(11, "solo", services={"machine_learning": {}, "container_registry": {"enabled": False}})
    with pytest.raises(ConfigError) as refused:
        factory_plan(tmp_path, [shared])
    (problem,) = refused.value.problems
    assert (problem.field, problem.value) == ("services.container_registry.enabled", False)
    assert "overwrite every other project's images" in problem.message


def test_data_services_are_private_and_keyless(dev: ProjectsRun) -> None:
    uami = _uami(dev)
    databricks = dev.one("p007", "azure-native:databricks:Workspace").inputs
    assert databricks["publicNetworkAccess"] == "Disabled"
    assert databricks["requiredNsgRules"] == "NoAzureDatabricksRules"
    assert databricks["sku"] == {"name": "premium"}
    parameters = databricks["parameters"]
    assert parameters["enableNoPublicIp"]["value"] is True
    network = dev.plan.project(7).network
    assert parameters["customVirtualNetworkId"]["value"].endswith(f"/virtualNetworks/vnet-{network.vnet_key}")
    assert parameters["customPublicSubnetName"]["value"] == network.subnet("databricks_host").name
    assert parameters["customPrivateSubnetName"]["value"] == network.subnet("databricks_container").name
    assert databricks["managedResourceGroupId"].endswith(f"/resourceGroups/{_name(dev, 'resource_group', 7, 'dbw')}")
    connector = dev.one("p007", "azure-native:databricks:AccessConnector").inputs
    assert connector["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [uami]}

    factory = dev.one("p007", "azure-native:datafactory:Factory").inputs
    assert factory["publicNetworkAccess"] == "Disabled"
    assert factory["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {uami: {}}}

    namespace = dev.one("p007", "azure-native:eventhub:Namespace").inputs
    assert namespace["disableLocalAuth"] is True
    assert namespace["publicNetworkAccess"] == "Disabled"
    assert namespace["sku"]["name"] == "Standard"
    hub = dev.one("p007", "azure-native:eventhub:EventHub").inputs
    assert (hub["eventHubName"], hub["partitionCount"]) == ("telemetry", 4)
    assert hub["retentionDescription"]["retentionTimeInHours"] == 48

    registry = dev.one("p007", "azure-native:containerregistry:Registry").inputs
    assert registry["sku"] == {"name": "Premium"}
    assert registry["adminUserEnabled"] is False
    assert registry["anonymousPullEnabled"] is False
    assert registry["publicNetworkAccess"] == "Disabled"


def test_data_factory_reaches_its_stores_privately_with_the_project_identity(dev: ProjectsRun) -> None:
    scopes = dev.output("p007-scopes")
    factory_name = _name(dev, "data_factory")
    deployment = dev.one("p007", "azure-native:resources:Deployment").inputs["properties"]
    assert deployment["mode"] == "Incremental"
    [vnet] = deployment["template"]["resources"]
    assert (vnet["type"], vnet["name"]) == (
        "Microsoft.DataFactory/factories/managedVirtualNetworks",
        f"{factory_name}/default",
    )
    runtime = dev.one("p007", "azure-native:datafactory:IntegrationRuntime").inputs["properties"]
    assert runtime["type"] == "Managed"
    assert runtime["managedVirtualNetwork"]["referenceName"] == "default"
    managed = {
        (e.inputs["properties"]["privateLinkResourceId"], e.inputs["properties"]["groupId"])
        for e in dev.owned("p007", "azure-native:datafactory:ManagedPrivateEndpoint")
    }
    assert managed == {
        (scopes["p007/storage"], "blob"),
        (scopes["p007/key_vault"], "vault"),
        (scopes["common/datalake"], "dfs"),
    }
    credential = dev.one("p007", "azure-native:datafactory:CredentialOperation").inputs["properties"]
    assert credential == {"type": "ManagedIdentity", "resourceId": _uami(dev)}
    linked = {
        s.inputs["linkedServiceName"]: s.inputs["properties"]
        for s in dev.owned("p007", "azure-native:datafactory:LinkedService")
    }
    assert {p["type"] for p in linked.values()} == {"AzureBlobStorage", "AzureKeyVault", "AzureBlobFS"}
    for properties in linked.values():
        assert properties["credential"]["referenceName"] == credential_name(dev)
        assert properties["connectVia"]["referenceName"] == runtime_name(dev)
        assert not {"accountKey", "connectionString", "sasUri", "servicePrincipalKey"} & set(properties)
    assert linked["ls-datalake"]["url"] == "https://stacmelake.dfs.core.windows.net/"


def credential_name(run: ProjectsRun) -> str:
    return str(run.one("p007", "azure-native:datafactory:CredentialOperation").inputs["credentialName"])


def runtime_name(run: ProjectsRun) -> str:
    return str(run.one("p007", "azure-native:datafactory:IntegrationRuntime").inputs["integrationRuntimeName"])


def test_aks_is_private_entra_only_and_runs_as_the_project_identity(dev: ProjectsRun) -> None:
    cluster = dev.one("p007", "azure-native:containerservice:ManagedCluster").inputs
    assert cluster["apiServerAccessProfile"]["enablePrivateCluster"] is True
    assert cluster["disableLocalAccounts"] is True
    assert cluster["aadProfile"]["managed"] is True
    assert cluster["aadProfile"]["enableAzureRBAC"] is True
    assert cluster["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [_uami(dev)]}
    assert cluster["networkProfile"]["networkPlugin"] == "azure"
    assert cluster["networkProfile"]["networkPluginMode"] == "overlay"
    kubelet = cluster["identityProfile"]["kubeletidentity"]["resourceId"]
    assert kubelet != _uami(dev)  # the nodes never carry the project identity's data roles
    assert kubelet.endswith(f"/{_name(dev, 'managed_identity', qualifier='aks-kubelet')}")
    assert cluster["networkProfile"]["networkDataplane"] == "cilium"
    assert cluster["networkProfile"]["networkPolicy"] == "cilium"
    assert cluster["addonProfiles"] == {"azurepolicy": {"enabled": True}}
    assert cluster["nodeResourceGroup"] == _name(dev, "resource_group", 7, "aks")
    pool = cluster["agentPoolProfiles"][0]
    assert pool["vnetSubnetID"].endswith(f"/subnets/{dev.plan.project(7).network.subnet('aks').name}")
    assert pool["enableNodePublicIP"] is False


def test_aks_attaches_to_the_workspace_only_when_asked(dev: ProjectsRun, tmp_path: Path) -> None:
    assert dev.owned("p007", "azure-native:kubernetesconfiguration:Extension") == []
    services = {**ALL_SERVICES, "aks": {"attach_to_workspace": True, "max_nodes": 3}}
    attached = run_projects(tmp_path, [project(7, "fraud", services=services, members=MEMBERS)], "dev")
    cluster = attached.one("p007", "azure-native:containerservice:ManagedCluster")
    assert cluster.inputs["disableLocalAccounts"] is False  # Azure ML's extension needs local accounts
    assert cluster.inputs["aadProfile"]["enableAzureRBAC"] is True
    extension = attached.one("p007", "azure-native:kubernetesconfiguration:Extension")
    assert extension.inputs["extensionType"] == "Microsoft.AzureML.Kubernetes"
    settings = extension.inputs["configurationSettings"]
    assert settings["inferenceRouterServiceType"] == "internalLoadBalancer"
    assert settings["inferenceRouterHA"] == "True"
    computes = {
        c.inputs["computeName"]: c for c in attached.owned("p007", "azure-native:machinelearningservices:Compute")
    }
    kubernetes = computes["aks-serving"].inputs["properties"]
    assert kubernetes["computeType"] == "Kubernetes"
    assert kubernetes["resourceId"].endswith(f"/{_name(attached, 'kubernetes_cluster')}")
    assert extension.urn in computes["aks-serving"].dependencies


# --- endpoints -------------------------------------------------------------------------------


def test_every_planned_endpoint_exists_with_its_group_and_zones(dev: ProjectsRun) -> None:
    plan = dev.plan.project(7)
    endpoints = dev.owned("p007", "azure-native:network:PrivateEndpoint")
    found = {e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]: e for e in endpoints}
    expected = {group: planned for planned in plan.endpoints for group in planned.group_ids}
    assert sorted(found) == sorted(expected)
    assert set(expected) == {
        "blob", "file", "queue", "table", "vault", "registry", "namespace",
        "amlworkspace", "databricks_ui_api", "dataFactory", "portal",
    }  # fmt: skip
    subnet = f"/subnets/{plan.network.subnet('private_endpoints').name}"
    zone_groups = {
        g.inputs["privateEndpointName"]: g for g in dev.owned("p007", "azure-native:network:PrivateDnsZoneGroup")
    }
    for group, endpoint in found.items():
        assert endpoint.inputs["subnet"]["id"].endswith(subnet)
        zones = [
            z["privateDnsZoneId"].rsplit("/", 1)[1]
            for z in zone_groups[endpoint.inputs["privateEndpointName"]].inputs["privateDnsZoneConfigs"]
        ]
        assert zones == list(dev.plan.dns.zones_for(expected[group].kind, group))
    aml = found["amlworkspace"]
    assert aml.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"].endswith(
        "/" + _name(dev, "machine_learning_workspace")
    )
    aml_zones = zone_groups[aml.inputs["privateEndpointName"]].inputs["privateDnsZoneConfigs"]
    assert {z["name"] for z in aml_zones} == {"privatelink-api-azureml-ms", "privatelink-notebooks-azure-net"}


# --- compute per environment -----------------------------------------------------------------


def _cluster(run: ProjectsRun) -> dict[str, Any]:
    computes = run.owned("p007", "azure-native:machinelearningservices:Compute")
    (cluster,) = [c for c in computes if c.inputs["properties"]["computeType"] == "AmlCompute"]
    return dict(cluster.inputs)


def test_compute_cluster_scales_to_zero_without_public_ip_or_ssh(dev: ProjectsRun) -> None:
    cluster = _cluster(dev)
    properties = cluster["properties"]["properties"]
    assert cluster["computeName"] == "cpu-cluster"
    assert cluster["properties"]["disableLocalAuth"] is True
    assert cluster["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [_uami(dev)]}
    assert properties["scaleSettings"]["minNodeCount"] == 0
    assert properties["enableNodePublicIp"] is False
    assert properties["remoteLoginPortPublicAccess"] == "Disabled"
    assert properties["subnet"]["id"].endswith(f"/subnets/{dev.plan.project(7).network.subnet('compute').name}")


def test_compute_is_sized_per_environment(dev: ProjectsRun, prod: ProjectsRun) -> None:
    dev_scale = _cluster(dev)["properties"]["properties"]
    prod_scale = _cluster(prod)["properties"]["properties"]
    assert (dev_scale["vmSize"], dev_scale["scaleSettings"]["maxNodeCount"]) == ("Standard_DS3_v2", 2)
    # prod: the environment's larger VM, and the project's own override of max_nodes
    assert (prod_scale["vmSize"], prod_scale["scaleSettings"]["maxNodeCount"]) == ("Standard_DS4_v2", 10)
    dev_aks = dev.one("p007", "azure-native:containerservice:ManagedCluster").inputs
    prod_aks = prod.one("p007", "azure-native:containerservice:ManagedCluster").inputs
    assert (dev_aks["sku"]["tier"], dev_aks["agentPoolProfiles"][0]["maxCount"]) == ("Free", 3)
    assert (prod_aks["sku"]["tier"], prod_aks["agentPoolProfiles"][0]["maxCount"]) == ("Standard", 6)


def test_personal_compute_instances_for_data_scientist_and_ml_engineer_users(dev: ProjectsRun) -> None:
    computes = dev.owned("p007", "azure-native:machinelearningservices:Compute")
    instances = [c.inputs for c in computes if c.inputs["properties"]["computeType"] == "ComputeInstance"]
    users = {
        i["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]["objectId"] for i in instances
    }
    anna = dev.output("p007-principals")["p007/member/user:anna@contoso.com"]
    assert users == {GUID_USER, anna}
    names = [i["computeName"] for i in instances]
    assert len(set(names)) == 2
    for instance in instances:
        name = instance["computeName"]
        assert 3 <= len(name) <= 24 and name[0].isalpha()
        properties = instance["properties"]["properties"]
        assert properties["enableNodePublicIp"] is False
        assert properties["sshSettings"]["sshPublicAccess"] == "Disabled"
        assert properties["idleTimeBeforeShutdown"] == "PT60M"
    other = {i.inputs["computeName"] for i in dev.owned("p008", "azure-native:machinelearningservices:Compute")}
    assert not set(names) & other


# --- identities and role assignments ---------------------------------------------------------


def test_role_assignments_are_exactly_the_planned_ones(dev: ProjectsRun) -> None:
    for key, project_id in (("p007", 7), ("p009", 9), ("p010", 10)):
        planned = dev.plan.access.projects[project_id].role_assignments
        assert planned
        scopes, principals = dev.output(f"{key}-scopes"), dev.output(f"{key}-principals")
        created = {
            r.inputs["roleAssignmentName"]: r.inputs
            for r in dev.owned(key, "azure-native:authorization:RoleAssignment")
        }
        expected = list(planned)
        assert sorted(created) == sorted(a.name for a in expected)
        for assignment in expected:
            inputs = created[assignment.name]
            assert inputs["scope"] == scopes[assignment.scope.key]
            assert inputs["principalId"] == (assignment.principal.object_id or principals[assignment.principal.key])
            assert inputs["principalType"] == assignment.principal.principal_type
            assert inputs["roleDefinitionId"].endswith(f"/roleDefinitions/{assignment.role.id}")


def test_scopes_name_the_project_resources(dev: ProjectsRun) -> None:
    scopes = dev.output("p007-scopes")
    expected = {
        "p007/resource_group": f"/resourceGroups/{_name(dev, 'resource_group')}",
        "p007/storage": "/" + _name(dev, "storage_account"),
        "p007/key_vault": "/" + _name(dev, "key_vault"),
        "p007/application_insights": "/" + _name(dev, "application_insights"),
        "p007/container_registry": "/" + _name(dev, "container_registry"),
        "p007/event_hubs": "/" + _name(dev, "event_hubs_namespace"),
        "p007/machine_learning": "/" + _name(dev, "machine_learning_workspace"),
        "p007/databricks": "/" + _name(dev, "databricks_workspace"),
        "p007/data_factory": "/" + _name(dev, "data_factory"),
        "p007/aks": "/" + _name(dev, "kubernetes_cluster"),
    }
    for key, suffix in expected.items():
        assert scopes[key].endswith(suffix), key
    assert {k for k in dev.output("p009-scopes") if k.startswith("p009/")} == {
        "p009/resource_group",
        "p009/storage",
        "p009/key_vault",
        "p009/application_insights",
        "p009/managed_identity",
        "p009/network/private_endpoints",
    }


def test_every_principal_kind_is_granted(dev: ProjectsRun) -> None:
    principals = {a.principal.key for a in dev.plan.access.projects[7].role_assignments}
    assert {"p007/identity", "p007/deployment", "p007/group/data-scientist"} <= principals
    assert any(key.startswith("common/platform-admin/") for key in principals)


def test_a_planned_endpoint_that_is_not_built_fails_the_plan(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [project(12, "half")])

    def program() -> None:
        project_plan = plan.project(12)
        baseline = ProjectBaseline("p012-baseline", ProjectBaselineArgs(plan, project_plan, fake_common_outputs(plan)))
        baseline.complete(baseline)

    with pytest.raises(RuntimeError, match=r"machine_learning \(machine_learning\) is planned but was not built"):
        run_program(program)


def test_services_wait_for_their_identity_roles(dev: ProjectsRun) -> None:
    """The ML workspace checks its identity's access on creation, AKS its subnet and kubelet identity roles."""
    baseline_roles = {
        r.urn
        for r in dev.owned("p007", "azure-native:authorization:RoleAssignment")
        if r.parent.endswith("p007-baseline")
    }
    scopes = {
        r.inputs["scope"]
        for r in dev.owned("p007", "azure-native:authorization:RoleAssignment")
        if r.urn in baseline_roles
    }
    p007 = dev.output("p007-scopes")
    assert {p007["p007/storage"], p007["p007/managed_identity"], p007["p007/network/aks"]} <= scopes
    for service in ("azure-native:machinelearningservices:Workspace", "azure-native:containerservice:ManagedCluster"):
        assert baseline_roles <= set(dev.one("p007", service).dependencies), service


def test_the_project_gets_its_lake_folders_with_its_own_principals(dev: ProjectsRun) -> None:
    paths = dev.owned("p007", "azure:storage/dataLakeGen2Path:DataLakeGen2Path")
    assert sorted(p.inputs["path"] for p in paths) == sorted(f.path for f in dev.plan.lake.for_project(7))
    principals = dev.output("p007-principals")
    granted = {ace["id"] for p in paths for ace in p.inputs.get("aces", []) if ace.get("id")}
    planned = {p.object_id or principals[p.key] for f in dev.plan.lake.for_project(7) for p in f.principals()}
    assert granted == planned
    assert principals["p007/identity"] in granted


# --- budget ----------------------------------------------------------------------------------


def test_budget_alerts_the_owners_on_actual_and_forecast(dev: ProjectsRun) -> None:
    budget = dev.one("p007", "azure-native:consumption:Budget").inputs
    assert budget["amount"] == 100
    assert budget["timeGrain"] == "Monthly"
    assert budget["category"] == "Cost"
    assert budget["scope"] == dev.output("p007-scopes")["p007/resource_group"]
    assert budget["timePeriod"]["startDate"] == f"{datetime.datetime.now(datetime.UTC):%Y-%m}-01T00:00:00Z"
    notifications = budget["notifications"]
    assert sorted(notifications) == ["actual-100", "actual-80", "forecasted-100", "forecasted-80"]  # the defaults
    assert {n["contactEmails"][0] for n in notifications.values()} == {"lead@contoso.com"}
    assert notifications["forecasted-100"]["thresholdType"] == "Forecasted"
    assert notifications["forecasted-100"]["threshold"] == 100
    assert notifications["actual-80"]["thresholdType"] == "Actual"


# --- isolation and protection ----------------------------------------------------------------


def test_no_resource_depends_on_another_projects_inputs(dev: ProjectsRun) -> None:
    for key, marker in PROJECT_MARKERS.items():
        others = [m for k, m in PROJECT_MARKERS.items() if k != key] + [k for k in PROJECT_MARKERS if k != key]
        for record in dev.owned(key):
            text = json.dumps(record.inputs, sort_keys=True)
            assert not [o for o in others if o in text], f"{key} {record.type} {record.name} mentions {others}"
            assert {dev.owners.get(d, "common") for d in record.dependencies} <= {key, "common"}, record.name
        assert dev.owned(key), marker


def test_stateful_resources_are_protected_and_not_locked_in_prod(prod: ProjectsRun) -> None:
    protected = {r.type for r in prod.owned("p007") if r.protect}
    assert {
        "azure-native:resources:ResourceGroup",
        "azure-native:storage:StorageAccount",
        "azure-native:keyvault:Vault",
        "azure-native:machinelearningservices:Workspace",
        "azure-native:databricks:Workspace",
        "azure-native:datafactory:Factory",
    } <= protected
    # A lock on the storage account or the vault would hold the role assignments at their scope, their
    # endpoint connections and diagnostic settings; an ESML project holds no lockable data child.
    assert prod.owned("p007", "azure-native:authorization:ManagementLockByScope") == []


def test_nothing_is_protected_or_locked_in_dev(dev: ProjectsRun) -> None:
    assert not [r.name for r in dev.owned("p007") if r.protect]
    assert not dev.owned("p007", "azure-native:authorization:ManagementLockByScope")


def test_diagnostics_for_every_service(dev: ProjectsRun) -> None:
    targets = {s.inputs["resourceUri"] for s in dev.owned("p007", "azure-native:monitor:DiagnosticSetting")}
    scopes = dev.output("p007-scopes")
    for service in (
        "storage",
        "key_vault",
        "container_registry",
        "event_hubs",
        "machine_learning",
        "databricks",
        "data_factory",
        "aks",
    ):
        assert scopes[f"p007/{service}"] in targets, service


def test_aks_resolves_its_api_server_as_the_dns_mode_allows(dev: ProjectsRun, tmp_path: Path) -> None:
    standalone = dev.one("p007", "azure-native:containerservice:ManagedCluster").inputs["apiServerAccessProfile"]
    assert (standalone["privateDNSZone"], standalone["enablePrivateClusterPublicFQDN"]) == ("system", False)
    hub_dns = {"address_space": "172.20.0.0/14", "dns_servers": ["10.100.1.4"]}
    custom = run_projects(tmp_path, [project(7, "fraud", services={"aks": {}})], "dev", network=hub_dns)
    profile = custom.one("p007", "azure-native:containerservice:ManagedCluster").inputs["apiServerAccessProfile"]
    # with custom DNS servers AKS's own zone would not resolve; a custom zone needs Network Contributor on the
    # shared spoke VNet, so the private API server's name is published in public DNS instead
    assert (profile["privateDNSZone"], profile["enablePrivateClusterPublicFQDN"]) == ("none", True)
    assert profile["enablePrivateCluster"] is True
