"""Inputs that cannot change in place, per resource type the factory creates.

``aifactory diff`` flags a change to any of these: Pulumi would replace the resource (delete and
re-create it, losing its data and identity), or Azure would refuse the in-place update, which is as
bad in the middle of a ``pulumi up``. Paths are the input paths of the plan file (the provider's
camelCase SDK names): ``networkProfile.podCidr`` covers that key and everything below it, ``[]``
stands for any list index.

Three effects, because they call for different reviews:

- ``identity`` - a path parameter of the resource's ARM id (resource group, parent and own names,
  the ``scope`` of extension resources) or the key of a Microsoft Graph object; azure-native
  replaces on any change of a path parameter (``provider/pkg/provider/diff.go``, every parameter
  with ``location == "path"``).
- ``replace`` - the provider itself plans a replacement: azure-native marks the property
  force-new from the REST spec's ``x-ms-mutability`` without ``update`` or from its curated
  ``forceNewMap`` (``provider/pkg/gen/replacement.go``); the bridged providers (``azure``,
  ``azuread``) from Terraform's ``ForceNew``, which their docstrings state as "Changing this forces
  a new resource to be created".
- ``rejected`` - the provider would try an in-place update that Azure refuses or ignores (a tracked
  resource's ``location`` is create-only in ARM, RPC-Put-V1-14; the docs below name the others). The
  change only lands by replacing the resource deliberately.

Sources, abbreviated per entry:

- ``schema``: ``willReplaceOnChanges`` in the azure-native schema (export of the v2 schema in
  ``danielrbradley/pulumi-azure-native-schema``, which the generator derives from path parameters,
  ``x-ms-mutability`` and ``forceNewMap``);
- ``force-new-map``: ``pulumi/pulumi-azure-native`` ``provider/pkg/gen/replacement.go``;
- ``sdk-doc``: the installed SDK's docstring of that input ("cannot be changed ...");
- ``tf-doc``: the bridged SDK's docstring ("Changing this forces a new resource to be created");
- ``arm-location``: ARM RPC-Put-V1-14 (a tracked resource's location is ``read, create``);
- anything else is a link.

``api_version`` is the REST API version the installed azure-native SDK uses for the type (its
docstring, "Uses Azure REST API version ..."); a test fails when an upgrade changes it, so the
entry is reviewed against the new version. ``tests/diff/test_create_only.py`` also checks that every
custom resource type of the shipped plans has an entry and that every path names a real input.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["CREATE_ONLY", "CreateOnlyInput", "Effect", "TypeRules", "create_only_input"]

Effect = Literal["identity", "replace", "rejected"]

ARM_LOCATION = "arm-location"
SCHEMA = "schema"
FORCE_NEW_MAP = "force-new-map"
SDK_DOC = "sdk-doc"
TF_DOC = "tf-doc"
PATH_PARAMETER = "path parameter"


@dataclass(frozen=True)
class CreateOnlyInput:
    """One input path that cannot change in place, why, and where that is documented."""

    path: str
    effect: Effect
    source: str

    @property
    def segments(self) -> tuple[str, ...]:
        """``networkProfile.podCidr`` -> ``("networkProfile", "podCidr")``; ``a[].b`` -> ``("a", "[]", "b")``."""
        parts: list[str] = []
        for part in self.path.split("."):
            if part.endswith("[]"):
                parts.extend((part[:-2], "[]"))
            else:
                parts.append(part)
        return tuple(parts)


@dataclass(frozen=True)
class TypeRules:
    """The create-only inputs of one resource type (empty when everything updates in place)."""

    type: str
    inputs: tuple[CreateOnlyInput, ...]
    api_version: str | None = None
    note: str = ""


def _identity(*names: str, source: str = PATH_PARAMETER) -> tuple[CreateOnlyInput, ...]:
    return tuple(CreateOnlyInput(name, "identity", source) for name in names)


def _replace(*paths: str, source: str) -> tuple[CreateOnlyInput, ...]:
    return tuple(CreateOnlyInput(path, "replace", source) for path in paths)


def _rejected(*paths: str, source: str) -> tuple[CreateOnlyInput, ...]:
    return tuple(CreateOnlyInput(path, "rejected", source) for path in paths)


_LOCATION_REPLACES = _replace("location", source=SCHEMA)
_LOCATION_FIXED = _rejected("location", source=ARM_LOCATION)
_AKS_NETWORK = (
    "networkProfile.serviceCidr",
    "networkProfile.serviceCidrs",
    "networkProfile.dnsServiceIP",
    "networkProfile.networkMode",
    "networkProfile.networkPlugin",
    "networkProfile.networkPluginMode",
    "networkProfile.podCidr",
    "networkProfile.networkDataplane",
    "networkProfile.networkPolicy",
    "networkProfile.outboundType",
)


def _native(type_: str, api_version: str, *inputs: tuple[CreateOnlyInput, ...], note: str = "") -> TypeRules:
    return TypeRules(f"azure-native:{type_}", tuple(i for group in inputs for i in group), api_version, note)


def _bridged(type_: str, *paths: str, extra: tuple[CreateOnlyInput, ...] = (), note: str = "") -> TypeRules:
    return TypeRules(type_, (*_replace(*paths, source=TF_DOC), *extra), None, note)


_RULES: tuple[TypeRules, ...] = (
    # --- resource groups, identity, access --------------------------------------------------------
    _native(
        "resources:ResourceGroup",
        "2024-03-01",
        _identity("resourceGroupName"),
        _replace("location", source=f"{SCHEMA}, {FORCE_NEW_MAP}, {SDK_DOC}"),
    ),
    _native("resources:Deployment", "2024-03-01", _identity("resourceGroupName", "deploymentName"), _LOCATION_FIXED),
    _native(
        "resources:Resource",
        "2024-03-01",
        _identity("resourceGroupName", "resourceProviderNamespace", "parentResourcePath", "resourceType"),
        _identity("resourceName"),
        _replace("extendedLocation", source=SCHEMA),
        _LOCATION_FIXED,
        note="generic resource (the Foundry capability hosts, the accounts' Defender for AI settings): its ARM id is "
        "built from the path parameters",
    ),
    _native(
        "managedidentity:UserAssignedIdentity",
        "2023-01-31",
        _identity("resourceGroupName", "resourceName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "authorization:RoleAssignment",
        "2022-04-01",
        _identity("scope", "roleAssignmentName"),
        _replace("principalId", source=f"{SCHEMA}, {FORCE_NEW_MAP}"),
    ),
    _native("authorization:ManagementLockByScope", "2020-05-01", _identity("scope", "lockName")),
    _native(
        "security:Pricing",
        "2024-01-01",
        _identity("scopeId", "pricingName"),
        note="a Defender for Cloud plan of a subscription: one per plan name and scope, changed in place otherwise",
    ),
    _native("consumption:Budget", "2024-08-01", _identity("scope", "budgetName")),
    _native(
        "portal:Dashboard", "2022-12-01-preview", _identity("resourceGroupName", "dashboardName"), _LOCATION_REPLACES
    ),
    _native("monitor:DiagnosticSetting", "2021-05-01-preview", _identity("resourceUri", "name")),
    # --- network ---------------------------------------------------------------------------------
    _native(
        "network:VirtualNetwork",
        "2024-05-01",
        _identity("resourceGroupName", "virtualNetworkName"),
        _replace("location", source=FORCE_NEW_MAP),
    ),
    _native(
        "network:Subnet",
        "2024-05-01",
        _identity("resourceGroupName", "virtualNetworkName", "subnetName"),
        _rejected("defaultOutboundAccess", source=SDK_DOC),
        note="addressPrefix updates in place (force-new-map: 'no force-news'); Azure refuses it while the "
        "subnet is in use",
    ),
    _native(
        "network:VirtualNetworkPeering",
        "2024-05-01",
        _identity("resourceGroupName", "virtualNetworkName", "virtualNetworkPeeringName"),
    ),
    _native(
        "network:NetworkSecurityGroup",
        "2024-05-01",
        _identity("resourceGroupName", "networkSecurityGroupName"),
        _LOCATION_FIXED,
    ),
    _native(
        "network:SecurityRule",
        "2024-05-01",
        _identity("resourceGroupName", "networkSecurityGroupName", "securityRuleName"),
    ),
    _native("network:RouteTable", "2024-05-01", _identity("resourceGroupName", "routeTableName"), _LOCATION_FIXED),
    _native(
        "network:PrivateEndpoint",
        "2024-05-01",
        _identity("resourceGroupName", "privateEndpointName"),
        _replace("subnet", source=f"{FORCE_NEW_MAP} (pulumi/pulumi-azure-native#3883)"),
        _LOCATION_FIXED,
    ),
    _native(
        "network:PrivateDnsZoneGroup",
        "2024-05-01",
        _identity("resourceGroupName", "privateEndpointName", "privateDnsZoneGroupName"),
    ),
    _native(
        "network:PublicIPAddress",
        "2024-05-01",
        _identity("resourceGroupName", "publicIpAddressName"),
        _replace("location", "publicIPAddressVersion", "publicIPPrefix", "sku", source=f"{SCHEMA}, {FORCE_NEW_MAP}"),
    ),
    _native(
        "network:NetworkInterface",
        "2024-05-01",
        _identity("resourceGroupName", "networkInterfaceName"),
        _LOCATION_FIXED,
    ),
    _native("network:BastionHost", "2024-05-01", _identity("resourceGroupName", "bastionHostName"), _LOCATION_FIXED),
    _native(
        "privatedns:PrivateZone",
        "2024-06-01",
        _identity("resourceGroupName", "privateZoneName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "privatedns:VirtualNetworkLink",
        "2024-06-01",
        _identity("resourceGroupName", "privateZoneName", "virtualNetworkLinkName"),
        _LOCATION_REPLACES,
    ),
    # --- shared services -------------------------------------------------------------------------
    _native(
        "operationalinsights:Workspace",
        "2023-09-01",
        _identity("resourceGroupName", "workspaceName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "applicationinsights:Component",
        "2020-02-02",
        _identity("resourceGroupName", "resourceName"),
        _replace("location", "applicationType", source=SCHEMA),
    ),
    _native(
        "keyvault:Vault",
        "2024-11-01",
        _identity("resourceGroupName", "vaultName"),
        _LOCATION_FIXED,
        note="enableSoftDelete and enablePurgeProtection cannot be turned off once on; the diff shows them as changes",
    ),
    _native(
        "containerregistry:Registry",
        "2023-01-01-preview",
        _identity("resourceGroupName", "registryName"),
        _replace("location", source=f"{SCHEMA}, {SDK_DOC}"),
    ),
    _native(
        "storage:StorageAccount",
        "2024-01-01",
        _identity("resourceGroupName", "accountName"),
        _replace("location", "isHnsEnabled", source=f"{SCHEMA}, {FORCE_NEW_MAP}"),
        _rejected("immutableStorageWithVersioning", source=SDK_DOC),
        _rejected(
            "encryption.requireInfrastructureEncryption",
            source="https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable "
            "(only when the account is created)",
        ),
        _rejected(
            "encryption.services.queue.keyType",
            "encryption.services.table.keyType",
            source="https://learn.microsoft.com/azure/storage/common/account-encryption-key-create "
            "(the key type of queues and tables is chosen when the account is created)",
        ),
    ),
    _native(
        "storage:BlobServiceProperties",
        "2024-01-01",
        _identity("resourceGroupName", "accountName", "blobServicesName"),
    ),
    _native(
        "compute:VirtualMachine",
        "2024-11-01",
        _identity("resourceGroupName", "vmName"),
        _rejected("osProfile.adminUsername", "osProfile.computerName", "placement", source=SDK_DOC),
        _LOCATION_FIXED,
    ),
    _native(
        "compute:VirtualMachineExtension",
        "2024-11-01",
        _identity("resourceGroupName", "vmName", "vmExtensionName"),
        _LOCATION_FIXED,
    ),
    _native("devtestlab:GlobalSchedule", "2018-09-15", _identity("resourceGroupName", "name"), _LOCATION_FIXED),
    _native(
        "datafactory:Factory",
        "2018-06-01",
        _identity("resourceGroupName", "factoryName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "datafactory:IntegrationRuntime",
        "2018-06-01",
        _identity("resourceGroupName", "factoryName", "integrationRuntimeName"),
    ),
    _native(
        "datafactory:LinkedService",
        "2018-06-01",
        _identity("resourceGroupName", "factoryName", "linkedServiceName"),
    ),
    _native(
        "datafactory:ManagedPrivateEndpoint",
        "2018-06-01",
        _identity("resourceGroupName", "factoryName", "managedVirtualNetworkName", "managedPrivateEndpointName"),
    ),
    _native(
        "datafactory:CredentialOperation",
        "2018-06-01",
        _identity("resourceGroupName", "factoryName", "credentialName"),
    ),
    # --- ESML services -----------------------------------------------------------------------------
    _native(
        "machinelearningservices:Workspace",
        "2025-12-01",
        _identity("resourceGroupName", "workspaceName"),
        _rejected("storageAccount", "keyVault", source=SDK_DOC),
        _rejected(
            "hbiWorkspace",
            source="https://learn.microsoft.com/python/api/azure-ai-ml/azure.ai.ml.entities.workspace "
            "(hbi_workspace: set only when the workspace is created)",
        ),
        _LOCATION_FIXED,
    ),
    _native(
        "machinelearningservices:Compute",
        "2025-12-01",
        _identity("resourceGroupName", "workspaceName", "computeName"),
        _LOCATION_FIXED,
    ),
    _native(
        "databricks:Workspace",
        "2026-01-01",
        _identity("resourceGroupName", "workspaceName"),
        _LOCATION_REPLACES,
        _rejected("computeMode", source=SDK_DOC),
    ),
    _native(
        "databricks:AccessConnector",
        "2026-01-01",
        _identity("resourceGroupName", "connectorName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "containerservice:ManagedCluster",
        "2025-09-01",
        _identity("resourceGroupName", "resourceName"),
        _replace(
            "location",
            "dnsPrefix",
            "fqdnSubdomain",
            "diskEncryptionSetID",
            "linuxProfile",
            "windowsProfile",
            "nodeResourceGroup",
            *_AKS_NETWORK,
            source=f"{FORCE_NEW_MAP} (pulumi/pulumi-azure-native#4756), {SDK_DOC}",
        ),
        _rejected(
            "apiServerAccessProfile.privateDNSZone",
            source="AKS private clusters: the private DNS zone is set at creation (azurerm private_dns_zone_id: "
            "'Changing this forces a new resource to be created')",
        ),
    ),
    _native(
        "kubernetesconfiguration:Extension",
        "2023-05-01",
        _identity("resourceGroupName", "clusterRp", "clusterResourceName", "clusterName", "extensionName"),
    ),
    _native(
        "eventhub:Namespace",
        "2024-01-01",
        _identity("resourceGroupName", "namespaceName"),
        _LOCATION_REPLACES,
    ),
    _native("eventhub:EventHub", "2024-01-01", _identity("resourceGroupName", "namespaceName", "eventHubName")),
    # --- GenAI services ----------------------------------------------------------------------------
    _native(
        "cognitiveservices:Account",
        "2025-06-01",
        _identity("resourceGroupName", "accountName"),
        _LOCATION_REPLACES,
        _rejected(
            "properties.customSubDomainName",
            source="https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains",
        ),
    ),
    _native(
        "cognitiveservices:Deployment",
        "2025-06-01",
        _identity("resourceGroupName", "accountName", "deploymentName"),
    ),
    _native(
        "cognitiveservices:Project",
        "2025-06-01",
        _identity("resourceGroupName", "accountName", "projectName"),
        _LOCATION_FIXED,
    ),
    _native(
        "cognitiveservices:ProjectConnection",
        "2025-06-01",
        _identity("resourceGroupName", "accountName", "projectName", "connectionName"),
    ),
    _native(
        "search:Service",
        "2025-05-01",
        _identity("resourceGroupName", "searchServiceName"),
        _LOCATION_REPLACES,
    ),
    _native(
        "cosmosdb:DatabaseAccount",
        "2025-10-15",
        _identity("resourceGroupName", "accountName"),
        _replace("restoreParameters", source=SCHEMA),
        _LOCATION_FIXED,
    ),
    _native(
        "cosmosdb:SqlResourceSqlDatabase",
        "2025-10-15",
        _identity("resourceGroupName", "accountName", "databaseName"),
        _LOCATION_FIXED,
    ),
    _native(
        "cosmosdb:SqlResourceSqlRoleAssignment",
        "2025-10-15",
        _identity("resourceGroupName", "accountName", "roleAssignmentId"),
        _replace("principalId", "scope", source=FORCE_NEW_MAP),
    ),
    _native(
        "app:ManagedEnvironment",
        "2025-02-02-preview",
        _identity("resourceGroupName", "environmentName"),
        _replace("location", "zoneRedundant", source=SCHEMA),
        _rejected(
            "vnetConfiguration",
            source="https://learn.microsoft.com/azure/container-apps/networking (pulumi/pulumi-azure-native#2577)",
        ),
    ),
    _native(
        "web:AppServicePlan",
        "2025-05-01",
        _identity("resourceGroupName", "name"),
        _replace("hostingEnvironmentProfile", "hyperV", "isXenon", "reserved", source=SCHEMA),
        _LOCATION_FIXED,
    ),
    _native(
        "web:WebApp",
        "2025-05-01",
        _identity("resourceGroupName", "name"),
        _replace("location", "kind", source=FORCE_NEW_MAP),
        _replace("cloningInfo", "hostingEnvironmentProfile", "hyperV", "isXenon", "reserved", source=SCHEMA),
    ),
    _native("web:WebAppFtpAllowed", "2025-05-01", _identity("resourceGroupName", "name")),
    _native("web:WebAppScmAllowed", "2025-05-01", _identity("resourceGroupName", "name")),
    # --- data and app services -------------------------------------------------------------------
    _native(
        "dbforpostgresql:Server",
        "2025-08-01",
        _identity("resourceGroupName", "serverName"),
        _replace(
            "location",
            "administratorLogin",
            "availabilityZone",
            "network",
            "pointInTimeUTC",
            "sourceServerResourceId",
            source=SCHEMA,
        ),
        _rejected(
            "backup.geoRedundantBackup",
            source="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore "
            "(geo-redundant backup is chosen when the server is created)",
        ),
    ),
    _native(
        "dbforpostgresql:Configuration",
        "2025-08-01",
        _identity("resourceGroupName", "serverName", "configurationName"),
    ),
    _native(
        "dbforpostgresql:AdministratorsMicrosoftEntra",
        "2025-08-01",
        _identity("resourceGroupName", "serverName", "objectId"),
    ),
    _native("dbforpostgresql:Database", "2025-08-01", _identity("resourceGroupName", "serverName", "databaseName")),
    _native(
        "redisenterprise:RedisEnterprise",
        "2025-07-01",
        _identity("resourceGroupName", "clusterName"),
        _replace("location", source=f"{SCHEMA} (v2 cache:RedisEnterprise)"),
    ),
    _native(
        "redisenterprise:Database",
        "2025-07-01",
        _identity("resourceGroupName", "clusterName", "databaseName"),
        _replace(
            "clusteringPolicy", "geoReplication", "modules", "port", source=f"{SCHEMA} (v2 cache:Database), {SDK_DOC}"
        ),
    ),
    _native(
        "redisenterprise:AccessPolicyAssignment",
        "2025-07-01",
        _identity("resourceGroupName", "clusterName", "databaseName", "accessPolicyAssignmentName"),
    ),
    _native(
        "sql:Server",
        "2023-08-01",
        _identity("resourceGroupName", "serverName"),
        _replace("location", "administratorLogin", "administrators", source=f"{SCHEMA}, {SDK_DOC}"),
        note="the program ignores later changes to administrators (Azure reads it on create only); "
        "ServerAzureADAdministrator changes the administrator in place",
    ),
    _native(
        "sql:Database",
        "2023-08-01",
        _identity("resourceGroupName", "serverName", "databaseName"),
        _replace("location", "collation", "catalogCollation", "createMode", "identity", "sampleName", source=SCHEMA),
    ),
    _native(
        "sql:ServerAzureADAdministrator",
        "2023-08-01",
        _identity("resourceGroupName", "serverName", "administratorName"),
    ),
    _native(
        "sql:ServerAzureADOnlyAuthentication",
        "2023-08-01",
        _identity("resourceGroupName", "serverName", "authenticationName"),
    ),
    _native(
        "sql:ServerBlobAuditingPolicy",
        "2023-08-01",
        _identity("resourceGroupName", "serverName", "blobAuditingPolicyName"),
    ),
    _native(
        "sql:BackupShortTermRetentionPolicy",
        "2023-08-01",
        _identity("resourceGroupName", "serverName", "databaseName", "policyName"),
    ),
    _native(
        "app:ContainerApp",
        "2025-02-02-preview",
        _identity("resourceGroupName", "containerAppName"),
        _replace("location", "managedEnvironmentId", "environmentId", source=SCHEMA),
    ),
    _native(
        "search:SharedPrivateLinkResource",
        "2025-05-01",
        _identity("resourceGroupName", "searchServiceName", "sharedPrivateLinkResourceName"),
        _rejected(
            "properties.privateLinkResourceId",
            "properties.groupId",
            source="https://learn.microsoft.com/azure/search/search-indexer-howto-access-private (one link per "
            "resource and sub-resource; a link to another target is a new link)",
        ),
    ),
    _native("storage:BlobContainer", "2024-01-01", _identity("resourceGroupName", "accountName", "containerName")),
    # --- bridged providers: datalake folders and Entra ID ---------------------------------------------
    _bridged(
        "azure:storage/dataLakeGen2Filesystem:DataLakeGen2Filesystem",
        "storageAccountId",
        "name",
        "defaultEncryptionScope",
    ),
    _bridged(
        "azure:storage/dataLakeGen2Path:DataLakeGen2Path", "storageAccountId", "filesystemName", "path", "resource"
    ),
    _bridged(
        "azuread:index/group:Group", "assignableToRole", "behaviors", "mailNickname", "provisioningOptions", "types"
    ),
    _bridged("azuread:index/groupMember:GroupMember", "groupObjectId", "memberObjectId"),
    _bridged("azuread:index/application:Application", "templateId"),
    _bridged(
        "azuread:index/servicePrincipal:ServicePrincipal",
        extra=_replace(
            "clientId",
            source="hashicorp/terraform-provider-azuread service_principal_resource.go (ForceNew, not in the "
            "docstring)",
        ),
    ),
    _bridged(
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
        "applicationId",
        "displayName",
    ),
    # --- providers ---------------------------------------------------------------------------------
    TypeRules(
        "pulumi:providers:azure-native",
        (),
        note="DiffConfig never asks for a replacement (provider/pkg/provider/provider.go); a new subscription "
        "shows up as changed ids of the resources themselves",
    ),
    TypeRules(
        "pulumi:providers:azure",
        (),
        note="the Terraform bridge replaces a provider only for config keys marked ForcesProviderReplace; "
        "pulumi-azure marks none",
    ),
    # --- stack references (sharded layout) ------------------------------------------------------------
    TypeRules(
        "pulumi:pulumi:StackReference",
        (),
        note="a read of another stack's outputs, not a cloud resource: the engine reads it again on every run "
        "(pulumi/pulumi sdk/python/lib/pulumi/stack_reference.py registers it with read=True), so nothing is "
        "replaced or deleted when its name changes",
    ),
)

CREATE_ONLY: MappingProxyType[str, TypeRules] = MappingProxyType({rules.type: rules for rules in _RULES})


def create_only_input(type_token: str, path: tuple[str | int, ...]) -> CreateOnlyInput | None:
    """The table entry that covers the input at ``path`` (list indices as ``int``), if any.

    An entry covers its own path and everything below it; ``[]`` in an entry matches any index.
    """
    rules = CREATE_ONLY.get(type_token)
    if rules is None or not path:
        return None
    for entry in rules.inputs:
        segments = entry.segments
        if len(segments) > len(path):
            continue
        if all(_matches(want, got) for want, got in zip(segments, path, strict=False)):
            return entry
    return None


def _matches(want: str, got: str | int) -> bool:
    if want == "[]":
        return isinstance(got, int)
    return want == got
