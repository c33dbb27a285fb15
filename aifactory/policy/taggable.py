"""Which resource types carry tags: those whose azure-native resource takes a ``tags`` input.

Read from the installed provider's signatures (``tests/policy/test_catalogue.py`` checks the list
against them). ``resources:Resource`` is left out on purpose: the factory uses it for proxy
sub-resources (Foundry capability hosts) that ARM does not tag.
"""

from __future__ import annotations

__all__ = ["TAGGABLE_TYPES", "UNTAGGED_GENERIC_TYPES"]

TAGGABLE_TYPES: tuple[str, ...] = (
    "azure-native:app:ContainerApp",
    "azure-native:app:ManagedEnvironment",
    "azure-native:applicationinsights:Component",
    "azure-native:cognitiveservices:Account",
    "azure-native:cognitiveservices:Deployment",
    "azure-native:cognitiveservices:Project",
    "azure-native:compute:VirtualMachine",
    "azure-native:compute:VirtualMachineExtension",
    "azure-native:containerregistry:Registry",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:cosmosdb:DatabaseAccount",
    "azure-native:cosmosdb:SqlResourceSqlDatabase",
    "azure-native:databricks:AccessConnector",
    "azure-native:databricks:Workspace",
    "azure-native:datafactory:Factory",
    "azure-native:dbforpostgresql:Server",
    "azure-native:devtestlab:GlobalSchedule",
    "azure-native:eventhub:Namespace",
    "azure-native:keyvault:Vault",
    "azure-native:machinelearningservices:Compute",
    "azure-native:machinelearningservices:Workspace",
    "azure-native:managedidentity:UserAssignedIdentity",
    "azure-native:network:BastionHost",
    "azure-native:network:NetworkInterface",
    "azure-native:network:NetworkSecurityGroup",
    "azure-native:network:PrivateEndpoint",
    "azure-native:network:PublicIPAddress",
    "azure-native:network:RouteTable",
    "azure-native:network:VirtualNetwork",
    "azure-native:operationalinsights:Workspace",
    "azure-native:privatedns:PrivateZone",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:redisenterprise:RedisEnterprise",
    "azure-native:resources:Deployment",
    "azure-native:resources:ResourceGroup",
    "azure-native:search:Service",
    "azure-native:sql:Database",
    "azure-native:sql:Server",
    "azure-native:storage:StorageAccount",
    "azure-native:web:AppServicePlan",
    "azure-native:web:WebApp",
)

UNTAGGED_GENERIC_TYPES: tuple[str, ...] = ("azure-native:resources:Resource",)
