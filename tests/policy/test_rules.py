"""Every resource rule has a passing and a failing case over real inputs as the engine records them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from aifactory.catalog.models import frozen_today
from aifactory.policy import types as rt
from aifactory.policy.catalog import RESOURCE_RULES, RULES_BY_ID
from aifactory.policy.model import UNKNOWN, ResourceRule
from tests.policy.cases import BASELINES, CONTEXT, REMOVE, VARIANTS, baseline, mutated, view

MODEL_CLOCK = datetime.date(2026, 12, 1)
"""ARM-MODEL-LIFECYCLE judges model versions against a date: its cases hold on this one."""


@pytest.fixture(autouse=True)
def _model_clock() -> Iterator[None]:
    with frozen_today(MODEL_CLOCK):
        yield


LONG = "x" * 70

# rule id -> (type or variant, changes that break its baseline); several cases per rule where the definition branches.
FAILING: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "AIF-PUBLIC-NETWORK": [
        (rt.STORAGE_ACCOUNT, {"publicNetworkAccess": "Enabled"}),
        (rt.KEY_VAULT, {"properties.publicNetworkAccess": REMOVE}),
        (rt.DATABRICKS, {"publicNetworkAccess": "Enabled"}),
        (rt.POSTGRESQL_SERVER, {"network.publicNetworkAccess": "Enabled"}),
        (rt.REDIS_CLUSTER, {"publicNetworkAccess": REMOVE}),
        (rt.SQL_SERVER, {"publicNetworkAccess": "Enabled"}),
        ("function_app", {"publicNetworkAccess": "Enabled"}),
    ],
    "AIF-LOCAL-AUTH": [
        (rt.STORAGE_ACCOUNT, {"allowSharedKeyAccess": True}),
        (rt.COGNITIVE_ACCOUNT, {"properties.disableLocalAuth": False}),
        (rt.CONTAINER_REGISTRY, {"adminUserEnabled": True}),
        (rt.LOG_ANALYTICS, {"features.disableLocalAuth": REMOVE}),
        (rt.ML_COMPUTE, {"properties.disableLocalAuth": False}),
        (rt.AKS, {"disableLocalAccounts": False}),
        (rt.POSTGRESQL_SERVER, {"authConfig.passwordAuth": "Enabled"}),
        (rt.POSTGRESQL_SERVER, {"authConfig.activeDirectoryAuth": REMOVE}),
        (rt.REDIS_DATABASE, {"accessKeysAuthentication": "Enabled"}),
        (rt.SQL_SERVER, {"administrators.azureADOnlyAuthentication": False}),
        (rt.SQL_ENTRA_ONLY, {"azureADOnlyAuthentication": REMOVE}),
        (
            "function_app",
            {
                "siteConfig.appSettings": [
                    {
                        "name": "AzureWebJobsStorage",
                        "value": "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=k",
                    }
                ]
            },
        ),
        (
            "function_app",
            {"functionAppConfig.deployment.storage.authentication.type": "StorageAccountConnectionString"},
        ),
        (
            rt.CONTAINER_APP,
            {"configuration.registries": [{"server": "cr.azurecr.io", "username": "cr", "passwordSecretRef": "pw"}]},
        ),
    ],
    "AIF-TLS12": [
        (rt.STORAGE_ACCOUNT, {"minimumTlsVersion": "TLS1_0"}),
        (rt.COSMOS_ACCOUNT, {"minimalTlsVersion": "Tls"}),
        (rt.WEB_APP, {"siteConfig.scmMinTlsVersion": "1.0"}),
        (rt.REDIS_CLUSTER, {"minimumTlsVersion": "1.0"}),
        (rt.REDIS_DATABASE, {"clientProtocol": "Plaintext"}),
        (rt.SQL_SERVER, {"minimalTlsVersion": "None"}),
        (rt.POSTGRESQL_CONFIGURATION, {"value": "off"}),
        (rt.POSTGRESQL_CONFIGURATION, {"configurationName": "ssl_min_protocol_version", "value": "TLSv1.1"}),
        ("function_app", {"siteConfig.minTlsVersion": "1.1"}),
    ],
    "AIF-HTTPS-ONLY": [
        (rt.STORAGE_ACCOUNT, {"enableHttpsTrafficOnly": False}),
        (rt.WEB_APP, {"httpsOnly": REMOVE}),
        (rt.CONTAINER_APP, {"configuration.ingress.allowInsecure": True}),
        ("function_app", {"httpsOnly": False}),
    ],
    "AIF-SUBNET-NSG": [(rt.SUBNET, {"networkSecurityGroup": REMOVE})],
    "AIF-KEY-VAULT-PROTECTION": [
        (rt.KEY_VAULT, {"properties.enablePurgeProtection": REMOVE}),
        (rt.KEY_VAULT, {"properties.enableRbacAuthorization": False}),
    ],
    "AIF-REQUIRED-TAGS": [
        (rt.STORAGE_ACCOUNT, {"tags": REMOVE}),
        (rt.KEY_VAULT, {"tags.cost-center": REMOVE}),
        (rt.WEB_APP, {"tags.aifactory-environment": "prod"}),
        (rt.POSTGRESQL_SERVER, {"tags": REMOVE}),
        (rt.SQL_DATABASE, {"tags.cost-center": REMOVE}),
        (rt.REDIS_CLUSTER, {"tags.aifactory-project": REMOVE}),
    ],
    "ALZ-DENY-PUBLIC-PAAS-STORAGE": [(rt.STORAGE_ACCOUNT, {"publicNetworkAccess": REMOVE})],
    "ALZ-DENY-PUBLIC-PAAS-KEYVAULT": [(rt.KEY_VAULT, {"properties.publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-ACR": [(rt.CONTAINER_REGISTRY, {"publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-COSMOS": [(rt.COSMOS_ACCOUNT, {"publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-ML": [(rt.ML_WORKSPACE, {"publicNetworkAccess": REMOVE})],
    "ALZ-DENY-PUBLIC-PAAS-SEARCH": [(rt.SEARCH, {"publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-DATA-FACTORY": [(rt.DATA_FACTORY, {"publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-EVENT-HUBS": [(rt.EVENT_HUBS, {"publicNetworkAccess": REMOVE})],
    "ALZ-DENY-PUBLIC-PAAS-COGNITIVE": [(rt.COGNITIVE_ACCOUNT, {"properties.publicNetworkAccess": "Enabled"})],
    "ALZ-DENY-PUBLIC-PAAS-WEB-APP": [
        (rt.WEB_APP, {"publicNetworkAccess": "Enabled"}),
        ("function_app", {"publicNetworkAccess": REMOVE}),
    ],
    "ALZ-DENY-PUBLIC-PAAS-POSTGRESQL-FLEX": [
        (rt.POSTGRESQL_SERVER, {"network.publicNetworkAccess": "Enabled"}),
        (rt.POSTGRESQL_SERVER, {"network.delegatedSubnetResourceId": "/subscriptions/x/subnets/snet-psql"}),
    ],
    "ALZ-DENY-PUBLIC-PAAS-SQL": [(rt.SQL_SERVER, {"publicNetworkAccess": REMOVE})],
    "ALZ-DENY-PUBLIC-PAAS-FUNCTION-APP": [
        ("function_app", {"publicNetworkAccess": "Enabled"}),
        ("function_app", {"publicNetworkAccess": REMOVE}),
    ],
    "ALZ-SQL-ENTRA-ONLY-ON-CREATE": [
        (rt.SQL_SERVER, {"administrators.azureADOnlyAuthentication": REMOVE}),
        (rt.SQL_SERVER, {"administrators": REMOVE}),
    ],
    "ALZ-SQL-ENTRA-ONLY": [(rt.SQL_ENTRA_ONLY, {"azureADOnlyAuthentication": False})],
    "ALZ-SQL-TLS": [(rt.SQL_SERVER, {"minimalTlsVersion": REMOVE}), (rt.SQL_SERVER, {"minimalTlsVersion": "1.1"})],
    "ALZ-FUNCTION-APP-HTTPS": [("function_app", {"httpsOnly": REMOVE})],
    "ALZ-DENY-PUBLIC-PAAS-AKS": [(rt.AKS, {"apiServerAccessProfile.enablePrivateCluster": False})],
    "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS-ENV": [
        (rt.CONTAINER_APPS_ENV, {"vnetConfiguration.internal": False}),
        (rt.CONTAINER_APPS_ENV, {"vnetConfiguration": REMOVE}),
    ],
    "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS": [(rt.CONTAINER_APP, {"configuration.ingress.external": True})],
    "ALZ-DENY-PUBLIC-PAAS-AI-NETWORK": [
        (
            rt.COGNITIVE_ACCOUNT,
            {"properties.publicNetworkAccess": "Enabled", "properties.networkAcls.defaultAction": "Allow"},
        ),
        (rt.SEARCH, {"publicNetworkAccess": "Enabled"}),
    ],
    "ALZ-DENY-PUBLIC-PAAS-STORAGE-BLOB": [(rt.STORAGE_ACCOUNT, {"allowBlobPublicAccess": REMOVE})],
    "ALZ-STORAGE-COPY-SCOPE": [
        (rt.STORAGE_ACCOUNT, {"allowedCopyScope": REMOVE}),
        (rt.STORAGE_ACCOUNT, {"allowedCopyScope": "PrivateLink"}),
    ],
    "ALZ-STORAGE-SERVICES-ENCRYPTION": [
        (rt.STORAGE_ACCOUNT, {"encryption.services.queue.keyType": "Service"}),
        (rt.STORAGE_ACCOUNT, {"encryption.services.table": REMOVE}),
    ],
    "ALZ-STORAGE-SFTP": [(rt.STORAGE_ACCOUNT, {"isSftpEnabled": True})],
    "ALZ-STORAGE-NETWORK-ACLS-BYPASS": [
        (rt.STORAGE_ACCOUNT, {"networkRuleSet.bypass": "AzureServices"}),
        (rt.STORAGE_ACCOUNT, {"networkRuleSet.bypass": REMOVE}),
    ],
    "ALZ-STORAGE-RESOURCE-ACCESS-TENANT": [
        (
            rt.STORAGE_ACCOUNT,
            {"networkRuleSet.resourceAccessRules": [{"tenantId": "00000000-0000-0000-0000-00000000beef"}]},
        )
    ],
    "ALZ-STORAGE-RESOURCE-ACCESS-RESOURCE-ID": [
        (
            rt.STORAGE_ACCOUNT,
            {
                "networkRuleSet.resourceAccessRules": [
                    {"tenantId": CONTEXT.tenant_id, "resourceId": "/subscriptions/*/resourceGroups/x/providers/y"}
                ]
            },
        )
    ],
    "ALZ-STORAGE-VNET-RULES": [(rt.STORAGE_ACCOUNT, {"networkRuleSet.virtualNetworkRules": [{"id": "/x"}]})],
    "ALZ-STORAGE-CONTAINER-DELETE-RETENTION": [
        (rt.BLOB_SERVICE, {"containerDeleteRetentionPolicy.days": 3}),
        (rt.BLOB_SERVICE, {"containerDeleteRetentionPolicy": REMOVE}),
    ],
    "ALZ-STORAGE-CORS": [(rt.BLOB_SERVICE, {"cors": {"corsRules": [{"allowedOrigins": ["*"]}]}})],
    "ALZ-STORAGE-CROSS-TENANT": [(rt.STORAGE_ACCOUNT, {"allowCrossTenantReplication": REMOVE})],
    "ALZ-STORAGE-SHARED-KEY": [(rt.STORAGE_ACCOUNT, {"allowSharedKeyAccess": REMOVE})],
    "ALZ-STORAGE-INFRA-ENCRYPTION": [(rt.STORAGE_ACCOUNT, {"encryption.requireInfrastructureEncryption": REMOVE})],
    "ALZ-STORAGE-RESTRICT-NETWORK": [(rt.STORAGE_ACCOUNT, {"networkRuleSet.defaultAction": "Allow"})],
    "ALZ-STORAGE-VNET-ONLY": [
        (rt.STORAGE_ACCOUNT, {"networkRuleSet.ipRules": [{"iPAddressOrRange": "20.31.45.0/28"}]}),
        (rt.STORAGE_ACCOUNT, {"networkRuleSet": REMOVE}),
    ],
    "ALZ-STORAGE-TLS": [(rt.STORAGE_ACCOUNT, {"minimumTlsVersion": REMOVE})],
    "ALZ-KEYVAULT-SOFT-DELETE": [(rt.KEY_VAULT, {"properties.enableSoftDelete": False})],
    "ALZ-KEYVAULT-PURGE-PROTECTION": [
        (rt.KEY_VAULT, {"properties.enablePurgeProtection": REMOVE}),
        (rt.KEY_VAULT, {"properties.enableSoftDelete": False}),
    ],
    "ALZ-KEYVAULT-RBAC": [(rt.KEY_VAULT, {"properties.enableRbacAuthorization": REMOVE})],
    "ALZ-ACR-ARM-AUDIENCE": [
        (rt.CONTAINER_REGISTRY, {"policies": REMOVE}),
        (rt.CONTAINER_REGISTRY, {"policies.azureADAuthenticationAsArmPolicy.status": "enabled"}),
    ],
    "ALZ-ACR-SKU-PRIVATE-LINK": [(rt.CONTAINER_REGISTRY, {"sku.name": "Standard"})],
    "ALZ-ACR-ANONYMOUS-PULL": [(rt.CONTAINER_REGISTRY, {"anonymousPullEnabled": True})],
    "ALZ-ACR-EXPORTS": [
        (rt.CONTAINER_REGISTRY, {"policies.exportPolicy": REMOVE}),
        (rt.CONTAINER_REGISTRY, {"publicNetworkAccess": "Enabled"}),
    ],
    "ALZ-ACR-ADMIN-USER": [(rt.CONTAINER_REGISTRY, {"adminUserEnabled": True})],
    "ALZ-ACR-UNRESTRICTED-NETWORK": [
        (rt.CONTAINER_REGISTRY, {"networkRuleSet": REMOVE, "publicNetworkAccess": REMOVE})
    ],
    "ALZ-SEARCH-SKU-PRIVATE-LINK": [(rt.SEARCH, {"sku.name": "free"})],
    "AIF-COGNITIVE-CUSTOM-SUBDOMAIN": [
        (rt.COGNITIVE_ACCOUNT, {"properties.customSubDomainName": REMOVE}),
        (rt.COGNITIVE_ACCOUNT, {"properties.customSubDomainName": "someone-elses-name"}),
    ],
    "AIF-BLOB-OWNER-CONDITIONED": [
        (rt.ROLE_ASSIGNMENT, {"condition": REMOVE}),
        (rt.ROLE_ASSIGNMENT, {"conditionVersion": "1.0"}),
    ],
    "ALZ-SEARCH-LOCAL-AUTH": [(rt.SEARCH, {"disableLocalAuth": REMOVE})],
    "ALZ-COGNITIVE-MANAGED-IDENTITY": [
        (rt.COGNITIVE_ACCOUNT, {"identity": REMOVE}),
        (rt.COGNITIVE_ACCOUNT, {"identity.type": "None"}),
    ],
    "ALZ-COGNITIVE-LOCAL-AUTH": [
        (rt.COGNITIVE_ACCOUNT, {"properties.disableLocalAuth": REMOVE}),
        (rt.SEARCH, {"disableLocalAuth": False}),
    ],
    "ALZ-COGNITIVE-RESTRICT-OUTBOUND": [(rt.COGNITIVE_ACCOUNT, {"properties.restrictOutboundNetworkAccess": REMOVE})],
    "ALZ-COGNITIVE-NETWORK-ACLS": [
        (rt.COGNITIVE_ACCOUNT, {"properties.networkAcls.ipRules": [{"value": "20.31.45.0/28"}]}),
        (rt.COGNITIVE_ACCOUNT, {"properties.networkAcls.virtualNetworkRules": [{"id": "/x"}]}),
    ],
    "ALZ-ML-COMPUTE-LOCAL-AUTH": [(rt.ML_COMPUTE, {"properties.disableLocalAuth": REMOVE})],
    "ALZ-ML-USER-ASSIGNED-IDENTITY": [(rt.ML_WORKSPACE, {"primaryUserAssignedIdentity": ""})],
    "ALZ-ML-IDLE-SHUTDOWN": [(rt.ML_COMPUTE, {"properties.computeType": "ComputeInstance"})],
    "ALZ-ML-V1-LEGACY-MODE": [(rt.ML_WORKSPACE, {"v1LegacyMode": REMOVE})],
    "ALZ-ML-HBI-WORKSPACE": [(rt.ML_WORKSPACE, {"hbiWorkspace": REMOVE}), (rt.ML_WORKSPACE, {"hbiWorkspace": False})],
    "ALZ-ADF-GIT": [(rt.DATA_FACTORY, {"repoConfiguration": REMOVE})],
    "ALZ-ADF-LINKED-SERVICE-MSI": [
        (rt.LINKED_SERVICE, {"properties.typeProperties.servicePrincipalCredential": {"type": "SecureString"}}),
        (
            rt.LINKED_SERVICE,
            {"properties.type": "AzureBlobStorage", "properties.typeProperties.connectionString": "AccountKey=abc"},
        ),
    ],
    "ALZ-ADF-LINKED-SERVICE-KEY-VAULT": [
        (rt.LINKED_SERVICE, {"properties.typeProperties.connectionString": "Server=x;Password=secret"}),
        (rt.LINKED_SERVICE, {"properties.typeProperties.password": {"type": "SecureString", "value": "s"}}),
    ],
    "ALZ-VM-ENCRYPTION-AT-HOST": [(rt.VIRTUAL_MACHINE, {"securityProfile.encryptionAtHost": REMOVE})],
    "ALZ-AKS-ENCRYPTION-AT-HOST": [(rt.AKS, {"agentPoolProfiles": [{"name": "system"}, {"name": "user"}]})],
    "ALZ-AKS-PRIVATE-CLUSTER": [(rt.AKS, {"apiServerAccessProfile": REMOVE})],
    "ALZ-AKS-LOCAL-ACCOUNTS": [(rt.AKS, {"disableLocalAccounts": REMOVE})],
    "ALZ-COSMOS-FIREWALL": [(rt.COSMOS_ACCOUNT, {"publicNetworkAccess": "Enabled"})],
    "ALZ-COSMOS-LOCAL-AUTH": [(rt.COSMOS_ACCOUNT, {"disableLocalAuth": False})],
    "ALZ-EVENT-HUBS-DOUBLE-ENCRYPTION": [(rt.EVENT_HUBS, {"clusterArmId": "/subscriptions/x/clusters/c"})],
    "ALZ-EVENT-HUBS-LOCAL-AUTH": [(rt.EVENT_HUBS, {"disableLocalAuth": REMOVE})],
    "ALZ-EVENT-HUBS-TLS": [
        (rt.EVENT_HUBS, {"minimumTlsVersion": "1.0"}),
        (rt.EVENT_HUBS, {"minimumTlsVersion": REMOVE}),
    ],
    "ALZ-WEB-APP-VNET-CONFIG-ROUTING": [(rt.WEB_APP, {"outboundVnetRouting": {"applicationTraffic": True}})],
    "ALZ-WEB-APP-VNET-ROUTE-ALL": [(rt.WEB_APP, {"outboundVnetRouting": REMOVE})],
    "ALZ-APP-SERVICE-PLAN-PRIVATE-LINK-SKU": [(rt.APP_SERVICE_PLAN, {"sku.name": "F1"})],
    "ALZ-WEB-APP-HTTPS": [(rt.WEB_APP, {"httpsOnly": False})],
    "ALZ-CONTAINER-APPS-ENV-VNET": [(rt.CONTAINER_APPS_ENV, {"vnetConfiguration.infrastructureSubnetId": ""})],
    "ALZ-CONTAINER-APPS-MANAGED-IDENTITY": [(rt.CONTAINER_APP, {"identity": REMOVE})],
    "ALZ-CONTAINER-APPS-HTTPS": [(rt.CONTAINER_APP, {"configuration.ingress.allowInsecure": True})],
    "ALZ-DENY-SUBNET-WITHOUT-NSG": [(rt.SUBNET, {"networkSecurityGroup": REMOVE})],
    "ALZ-DENY-SUBNET-WITHOUT-UDR": [(rt.SUBNET, {"routeTable": REMOVE})],
    "ALZ-DENY-SUBNET-SERVICE-ENDPOINTS": [(rt.SUBNET, {"serviceEndpoints": [{"service": "Microsoft.Storage"}]})],
    "ALZ-DENY-NSG-ON-GATEWAY-SUBNET": [(rt.SUBNET, {"subnetName": "GatewaySubnet"})],
    "ALZ-DENY-MGMT-PORTS-FROM-INTERNET": [
        (rt.SECURITY_RULE, {"sourceAddressPrefix": "Internet"}),
        (rt.SECURITY_RULE, {"sourceAddressPrefix": "*", "destinationPortRange": "3000-4000"}),
        (
            rt.NSG,
            {
                "securityRules": [
                    {
                        "name": "ssh",
                        "access": "Allow",
                        "direction": "Inbound",
                        "sourceAddressPrefixes": ["0.0.0.0/0"],
                        "destinationPortRanges": ["22"],
                    }
                ]
            },
        ),
    ],
    "ALZ-DENY-NIC-IP-FORWARDING": [(rt.NETWORK_INTERFACE, {"enableIPForwarding": True})],
    "ALZ-DENY-NIC-PUBLIC-IP": [
        (
            rt.NETWORK_INTERFACE,
            {"ipConfigurations": [{"name": "ipconfig", "publicIPAddress": {"id": "/x/publicIPAddresses/pip"}}]},
        )
    ],
    "ARM-NAME-LENGTH": [
        (rt.DEPLOYMENT, {"deploymentName": "adf-acme-p001-" + "a" * 40 + "-dev-sdc-h6sp-managed-vnet"}),
        (rt.STORAGE_ACCOUNT, {"accountName": "st" + "a" * 23}),
        (rt.PRIVATE_ENDPOINT, {"customNetworkInterfaceName": "nic-" + LONG + LONG}),
        (rt.ML_COMPUTE, {"computeName": "cpu-cluster-large-1"}),
        (rt.LOCK, {"lockName": "lock-" + "a" * 90}),
        (rt.POSTGRESQL_SERVER, {"serverName": "ps"}),
        (rt.REDIS_CLUSTER, {"clusterName": "redis-" + LONG}),
        (rt.SQL_SERVER, {"serverName": "sql-" + LONG}),
        (rt.BLOB_CONTAINER, {"containerName": "fd"}),
    ],
    "ARM-NAME-CHARACTERS": [
        (rt.STORAGE_ACCOUNT, {"accountName": "st-acme-p001"}),
        (rt.KEY_VAULT, {"vaultName": "kv--acme-p001"}),
        (rt.DIAGNOSTIC_SETTING, {"name": "to/log"}),
        (rt.SUBNET, {"subnetName": "snet-p001-"}),
        (rt.POSTGRESQL_SERVER, {"serverName": "psql-Acme-p001"}),
        (rt.REDIS_CLUSTER, {"clusterName": "redis--acme"}),
        (rt.SQL_SERVER, {"serverName": "sql-acme-"}),
        (rt.SQL_DATABASE, {"databaseName": "app."}),
        (rt.BLOB_CONTAINER, {"containerName": "Function_Deployments"}),
    ],
    "ARM-BUDGET-NOTIFICATIONS": [
        (
            rt.BUDGET,
            {
                "notifications": {f"actual-{t}": {"threshold": t} for t in (50, 80, 100)}
                | {f"forecasted-{t}": {"threshold": t} for t in (50, 80, 100)}
            },
        )
    ],
    "ARM-MODEL-LIFECYCLE": [
        (rt.COGNITIVE_DEPLOYMENT, {"properties.model.name": "gpt-5.2", "properties.model.version": "2025-12-11"}),
        (rt.COGNITIVE_DEPLOYMENT, {"properties.model.name": "gpt-5", "properties.model.version": "2025-08-07"}),
    ],
    "ARM-REQUIRED-ON-CREATE": [
        (rt.DATABRICKS, {"computeMode": REMOVE}),
        (rt.DATABRICKS, {"computeMode": "Classic"}),
        (rt.DATABRICKS, {"computeMode": "Serverless", "requiredNsgRules": "NoAzureDatabricksRules"}),
    ],
}


def _cases() -> list[tuple[str, str, dict[str, Any]]]:
    return [(rule_id, rtype, changes) for rule_id, cases in FAILING.items() for rtype, changes in cases]


def test_every_resource_rule_has_cases_and_every_case_a_rule() -> None:
    assert {r.id for r in RESOURCE_RULES} == set(FAILING)


@pytest.mark.parametrize(("rule_id", "rtype", "changes"), _cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_rule_passes_the_baseline_and_fails_the_change(rule_id: str, rtype: str, changes: dict[str, Any]) -> None:
    rule = RULES_BY_ID[rule_id]
    assert isinstance(rule, ResourceRule)
    rtype, inputs = baseline(rtype)
    assert rtype in rule.types, f"{rule_id} does not check {rtype}"
    assert rule.evaluate(view(rtype, inputs), CONTEXT) == []
    messages = rule.evaluate(view(rtype, mutated(inputs, changes)), CONTEXT)
    assert messages, f"{rule_id} accepted {changes}"
    assert all(": " in m for m in messages), "every message says what to change"


@pytest.mark.parametrize("key", sorted([*BASELINES, *VARIANTS]))
def test_baselines_pass_every_rule_of_their_type(key: str) -> None:
    rtype, inputs = baseline(key)
    for rule in RESOURCE_RULES:
        assert rule.evaluate(view(rtype, inputs), CONTEXT) == [], rule.id


def test_unknown_values_are_never_judged() -> None:
    storage = mutated(
        BASELINES[rt.STORAGE_ACCOUNT],
        {"publicNetworkAccess": UNKNOWN, "allowSharedKeyAccess": UNKNOWN, "networkRuleSet": UNKNOWN},
    )
    for rule in RESOURCE_RULES:
        assert rule.evaluate(view(rt.STORAGE_ACCOUNT, storage), CONTEXT) == [], rule.id
    subnet = mutated(BASELINES[rt.SUBNET], {"networkSecurityGroup.id": UNKNOWN, "routeTable.id": UNKNOWN})
    for rule in RESOURCE_RULES:
        assert rule.evaluate(view(rt.SUBNET, subnet), CONTEXT) == [], rule.id


def test_subnets_azure_forbids_an_nsg_on_need_none() -> None:
    gateway = mutated(BASELINES[rt.SUBNET], {"subnetName": "GatewaySubnet", "networkSecurityGroup": REMOVE})
    for rule_id in ("AIF-SUBNET-NSG", "ALZ-DENY-SUBNET-WITHOUT-NSG", "ALZ-DENY-NSG-ON-GATEWAY-SUBNET"):
        rule = RULES_BY_ID[rule_id]
        assert isinstance(rule, ResourceRule)
        assert rule.evaluate(view(rt.SUBNET, gateway), CONTEXT) == [], rule_id
    bastion = mutated(BASELINES[rt.SUBNET], {"subnetName": "AzureBastionSubnet", "routeTable": REMOVE})
    udr = RULES_BY_ID["ALZ-DENY-SUBNET-WITHOUT-UDR"]
    assert isinstance(udr, ResourceRule)
    assert udr.evaluate(view(rt.SUBNET, bastion), CONTEXT) == []


def test_blob_owner_rule_leaves_other_roles_alone() -> None:
    contributor = mutated(
        BASELINES[rt.ROLE_ASSIGNMENT],
        {
            "roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/"
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            "condition": REMOVE,
        },
    )
    rule = RULES_BY_ID["AIF-BLOB-OWNER-CONDITIONED"]
    assert isinstance(rule, ResourceRule)
    assert rule.evaluate(view(rt.ROLE_ASSIGNMENT, contributor), CONTEXT) == []


def test_key_vault_definitions_skip_recover_requests() -> None:
    recovering = mutated(
        BASELINES[rt.KEY_VAULT],
        {
            "properties.createMode": "recover",
            "properties.enableSoftDelete": False,
            "properties.publicNetworkAccess": "Enabled",
        },
    )
    for rule_id in ("ALZ-KEYVAULT-SOFT-DELETE", "ALZ-KEYVAULT-PURGE-PROTECTION", "ALZ-DENY-PUBLIC-PAAS-KEYVAULT"):
        rule = RULES_BY_ID[rule_id]
        assert isinstance(rule, ResourceRule)
        assert rule.evaluate(view(rt.KEY_VAULT, recovering), CONTEXT) == [], rule_id
