"""GenAIProject under the offline mocks: AI Foundry with private agents, AI Search, Cosmos DB, Container Apps, Web App.

One dev run holds two full GenAI projects (21, 22), a GenAI project with every service off (23)
and one with Foundry but no agents (24, like the shipped contract-insights); one prod run holds
project 21 again. Every test reads those two runs.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import netaddr
import pulumi
import pytest

from aifactory.components.cosmos_data_roles import assign_cosmos_data_roles
from aifactory.components.projects.foundry import AGENT_CONNECTIONS, CAPABILITY_HOST_NAME
from aifactory.offline.mocks import RecordedResource, deterministic_uuid
from aifactory.plan.foundry import AGENT_CONTAINER_SUFFIXES
from aifactory.services.cosmos_db import AGENTS_DATABASE
from tests.support import ProjectsRun, factory_plan, project, run_program, run_projects

MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "22222222-0000-4000-8000-000000000021", "kind": "group", "persona": "ai-developer"},
    {"principal": "22222222-0000-4000-8000-000000000022", "kind": "group", "persona": "app-developer"},
    {"principal": "dana@contoso.com", "persona": "data-scientist"},
    {"principal": "rita@contoso.com", "persona": "reader"},
]
MODELS = [
    {"name": "chat", "model": "gpt-5.5", "version": "2026-04-24", "sku": "DataZoneStandard", "capacity": 30},
    {"name": "embeddings", "model": "text-embedding-3-large", "version": "1", "capacity": 50},
    {"name": "small", "model": "text-embedding-3-small", "version": "1", "sku": "Standard", "capacity": 5},
]
ALL_SERVICES: dict[str, Any] = {
    "ai_foundry": {"models": MODELS},
    "ai_search": {"sku": "standard2", "replicas": 2, "partitions": 2, "semantic_search": "standard"},
    "cosmos_db": {},
    "container_apps": {"workload_profile": "E4", "max_instances": 5},
    "web_app": {"sku": "P1v3", "runtime": "NODE|22-lts"},
}
FULL = project(
    21,
    "copilot",
    "genai",
    services=ALL_SERVICES,
    members=MEMBERS,
    delivery={"github": {"repository": "contoso/copilot"}},
    overrides={"prod": {"services": {"ai_search": {"replicas": 3}}}},
)
OTHER = project(22, "helpdesk", "genai", services={**ALL_SERVICES, "cosmos_db": {"serverless": False}}, members=MEMBERS)
BARE = project(23, "empty", "genai", services={"ai_foundry": {"enabled": False}, "ai_search": {"enabled": False}})
PROMPTS = project(24, "prompts", "genai", services={"ai_foundry": {"agents": False}, "ai_search": {}, "web_app": {}})
PROJECT_MARKERS = {"p021": "copilot", "p022": "helpdesk", "p023": "empty", "p024": "prompts"}
AGENT_RANGES = [netaddr.IPNetwork("172.16.0.0/12"), netaddr.IPNetwork("192.168.0.0/16")]

ACCOUNT = "azure-native:cognitiveservices:Account"
PROJECT = "azure-native:cognitiveservices:Project"
DEPLOYMENT = "azure-native:cognitiveservices:Deployment"
CONNECTION = "azure-native:cognitiveservices:ProjectConnection"
GENERIC = "azure-native:resources:Resource"
SEARCH = "azure-native:search:Service"
COSMOS = "azure-native:cosmosdb:DatabaseAccount"
DATABASE = "azure-native:cosmosdb:SqlResourceSqlDatabase"
COSMOS_ROLE = "azure-native:cosmosdb:SqlResourceSqlRoleAssignment"
ENVIRONMENT = "azure-native:app:ManagedEnvironment"
PLAN = "azure-native:web:AppServicePlan"
SITE = "azure-native:web:WebApp"
FTP = "azure-native:web:WebAppFtpAllowed"
SCM = "azure-native:web:WebAppScmAllowed"
ROLE = "azure-native:authorization:RoleAssignment"
ENDPOINT = "azure-native:network:PrivateEndpoint"
GENAI_TYPES = (
    ACCOUNT, PROJECT, DEPLOYMENT, CONNECTION, GENERIC, SEARCH, COSMOS, DATABASE, COSMOS_ROLE, ENVIRONMENT, PLAN, SITE,
    FTP, SCM,
)  # fmt: skip


# --- the runs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("dev"), [FULL, OTHER, BARE, PROMPTS], "dev")


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("prod"), [FULL], "prod")


def _uami(run: ProjectsRun, key: str = "p021") -> str:
    identity = run.output(f"{key}-identity")
    assert isinstance(identity, str) and identity.startswith("/subscriptions/")
    return identity


def _uami_identity(run: ProjectsRun, key: str = "p021") -> dict[str, Any]:
    return {"type": "UserAssigned", "userAssignedIdentities": [_uami(run, key)]}


# --- what gets built -------------------------------------------------------------------------


def test_every_service_on_builds_each_service_once(dev: ProjectsRun) -> None:
    counts = {t: len(dev.owned("p021", t)) for t in GENAI_TYPES}
    planned_cosmos_roles = len(dev.plan.access.projects[21].data_plane_assignments)
    assert planned_cosmos_roles
    assert counts == {
        **dict.fromkeys(GENAI_TYPES, 1),
        DEPLOYMENT: len(MODELS),
        CONNECTION: 3,
        # the planned account-scoped roles, and the agents' data role on each of their three containers
        COSMOS_ROLE: planned_cosmos_roles + len(AGENT_CONTAINER_SUFFIXES),
    }


def test_every_service_off_leaves_only_the_baseline(dev: ProjectsRun) -> None:
    types = {r.type for r in dev.owned("p023")}
    assert not types & set(GENAI_TYPES)
    assert {"azure-native:storage:StorageAccount", "azure-native:keyvault:Vault"} <= types
    groups = sorted(e.inputs["privateLinkServiceConnections"][0]["groupIds"][0] for e in dev.owned("p023", ENDPOINT))
    assert groups == ["blob", "file", "vault"]
    assert "agents" not in {s.key for s in dev.plan.project(23).network.needed_subnets}


def test_foundry_without_agents_has_no_injection_connections_or_capability_host(dev: ProjectsRun) -> None:
    types = {r.type for r in dev.owned("p024")}
    assert {ACCOUNT, PROJECT, DEPLOYMENT, SEARCH, PLAN, SITE} <= types
    assert not types & {CONNECTION, GENERIC, COSMOS, DATABASE, COSMOS_ROLE, ENVIRONMENT}
    properties = dev.one("p024", ACCOUNT).inputs["properties"]
    assert "networkInjections" not in properties
    assert properties["disableLocalAuth"] is True
    assert "p024/agents" not in {f"p024/{s.key}" for s in dev.plan.project(24).network.needed_subnets}
    # the default models when the project lists none
    assert [d.inputs["deploymentName"] for d in _deployments(dev, "p024")] == ["gpt-5.4-mini", "text-embedding-3-large"]


# --- AI Foundry ------------------------------------------------------------------------------


def test_foundry_account_is_private_keyless_and_injects_agents_into_the_project_subnet(dev: ProjectsRun) -> None:
    account = dev.one("p021", ACCOUNT).inputs
    name = dev.name("ai_services", 21)
    assert account["accountName"] == name
    assert (account["kind"], account["sku"]) == ("AIServices", {"name": "S0"})
    assert account["identity"] == _uami_identity(dev)
    properties = account["properties"]
    assert properties["customSubDomainName"] == name
    assert properties["allowProjectManagement"] is True
    assert properties["disableLocalAuth"] is True
    assert properties["publicNetworkAccess"] == "Disabled"
    assert properties["networkAcls"]["defaultAction"] == "Deny"
    (injection,) = properties["networkInjections"]
    assert injection["scenario"] == "agent"
    assert injection["useMicrosoftManagedNetwork"] is False
    assert injection["subnetArmId"].endswith(f"/subnets/{dev.subnet(21, 'agents')}")
    agents = dev.plan.project(21).network.subnet("agents")
    assert agents.delegation == "Microsoft.App/environments"
    assert any(netaddr.IPNetwork(agents.cidr) in allowed for allowed in AGENT_RANGES)
    # each project injects into its own agent subnet
    other = dev.one("p022", ACCOUNT).inputs["properties"]["networkInjections"][0]["subnetArmId"]
    assert other.endswith(f"/subnets/{dev.subnet(22, 'agents')}") and other != injection["subnetArmId"]


def _deployments(run: ProjectsRun, key: str) -> list[RecordedResource]:
    """The account's deployments in creation order: each depends on the one before."""
    remaining = run.owned(key, DEPLOYMENT)
    ordered: list[RecordedResource] = []
    while remaining:
        done = {d.urn for d in ordered}
        ready = [d for d in remaining if not ({r.urn for r in remaining} - done) & set(d.dependencies)]
        assert len(ready) == 1, "deployments must form one chain"
        ordered.append(ready[0])
        remaining.remove(ready[0])
    return ordered


def test_model_deployments_follow_the_config_one_after_another(dev: ProjectsRun) -> None:
    deployments = _deployments(dev, "p021")
    assert [d.inputs["deploymentName"] for d in deployments] == [m["name"] for m in MODELS]
    for previous, deployment in itertools.pairwise(deployments):
        assert previous.urn in deployment.dependencies
    account = dev.one("p021", ACCOUNT)
    for deployment, model in zip(deployments, MODELS, strict=True):
        assert deployment.parent == account.urn
        assert deployment.inputs["accountName"] == dev.name("ai_services", 21)
        assert deployment.inputs["sku"] == {"name": model.get("sku", "GlobalStandard"), "capacity": model["capacity"]}
        assert deployment.inputs["properties"]["model"] == {
            "format": "OpenAI",
            "name": model["model"],
            "version": model["version"],
        }
    # the Foundry project is written after the last deployment (one write at a time on the account)
    assert deployments[-1].urn in dev.one("p021", PROJECT).dependencies


def test_foundry_project_runs_as_the_project_identity(dev: ProjectsRun) -> None:
    project_ = dev.one("p021", PROJECT)
    assert project_.inputs["projectName"] == dev.name("ai_foundry_project", 21)
    assert project_.inputs["accountName"] == dev.name("ai_services", 21)
    assert project_.inputs["identity"] == _uami_identity(dev)
    assert project_.inputs["properties"]["displayName"] == "copilot"
    assert project_.parent == dev.one("p021", ACCOUNT).urn


# --- agents (standard setup) -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["p021", "p022"])
def test_agents_connect_keylessly_to_the_projects_own_stores(dev: ProjectsRun, key: str) -> None:
    project_id = int(key[1:])
    scopes = dev.scopes(key)
    connections = {c.inputs["connectionName"]: c for c in dev.owned(key, CONNECTION)}
    expected = {
        AGENT_CONNECTIONS["storage"]: (
            "AzureStorageAccount",
            f"https://{dev.name('storage_account', project_id)}.blob.core.windows.net/",
            scopes[f"{key}/storage"],
        ),
        AGENT_CONNECTIONS["search"]: (
            "CognitiveSearch",
            f"https://{dev.name('search_service', project_id)}.search.windows.net",
            scopes[f"{key}/ai_search"],
        ),
        AGENT_CONNECTIONS["threads"]: (
            "CosmosDb",
            f"https://{dev.name('cosmos_account', project_id)}.documents.azure.com:443/",
            scopes[f"{key}/cosmos_db"],
        ),
    }
    assert set(connections) == set(expected)
    project_ = dev.one(key, PROJECT)
    for connection_name, (category, target, resource_id) in expected.items():
        connection = connections[connection_name]
        properties = connection.inputs["properties"]
        assert (properties["category"], properties["target"]) == (category, target)
        assert properties["authType"] == "AAD"
        assert properties["metadata"]["ResourceId"] == resource_id
        assert not {"credentials", "key"} & set(properties)
        assert connection.parent == project_.urn
        assert connection.inputs["projectName"] == dev.name("ai_foundry_project", project_id)
    # one connection write at a time
    ordered = [connections[AGENT_CONNECTIONS[k]] for k in ("storage", "search", "threads")]
    for previous, connection in itertools.pairwise(ordered):
        assert previous.urn in connection.dependencies

    host = dev.one(key, GENERIC)
    assert host.parent == project_.urn
    assert (host.inputs["resourceProviderNamespace"], host.inputs["resourceType"]) == (
        "Microsoft.CognitiveServices",
        "capabilityHosts",
    )
    assert host.inputs["resourceName"] == CAPABILITY_HOST_NAME
    assert host.inputs["parentResourcePath"] == (
        f"accounts/{dev.name('ai_services', project_id)}/projects/{dev.name('ai_foundry_project', project_id)}"
    )
    assert host.inputs["properties"] == {
        "capabilityHostKind": "Agents",
        "storageConnections": [AGENT_CONNECTIONS["storage"]],
        "vectorStoreConnections": [AGENT_CONNECTIONS["search"]],
        "threadStorageConnections": [AGENT_CONNECTIONS["threads"]],
    }
    assert {c.urn for c in connections.values()} <= set(host.dependencies)
    assert host.delete_before_replace is True


def _after_capability_host(resource: RecordedResource) -> bool:
    """The agents' grants Microsoft's template makes once the capability host exists (projects/foundry.py)."""
    return resource.name.endswith("-agents-blob-owner") or "/colls/" in str(resource.inputs.get("scope", ""))


def test_capability_host_waits_for_the_identity_roles_and_private_stores(dev: ProjectsRun) -> None:
    host = set(dev.one("p021", GENERIC).dependencies)
    scopes = dev.scopes("p021")
    identity_roles = {
        r.urn
        for r in dev.owned("p021", ROLE)
        if not _after_capability_host(r)
        and r.inputs["principalId"] == dev.output("p021-principals")["p021/identity"]
        and r.inputs["scope"] in {scopes["p021/storage"], scopes["p021/ai_search"], scopes["p021/cosmos_db"]}
    }
    roles = {
        (r.inputs["scope"], r.inputs["roleDefinitionId"].rsplit("/", 1)[1])
        for r in dev.owned("p021", ROLE)
        if r.urn in identity_roles
    }
    assert {scope for scope, _ in roles} == {scopes["p021/storage"], scopes["p021/ai_search"], scopes["p021/cosmos_db"]}
    assert identity_roles <= host
    assert {r.urn for r in dev.owned("p021", COSMOS_ROLE) if not _after_capability_host(r)} <= host
    after = [r for r in (*dev.owned("p021", ROLE), *dev.owned("p021", COSMOS_ROLE)) if _after_capability_host(r)]
    assert len(after) == 1 + len(AGENT_CONTAINER_SUFFIXES)
    assert all(r.urn not in host for r in after)
    endpoint_groups = {
        e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]: e.urn for e in dev.owned("p021", ENDPOINT)
    }
    assert {endpoint_groups[g] for g in ("account", "searchService", "Sql")} <= host
    assert dev.one("p021", DATABASE).urn in host


def test_cosmos_data_plane_roles_are_exactly_the_planned_ones(dev: ProjectsRun) -> None:
    for key, project_id in (("p021", 21), ("p022", 22)):
        planned = dev.plan.access.projects[project_id].data_plane_assignments
        assert planned
        account_id = dev.scopes(key)[f"{key}/cosmos_db"]
        principals = dev.output(f"{key}-principals")
        created = {
            r.inputs["roleAssignmentId"]: r for r in dev.owned(key, COSMOS_ROLE) if not _after_capability_host(r)
        }
        assert sorted(created) == sorted(a.name for a in planned)
        for assignment in planned:
            inputs = created[assignment.name].inputs
            assert inputs["scope"] == account_id
            assert inputs["roleDefinitionId"] == f"{account_id}/sqlRoleDefinitions/{assignment.role.id}"
            assert inputs["principalId"] == (assignment.principal.object_id or principals[assignment.principal.key])
            assert inputs["accountName"] == dev.name("cosmos_account", project_id)
            assert inputs["resourceGroupName"] == dev.name("resource_group", project_id)
        identity = [a for a in planned if a.principal.key == f"{key}/identity"]
        assert [a.role.name for a in identity] == ["Cosmos DB Built-in Data Contributor"]
    # one write at a time, the first after the agents' database
    roles = dev.owned("p021", COSMOS_ROLE)
    urns = {r.urn for r in roles}
    chained = [r for r in roles if not urns & set(r.dependencies)]
    assert len(chained) == 1
    assert dev.one("p021", DATABASE).urn in chained[0].dependencies
    assert all(len(urns & set(r.dependencies)) == 1 for r in roles if r is not chained[0])


def test_role_assignments_are_exactly_the_planned_ones(dev: ProjectsRun) -> None:
    for key, project_id in (("p021", 21), ("p022", 22), ("p023", 23), ("p024", 24)):
        planned = dev.plan.access.projects[project_id].role_assignments
        assert planned
        scopes, principals = dev.scopes(key), dev.output(f"{key}-principals")
        created = {
            r.inputs["roleAssignmentName"]: r.inputs for r in dev.owned(key, ROLE) if not _after_capability_host(r)
        }
        assert sorted(created) == sorted(a.name for a in planned)
        for assignment in planned:
            inputs = created[assignment.name]
            assert inputs["scope"] == scopes[assignment.scope.key]
            assert inputs["principalId"] == (assignment.principal.object_id or principals[assignment.principal.key])
            assert inputs["principalType"] == assignment.principal.principal_type
            assert inputs["roleDefinitionId"].endswith(f"/roleDefinitions/{assignment.role.id}")
    services = {a.scope.resource for a in dev.plan.access.projects[21].role_assignments}
    assert {"ai_foundry", "ai_search", "cosmos_db", "web_app"} <= services


def test_scopes_name_the_project_services(dev: ProjectsRun) -> None:
    scopes = dev.scopes("p021")
    expected = {
        "p021/ai_foundry": "/" + dev.name("ai_services", 21),
        "p021/ai_foundry_project": "/" + dev.name("ai_foundry_project", 21),
        "p021/ai_search": "/" + dev.name("search_service", 21),
        "p021/cosmos_db": "/" + dev.name("cosmos_account", 21),
        "p021/container_apps": "/" + dev.name("container_apps_environment", 21),
        "p021/web_app": "/" + dev.name("web_app", 21),
    }
    for key, suffix in expected.items():
        assert scopes[key].endswith(suffix), key
    services = {key.replace("p021/", "p023/") for key in expected}
    assert not services & set(dev.scopes("p023"))


# --- AI Search, Cosmos DB, Container Apps, Web App -------------------------------------------


def test_search_is_private_entra_only_and_sized_from_settings(dev: ProjectsRun, prod: ProjectsRun) -> None:
    service = dev.one("p021", SEARCH).inputs
    assert service["searchServiceName"] == dev.name("search_service", 21)
    assert service["disableLocalAuth"] is True
    assert "authOptions" not in service
    assert service["publicNetworkAccess"] == "Disabled"
    # its own identity passes the stores' trusted-service exception; the project identity serves the agents
    assert service["identity"] == {**_uami_identity(dev), "type": "SystemAssigned, UserAssigned"}
    assert (service["sku"], service["replicaCount"], service["partitionCount"], service["semanticSearch"]) == (
        {"name": "standard2"},
        2,
        2,
        "standard",
    )
    assert prod.one("p021", SEARCH).inputs["replicaCount"] == 3  # the project's prod override
    basic = dev.one("p024", SEARCH).inputs
    assert (basic["sku"], basic["replicaCount"], basic["semanticSearch"]) == ({"name": "standard"}, 1, "free")


def test_cosmos_is_private_keyless_and_holds_the_agents_database(dev: ProjectsRun) -> None:
    account = dev.one("p021", COSMOS).inputs
    assert account["accountName"] == dev.name("cosmos_account", 21)
    assert account["disableLocalAuth"] is True
    assert account["disableKeyBasedMetadataWriteAccess"] is True
    assert account["publicNetworkAccess"] == "Disabled"
    assert account["networkAclBypass"] == "None"
    assert account["minimalTlsVersion"] == "Tls12"
    assert account["capabilities"] == [{"name": "EnableServerless"}]
    assert "capabilities" not in dev.one("p022", COSMOS).inputs  # provisioned throughput
    database = dev.one("p021", DATABASE)
    assert database.inputs["databaseName"] == AGENTS_DATABASE == database.inputs["resource"]["id"]
    assert database.parent == dev.one("p021", COSMOS).urn


def test_container_apps_environment_is_internal_private_and_keyless(dev: ProjectsRun) -> None:
    environment = dev.one("p021", ENVIRONMENT).inputs
    assert environment["environmentName"] == dev.name("container_apps_environment", 21)
    assert environment["vnetConfiguration"]["internal"] is True
    assert environment["vnetConfiguration"]["infrastructureSubnetId"].endswith(
        f"/subnets/{dev.subnet(21, 'container_apps')}"
    )
    assert dev.plan.project(21).network.subnet("container_apps").delegation == "Microsoft.App/environments"
    assert environment["publicNetworkAccess"] == "Disabled"
    assert environment["appLogsConfiguration"] == {"destination": "azure-monitor"}
    assert environment["infrastructureResourceGroup"] == dev.name("resource_group", 21, "cae")
    consumption, dedicated = environment["workloadProfiles"]
    assert (consumption["name"], consumption["workloadProfileType"]) == ("Consumption", "Consumption")
    assert (dedicated["name"], dedicated["workloadProfileType"]) == ("dedicated", "E4")
    assert (dedicated["minimumCount"], dedicated["maximumCount"]) == (0, 5)
    assert environment["identity"] == _uami_identity(dev)
    targets = {s.inputs["resourceUri"] for s in dev.owned("p021", "azure-native:monitor:DiagnosticSetting")}
    assert dev.scopes("p021")["p021/container_apps"] in targets


def test_web_app_is_private_vnet_integrated_and_without_basic_auth(dev: ProjectsRun) -> None:
    plan = dev.one("p021", PLAN).inputs
    assert (plan["kind"], plan["reserved"], plan["sku"]) == ("linux", True, {"name": "P1v3", "tier": "PremiumV3"})
    site = dev.one("p021", SITE)
    inputs = site.inputs
    name = dev.name("web_app", 21)
    assert inputs["name"] == name
    assert inputs["kind"] == "app,linux"
    assert inputs["serverFarmId"].endswith("/" + dev.name("app_service_plan", 21))
    assert inputs["httpsOnly"] is True
    assert inputs["publicNetworkAccess"] == "Disabled"
    assert inputs["virtualNetworkSubnetId"].endswith(f"/subnets/{dev.subnet(21, 'app_service')}")
    assert dev.plan.project(21).network.subnet("app_service").delegation == "Microsoft.Web/serverFarms"
    assert inputs["outboundVnetRouting"] == {"allTraffic": True}
    assert inputs["identity"] == _uami_identity(dev)
    assert inputs["keyVaultReferenceIdentity"] == _uami(dev)
    config = inputs["siteConfig"]
    assert config["linuxFxVersion"] == "NODE|22-lts"
    assert config["ftpsState"] == "Disabled"
    assert config["minTlsVersion"] == config["scmMinTlsVersion"] == "1.2"
    assert config["appSettings"] == [{"name": "AZURE_CLIENT_ID", "value": _client_id(dev)}]
    for policy in (dev.one("p021", FTP), dev.one("p021", SCM)):
        assert policy.inputs == {"name": name, "resourceGroupName": dev.name("resource_group", 21), "allow": False}
        assert policy.parent == site.urn
    default = dev.one("p024", PLAN).inputs["sku"]
    assert default == {"name": "P0v3", "tier": "Premium0V3"}


def _client_id(run: ProjectsRun) -> str:
    """The mocks answer a user-assigned identity's client id from its resource id."""
    return deterministic_uuid("client", _uami(run))


# --- endpoints -------------------------------------------------------------------------------


def test_every_planned_endpoint_exists_with_its_group_and_zones(dev: ProjectsRun) -> None:
    plan = dev.plan.project(21)
    endpoints = dev.owned("p021", ENDPOINT)
    found = {e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]: e for e in endpoints}
    expected = {group: planned for planned in plan.endpoints for group in planned.group_ids}
    assert sorted(found) == sorted(expected)
    assert set(expected) == {"blob", "file", "vault", "account", "searchService", "Sql", "managedEnvironments", "sites"}
    subnet = f"/subnets/{plan.network.subnet('private_endpoints').name}"
    zone_groups = {
        g.inputs["privateEndpointName"]: g for g in dev.owned("p021", "azure-native:network:PrivateDnsZoneGroup")
    }
    scopes = dev.scopes("p021")
    targets = {
        "account": scopes["p021/ai_foundry"],
        "searchService": scopes["p021/ai_search"],
        "Sql": scopes["p021/cosmos_db"],
        "managedEnvironments": scopes["p021/container_apps"],
        "sites": scopes["p021/web_app"],
    }
    for group, endpoint in found.items():
        connection = endpoint.inputs["privateLinkServiceConnections"][0]
        assert endpoint.inputs["subnet"]["id"].endswith(subnet)
        if group in targets:
            assert connection["privateLinkServiceId"] == targets[group]
        zones = [
            z["privateDnsZoneId"].rsplit("/", 1)[1]
            for z in zone_groups[endpoint.inputs["privateEndpointName"]].inputs["privateDnsZoneConfigs"]
        ]
        assert zones == list(dev.plan.dns.zones_for(expected[group].kind, group))
    account_zones = zone_groups[found["account"].inputs["privateEndpointName"]].inputs["privateDnsZoneConfigs"]
    assert {z["name"] for z in account_zones} == {
        "privatelink-cognitiveservices-azure-com",
        "privatelink-openai-azure-com",
        "privatelink-services-ai-azure-com",
    }
    apps_zones = zone_groups[found["managedEnvironments"].inputs["privateEndpointName"]].inputs
    assert [z["name"] for z in apps_zones["privateDnsZoneConfigs"]] == [
        "privatelink-swedencentral-azurecontainerapps-io"
    ]


# --- isolation, protection, diagnostics ------------------------------------------------------


def test_no_resource_depends_on_another_projects_inputs(dev: ProjectsRun) -> None:
    for key, marker in PROJECT_MARKERS.items():
        others = [m for k, m in PROJECT_MARKERS.items() if k != key] + [k for k in PROJECT_MARKERS if k != key]
        records = dev.owned(key)
        assert records, marker
        for record in records:
            text = json.dumps(record.inputs, sort_keys=True)
            assert not [o for o in others if o in text], f"{key} {record.type} {record.name} mentions {others}"
            assert {dev.owners.get(d, "common") for d in record.dependencies} <= {key, "common"}, record.name
    accounts = {dev.one(k, ACCOUNT).inputs["accountName"] for k in ("p021", "p022", "p024")}
    assert len(accounts) == 3


def test_stateful_resources_are_protected_and_cosmos_locked_in_prod(prod: ProjectsRun) -> None:
    protected = {r.type for r in prod.owned("p021") if r.protect}
    assert {ACCOUNT, PROJECT, SEARCH, COSMOS, DATABASE} <= protected
    # what the config recreates freely stays deletable, even under a protected parent
    assert not {ENVIRONMENT, PLAN, SITE, DEPLOYMENT, CONNECTION, GENERIC, COSMOS_ROLE} & protected
    locks = prod.owned("p021", "azure-native:authorization:ManagementLockByScope")
    scopes = prod.scopes("p021")
    assert sorted(lock.inputs["scope"] for lock in locks) == sorted(
        [scopes["p021/storage"], scopes["p021/key_vault"], scopes["p021/cosmos_db"]]
    )
    assert all(lock.inputs["level"] == "CanNotDelete" for lock in locks)


def test_nothing_is_protected_or_locked_in_dev(dev: ProjectsRun) -> None:
    assert not [r.name for r in dev.owned("p021") if r.protect]
    assert not dev.owned("p021", "azure-native:authorization:ManagementLockByScope")


def test_diagnostics_for_every_service(dev: ProjectsRun) -> None:
    targets = {s.inputs["resourceUri"] for s in dev.owned("p021", "azure-native:monitor:DiagnosticSetting")}
    scopes = dev.scopes("p021")
    for service in ("storage", "key_vault", "ai_foundry", "ai_search", "cosmos_db", "container_apps", "web_app"):
        assert scopes[f"p021/{service}"] in targets, service


# --- the Cosmos DB data-plane helper ---------------------------------------------------------


def test_cosmos_data_roles_name_what_the_plan_and_component_disagree_on(tmp_path: Path) -> None:
    plan = factory_plan(tmp_path, [FULL])
    planned = plan.access.projects[21].data_plane_assignments
    group = planned[0].principal

    def missing_principal() -> None:
        assign_cosmos_data_roles(
            pulumi.ComponentResource("test:c:C", "holder"),
            [a for a in planned if a.principal == group],
            principals={},
            scopes={"p021/cosmos_db": "/subscriptions/s/resourceGroups/rg/providers/x/databaseAccounts/db"},
        )

    if group.object_id is None:
        with pytest.raises(KeyError, match=group.key):
            run_program(missing_principal)

    def missing_scope() -> None:
        assign_cosmos_data_roles(
            pulumi.ComponentResource("test:c:C", "holder"),
            planned,
            principals={a.principal.key: "00000000-0000-4000-8000-000000000001" for a in planned},
            scopes={},
        )

    with pytest.raises(KeyError, match="p021/cosmos_db"):
        run_program(missing_scope)


def test_the_search_identity_reads_storage_and_embeddings_once_the_service_exists(dev: ProjectsRun) -> None:
    readers, callers = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
    granted: dict[str, set[str]] = {}
    for assignment in dev.owned("p021", "azure-native:authorization:RoleAssignment"):
        role_id = assignment.inputs["roleDefinitionId"].rsplit("/", 1)[1]
        if role_id in (readers, callers):
            granted.setdefault(role_id, set()).add(assignment.inputs["principalId"])
    search_identity = granted[readers] & granted[callers]
    assert len(search_identity) == 1  # one principal reads the storage and calls the embeddings: the search's own
    (principal,) = search_identity
    assert principal != deterministic_uuid("principal", _uami(dev, "p021"))  # not the project identity
    plan = dev.plan.access.projects[21]
    system = [a for a in plan.role_assignments if a.principal.key == "p021/system/ai_search"]
    assert {(a.scope.key, a.role.name) for a in system} == {
        ("p021/storage", "Storage Blob Data Reader"),
        ("p021/ai_foundry", "Cognitive Services OpenAI User"),
    }
