"""One way to build a private Data Factory on a managed VNet (the common factory and project factories).

azure-native has no resource for a factory's managed VNet (pulumi-azure-native#896) and the Data
Factory API cannot delete one, so an incremental ARM deployment creates it: deleting the deployment
record leaves nothing behind, and deleting the factory removes the managed VNet with it. The
integration runtime runs in that managed VNet and reaches data only through managed private
endpoints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import datafactory, resources

__all__ = ["MANAGED_VNET", "RUNTIME", "ManagedVnetFactory", "managed_vnet_factory"]

MANAGED_VNET = "default"
RUNTIME = "ir-managed-vnet"
"""Our own runtime name: the built-in AutoResolveIntegrationRuntime is not in the managed VNet."""
_API_VERSION = "2018-06-01"


@dataclass(frozen=True)
class ManagedVnetFactory:
    """The factory, the deployment that creates its managed VNet, and the runtime in it."""

    factory: datafactory.Factory
    managed_vnet: resources.Deployment
    runtime: datafactory.IntegrationRuntime


def _managed_vnet_template(factory_name: str) -> dict[str, Any]:
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.DataFactory/factories/managedVirtualNetworks",
                "apiVersion": _API_VERSION,
                "name": f"{factory_name}/{MANAGED_VNET}",
                "properties": {},
            }
        ],
    }


def managed_vnet_factory(
    logical_name: str,
    *,
    factory_name: str,
    resource_group_name: pulumi.Input[str],
    location: str,
    identity: datafactory.FactoryIdentityArgs,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> ManagedVnetFactory:
    """A factory with public network access disabled, its managed VNet and its managed runtime."""
    factory = datafactory.Factory(
        logical_name,
        factory_name=factory_name,
        resource_group_name=resource_group_name,
        location=location,
        identity=identity,
        public_network_access=datafactory.PublicNetworkAccess.DISABLED,
        tags=dict(tags),
        opts=opts,
    )
    managed_vnet = resources.Deployment(
        f"{logical_name}-managed-vnet",
        deployment_name=f"{factory_name}-managed-vnet",
        resource_group_name=resource_group_name,
        properties=resources.DeploymentPropertiesArgs(
            mode=resources.DeploymentMode.INCREMENTAL,
            template=_managed_vnet_template(factory_name),
        ),
        opts=pulumi.ResourceOptions(parent=factory, depends_on=[factory]),
    )
    runtime = datafactory.IntegrationRuntime(
        f"{logical_name}-runtime",
        factory_name=factory.name,
        integration_runtime_name=RUNTIME,
        resource_group_name=resource_group_name,
        properties=datafactory.ManagedIntegrationRuntimeArgs(
            type="Managed",
            description="Runs in the factory's managed VNet; reaches data through managed private endpoints",
            managed_virtual_network=datafactory.ManagedVirtualNetworkReferenceArgs(
                reference_name=MANAGED_VNET,
                type=datafactory.ManagedVirtualNetworkReferenceType.MANAGED_VIRTUAL_NETWORK_REFERENCE,
            ),
            compute_properties=datafactory.IntegrationRuntimeComputePropertiesArgs(location="AutoResolve"),
        ),
        opts=pulumi.ResourceOptions(parent=factory, depends_on=[managed_vnet]),
    )
    return ManagedVnetFactory(factory, managed_vnet, runtime)
