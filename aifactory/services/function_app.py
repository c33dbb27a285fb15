"""A Function App for a GenAI project: Flex Consumption, VNet-integrated, private, identity-based storage.

Why Flex Consumption: it is the plan Microsoft Learn documents with all three at once - regional
VNet integration, inbound private endpoints, and host and deployment storage reached with a managed
identity (the deployment package is a blob container, ``functionAppConfig.deployment.storage`` with
``UserAssignedIdentity``). Elastic Premium needs an Azure Files content share, which Azure Files
reaches with a storage key only - and the project's storage has shared keys off; it also needs an
integration subnet of its own (one App Service plan per integration subnet), so it would save no
subnet either. (Learn: "Azure Functions networking options", "Flex Consumption plan hosting",
"Storage considerations for Azure Functions".)

The plan (``FC1``, one app per plan) and the site: VNet integration in the project's ``functions``
subnet (delegated to ``Microsoft.App/environments``, shared with nothing, /27 as Microsoft recommends
for one app; all outbound traffic goes through it on Flex Consumption), public network access off
and the private endpoint ``sites`` as the way in (``network.allow_ips`` opens the site's access
restrictions to exactly those ranges, as for the Web App), HTTPS only, TLS 1.2 for the site and its
SCM site, FTP off and basic-auth publishing off (deploy with Entra ID). The host's storage is the
project's own account through ``AzureWebJobsStorage__accountName`` with
``AzureWebJobsStorage__credential=managedidentity`` and the identity's client id, and the identity's
storage roles the host needs (blobs, queues, tables); telemetry goes to the project's Application
Insights with Entra ID (``APPLICATIONINSIGHTS_AUTHENTICATION_STRING``: the component's local auth is
off). Flex Consumption deprecates ``FUNCTIONS_WORKER_RUNTIME``, ``linuxFxVersion`` and the
``WEBSITE_*`` deployment settings: the runtime lives in ``functionAppConfig.runtime``.

It holds no data of its own: not protected. GenAI projects only: ESML pipelines run in Data
Factory, Azure ML and Databricks.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.errors import Invalid
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import (
    NAME_GUARDRAILS,
    PRIVATE_SERVICE_GUARDRAILS,
    Built,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
    SubnetNeeds,
    resolved,
)
from aifactory.services.settings import ServiceSettings
from aifactory.services.web_app import disable_basic_publishing, hardened_site_config, web_app_access

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import web

    from aifactory.config.types import EnvironmentName
    from aifactory.services.context import ServiceContext

__all__ = [
    "DEPLOYMENT_CONTAINER",
    "FLEX_CONSUMPTION",
    "FUNCTION_APP",
    "HOST_BLOB_CONDITION",
    "HOST_CONTAINERS",
    "RUN_FUNCTIONS_HOST",
    "RUN_FUNCTIONS_QUEUES",
    "FunctionApp",
    "FunctionSite",
    "host_storage_settings",
]

FLEX_CONSUMPTION = ("FC1", "FlexConsumption")
"""The Flex Consumption plan's SKU name and tier."""
DEPLOYMENT_CONTAINER = "function-deployments"
"""The blob container in the project's storage that holds the app's deployment packages."""

Runtime = Literal["python", "node", "dotnet-isolated", "java", "powershell"]
_RUNTIME_VERSIONS: MappingProxyType[Runtime, tuple[str, ...]] = MappingProxyType(
    {
        "python": ("3.10", "3.11", "3.12"),
        "node": ("20", "22"),
        "dotnet-isolated": ("8.0", "9.0"),
        "java": ("11", "17", "21"),
        "powershell": ("7.4",),
    }
)
_DEFAULT_VERSIONS: MappingProxyType[Runtime, str] = MappingProxyType(
    {"python": "3.12", "node": "22", "dotnet-isolated": "8.0", "java": "21", "powershell": "7.4"}
)
_MAX_INSTANCES: MappingProxyType[EnvironmentName, int] = MappingProxyType({"dev": 40, "stage": 100, "prod": 100})

HOST_CONTAINERS = ("azure-webjobs-hosts", "azure-webjobs-secrets", DEPLOYMENT_CONTAINER)
"""The blob containers the Functions host keeps its leases, keys and (Flex Consumption) deployment packages in."""
_CONTAINER_NAME = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]"
_BLOB_DATA_ACTIONS = tuple(
    f"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/{action}"
    for action in (
        "read",
        "write",
        "delete",
        "add/action",
        "move/action",
        "deleteBlobVersion/action",
        "permanentDelete/action",
        "filter/action",
        "tags/read",
        "tags/write",
        "manageOwnership/action",
        "modifyPermissions/action",
        "runAsSuperUser/action",
        "immutableStorage/runAsSuperUser/action",
    )
)
"""The blob data actions of Storage Blob Data Owner that role assignment conditions can constrain
(Microsoft Learn, "Actions and attributes for Azure role assignment conditions for Azure Blob Storage")."""
HOST_BLOB_CONDITION = (
    "(("
    + " AND ".join(f"!(ActionMatches{{'{action}'}})" for action in _BLOB_DATA_ACTIONS)
    + f") OR ({_CONTAINER_NAME} StringIn {{{', '.join(repr(c) for c in HOST_CONTAINERS)}}}))"
)
"""ABAC condition (version 2.0) that keeps the host's Storage Blob Data Owner to its own containers
(the factory's guardrail AIF-BLOB-OWNER-CONDITIONED): Owner is what Microsoft lists for
``AzureWebJobsStorage`` with an identity, and nothing else of the account needs it."""

RUN_FUNCTIONS_HOST = RoleSet(
    "the Functions host keeps its leases, keys and deployment packages in its own containers of the project's "
    "storage with the identity (AzureWebJobsStorage__credential: managedidentity)",
    {"storage": ("Storage Blob Data Owner",)},
    condition=HOST_BLOB_CONDITION,
)
RUN_FUNCTIONS_QUEUES = RoleSet(
    "the Functions host keeps its queues and tables (timers, scale decisions) in the project's storage with the "
    "identity",
    {"storage": ("Storage Queue Data Contributor", "Storage Table Data Contributor")},
)
OPERATE_FUNCTIONS = RoleSet(
    "deploy, configure and restart the project's Function App (not its plan)",
    {"function_app": ("Website Contributor",)},
)


class FunctionApp(ServiceSettings):
    """A Flex Consumption Function App, VNet-integrated and private."""

    runtime: Runtime = Field(default="python", description="Optional. Language runtime. Default: python.")
    runtime_version: str | None = Field(
        default=None,
        description="Optional. Runtime version (python 3.10-3.12, node 20/22, dotnet-isolated 8.0/9.0, java "
        "11/17/21, powershell 7.4). Default: the newest listed for the runtime.",
    )
    instance_memory_mb: Literal[512, 2048, 4096] = Field(
        default=2048, description="Optional. Memory per instance. Default: 2048."
    )
    maximum_instance_count: int | None = Field(
        default=None,
        ge=40,
        le=1000,
        description="Optional. Scale-out limit (40-1000). Default: 40 dev, 100 stage and prod.",
    )
    always_ready: int = Field(
        default=0, ge=0, le=20, description="Optional. Always-ready instances of the HTTP functions. Default: 0."
    )

    @model_validator(mode="after")
    def _version(self) -> FunctionApp:
        allowed = _RUNTIME_VERSIONS[self.runtime]
        if self.runtime_version is not None and self.runtime_version not in allowed:
            raise Invalid(
                f"is not a {self.runtime} version Flex Consumption runs",
                f"use one of {', '.join(allowed)}",
                field="runtime_version",
                value=self.runtime_version,
            )
        return self


def _environment_defaults(settings: FunctionApp, environment: EnvironmentName) -> FunctionApp:
    return settings.model_copy(
        update={
            "runtime_version": settings.runtime_version or _DEFAULT_VERSIONS[settings.runtime],
            "maximum_instance_count": settings.maximum_instance_count or _MAX_INSTANCES[environment],
        }
    )


def host_storage_settings(account_name: str, client_id: pulumi.Input[str]) -> dict[str, pulumi.Input[str]]:
    """The identity-based host storage connection (``AzureWebJobsStorage__*``): no connection string, no key."""
    return {
        "AzureWebJobsStorage__accountName": account_name,
        "AzureWebJobsStorage__credential": "managedidentity",
        "AzureWebJobsStorage__clientId": client_id,
    }


@dataclass(frozen=True, kw_only=True)
class FunctionSite(Built["web.WebApp"]):
    """The site (``resource``), its Flex Consumption plan and its deployment container."""

    plan: web.AppServicePlan


def _build(ctx: ServiceContext, settings: FunctionApp | None) -> FunctionSite:
    import pulumi
    from pulumi_azure_native import storage, web

    settings = resolved(settings, "function_app")
    project = ctx.require_project()
    identity = project.identity
    account = project.plan.service("storage").azure_name
    container = storage.BlobContainer(
        f"{ctx.service.logical_name}-deployments",
        account_name=account,
        container_name=DEPLOYMENT_CONTAINER,
        resource_group_name=ctx.resource_group_name,
        public_access=storage.PublicAccess.NONE,
        opts=pulumi.ResourceOptions(parent=ctx.parent, depends_on=[ctx.deployed["storage"].resource]),
    )
    plan = web.AppServicePlan(
        f"{ctx.workload}-func-plan",
        name=ctx.name("app_service_plan", "func"),
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="functionapp",
        reserved=True,
        sku=web.SkuDescriptionArgs(name=FLEX_CONSUMPTION[0], tier=FLEX_CONSUMPTION[1]),
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    access = ctx.access_args()
    app_settings: dict[str, pulumi.Input[str]] = {
        **host_storage_settings(account, identity.identity_client_id),
        "AZURE_CLIENT_ID": identity.identity_client_id,
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING": pulumi.Output.concat(
            "ClientId=", identity.identity_client_id, ";Authorization=AAD"
        ),
    }
    if project.app_insights_connection_string is not None:
        app_settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = project.app_insights_connection_string
    site = web.WebApp(
        ctx.service.logical_name,
        name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        kind="functionapp,linux",
        server_farm_id=plan.id,
        https_only=True,
        public_network_access=access["public_network_access"],
        virtual_network_subnet_id=ctx.subnet_id("functions"),
        identity=web.ManagedServiceIdentityArgs(
            type=web.ManagedServiceIdentityType.USER_ASSIGNED, user_assigned_identities=[identity.identity_id]
        ),
        key_vault_reference_identity=identity.identity_id,
        function_app_config=web.FunctionAppConfigArgs(
            deployment=web.FunctionsDeploymentArgs(
                storage=web.FunctionsDeploymentStorageArgs(
                    type=web.FunctionsDeploymentStorageType.BLOB_CONTAINER,
                    value=f"https://{account}.blob.core.windows.net/{DEPLOYMENT_CONTAINER}",
                    authentication=web.FunctionsDeploymentStorageAuthenticationArgs(
                        type=web.AuthenticationType.USER_ASSIGNED_IDENTITY,
                        user_assigned_identity_resource_id=identity.identity_id,
                    ),
                )
            ),
            runtime=web.FunctionsRuntimeArgs(
                name=settings.runtime, version=resolved(settings.runtime_version, "function_app.runtime_version")
            ),
            scale_and_concurrency=web.FunctionsScaleAndConcurrencyArgs(
                instance_memory_mb=settings.instance_memory_mb,
                maximum_instance_count=resolved(settings.maximum_instance_count, "function_app.maximum_instance_count"),
                always_ready=[web.FunctionsAlwaysReadyConfigArgs(name="http", instance_count=settings.always_ready)]
                if settings.always_ready
                else None,
            ),
        ),
        site_config=hardened_site_config(access, app_settings),
        tags=dict(ctx.tags),
        # The host reads its storage and deployment package with the identity's roles (made by the baseline).
        opts=ctx.options(depends_on=[container, *project.identity_ready]),
    )
    disable_basic_publishing(ctx, site)
    return FunctionSite(resource=site, plan=plan)


FUNCTION_APP: ServiceDeclaration[FunctionApp, FunctionSite] = ServiceDeclaration(
    name="function_app",
    title="Azure Functions (Flex Consumption)",
    label="Function App",
    summary="A Flex Consumption Function App: VNet-integrated, behind a private endpoint, host storage and "
    "deployment packages on the project's storage with its managed identity, Entra-authenticated telemetry.",
    naming_kind="function_app",
    logical_stem="func",
    settings=FunctionApp,
    projects=ProjectUse(types=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("web_app", ("sites",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="none",
    ip_firewall=web_app_access,
    roles=ServiceRoles(
        personas={"team-lead": (OPERATE_FUNCTIONS,), "app-developer": (OPERATE_FUNCTIONS,)},
        identity=(RUN_FUNCTIONS_HOST, RUN_FUNCTIONS_QUEUES),
        deployment=(OPERATE_FUNCTIONS,),
    ),
    build=_build,
    subnets=SubnetNeeds(
        ("functions",), why="VNet integration (delegated to Microsoft.App/environments, shared with nothing)"
    ),
    # The host keeps queues and tables in the project's storage too; a private account needs their endpoints.
    endpoint_needs={"storage": ("queue", "table")},
    environment_defaults=_environment_defaults,
    guardrails=(
        *PRIVATE_SERVICE_GUARDRAILS,
        "AIF-HTTPS-ONLY",
        "ALZ-DENY-PUBLIC-PAAS-WEB-APP",
        "ALZ-DENY-PUBLIC-PAAS-FUNCTION-APP",
        "ALZ-FUNCTION-APP-HTTPS",
        "ALZ-APP-SERVICE-PLAN-PRIVATE-LINK-SKU",
        *NAME_GUARDRAILS,
    ),
)
