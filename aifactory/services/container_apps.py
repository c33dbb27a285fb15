"""Azure Container Apps for a GenAI project: an internal workload-profiles environment behind a private endpoint.

A Consumption profile plus one dedicated profile that scales to zero, injected into the project's
``container_apps`` subnet (delegated to ``Microsoft.App/environments``) with an *internal* virtual
IP (no public IP, no public ingress) and public network access disabled, running as the project
identity. Logs go to Azure Monitor and from there, through the environment's diagnostic setting, to
Log Analytics, so no workspace shared key is ever handed over. The private endpoint
(``managedEnvironments``) is the documented private option for workload-profiles environments:
Microsoft Learn's "Azure Front Door with a custom virtual network and Private Link" deploys exactly
an internal-VIP environment with public network access disabled and a private endpoint, so other
VNets (and Front Door) reach the apps without routes into the environment's subnet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS_AND_METRICS
from aifactory.services.access import ASSIGN_PROJECT_IDENTITY, RoleSet, ServiceRoles
from aifactory.services.model import Built, PrivateEndpoints, ProjectUse, ServiceDeclaration, SubnetNeeds, resolved
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    from pulumi_azure_native import app

    from aifactory.services.context import ServiceContext

__all__ = ["CONSUMPTION_PROFILE", "CONTAINER_APPS", "DEDICATED_PROFILE", "ContainerApps"]

CONSUMPTION_PROFILE = "Consumption"
DEDICATED_PROFILE = "dedicated"


class ContainerApps(ServiceSettings):
    """Internal Container Apps environment with workload profiles."""

    workload_profile: Literal["D4", "D8", "D16", "E4", "E8"] = Field(
        default="D4", description="Optional. Dedicated workload profile. Default: D4."
    )
    max_instances: int = Field(default=3, ge=1, le=20, description="Optional. Profile maximum count. Default: 3.")


OPERATE_CONTAINER_APPS = RoleSet(
    "read, stream logs of and exec into the project's container apps",
    {"resource_group": ("Container Apps Operator",)},
)
DEPLOY_CONTAINER_APPS = RoleSet(
    "create and update container apps in the project's environment",
    {"resource_group": ("Container Apps Contributor",)},
)


def _build(ctx: ServiceContext, settings: ContainerApps | None) -> Built[app.ManagedEnvironment]:
    from pulumi_azure_native import app

    settings = resolved(settings, "container_apps")
    environment = app.ManagedEnvironment(
        ctx.service.logical_name,
        environment_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        vnet_configuration=app.VnetConfigurationArgs(
            infrastructure_subnet_id=ctx.subnet_id("container_apps"), internal=True
        ),
        public_network_access="Disabled",
        infrastructure_resource_group=ctx.name("resource_group", "cae"),
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
            type=app.ManagedServiceIdentityType.USER_ASSIGNED,
            user_assigned_identities=[ctx.require_project().identity.identity_id],
        ),
        zone_redundant=False,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    return Built(resource=environment)


CONTAINER_APPS: ServiceDeclaration[ContainerApps, Built[app.ManagedEnvironment]] = ServiceDeclaration(
    name="container_apps",
    title="Azure Container Apps environment",
    label="Container Apps",
    summary="An internal, VNet-injected workload-profiles environment for the project's apps and APIs, behind a "
    "private endpoint.",
    naming_kind="container_apps_environment",
    logical_stem="cae",
    settings=ContainerApps,
    projects=ProjectUse(types=("genai",)),
    common=None,
    endpoints=PrivateEndpoints("container_apps", ("managedEnvironments",)),
    diagnostics=ALL_LOGS_AND_METRICS,
    lifecycle="none",
    roles=ServiceRoles(
        personas={"team-lead": (OPERATE_CONTAINER_APPS,), "app-developer": (OPERATE_CONTAINER_APPS,)},
        deployment=(DEPLOY_CONTAINER_APPS, ASSIGN_PROJECT_IDENTITY),
    ),
    build=_build,
    subnets=SubnetNeeds(("container_apps",), why="the environment's infrastructure (workload profiles need a /27)"),
    scaffold={"full": {}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS-ENV",
        "ALZ-CONTAINER-APPS-ENV-VNET",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
    ),
)
