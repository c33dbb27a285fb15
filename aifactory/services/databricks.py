"""Azure Databricks: an ESML project's workspace and the environment's web-auth workspace, one body.

Premium (private link), injected into two delegated subnets (host and container) of the
workload's VNet, no public IP, public network access off and ``NoAzureDatabricksRules``: the
control plane reaches the clusters through private link only, so Databricks adds no inbound rules
for itself to the subnets' NSG.

A project's workspace gets a ``databricks_ui_api`` private endpoint and an access connector that
runs as the project identity (Unity Catalog reaches storage with it). Browser sign-in is per
region, not per workspace: every workspace of a region signs users in through one host, so the
environment has one dedicated, otherwise unused **web-auth workspace** in the common VNet's two
web-auth subnets with the one ``browser_authentication`` endpoint (Microsoft recommends a dedicated
workspace for it, so that deleting a project's workspace never breaks sign-in for the others;
several endpoints would overwrite each other's record in ``privatelink.azuredatabricks.net``).
Project workspaces hold notebooks and jobs: protected in stage and prod, not locked (clusters come
and go); the web-auth workspace holds nothing that changes and is also locked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from aifactory.catalog.diagnostics import ALL_LOGS
from aifactory.services.access import RoleSet, ServiceRoles
from aifactory.services.model import (
    Built,
    CommonUse,
    PrivateEndpoints,
    ProjectUse,
    ServiceDeclaration,
    SubnetNeeds,
    any_project_has,
)
from aifactory.services.settings import ServiceSettings

if TYPE_CHECKING:
    import pulumi
    from pulumi_azure_native import databricks

    from aifactory.services.context import ServiceContext

__all__ = ["ADMINISTER_DATABRICKS", "DATABRICKS", "WEB_AUTH", "Databricks"]

WEB_AUTH: Literal["databricks_web_auth"] = "databricks_web_auth"
"""The web-auth workspace's key in the common environment."""


class Databricks(ServiceSettings):
    """Azure Databricks, premium, VNet-injected, no public IP, private front end."""

    sku: Literal["premium"] = Field(
        default="premium", description="Optional. Only premium supports private link. Default: premium."
    )


ADMINISTER_DATABRICKS = RoleSet(
    "Contributor on the workspace makes a Databricks workspace admin, who adds colleagues and grants "
    "entitlements inside Databricks",
    {"databricks": ("Contributor",)},
)


def _last_segment(resource_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The name at the end of a resource id, carrying the id's dependencies."""
    import pulumi

    return pulumi.Output.from_input(resource_id).apply(lambda value: value.rsplit("/", 1)[-1])


def _build(ctx: ServiceContext, _settings: Databricks | None) -> Built[databricks.Workspace]:
    import pulumi
    from pulumi_azure_native import databricks

    common = ctx.placement == "common"
    host, container = (
        ("databricks_web_auth_host", "databricks_web_auth_container")
        if common
        else ("databricks_host", "databricks_container")
    )
    managed_group = ctx.name("resource_group", "dbw-web-auth" if common else "dbw")
    if ctx.vnet_id is None:
        msg = f"{ctx.workload}: a VNet-injected Databricks workspace needs its VNet"
        raise RuntimeError(msg)
    workspace = databricks.Workspace(
        ctx.service.logical_name,
        workspace_name=ctx.service.azure_name,
        resource_group_name=ctx.resource_group_name,
        location=ctx.location,
        sku=databricks.SkuArgs(name="premium"),
        # Required on create and fixed after it: 'Hybrid' is the classic workspace (managed resource
        # group, clusters injected into the VNet); 'Serverless' workspaces allow neither.
        compute_mode=databricks.ComputeMode.HYBRID,
        managed_resource_group_id=f"/subscriptions/{ctx.subscription_id}/resourceGroups/{managed_group}",
        parameters=databricks.WorkspaceCustomParametersArgs(
            custom_virtual_network_id=databricks.WorkspaceCustomStringParameterArgs(value=ctx.vnet_id),
            custom_public_subnet_name=databricks.WorkspaceCustomStringParameterArgs(
                value=_last_segment(ctx.subnet_id(host))
            ),
            custom_private_subnet_name=databricks.WorkspaceCustomStringParameterArgs(
                value=_last_segment(ctx.subnet_id(container))
            ),
            enable_no_public_ip=databricks.WorkspaceNoPublicIPBooleanParameterArgs(value=True),
        ),
        public_network_access=databricks.PublicNetworkAccess.DISABLED,
        required_nsg_rules=databricks.RequiredNsgRules.NO_AZURE_DATABRICKS_RULES,
        tags=dict(ctx.tags),
        opts=ctx.options(),
    )
    if not common:
        databricks.AccessConnector(
            f"{ctx.workload}-dbac",
            connector_name=ctx.name("databricks_access_connector"),
            resource_group_name=ctx.resource_group_name,
            location=ctx.location,
            identity=databricks.ManagedServiceIdentityArgs(
                type=databricks.ManagedServiceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[ctx.require_project().identity.identity_id],
            ),
            tags=dict(ctx.tags),
            opts=pulumi.ResourceOptions(parent=workspace),
        )
    return Built(resource=workspace)


DATABRICKS: ServiceDeclaration[Databricks, Built[databricks.Workspace]] = ServiceDeclaration(
    name="databricks",
    title="Azure Databricks workspace",
    label="Azure Databricks",
    summary="A premium, VNet-injected Databricks workspace without public IPs behind a private front end; the "
    "environment's web-auth workspace serves browser sign-in for all of them.",
    naming_kind="databricks_workspace",
    logical_stem="dbw",
    settings=Databricks,
    projects=ProjectUse(types=("esml",)),
    common=CommonUse(
        when=any_project_has("databricks"),
        key=WEB_AUTH,
        qualifier="web-auth",
        logical_name="common-dbw-web-auth",
        groups=("browser_authentication",),
        lifecycle="protect",  # holds no data (browser sign-in only); a lock would hold its endpoint and diagnostics
        subnets=("databricks_web_auth_host", "databricks_web_auth_container"),
        why="the region's browser sign-in (one browser_authentication endpoint for every workspace)",
    ),
    endpoints=PrivateEndpoints(
        "databricks",
        ("databricks_ui_api",),
        why="browser_authentication is per region, not per workspace: the web-auth workspace serves it",
    ),
    diagnostics=ALL_LOGS,
    lifecycle="protect",
    roles=ServiceRoles(
        personas={"team-lead": (ADMINISTER_DATABRICKS,)},
        deployment=(ADMINISTER_DATABRICKS,),
    ),
    build=_build,
    subnets=SubnetNeeds(
        ("databricks_host", "databricks_container"),
        why="VNet injection: a host and a container subnet, both delegated to Microsoft.Databricks/workspaces",
    ),
    scaffold={"full": {}},
    guardrails=(
        "AIF-PUBLIC-NETWORK",
        "AIF-PRIVATE-ENDPOINT",
        "AIF-DIAGNOSTICS",
        "AIF-REQUIRED-TAGS",
        "ARM-NAME-LENGTH",
        "ARM-NAME-CHARACTERS",
        "ARM-REQUIRED-ON-CREATE",
    ),
)
