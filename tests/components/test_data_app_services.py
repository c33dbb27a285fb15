"""The data and app services under the offline mocks: PostgreSQL, Azure Managed Redis, Azure SQL, Container Apps
apps, the Function App and AI Search's shared private links.

One dev run holds an ESML project with the three data services (31), a GenAI project with every app service,
a dedicated registry, Redis and linked search (32) and a GenAI project with the baseline only (33); one prod run
holds 31 and 32 again. Every test reads those two runs.
"""

from __future__ import annotations

from typing import Any

import pytest

from aifactory.offline.mocks import RecordedResource
from aifactory.services.container_app import PLACEHOLDER_IMAGE
from aifactory.services.function_app import DEPLOYMENT_CONTAINER
from tests.support import ProjectsRun, project, run_projects

ESML_MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "33333333-0000-4000-8000-000000000031", "kind": "group", "persona": "ml-engineer"},
    {"principal": "ada@contoso.com", "persona": "app-developer"},
    {"principal": "33333333-0000-4000-8000-000000000032", "persona": "data-scientist"},
]
GENAI_MEMBERS = [
    {"principal": "lead@contoso.com", "persona": "team-lead"},
    {"principal": "33333333-0000-4000-8000-000000000033", "kind": "group", "persona": "ai-developer"},
    {"principal": "ada@contoso.com", "persona": "app-developer"},
]
DATA = project(
    31,
    "ledger",
    services={"machine_learning": {}, "postgresql": {"databases": ["features", "scores"]}, "sql": {}, "redis": {}},
    members=ESML_MEMBERS,
    delivery={"github": {"repository": "contoso/ledger"}},
)
APPS = project(
    32,
    "assist",
    "genai",
    services={
        "ai_foundry": {},
        "ai_search": {"shared_private_links": ["cosmos_db", "storage", "ai_foundry"]},
        "cosmos_db": {},
        "container_registry": {},
        "container_apps": {},
        "container_app": {"api": {"image": "assist/api:1.2.0", "concurrent_requests": 80}, "web": {}},
        "function_app": {"always_ready": 1},
        "redis": {},
    },
    members=GENAI_MEMBERS,
    delivery={"github": {"repository": "contoso/assist"}},
    overrides={"prod": {"services": {"container_app": {"api": {"max_replicas": 25}}}}},
)
PLAIN = project(33, "plain", "genai", services={"ai_foundry": {"enabled": False}, "ai_search": {"enabled": False}})

PG = "azure-native:dbforpostgresql:Server"
PG_CONFIG = "azure-native:dbforpostgresql:Configuration"
PG_ADMIN = "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra"
PG_DB = "azure-native:dbforpostgresql:Database"
REDIS = "azure-native:redisenterprise:RedisEnterprise"
REDIS_DB = "azure-native:redisenterprise:Database"
REDIS_ACCESS = "azure-native:redisenterprise:AccessPolicyAssignment"
SQL = "azure-native:sql:Server"
SQL_DB = "azure-native:sql:Database"
SQL_ADMIN = "azure-native:sql:ServerAzureADAdministrator"
SQL_ENTRA_ONLY = "azure-native:sql:ServerAzureADOnlyAuthentication"
SQL_AUDIT = "azure-native:sql:ServerBlobAuditingPolicy"
APP = "azure-native:app:ContainerApp"
SITE = "azure-native:web:WebApp"
PLAN = "azure-native:web:AppServicePlan"
CONTAINER = "azure-native:storage:BlobContainer"
LINK = "azure-native:search:SharedPrivateLinkResource"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
DIAG = "azure-native:monitor:DiagnosticSetting"
LOCK = "azure-native:authorization:ManagementLockByScope"
ROLE = "azure-native:authorization:RoleAssignment"


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("dev"), [DATA, APPS, PLAIN], "dev")


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> ProjectsRun:
    return run_projects(tmp_path_factory.mktemp("prod"), [DATA, APPS], "prod")


def _principal(run: ProjectsRun, key: str) -> str:
    principals = run.output(f"{key.split('/', maxsplit=1)[0]}-principals")
    value = principals[key]
    assert isinstance(value, str)
    return value


def _children(run: ProjectsRun, parent: RecordedResource, type_token: str) -> list[RecordedResource]:
    return [r for r in run.run.resources if r.parent == parent.urn and r.type == type_token]


def _endpoint_groups(run: ProjectsRun, resource: RecordedResource) -> list[str]:
    """The group ids of the private endpoints under ``resource`` (through its endpoint set)."""
    sets = {r.urn for r in run.run.resources if r.parent == resource.urn and not r.custom}
    return sorted(
        r.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
        for r in run.run.resources
        if r.type == ENDPOINT and r.parent in sets
    )


def _zones(run: ProjectsRun, resource: RecordedResource) -> set[str]:
    sets = {r.urn for r in run.run.resources if r.parent == resource.urn and not r.custom}
    endpoints = {r.urn for r in run.run.resources if r.type == ENDPOINT and r.parent in sets}
    return {
        config["privateDnsZoneId"].rsplit("/", 1)[1]
        for r in run.run.resources
        if r.type == ZONE_GROUP and r.parent in endpoints
        for config in r.inputs["privateDnsZoneConfigs"]
    }


def _roles(run: ProjectsRun, key: str, principal: str) -> set[tuple[str, str]]:
    """(scope key, role id) of the principal's role assignments in the project."""
    by_id = {v: k for k, v in run.scopes(key).items()}
    object_id = _principal(run, principal)
    return {
        (by_id.get(r.inputs["scope"], r.inputs["scope"]), r.inputs["roleDefinitionId"].rsplit("/", 1)[1])
        for r in run.owned(key, ROLE)
        if r.inputs["principalId"] == object_id
    }


def _lock_names(run: ProjectsRun, key: str) -> set[str]:
    return {r.name for r in run.owned(key, LOCK)}


# --- PostgreSQL flexible server ----------------------------------------------------------------


def test_postgresql_is_private_entra_only_and_pins_tls(dev: ProjectsRun) -> None:
    server = dev.one("p031", PG)
    inputs = server.inputs
    assert inputs["serverName"] == dev.name("postgresql_server", 31)
    assert inputs["network"] == {"publicNetworkAccess": "Disabled"}
    assert inputs["authConfig"] == {
        "activeDirectoryAuth": "Enabled",
        "passwordAuth": "Disabled",
        "tenantId": dev.plan.stack.tenant_id,
    }
    assert "administratorLogin" not in inputs and "administratorLoginPassword" not in inputs
    assert _endpoint_groups(dev, server) == ["postgresqlServer"]
    assert _zones(dev, server) == {"privatelink.postgres.database.azure.com"}
    parameters = {c.inputs["configurationName"]: c.inputs["value"] for c in _children(dev, server, PG_CONFIG)}
    assert parameters == {"require_secure_transport": "on", "ssl_min_protocol_version": "TLSv1.2"}


def test_postgresql_administrators_are_the_identity_ci_and_the_team_leads_group(dev: ProjectsRun) -> None:
    access = dev.plan.access.projects[31]
    admins = {a.inputs["objectId"]: a.inputs for a in dev.owned("p031", PG_ADMIN)}
    group = next(g for g in access.groups if g.persona == "team-lead")
    assert access.deployment is not None
    expected = {
        _principal(dev, "p031/identity"): ("servicePrincipal", access.identity_name),
        _principal(dev, "p031/deployment"): ("servicePrincipal", access.deployment.display_name),
        _principal(dev, group.ref.key): ("group", group.display_name),
    }
    assert {k: (v["principalType"], v["principalName"]) for k, v in admins.items()} == expected
    assert all(v["tenantId"] == dev.plan.stack.tenant_id for v in admins.values())
    # no other persona is an administrator: the team lead creates their database roles
    assert _principal(dev, "p031/group/ml-engineer") not in admins


def test_postgresql_sizes_and_lifecycle_follow_the_environment(dev: ProjectsRun, prod: ProjectsRun) -> None:
    small = dev.one("p031", PG).inputs
    assert small["sku"] == {"name": "Standard_B1ms", "tier": "Burstable"}
    assert small["highAvailability"]["mode"] == "Disabled"
    assert small["backup"] == {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}
    large = prod.one("p031", PG)
    assert large.inputs["sku"] == {"name": "Standard_D2ds_v5", "tier": "GeneralPurpose"}
    assert large.inputs["highAvailability"]["mode"] == "ZoneRedundant"
    assert large.inputs["backup"]["backupRetentionDays"] == 35
    assert not dev.one("p031", PG).protect and not _lock_names(dev, "p031") & {"p031-psql-features-lock"}
    # The databases are locked, not the server: a lock there would hold its Entra administrators.
    assert large.protect
    assert {"p031-psql-features-lock", "p031-psql-scores-lock"} <= _lock_names(prod, "p031")
    assert "p031-psql-lock" not in _lock_names(prod, "p031")
    databases = prod.owned("p031", PG_DB)
    assert sorted(d.inputs["databaseName"] for d in databases) == ["features", "scores"]
    assert all(d.protect and d.parent == large.urn for d in databases)


# --- Azure Managed Redis -----------------------------------------------------------------------


def test_redis_is_private_tls_only_and_keyless(dev: ProjectsRun) -> None:
    cluster = dev.one("p031", REDIS)
    assert cluster.inputs["publicNetworkAccess"] == "Disabled"
    assert cluster.inputs["minimumTlsVersion"] == "1.2"
    assert cluster.inputs["clusterName"] == dev.name("managed_redis", 31)
    assert _endpoint_groups(dev, cluster) == ["redisEnterprise"]
    assert _zones(dev, cluster) == {"privatelink.redis.azure.net"}
    (database,) = _children(dev, cluster, REDIS_DB)
    assert database.inputs["databaseName"] == "default"
    assert database.inputs["accessKeysAuthentication"] == "Disabled"
    assert (database.inputs["clientProtocol"], database.inputs["port"]) == ("Encrypted", 10000)
    # cluster metrics on the cluster, connection logs on the database (which has no metrics of its own)
    (own,) = [d.inputs for d in dev.owned("p031", DIAG) if d.parent == cluster.urn]
    assert own["metrics"] == [{"category": "AllMetrics", "enabled": True}] and "logs" not in own
    (logs,) = [d.inputs for d in dev.run.resources if d.type == DIAG and d.parent == database.urn]
    assert logs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}] and "metrics" not in logs


def test_redis_admits_the_identity_and_developers_one_by_one_never_a_group(dev: ProjectsRun) -> None:
    users = {a.inputs["user"]["objectId"]: a.inputs for a in dev.owned("p032", REDIS_ACCESS)}
    expected = {
        _principal(dev, "p032/identity"),
        _principal(dev, "p032/member/user:lead@contoso.com"),
        _principal(dev, "p032/member/user:ada@contoso.com"),
    }
    assert set(users) == expected, "the ai-developer group is left out: Azure Managed Redis refuses groups"
    assert all(a["accessPolicyName"] == "default" and a["databaseName"] == "default" for a in users.values())
    assert all(a["accessPolicyAssignmentName"].isalnum() for a in users.values())
    assignments = dev.owned("p032", REDIS_ACCESS)
    assert sum(any(o.urn in a.dependencies for o in assignments) for a in assignments) == len(assignments) - 1


def test_redis_is_protected_not_locked_in_prod(dev: ProjectsRun, prod: ProjectsRun) -> None:
    assert dev.one("p031", REDIS).inputs["highAvailability"] == "Disabled"
    cluster = prod.one("p031", REDIS)
    assert cluster.inputs["highAvailability"] == "Enabled"
    assert cluster.inputs["sku"] == {"name": "Balanced_B3"}
    assert cluster.protect and "p031-redis-lock" not in _lock_names(prod, "p031")


# --- Azure SQL ---------------------------------------------------------------------------------


def test_sql_is_created_entra_only_private_and_tls_12(dev: ProjectsRun) -> None:
    server = dev.one("p031", SQL)
    inputs = server.inputs
    group = next(g for g in dev.plan.access.projects[31].groups if g.persona == "team-lead")
    assert inputs["administrators"] == {
        "administratorType": "ActiveDirectory",
        "azureADOnlyAuthentication": True,
        "login": group.display_name,
        "principalType": "Group",
        "sid": _principal(dev, group.ref.key),
        "tenantId": dev.plan.stack.tenant_id,
    }
    assert "administratorLogin" not in inputs and "administratorLoginPassword" not in inputs
    assert (inputs["publicNetworkAccess"], inputs["minimalTlsVersion"]) == ("Disabled", "1.2")
    assert server.ignore_changes == ["administrators"]
    (admin,) = _children(dev, server, SQL_ADMIN)
    assert (admin.inputs["login"], admin.inputs["sid"]) == (group.display_name, _principal(dev, group.ref.key))
    (entra_only,) = _children(dev, server, SQL_ENTRA_ONLY)
    assert entra_only.inputs["azureADOnlyAuthentication"] is True
    assert admin.urn in entra_only.dependencies
    assert _endpoint_groups(dev, server) == ["sqlServer"]
    assert _zones(dev, server) == {"privatelink.database.windows.net"}


def test_sql_audits_to_log_analytics_through_master(dev: ProjectsRun) -> None:
    server = dev.one("p031", SQL)
    (audit,) = _children(dev, server, SQL_AUDIT)
    assert audit.inputs["state"] == "Enabled" and audit.inputs["isAzureMonitorTargetEnabled"] is True
    settings = [d for d in dev.owned("p031", DIAG) if d.parent == server.urn]
    (master,) = settings
    assert master.inputs["resourceUri"].endswith("/databases/master")
    assert master.inputs["logs"] == [{"categoryGroup": "audit", "enabled": True}]
    assert "metrics" not in master.inputs
    (database,) = _children(dev, server, SQL_DB)
    (db_setting,) = [d for d in dev.owned("p031", DIAG) if d.parent == database.urn]
    assert db_setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert db_setting.inputs["workspaceId"] == master.inputs["workspaceId"]


def test_sql_database_sizes_and_lifecycle_follow_the_environment(dev: ProjectsRun, prod: ProjectsRun) -> None:
    small = dev.one("p031", SQL_DB).inputs
    assert (small["sku"], small["autoPauseDelay"], small["zoneRedundant"]) == ({"name": "GP_S_Gen5_1"}, 60, False)
    assert small["requestedBackupStorageRedundancy"] == "Local"
    large = prod.one("p031", SQL_DB)
    assert (large.inputs["sku"], large.inputs["zoneRedundant"]) == ({"name": "GP_Gen5_2"}, True)
    assert "autoPauseDelay" not in large.inputs
    assert large.protect and prod.one("p031", SQL).protect
    # Protected, not locked: a lock on the server or the database would hold its administrator, endpoint,
    # diagnostic settings and retention policy.
    assert not {n for n in _lock_names(prod, "p031") if n.startswith("p031-sql")}


def test_the_team_lead_manages_the_sql_database_and_nobody_gets_data_roles_from_azure_rbac(dev: ProjectsRun) -> None:
    group = next(g for g in dev.plan.access.projects[31].groups if g.persona == "team-lead")
    assert ("p031/sql", "9b7fa17d-e63e-47b0-bb0a-15c516ac86ec") in _roles(dev, "p031", group.ref.key)
    assert not {s for s, _ in _roles(dev, "p031", "p031/group/ml-engineer")} & {"p031/sql", "p031/postgresql"}


# --- Container Apps apps -----------------------------------------------------------------------


def _apps(run: ProjectsRun, key: str = "p032") -> dict[str, dict[str, Any]]:
    return {a.inputs["template"]["containers"][0]["name"]: a.inputs for a in run.owned(key, APP)}


def test_apps_pull_from_the_projects_registry_with_its_identity(dev: ProjectsRun) -> None:
    server = f"{dev.name('container_registry', 32).lower()}.azurecr.io"
    identity = dev.output("p032-identity")
    apps = _apps(dev)
    assert set(apps) == {"api", "web"}
    for app in apps.values():
        assert app["configuration"]["registries"] == [{"server": server, "identity": identity}]
        assert app["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity]}
        assert app["workloadProfileName"] == "Consumption"
        assert app["managedEnvironmentId"] == dev.scopes("p032")["p032/container_apps"]
    assert apps["api"]["template"]["containers"][0]["image"] == f"{server}/assist/api:1.2.0"
    assert apps["api"]["containerAppName"] == dev.name("container_app", 32), "the name the starter kit deploys to"
    assert apps["web"]["template"]["containers"][0]["image"] == PLACEHOLDER_IMAGE


def test_apps_have_internal_tls_ingress_and_http_scale_rules(dev: ProjectsRun, prod: ProjectsRun) -> None:
    for app in _apps(dev).values():
        assert app["configuration"]["ingress"]["external"] is False
        assert app["configuration"]["ingress"]["allowInsecure"] is False
    api = _apps(dev)["api"]["template"]["scale"]
    assert (api["minReplicas"], api["maxReplicas"]) == (0, 3)
    assert api["rules"] == [{"name": "http-requests", "http": {"metadata": {"concurrentRequests": "80"}}}]
    prod_api = _apps(prod)["api"]["template"]["scale"]
    assert (prod_api["minReplicas"], prod_api["maxReplicas"]) == (1, 25)
    web = _apps(dev)["web"]
    assert web["template"]["containers"][0]["env"][1] == {
        "name": "API_URL",
        "value": f"http://{dev.name('container_app', 32)}",
    }


def test_ci_owns_the_image_only_where_the_project_names_none(dev: ProjectsRun) -> None:
    ignored = {a.inputs["template"]["containers"][0]["name"]: a.ignore_changes for a in dev.owned("p032", APP)}
    assert ignored == {"api": [], "web": ["template.containers[0].image"]}


def test_app_developers_deploy_both_apps(dev: ProjectsRun) -> None:
    contributor = "358470bc-b998-42bd-ab17-a7e34c199c0f"
    roles = _roles(dev, "p032", "p032/group/app-developer")
    assert {("p032/container_app", contributor), ("p032/container_app_web", contributor)} <= roles


# --- Function App ------------------------------------------------------------------------------


def test_function_app_runs_on_flex_consumption_in_its_own_delegated_subnet(dev: ProjectsRun) -> None:
    plan = next(p for p in dev.owned("p032", PLAN) if p.name == "p032-func-plan")
    assert plan.inputs["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    assert (plan.inputs["kind"], plan.inputs["reserved"]) == ("functionapp", True)
    site = next(s for s in dev.owned("p032", SITE) if s.inputs["kind"] == "functionapp,linux")
    assert site.inputs["serverFarmId"].endswith(plan.inputs["name"])
    subnet = dev.plan.project(32).network.subnet("functions")
    assert (subnet.delegation, subnet.cidr.endswith("/27"), "_" in subnet.name) == (
        "Microsoft.App/environments",
        True,
        False,
    )
    assert site.inputs["virtualNetworkSubnetId"].endswith(f"/subnets/{subnet.name}")
    assert _endpoint_groups(dev, site) == ["sites"]
    assert site.inputs["publicNetworkAccess"] == "Disabled" and site.inputs["httpsOnly"] is True
    config = site.inputs["siteConfig"]
    assert (config["minTlsVersion"], config["scmMinTlsVersion"], config["ftpsState"]) == ("1.2", "1.2", "Disabled")
    basic = {
        r.type.rsplit(":", 1)[1]: r.inputs["allow"]
        for r in dev.run.resources
        if r.parent == site.urn and "Allowed" in r.type
    }
    assert basic == {"WebAppFtpAllowed": False, "WebAppScmAllowed": False}


def test_function_host_storage_and_telemetry_are_identity_based(dev: ProjectsRun) -> None:
    site = next(s for s in dev.owned("p032", SITE) if s.inputs["kind"] == "functionapp,linux")
    account = dev.name("storage_account", 32)
    settings = {s["name"]: s.get("value") for s in site.inputs["siteConfig"]["appSettings"]}
    client_id = settings["AZURE_CLIENT_ID"]
    assert settings["AzureWebJobsStorage__accountName"] == account
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert settings["AzureWebJobsStorage__clientId"] == client_id
    assert settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] == f"ClientId={client_id};Authorization=AAD"
    assert not {"AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"} & set(
        settings
    )
    deployment = site.inputs["functionAppConfig"]["deployment"]["storage"]
    assert deployment["value"] == f"https://{account}.blob.core.windows.net/{DEPLOYMENT_CONTAINER}"
    assert deployment["authentication"]["type"] == "UserAssignedIdentity"
    (container,) = dev.owned("p032", CONTAINER)
    assert (container.inputs["containerName"], container.inputs["publicAccess"]) == (DEPLOYMENT_CONTAINER, "None")
    assert container.urn in site.dependencies
    scale = site.inputs["functionAppConfig"]["scaleAndConcurrency"]
    assert scale["alwaysReady"] == [{"name": "http", "instanceCount": 1}]


def test_function_host_gets_its_storage_roles_and_endpoints(dev: ProjectsRun) -> None:
    roles = _roles(dev, "p032", "p032/identity")
    owner, queue, table = (
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    )
    assert {("p032/storage", r) for r in (owner, queue, table)} <= roles
    # The host's Owner is conditioned to its own containers, so it replaces none of the identity's other grants.
    assert ("p032/storage", "ba92f5b4-2d11-453d-a403-e96b0029c9fe") in roles, "Contributor stays for the rest"
    owners = [
        r
        for r in dev.owned("p032", ROLE)
        if r.inputs["principalId"] == _principal(dev, "p032/identity") and r.inputs["roleDefinitionId"].endswith(owner)
    ]
    assert owners and all(r.inputs.get("condition") and r.inputs["conditionVersion"] == "2.0" for r in owners)
    assert sum("'azure-webjobs-hosts'" in r.inputs["condition"] for r in owners) == 1  # the agents hold the other
    storage = dev.one("p032", "azure-native:storage:StorageAccount")
    assert _endpoint_groups(dev, storage) == ["blob", "file", "queue", "table"]
    plain = dev.one("p033", "azure-native:storage:StorageAccount")
    assert _endpoint_groups(dev, plain) == ["blob", "file"], "without a Function App the storage keeps its endpoints"
    site = next(s for s in dev.owned("p032", SITE) if s.inputs["kind"] == "functionapp,linux")
    identity_roles = {
        r.urn for r in dev.owned("p032", ROLE) if r.inputs["principalId"] == _principal(dev, "p032/identity")
    }
    assert identity_roles & set(site.dependencies), "the host starts after its storage roles exist"


# --- AI Search shared private links ------------------------------------------------------------


def test_search_links_privately_to_the_projects_own_stores_one_at_a_time(dev: ProjectsRun) -> None:
    search = dev.one("p032", "azure-native:search:Service")
    remaining = dev.owned("p032", LINK)
    ordered: list[RecordedResource] = []
    while remaining:  # one after another: each link waits for the one before
        (ready,) = [r for r in remaining if not {o.urn for o in remaining} & set(r.dependencies)]
        ordered.append(ready)
        remaining.remove(ready)
    links = {link.inputs["sharedPrivateLinkResourceName"]: link for link in ordered}
    assert list(links) == ["spl-storage-blob", "spl-foundry-openai", "spl-cosmos-sql"], "a fixed order"
    scopes = dev.scopes("p032")
    targets = {
        name: (link.inputs["properties"]["groupId"], link.inputs["properties"]["privateLinkResourceId"])
        for name, link in links.items()
    }
    assert targets == {
        "spl-storage-blob": ("blob", scopes["p032/storage"]),
        "spl-foundry-openai": ("openai_account", scopes["p032/ai_foundry"]),
        "spl-cosmos-sql": ("Sql", scopes["p032/cosmos_db"]),
    }
    assert all(link.parent == search.urn for link in ordered)
    assert ordered[0].urn in ordered[1].dependencies and ordered[1].urn in ordered[2].dependencies
    assert not dev.owned("p031", LINK) and not dev.owned("p033", LINK)
