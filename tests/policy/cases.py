"""Compliant inputs per resource type, as the engine records them, and helpers to break them.

Each baseline passes every rule of its type; a rule's failing case is its baseline with one change.
"""

from __future__ import annotations

import copy
from typing import Any

from aifactory.policy import types as rt
from aifactory.policy.model import GuardrailContext, ResourceView

STACK = "dev"
URN_PREFIX = f"urn:pulumi:{STACK}::aifactory::"
TENANT = "9a8b7c6d-0000-4000-8000-0000000000aa"
SUB = "/subscriptions/6f1d2c3b-0000-4000-8000-00000000d001/resourceGroups/rg-acme-p001-dev-sdc/providers"
CONTEXT = GuardrailContext(stack=STACK, environment="dev", tenant_id=TENANT)

PROJECT_TAGS = {"aifactory-environment": "dev", "aifactory-project": "001-fraud", "cost-center": "CC-1"}
_ID = f"{SUB}/managedidentity/UserAssignedIdentity/id-acme-p001"
_SUBNET_ID = f"{SUB}/network/Subnet/snet-p001"

BASELINES: dict[str, dict[str, Any]] = {
    rt.STORAGE_ACCOUNT: {
        "accountName": "stacmep001dev8kk1",
        "allowBlobPublicAccess": False,
        "allowCrossTenantReplication": False,
        "allowSharedKeyAccess": False,
        "allowedCopyScope": "AAD",
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "publicNetworkAccess": "Disabled",
        "networkRuleSet": {"bypass": "None", "defaultAction": "Deny"},
        "encryption": {
            "keySource": "Microsoft.Storage",
            "requireInfrastructureEncryption": True,
            "services": {
                "blob": {"enabled": True, "keyType": "Account"},
                "file": {"enabled": True, "keyType": "Account"},
                "queue": {"enabled": True, "keyType": "Account"},
                "table": {"enabled": True, "keyType": "Account"},
            },
        },
        "tags": PROJECT_TAGS,
    },
    rt.BLOB_SERVICE: {
        "accountName": "stacmep001dev8kk1",
        "blobServicesName": "default",
        "containerDeleteRetentionPolicy": {"days": 14, "enabled": True},
    },
    rt.KEY_VAULT: {
        "vaultName": "kv-acme-p001-dev-6ie9",
        "properties": {
            "enablePurgeProtection": True,
            "enableRbacAuthorization": True,
            "enableSoftDelete": True,
            "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny"},
            "publicNetworkAccess": "Disabled",
            "tenantId": TENANT,
        },
        "tags": PROJECT_TAGS,
    },
    rt.CONTAINER_REGISTRY: {
        "registryName": "cracmep001dev3r49",
        "adminUserEnabled": False,
        "anonymousPullEnabled": False,
        "networkRuleSet": {"defaultAction": "Deny"},
        "publicNetworkAccess": "Disabled",
        "policies": {
            "azureADAuthenticationAsArmPolicy": {"status": "disabled"},
            "exportPolicy": {"status": "disabled"},
        },
        "sku": {"name": "Premium"},
        "tags": PROJECT_TAGS,
    },
    rt.COGNITIVE_ACCOUNT: {
        "accountName": "aif-acme-p001-dev-c2qr",
        "identity": {"type": "UserAssigned", "userAssignedIdentities": [_ID]},
        "kind": "AIServices",
        "properties": {
            "customSubDomainName": "aif-acme-p001-dev-c2qr",
            "disableLocalAuth": True,
            "networkAcls": {"defaultAction": "Deny"},
            "publicNetworkAccess": "Disabled",
            "restrictOutboundNetworkAccess": True,
            "allowedFqdnList": ["aif-acme-p001.openai.azure.com"],
        },
        "tags": PROJECT_TAGS,
    },
    rt.ROLE_ASSIGNMENT: {
        "roleAssignmentName": "ce6343dd-145b-5c73-aab7-cba314fc1cf4",
        "roleDefinitionId": "/subscriptions/6f1d2c3b-0000-4000-8000-00000000d001/providers/Microsoft.Authorization/"
        "roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        "principalId": "10d1a118-ae6b-58eb-87f8-6f0f7ddcdda4",
        "principalType": "ServicePrincipal",
        "scope": f"{SUB}/storage/StorageAccount/stacmep001dev",
        "condition": "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'})) "
        "OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringLikeIgnoreCase "
        "'*-azureml-agent'))",
        "conditionVersion": "2.0",
    },
    rt.SEARCH: {
        "searchServiceName": "srch-acme-p001-dev-ngmc",
        "disableLocalAuth": True,
        "networkRuleSet": {"bypass": "AzureServices", "ipRules": []},
        "publicNetworkAccess": "Disabled",
        "sku": {"name": "basic"},
        "tags": PROJECT_TAGS,
    },
    rt.COSMOS_ACCOUNT: {
        "accountName": "cosmos-acme-p001-dev-htoi",
        "disableLocalAuth": True,
        "isVirtualNetworkFilterEnabled": False,
        "minimalTlsVersion": "Tls12",
        "publicNetworkAccess": "Disabled",
        "capabilities": [{"name": "EnableServerless"}],
        "tags": PROJECT_TAGS,
    },
    rt.ML_WORKSPACE: {
        "workspaceName": "mlw-acme-p001-dev-sdc",
        "hbiWorkspace": True,
        "v1LegacyMode": True,
        "primaryUserAssignedIdentity": _ID,
        "publicNetworkAccess": "Disabled",
        "tags": PROJECT_TAGS,
    },
    rt.ML_COMPUTE: {
        "computeName": "cpu-cluster",
        "properties": {
            "computeType": "AmlCompute",
            "disableLocalAuth": True,
            "properties": {"vmSize": "Standard_DS3_v2"},
        },
        "tags": PROJECT_TAGS,
    },
    rt.DATA_FACTORY: {
        "factoryName": "adf-acme-p001-dev-j3l0",
        "publicNetworkAccess": "Disabled",
        "repoConfiguration": {
            "type": "FactoryGitHubConfiguration",
            "accountName": "contoso",
            "repositoryName": "fraud-adf",
            "collaborationBranch": "main",
            "rootFolder": "/",
        },
        "tags": PROJECT_TAGS,
    },
    rt.LINKED_SERVICE: {
        "linkedServiceName": "datalake",
        "properties": {"type": "AzureBlobFS", "typeProperties": {"url": "https://stacme.dfs.core.windows.net"}},
    },
    rt.DATABRICKS: {
        "workspaceName": "dbw-acme-p001-dev-sdc",
        "computeMode": "Hybrid",
        "publicNetworkAccess": "Disabled",
        "tags": PROJECT_TAGS,
    },
    rt.EVENT_HUBS: {
        "namespaceName": "evhns-acme-p001-dev-lahq",
        "disableLocalAuth": True,
        "minimumTlsVersion": "1.2",
        "publicNetworkAccess": "Disabled",
        "tags": PROJECT_TAGS,
    },
    rt.CONTAINER_APPS_ENV: {
        "environmentName": "cae-acme-p001-dev-sdc",
        "publicNetworkAccess": "Disabled",
        "vnetConfiguration": {"infrastructureSubnetId": _SUBNET_ID, "internal": True},
        "tags": PROJECT_TAGS,
    },
    rt.CONTAINER_APP: {
        "containerAppName": "ca-acme-p001-api",
        "identity": {"type": "UserAssigned", "userAssignedIdentities": [_ID]},
        "configuration": {
            "ingress": {"external": False, "allowInsecure": False},
            "registries": [{"server": "cracmecommon.azurecr.io", "identity": _ID}],
        },
        "tags": PROJECT_TAGS,
    },
    rt.WEB_APP: {
        "name": "app-acme-p001-dev-z5eb",
        "kind": "app,linux",
        "httpsOnly": True,
        "publicNetworkAccess": "Disabled",
        "outboundVnetRouting": {"allTraffic": True},
        "siteConfig": {"minTlsVersion": "1.2", "scmMinTlsVersion": "1.2"},
        "tags": PROJECT_TAGS,
    },
    rt.APP_SERVICE_PLAN: {"name": "asp-acme-p001-dev-sdc", "sku": {"name": "P0v3"}, "tags": PROJECT_TAGS},
    rt.POSTGRESQL_SERVER: {
        "serverName": "psql-acme-p001-dev-sdc-h3k2",
        "authConfig": {"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled", "tenantId": TENANT},
        "network": {"publicNetworkAccess": "Disabled"},
        "sku": {"name": "Standard_B1ms", "tier": "Burstable"},
        "tags": PROJECT_TAGS,
    },
    rt.POSTGRESQL_CONFIGURATION: {
        "configurationName": "require_secure_transport",
        "serverName": "psql-acme-p001-dev-sdc-h3k2",
        "source": "user-override",
        "value": "on",
    },
    rt.REDIS_CLUSTER: {
        "clusterName": "redis-acme-p001-dev-sdc-q8x1",
        "minimumTlsVersion": "1.2",
        "publicNetworkAccess": "Disabled",
        "sku": {"name": "Balanced_B0"},
        "tags": PROJECT_TAGS,
    },
    rt.REDIS_DATABASE: {
        "clusterName": "redis-acme-p001-dev-sdc-q8x1",
        "databaseName": "default",
        "accessKeysAuthentication": "Disabled",
        "clientProtocol": "Encrypted",
        "port": 10000,
    },
    rt.SQL_SERVER: {
        "serverName": "sql-acme-p001-dev-sdc-w2e4",
        "administrators": {
            "administratorType": "ActiveDirectory",
            "azureADOnlyAuthentication": True,
            "login": "grp-acme-p001-team-lead-dev-sdc",
            "principalType": "Group",
        },
        "minimalTlsVersion": "1.2",
        "publicNetworkAccess": "Disabled",
        "tags": PROJECT_TAGS,
    },
    rt.SQL_ENTRA_ONLY: {"authenticationName": "Default", "azureADOnlyAuthentication": True},
    rt.SQL_DATABASE: {"databaseName": "app", "sku": {"name": "GP_S_Gen5_1"}, "tags": PROJECT_TAGS},
    rt.BLOB_CONTAINER: {"accountName": "stacmep001dev8kk1", "containerName": "function-deployments"},
    rt.AKS: {
        "resourceName": "aks-acme-p001-dev-sdc",
        "agentPoolProfiles": [{"name": "system", "enableEncryptionAtHost": True}],
        "apiServerAccessProfile": {"enablePrivateCluster": True},
        "disableLocalAccounts": True,
        "tags": PROJECT_TAGS,
    },
    rt.VIRTUAL_MACHINE: {
        "vmName": "vm-acme-p001-jump-dev",
        "osProfile": {"computerName": "vm-acme-p001-jump-dev"},
        "securityProfile": {"encryptionAtHost": True, "securityType": "TrustedLaunch"},
        "tags": PROJECT_TAGS,
    },
    rt.SUBNET: {
        "subnetName": "snet-p001-compute",
        "networkSecurityGroup": {"id": f"{SUB}/network/NetworkSecurityGroup/nsg-p001"},
        "routeTable": {"id": f"{SUB}/network/RouteTable/rt-p001"},
    },
    rt.NSG: {
        "networkSecurityGroupName": "nsg-acme-p001-dev",
        "securityRules": [
            {
                "name": "AllowHttpsFromTrusted",
                "access": "Allow",
                "direction": "Inbound",
                "sourceAddressPrefix": "10.0.0.0/12",
                "destinationPortRange": "443",
            }
        ],
        "tags": PROJECT_TAGS,
    },
    rt.SECURITY_RULE: {
        "securityRuleName": "AllowSshFromBastion",
        "access": "Allow",
        "direction": "Inbound",
        "sourceAddressPrefix": "172.20.1.0/26",
        "destinationPortRange": "22",
    },
    rt.NETWORK_INTERFACE: {
        "networkInterfaceName": "nic-vm-acme-p001",
        "ipConfigurations": [{"name": "ipconfig", "subnet": {"id": _SUBNET_ID}}],
        "tags": PROJECT_TAGS,
    },
    rt.APP_INSIGHTS: {"resourceName": "appi-acme-p001-dev", "disableLocalAuth": True, "tags": PROJECT_TAGS},
    rt.LOG_ANALYTICS: {
        "workspaceName": "log-acme-p001-dev",
        "features": {"disableLocalAuth": True},
        "tags": PROJECT_TAGS,
    },
    rt.BUDGET: {
        "budgetName": "budget-acme-p001-dev",
        "notifications": {f"actual-{t}": {"threshold": t} for t in (80, 100)}
        | {f"forecasted-{t}": {"threshold": t} for t in (80, 100)},
    },
    rt.COGNITIVE_DEPLOYMENT: {
        "deploymentName": "text-embedding-3-large",
        "properties": {"model": {"format": "OpenAI", "name": "text-embedding-3-large", "version": "1"}},
        "tags": PROJECT_TAGS,
    },
    rt.DEPLOYMENT: {"deploymentName": "adf-acme-p001-dev-j3l0-managed-vnet", "tags": PROJECT_TAGS},
    rt.LOCK: {"lockName": "lock-stacmep001dev8kk1", "level": "CanNotDelete"},
    rt.DIAGNOSTIC_SETTING: {"name": "aifactory-to-log-analytics"},
    rt.PRIVATE_ENDPOINT: {
        "privateEndpointName": "pep-stacmep001dev8kk1-blob",
        "customNetworkInterfaceName": "nic-pep-stacmep001dev8kk1-blob",
        "tags": PROJECT_TAGS,
    },
}

# A second kind of the same resource type: a Flex Consumption Function App is a web:WebApp too.
FUNCTION_APP: dict[str, Any] = {
    "name": "func-acme-p001-dev-z5eb",
    "kind": "functionapp,linux",
    "httpsOnly": True,
    "publicNetworkAccess": "Disabled",
    "functionAppConfig": {"deployment": {"storage": {"authentication": {"type": "UserAssignedIdentity"}}}},
    "siteConfig": {
        "minTlsVersion": "1.2",
        "scmMinTlsVersion": "1.2",
        "appSettings": [
            {"name": "AzureWebJobsStorage__accountName", "value": "stacmep001dev8kk1"},
            {"name": "AzureWebJobsStorage__credential", "value": "managedidentity"},
            {"name": "APPLICATIONINSIGHTS_CONNECTION_STRING", "value": "InstrumentationKey=x;IngestionEndpoint=y"},
            {"name": "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "value": "ClientId=z;Authorization=AAD"},
        ],
    },
    "tags": PROJECT_TAGS,
}

VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {"function_app": (rt.WEB_APP, FUNCTION_APP)}
"""Case keys that are not resource types: (type, compliant inputs)."""


def baseline(key: str) -> tuple[str, dict[str, Any]]:
    """The resource type and compliant inputs of a case key (a type, or a :data:`VARIANTS` key)."""
    return VARIANTS[key] if key in VARIANTS else (key, BASELINES[key])


REMOVE = object()
"""A mutation value that deletes the input."""


def mutated(inputs: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``inputs`` with dotted paths set (or removed with :data:`REMOVE`)."""
    result = copy.deepcopy(inputs)
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        target = result
        for part in parents:
            target = target.setdefault(part, {})
        if value is REMOVE:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return result


def view(rtype: str, inputs: dict[str, Any], name: str = "p001-thing", parent: str = "") -> ResourceView:
    """A resource view named like the factory's project resources."""
    return ResourceView(type=rtype, name=name, urn=f"{URN_PREFIX}{rtype}::{name}", parent=parent, inputs=inputs)
