"""The data and app services of a GenAI project: AI Search, Cosmos DB, Container Apps, Web App.

Each builder takes the project's :class:`ProjectBaseline` and the component to parent to, and
gives the service its private endpoint (``ProjectBaseline.private_endpoints``), diagnostics, tags
and protection. Every one is private and keyless:

- **AI Search**: public network access off, key (local) auth off so only Entra ID works, runs as
  the project's identity (indexers and vectorizers use it); protected in stage and prod.
- **Cosmos DB for NoSQL**: public network access off, local (key) auth off and no key-based
  metadata writes, so data access goes through the planned data-plane roles and databases and
  containers through ARM; serverless unless the project asks for provisioned throughput. With
  agents on it gets the ``enterprise_memory`` database where Foundry's agent service creates each
  project's thread and agent containers. Protected and locked in stage and prod: it holds data.
- **Container Apps**: a workload-profiles environment (Consumption plus one dedicated profile that
  scales to zero) injected into the project's ``container_apps`` subnet with an *internal* virtual
  IP (no public IP, no public ingress) and public network access disabled. Logs go to Azure
  Monitor and from there, through a diagnostic setting, to the environment's Log Analytics
  workspace, so no workspace shared key is ever handed over. The private endpoint
  (``managedEnvironments``) is the documented private option for workload-profiles environments:
  Microsoft Learn's "Azure Front Door with a custom virtual network and Private Link" deploys
  exactly an internal-VIP environment with public network access disabled and a private
  endpoint, so other VNets (and Front Door) reach the apps without the environment's VNet.
- **Web App**: a Linux App Service plan and site with regional VNet integration in the project's
  ``app_service`` subnet routing all outbound traffic through it, public network access off (the
  private endpoint ``sites`` is the way in), HTTPS only, TLS 1.2, FTP(S) off, basic-auth
  publishing off for FTP and SCM, running as the project's identity (``AZURE_CLIENT_ID`` points
  ``DefaultAzureCredential`` at it, Key Vault references use it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import app, cosmosdb, search, web

from aifactory.components.private_endpoints import PrivateEndpointSet
from aifactory.components.projects.baseline import ProjectBaseline
from aifactory.components.public_access import cosmos_db_access, search_access, web_app_access
from aifactory.config.services import AiSearch, ContainerApps, CosmosDb, WebApp

__all__ = [
    "AGENTS_DATABASE",
    "APP_SERVICE_TIERS",
    "CONSUMPTION_PROFILE",
    "DEDICATED_PROFILE",
    "CosmosAccount",
    "build_ai_search",
    "build_container_apps",
    "build_cosmos_db",
    "build_web_app",
]

AGENTS_DATABASE = "enterprise_memory"
"""The database Foundry's agent service (standard setup) keeps threads and agent definitions in."""
CONSUMPTION_PROFILE = "Consumption"
DEDICATED_PROFILE = "dedicated"
APP_SERVICE_TIERS = {"B1": "Basic", "P0v3": "Premium0V3", "P1v3": "PremiumV3", "P2v3": "PremiumV3", "P3v3": "PremiumV3"}
DISABLED = "Disabled"


@dataclass(frozen=True)
class CosmosAccount:
    """What :func:`build_cosmos_db` created: the account, its private endpoints, the agents' database."""

    account: cosmosdb.DatabaseAccount
    endpoints: PrivateEndpointSet
    agents_database: cosmosdb.SqlResourceSqlDatabase | None


def build_ai_search(
    base: ProjectBaseline, parent: pulumi.Resource, settings: AiSearch
) -> tuple[search.Service, PrivateEndpointSet]:
    """A private, Entra-only search service running as the project's identity, and its endpoints."""
    name = base.azure_name("search_service")
    service = search.Service(
        f"{base.key}-srch",
        search_service_name=name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        sku=search.SkuArgs(name=settings.sku),
        replica_count=settings.replicas,
        partition_count=settings.partitions,
        hosting_mode=search.HostingMode.DEFAULT,
        semantic_search=settings.semantic_search,
        disable_local_auth=True,
        **search_access(base.public_access),
        identity=search.IdentityArgs(
            type=search.IdentityType.USER_ASSIGNED, user_assigned_identities=[base.identity.identity_id]
        ),
        tags=base.tags,
        opts=base.protection.options(parent),
    )
    endpoints = base.private_endpoints("ai_search", service, name)
    base.diagnostics(f"{base.key}-srch", service, "ai_search")
    return service, endpoints


def build_cosmos_db(
    base: ProjectBaseline, parent: pulumi.Resource, settings: CosmosDb, *, agents: bool
) -> CosmosAccount:
    """A private, keyless Cosmos DB for NoSQL account, and the agents' database when agents are on."""
    name = base.azure_name("cosmos_account")
    account = cosmosdb.DatabaseAccount(
        f"{base.key}-cosmos",
        account_name=name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        kind=cosmosdb.DatabaseAccountKind.GLOBAL_DOCUMENT_DB,
        database_account_offer_type=cosmosdb.DatabaseAccountOfferType.STANDARD,
        locations=[cosmosdb.LocationArgs(location_name=base.location, failover_priority=0, is_zone_redundant=False)],
        consistency_policy=cosmosdb.ConsistencyPolicyArgs(
            default_consistency_level=cosmosdb.DefaultConsistencyLevel.SESSION
        ),
        capabilities=[cosmosdb.CapabilityArgs(name="EnableServerless")] if settings.serverless else None,
        disable_local_auth=True,
        disable_key_based_metadata_write_access=True,
        network_acl_bypass=cosmosdb.NetworkAclBypass.NONE,
        **cosmos_db_access(base.public_access),
        is_virtual_network_filter_enabled=False,
        minimal_tls_version=cosmosdb.MinimalTlsVersion.TLS12,
        tags=base.tags,
        opts=base.protection.options(parent),
    )
    base.protection.lock(f"{base.key}-cosmos", account, name)
    endpoints = base.private_endpoints("cosmos_db", account, name)
    base.diagnostics(f"{base.key}-cosmos", account, "cosmos_db")
    database = None
    if agents:
        database = cosmosdb.SqlResourceSqlDatabase(
            f"{base.key}-cosmos-{AGENTS_DATABASE}",
            database_name=AGENTS_DATABASE,
            account_name=account.name,
            resource_group_name=base.resource_group_name,
            resource=cosmosdb.SqlDatabaseResourceArgs(id=AGENTS_DATABASE),
            opts=base.protection.options(account),
        )
    return CosmosAccount(account=account, endpoints=endpoints, agents_database=database)


def build_container_apps(
    base: ProjectBaseline, parent: pulumi.Resource, settings: ContainerApps
) -> app.ManagedEnvironment:
    """An internal, VNet-injected workload-profiles environment behind a private endpoint."""
    name = base.azure_name("container_apps_environment")
    environment = app.ManagedEnvironment(
        f"{base.key}-cae",
        environment_name=name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        vnet_configuration=app.VnetConfigurationArgs(
            infrastructure_subnet_id=base.subnet_id("container_apps"), internal=True
        ),
        public_network_access=DISABLED,
        infrastructure_resource_group=base.azure_name("resource_group", "cae"),
        workload_profiles=[
            app.WorkloadProfileArgs(name=CONSUMPTION_PROFILE, workload_profile_type=CONSUMPTION_PROFILE),
            app.WorkloadProfileArgs(
                name=DEDICATED_PROFILE,
                workload_profile_type=settings.workload_profile,
                minimum_count=0,
                maximum_count=settings.max_instances,
            ),
        ],
        app_logs_configuration=app.AppLogsConfigurationArgs(destination="azure-monitor"),
        identity=app.ManagedServiceIdentityArgs(
            type=app.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[base.identity.identity_id]
        ),
        zone_redundant=False,
        tags=base.tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    base.private_endpoints("container_apps", environment, name)
    base.diagnostics(f"{base.key}-cae", environment, "container_apps")
    return environment


def build_web_app(base: ProjectBaseline, parent: pulumi.Resource, settings: WebApp) -> web.WebApp:
    """A Linux plan and a private, VNet-integrated site without basic-auth publishing."""
    plan = web.AppServicePlan(
        f"{base.key}-asp",
        name=base.azure_name("app_service_plan"),
        resource_group_name=base.resource_group_name,
        location=base.location,
        kind="linux",
        reserved=True,
        sku=web.SkuDescriptionArgs(name=settings.sku, tier=APP_SERVICE_TIERS[settings.sku]),
        tags=base.tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    name = base.azure_name("web_app")
    identity = base.identity.identity_id
    access = web_app_access(base.public_access)
    site = web.WebApp(
        f"{base.key}-app",
        name=name,
        resource_group_name=base.resource_group_name,
        location=base.location,
        kind="app,linux",
        server_farm_id=plan.id,
        https_only=True,
        public_network_access=access["public_network_access"],
        virtual_network_subnet_id=base.subnet_id("app_service"),
        outbound_vnet_routing=web.OutboundVnetRoutingArgs(all_traffic=True),
        client_affinity_enabled=False,
        identity=web.ManagedServiceIdentityArgs(
            type=web.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity]
        ),
        key_vault_reference_identity=identity,
        site_config=web.SiteConfigArgs(
            linux_fx_version=settings.runtime,
            always_on=True,
            ftps_state=web.FtpsState.DISABLED,
            min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
            scm_min_tls_version=web.SupportedTlsVersions.SUPPORTED_TLS_VERSIONS_1_2,
            http20_enabled=True,
            remote_debugging_enabled=False,
            ip_security_restrictions=access["ip_security_restrictions"],
            ip_security_restrictions_default_action=access["ip_security_restrictions_default_action"],
            app_settings=[web.NameValuePairArgs(name="AZURE_CLIENT_ID", value=base.identity.identity_client_id)],
        ),
        tags=base.tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    # Publishing with a user name and password (FTP, and the SCM site's basic auth) is off: deploy with Entra ID.
    web.WebAppFtpAllowed(
        f"{base.key}-app-ftp",
        name=site.name,
        resource_group_name=base.resource_group_name,
        allow=False,
        opts=pulumi.ResourceOptions(parent=site),
    )
    web.WebAppScmAllowed(
        f"{base.key}-app-scm",
        name=site.name,
        resource_group_name=base.resource_group_name,
        allow=False,
        opts=pulumi.ResourceOptions(parent=site),
    )
    base.private_endpoints("web_app", site, name)
    base.diagnostics(f"{base.key}-app", site, "web_app")
    return site
