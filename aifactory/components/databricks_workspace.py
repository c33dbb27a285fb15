"""One way to build a VNet-injected, private Azure Databricks workspace (projects and web auth)."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_azure_native import databricks

__all__ = ["injected_databricks_workspace"]


def _last_segment(resource_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """The name at the end of a resource id, carrying the id's dependencies."""
    return pulumi.Output.from_input(resource_id).apply(lambda value: value.rsplit("/", 1)[-1])


def injected_databricks_workspace(
    logical_name: str,
    *,
    workspace_name: str,
    resource_group_name: pulumi.Input[str],
    location: str,
    managed_resource_group_id: str,
    vnet_id: pulumi.Input[str],
    host_subnet_id: pulumi.Input[str],
    container_subnet_id: pulumi.Input[str],
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> databricks.Workspace:
    """A premium workspace injected into two delegated subnets: no public IP, no public network access.

    ``NoAzureDatabricksRules``: the control plane reaches the clusters through private link only, so
    Databricks adds no inbound rules for itself to the subnets' NSG. Subnet names come from the
    subnet ids, so the workspace waits for its delegated subnets.
    """
    return databricks.Workspace(
        logical_name,
        workspace_name=workspace_name,
        resource_group_name=resource_group_name,
        location=location,
        sku=databricks.SkuArgs(name="premium"),
        managed_resource_group_id=managed_resource_group_id,
        parameters=databricks.WorkspaceCustomParametersArgs(
            custom_virtual_network_id=databricks.WorkspaceCustomStringParameterArgs(value=vnet_id),
            custom_public_subnet_name=databricks.WorkspaceCustomStringParameterArgs(
                value=_last_segment(host_subnet_id)
            ),
            custom_private_subnet_name=databricks.WorkspaceCustomStringParameterArgs(
                value=_last_segment(container_subnet_id)
            ),
            enable_no_public_ip=databricks.WorkspaceNoPublicIPBooleanParameterArgs(value=True),
        ),
        public_network_access=databricks.PublicNetworkAccess.DISABLED,
        required_nsg_rules=databricks.RequiredNsgRules.NO_AZURE_DATABRICKS_RULES,
        tags=dict(tags),
        opts=opts,
    )
