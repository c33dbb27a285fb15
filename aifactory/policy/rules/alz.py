"""The Deny rules of the Azure Landing Zones Corp guardrails, for the resource types the factory creates.

Each rule encodes one member of an ALZ initiative (``Deny-PublicPaaSEndpoints``,
``Enforce-Guardrails-*``, ``Enforce-EncryptTransit``) whose default effect is ``Deny``; the
condition follows the definition's ``policyRule.if``, with the ARM field aliases mapped to the
azure-native input paths (e.g. ``Microsoft.Storage/storageAccounts/networkAcls.bypass`` is the
SDK's ``networkRuleSet.bypass``). Members that only audit, modify or deploy, that target types the
factory does not create, or that evaluate data-plane objects (Key Vault keys, Kubernetes pods) are
not encoded here; ``docs/guardrails.md`` says so.
"""

from __future__ import annotations

from collections.abc import Iterable

from aifactory.policy import types as rt
from aifactory.policy.fields import (
    as_list,
    equals,
    forbid_value,
    forbid_values,
    must_be_empty,
    require_in,
    require_value,
    shown,
)
from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceCheck, ResourceRule, ResourceView, Source
from aifactory.policy.sources import alz_custom, builtin

__all__ = ["ALZ_RULES"]

PAAS = "Deny-PublicPaaSEndpoints"
TRANSIT = "Enforce-EncryptTransit_20241211"
STORAGE = "Enforce-Guardrails-Storage"
KEYVAULT = "Enforce-Guardrails-KeyVault_20260203"
ACR = "Enforce-Guardrails-ContainerRegistry"
COGNITIVE = "Enforce-Guardrails-CognitiveServices"
OPENAI = "Enforce-Guardrails-OpenAI"
ML = "Enforce-Guardrails-MachineLearning"
ADF = "Enforce-Guardrails-DataFactory"
COMPUTE = "Enforce-Guardrails-Compute"
AKS = "Enforce-Guardrails-Kubernetes"
NETWORK = "Enforce-Guardrails-Network_20250326"
COSMOS = "Enforce-Guardrails-CosmosDb"
EVENTHUB = "Enforce-Guardrails-EventHub"
APPSERVICE = "Enforce-Guardrails-AppServices"
CONTAINERAPPS = "Enforce-Guardrails-ContainerApps"

_PRIVATE = "disable public network access and reach the service through its private endpoint"


def _deny(rule_id: str, title: str, types: Iterable[str], source: Source, check: ResourceCheck) -> ResourceRule:
    return ResourceRule(rule_id, title, "mandatory", tuple(types), source, check)


def _all(*checks: ResourceCheck) -> ResourceCheck:
    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        for one in checks:
            yield from one(view, context)

    return check


def _not_recovering(check: ResourceCheck) -> ResourceCheck:
    """Key Vault definitions skip ``createMode: recover`` requests."""

    def wrapped(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        if equals(view.get("properties.createMode"), "recover"):
            return []
        return check(view, context)

    return wrapped


# --- Deny-PublicPaaSEndpoints -------------------------------------------------------------------

_PUBLIC = [
    (
        "ALZ-DENY-PUBLIC-PAAS-STORAGE",
        "Storage accounts should disable public network access",
        rt.STORAGE_ACCOUNT,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "StorageDenyPaasPublicIP",
            "b2982f36-99f2-4db5-8eff-283140c09693",
            "Storage/StoragePublicNetworkAccess_AuditDeny.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-KEYVAULT",
        "Azure Key Vault should disable public network access",
        rt.KEY_VAULT,
        "properties.publicNetworkAccess",
        builtin(
            PAAS,
            "KeyVaultDenyPaasPublicIP",
            "405c5871-3e91-4644-8a63-58e19d68ff5b",
            "Key Vault/PublicNetworkAccess_Audit.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-ACR",
        "Public network access should be disabled for Container registries",
        rt.CONTAINER_REGISTRY,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "ACRDenyPaasPublicIP",
            "0fdf0491-d080-4575-b627-ad0e843cba0f",
            "Container Registry/ACR_PublicNetworkAccess_AuditDeny.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-COSMOS",
        "Azure Cosmos DB should disable public network access",
        rt.COSMOS_ACCOUNT,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "CosmosDenyPaasPublicIP",
            "797b37f7-06b8-444c-b1ad-fc62867f335a",
            "Cosmos DB/Cosmos_PrivateNetworkAccess_AuditDeny.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-ML",
        "Azure Machine Learning Workspaces should disable public network access",
        rt.ML_WORKSPACE,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "MlDenyPublicIP",
            "438c38d2-3772-465a-a9cc-7a6666a275ce",
            "Machine Learning/Workspace_PublicNetworkAccessDisabled_Audit.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-SEARCH",
        "Azure AI Search services should disable public network access",
        rt.SEARCH,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "Deny-CognitiveSearch-PublicEndpoint",
            "ee980b6d-0eca-4501-8d54-f6290fd512c3",
            "Search/RequirePublicNetworkAccessDisabled_Deny.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-DATA-FACTORY",
        "Public network access on Azure Data Factory should be disabled",
        rt.DATA_FACTORY,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "Deny-Adf-Public-Network-Access",
            "1cf164be-6819-4a50-b8fa-4bcaa4f98fb6",
            "Data Factory/PublicNetworkAccess_Audit.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-EVENT-HUBS",
        "Event Hub Namespaces should disable public network access",
        rt.EVENT_HUBS,
        "publicNetworkAccess",
        builtin(
            PAAS,
            "Deny-EH-Public-Network-Access",
            "0602787f-9896-402a-a6e1-39ee63ee435e",
            "Event Hub/AuditPublicNetworkAccess.json",
        ),
    ),
    (
        "ALZ-DENY-PUBLIC-PAAS-COGNITIVE",
        "Cognitive Services accounts should disable public network access",
        rt.COGNITIVE_ACCOUNT,
        "properties.publicNetworkAccess",
        builtin(
            PAAS,
            "Deny-Cognitive-Services-Public-Network-Access",
            "0725b4dd-7e76-479c-a735-68e7ee23d5ca",
            "Cognitive Services/DisablePublicNetworkAccess_Audit.json",
        ),
    ),
]


def _public_access(rtype: str, path: str) -> ResourceCheck:
    """``publicNetworkAccess notEquals Disabled``; Key Vault's definition skips ``createMode: recover``."""
    check = require_value(path, "Disabled", _PRIVATE)
    return _not_recovering(check) if rtype == rt.KEY_VAULT else check


def _web_app_public(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.get("hostingEnvironmentProfile.id") is not None:
        return []
    return require_value("publicNetworkAccess", "Disabled", _PRIVATE)(view, context)


def _aks_private(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    return require_value(
        "apiServerAccessProfile.enablePrivateCluster", True, "make the cluster private (apiServerAccessProfile)"
    )(view, context)


def _container_env_internal(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.get("vnetConfiguration") is None or view.get("vnetConfiguration.internal") is None:
        return ["vnetConfiguration.internal is not set: inject the environment into a subnet with internal: true"]
    return forbid_value("vnetConfiguration.internal", False, "set vnetConfiguration.internal to true")(view, context)


def _ai_network_acls(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.type == rt.COGNITIVE_ACCOUNT:
        public = view.get("properties.publicNetworkAccess")
        action = view.get("properties.networkAcls.defaultAction")
        if UNKNOWN in (public, action) or equals(public, "Disabled") or equals(action, "Deny"):
            return []
        return [f"public network access is {shown(public)} with networkAcls.defaultAction {shown(action)}: {_PRIVATE}"]
    public = view.get("publicNetworkAccess")
    rules = [r for r in as_list(view.get("networkRuleSet.ipRules")) if isinstance(r, dict) and r.get("value")]
    if public is UNKNOWN or equals(public, "Disabled") or rules:
        return []
    return [f"publicNetworkAccess is {shown(public)} without IP rules: {_PRIVATE}"]


def _storage_blob_public(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    value = view.get("allowBlobPublicAccess")
    if value is UNKNOWN or equals(value, False):
        return []
    return [f"allowBlobPublicAccess is {shown(value)}, must be false: disallow anonymous blob access"]


_PAAS_RULES = [
    *(
        _deny(rule_id, title, [rtype], source, _public_access(rtype, path))
        for rule_id, title, rtype, path, source in _PUBLIC
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-WEB-APP",
        "App Service apps should disable public network access",
        [rt.WEB_APP],
        builtin(
            PAAS,
            "AsDenyPublicIP",
            "1b5ef780-c53c-4a64-87f3-bb9c8c8094ba",
            "App Service/WebApp_PublicNetworkAccess_Audit.json",
        ),
        _web_app_public,
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-AKS",
        "Azure Kubernetes Service Private Clusters should be enabled",
        [rt.AKS],
        builtin(
            PAAS,
            "AKSDenyPaasPublicIP",
            "040732e8-d947-40b8-95d6-854c95024bf8",
            "Kubernetes/AKS_PrivateCluster_Deny.json",
        ),
        _aks_private,
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS-ENV",
        "Container Apps environment should disable public network access",
        [rt.CONTAINER_APPS_ENV],
        builtin(
            PAAS,
            "ContainerAppsEnvironmentDenyPublicIP",
            "d074ddf8-01a5-4b5e-a2b8-964aed452c0a",
            "Container Apps/EnvironmentInternal_Audit.json",
        ),
        _container_env_internal,
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-CONTAINER-APPS",
        "Container Apps should disable external network access",
        [rt.CONTAINER_APP],
        builtin(
            PAAS,
            "Deny-ContainerApps-Public-Network-Access",
            "783ea2a8-b8fd-46be-896a-9ae79643a0b1",
            "Container Apps/ContainerAppInternal_Audit.json",
        ),
        forbid_value("configuration.ingress.external", True, "set configuration.ingress.external to false"),
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-AI-NETWORK",
        "Azure AI Services resources should restrict network access",
        [rt.COGNITIVE_ACCOUNT, rt.SEARCH],
        builtin(
            PAAS,
            "Deny-Cognitive-Services-Network-Access",
            "037eea7a-bd0a-46c5-9a66-03aea78705d3",
            "Azure Ai Services/NetworkAcls_Audit.json",
        ),
        _ai_network_acls,
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-STORAGE-BLOB",
        "Storage account public access should be disallowed",
        [rt.STORAGE_ACCOUNT],
        builtin(
            PAAS,
            "Deny-Storage-Public-Access",
            "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751",
            "Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json",
        ),
        _storage_blob_public,
    ),
]

# --- Enforce-Guardrails-Storage ------------------------------------------------------------------


def _storage_services_encryption(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    wanted = {
        "encryption.services.blob.enabled": True,
        "encryption.services.file.enabled": True,
        "encryption.services.queue.keyType": "Account",
        "encryption.services.table.keyType": "Account",
    }
    wrong = [
        f"{path} is {shown(value)}"
        for path, want in wanted.items()
        if (value := view.get(path)) is not UNKNOWN and not equals(value, want)
    ]
    if not wrong:
        return []
    return [
        f"{'; '.join(wrong)}: set encryption.services blob and file enabled, and queue and table "
        "keyType 'Account' (account-scoped keys)"
    ]


def _storage_vnet_only(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    action = view.get("networkRuleSet.defaultAction")
    rules = as_list(view.get("networkRuleSet.ipRules"))
    problems = []
    if action is not UNKNOWN and not equals(action, "Deny"):
        problems.append(f"networkRuleSet.defaultAction is {shown(action)}")
    if rules:
        problems.append(f"networkRuleSet.ipRules has {len(rules)} entr{'y' if len(rules) == 1 else 'ies'}")
    if not problems:
        return []
    return [f"{'; '.join(problems)}: deny by default and admit no IP ranges (private endpoints only)"]


def _storage_tenant_rules(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    foreign = [
        r.get("tenantId")
        for r in as_list(view.get("networkRuleSet.resourceAccessRules"))
        if isinstance(r, dict)
        and r.get("tenantId") not in (None, UNKNOWN)
        and not equals(r.get("tenantId"), context.tenant_id)
    ]
    if not foreign or not context.tenant_id:
        return []
    return [
        f"networkRuleSet.resourceAccessRules admit tenant(s) {', '.join(map(str, foreign))}: admit only this tenant"
    ]


def _storage_wildcard_rules(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    wild = [
        str(r["resourceId"])
        for r in as_list(view.get("networkRuleSet.resourceAccessRules"))
        if isinstance(r, dict)
        and isinstance(r.get("resourceId"), str)
        and len(parts := r["resourceId"].split("/")) > 2
        and parts[2] == "*"
    ]
    if not wild:
        return []
    return [f"networkRuleSet.resourceAccessRules use a wildcard subscription ({', '.join(wild)}): name the resource"]


def _container_retention(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    enabled = view.get("containerDeleteRetentionPolicy.enabled")
    days = view.get("containerDeleteRetentionPolicy.days")
    if UNKNOWN in (enabled, days):
        return []
    if equals(enabled, True) and (days is None or not isinstance(days, int | float) or days >= 7):
        return []
    return [
        f"containerDeleteRetentionPolicy is enabled={shown(enabled)}, days={shown(days)}: "
        "enable container soft delete for at least 7 days"
    ]


_STORAGE_RULES = [
    _deny(
        "ALZ-STORAGE-COPY-SCOPE",
        "Allowed Copy scope should be restricted for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-CopyScope", "Deny-Storage-CopyScope"),
        require_value("allowedCopyScope", "AAD", "set allowedCopyScope to 'AAD' (copies only within the tenant)"),
    ),
    _deny(
        "ALZ-STORAGE-SERVICES-ENCRYPTION",
        "Encryption for storage services should be enforced for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-ServicesEncryption", "Deny-Storage-ServicesEncryption"),
        _storage_services_encryption,
    ),
    _deny(
        "ALZ-STORAGE-SFTP",
        "Storage Accounts with SFTP enabled should be denied",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-SFTP", "Deny-Storage-SFTP"),
        forbid_value("isSftpEnabled", True, "turn SFTP off"),
    ),
    _deny(
        "ALZ-STORAGE-NETWORK-ACLS-BYPASS",
        "Network ACL bypass option should be restricted for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-NetworkAclsBypass", "Deny-Storage-NetworkAclsBypass"),
        require_in(
            "networkRuleSet.bypass",
            ["None"],
            "set networkRuleSet.bypass to 'None' (ALZ allows no bypass; "
            "grant trusted services resource-instance rules)",
        ),
    ),
    _deny(
        "ALZ-STORAGE-RESOURCE-ACCESS-TENANT",
        "Resource Access Rules Tenants should be restricted for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-ResourceAccessRulesTenantId", "Deny-Storage-ResourceAccessRulesTenantId"),
        _storage_tenant_rules,
    ),
    _deny(
        "ALZ-STORAGE-RESOURCE-ACCESS-RESOURCE-ID",
        "Resource Access Rules resource IDs should be restricted for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(STORAGE, "Deny-Storage-ResourceAccessRulesResourceId", "Deny-Storage-ResourceAccessRulesResourceId"),
        _storage_wildcard_rules,
    ),
    _deny(
        "ALZ-STORAGE-VNET-RULES",
        "Virtual network rules should be restricted for Storage Accounts",
        [rt.STORAGE_ACCOUNT],
        alz_custom(
            STORAGE, "Deny-Storage-NetworkAclsVirtualNetworkRules", "Deny-Storage-NetworkAclsVirtualNetworkRules"
        ),
        must_be_empty("networkRuleSet.virtualNetworkRules", "remove the virtual network rules; use private endpoints"),
    ),
    _deny(
        "ALZ-STORAGE-CONTAINER-DELETE-RETENTION",
        "Storage Accounts should use a container delete retention policy",
        [rt.BLOB_SERVICE],
        alz_custom(
            STORAGE, "Deny-Storage-ContainerDeleteRetentionPolicy", "Deny-Storage-ContainerDeleteRetentionPolicy"
        ),
        _container_retention,
    ),
    _deny(
        "ALZ-STORAGE-CORS",
        "Storage Accounts should restrict CORS rules",
        [rt.BLOB_SERVICE],
        alz_custom(STORAGE, "Deny-Storage-CorsRules", "Deny-Storage-CorsRules"),
        must_be_empty("cors.corsRules", "remove the CORS rules"),
    ),
    _deny(
        "ALZ-STORAGE-CROSS-TENANT",
        "Storage accounts should prevent cross tenant object replication",
        [rt.STORAGE_ACCOUNT],
        builtin(
            STORAGE,
            "Deny-Storage-Cross-Tenant",
            "92a89a79-6c52-4a7e-a03f-61306fc49312",
            "Storage/StorageAccountAllowCrossTenantReplication_Audit.json",
        ),
        require_value("allowCrossTenantReplication", False, "set allowCrossTenantReplication to false"),
    ),
    _deny(
        "ALZ-STORAGE-SHARED-KEY",
        "Storage accounts should prevent shared key access",
        [rt.STORAGE_ACCOUNT],
        builtin(
            STORAGE,
            "Deny-Storage-Shared-Key",
            "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54",
            "Storage/StorageAccountAllowSharedKeyAccess_Audit.json",
        ),
        require_value("allowSharedKeyAccess", False, "set allowSharedKeyAccess to false (Entra ID only)"),
    ),
    _deny(
        "ALZ-STORAGE-INFRA-ENCRYPTION",
        "Storage accounts should have infrastructure encryption",
        [rt.STORAGE_ACCOUNT],
        builtin(
            STORAGE,
            "Deny-Storage-Infra-Encryption",
            "4733ea7b-a883-42fe-8cac-97454c2a9e4a",
            "Storage/StorageAccountInfrastructureEncryptionEnabled_Audit.json",
        ),
        require_value(
            "encryption.requireInfrastructureEncryption",
            True,
            "set encryption.requireInfrastructureEncryption to true (only possible when the account is created)",
        ),
    ),
    _deny(
        "ALZ-STORAGE-RESTRICT-NETWORK",
        "Storage accounts should restrict network access",
        [rt.STORAGE_ACCOUNT],
        builtin(
            STORAGE,
            "Deny-Storage-Restrict-NetworkRules",
            "34c877ad-507e-4c82-993e-3452a6e0ad3c",
            "Storage/Storage_NetworkAcls_Audit.json",
        ),
        require_value("networkRuleSet.defaultAction", "Deny", "set networkRuleSet.defaultAction to 'Deny'"),
    ),
    _deny(
        "ALZ-STORAGE-VNET-ONLY",
        "Storage accounts should restrict network access using virtual network rules",
        [rt.STORAGE_ACCOUNT],
        builtin(
            STORAGE,
            "Deny-Storage-NetworkRules",
            "2a1a9cdf-e04d-429a-8416-3bfb72a1b26f",
            "Storage/StorageAccountOnlyVnetRulesEnabled_Audit.json",
        ),
        _storage_vnet_only,
    ),
    _deny(
        "ALZ-STORAGE-TLS",
        "Storage accounts should have the specified minimum TLS version",
        [rt.STORAGE_ACCOUNT],
        builtin(
            TRANSIT,
            "Deny-Storage-Tls",
            "fe83a0eb-a853-422d-aac2-1bffd182c5d0",
            "Storage/StorageAccountMinimumTLSVersion_Audit.json",
        ),
        require_value("minimumTlsVersion", "TLS1_2", "set minimumTlsVersion to 'TLS1_2'"),
    ),
]

# --- Enforce-Guardrails-KeyVault -----------------------------------------------------------------


def _kv_purge(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    soft = view.get("properties.enableSoftDelete")
    purge = view.get("properties.enablePurgeProtection")
    problems = []
    if soft is not UNKNOWN and soft is not None and equals(soft, False):
        problems.append("properties.enableSoftDelete is false")
    if purge is not UNKNOWN and (purge is None or equals(purge, False)):
        problems.append(f"properties.enablePurgeProtection is {shown(purge)}")
    return [f"{'; '.join(problems)}: enable soft delete and purge protection"] if problems else []


_KEYVAULT_RULES = [
    _deny(
        "ALZ-KEYVAULT-SOFT-DELETE",
        "Key vaults should have soft delete enabled",
        [rt.KEY_VAULT],
        builtin(
            KEYVAULT,
            "KvSoftDelete",
            "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
            "Key Vault/SoftDeleteMustBeEnabled_Audit.json",
        ),
        _not_recovering(require_value("properties.enableSoftDelete", True, "set properties.enableSoftDelete to true")),
    ),
    _deny(
        "ALZ-KEYVAULT-PURGE-PROTECTION",
        "Key vaults should have deletion protection enabled",
        [rt.KEY_VAULT],
        builtin(
            KEYVAULT, "KvPurgeProtection", "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "Key Vault/Recoverable_Audit.json"
        ),
        _not_recovering(_kv_purge),
    ),
    _deny(
        "ALZ-KEYVAULT-RBAC",
        "Azure Key Vault should use RBAC permission model",
        [rt.KEY_VAULT],
        builtin(
            KEYVAULT,
            "Deny-KV-without-ArmRbac",
            "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5",
            "Key Vault/Should_Use_RBAC.json",
        ),
        _not_recovering(
            require_value("properties.enableRbacAuthorization", True, "set properties.enableRbacAuthorization to true")
        ),
    ),
]

# --- Enforce-Guardrails-ContainerRegistry --------------------------------------------------------


def _acr_arm_audience(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    status = view.get("policies.azureADAuthenticationAsArmPolicy.status")
    if status is UNKNOWN or (status is not None and not equals(status, "enabled")):
        return []
    return [
        f"policies.azureADAuthenticationAsArmPolicy.status is {shown(status)}: set it to 'disabled' "
        "(registry tokens for the registry's own audience only)"
    ]


def _acr_exports(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    status = view.get("policies.exportPolicy.status")
    public = view.get("publicNetworkAccess")
    problems = []
    if status is not UNKNOWN and not equals(status, "Disabled"):
        problems.append(f"policies.exportPolicy.status is {shown(status)}")
    if public is not UNKNOWN and not equals(public, "Disabled"):
        problems.append(f"publicNetworkAccess is {shown(public)}")
    return [f"{'; '.join(problems)}: disable exports (needs public network access disabled)"] if problems else []


def _acr_unrestricted(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    action = view.get("networkRuleSet.defaultAction")
    public = view.get("publicNetworkAccess")
    if UNKNOWN in (action, public):
        return []
    if (action is None or equals(action, "Allow")) and (public is None or equals(public, "Enabled")):
        return ["networkRuleSet.defaultAction allows everyone on a public registry: deny by default"]
    return []


_ACR_RULES = [
    _deny(
        "ALZ-ACR-ARM-AUDIENCE",
        "Container registries should have ARM audience token authentication disabled",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Arm-Audience",
            "42781ec6-6127-4c30-bdfa-fb423a0047d3",
            "Container Registry/ACR_AADAuthenticationAsArmPolicy_AuditDeny.json",
        ),
        _acr_arm_audience,
    ),
    _deny(
        "ALZ-ACR-SKU-PRIVATE-LINK",
        "Container registries should have SKUs that support Private Links",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Sku-PrivateLink",
            "bd560fc0-3c69-498a-ae9f-aa8eb7de0e13",
            "Container Registry/ACR_SkuSupportsPrivateEndpoints_AuditDeny.json",
        ),
        require_value("sku.name", "Premium", "use the Premium SKU"),
    ),
    _deny(
        "ALZ-ACR-ANONYMOUS-PULL",
        "Container registries should have anonymous authentication disabled",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Anonymous-Auth",
            "9f2dea28-e834-476c-99c5-3507b4728395",
            "Container Registry/ACR_AnonymousPullDisabled_AuditDeny.json",
        ),
        forbid_value("anonymousPullEnabled", True, "set anonymousPullEnabled to false"),
    ),
    _deny(
        "ALZ-ACR-EXPORTS",
        "Container registries should have exports disabled",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Exports",
            "524b0254-c285-4903-bee6-bb8126cde579",
            "Container Registry/ACR_ExportPolicy_AuditDeny.json",
        ),
        _acr_exports,
    ),
    _deny(
        "ALZ-ACR-ADMIN-USER",
        "Container registries should have local admin account disabled",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Local-Auth",
            "dc921057-6b28-4fbe-9b83-f7bec05db6c2",
            "Container Registry/ACR_AdminAccountDisabled_AuditDeny.json",
        ),
        forbid_value("adminUserEnabled", True, "set adminUserEnabled to false"),
    ),
    _deny(
        "ALZ-ACR-UNRESTRICTED-NETWORK",
        "Container registries should not allow unrestricted network access",
        [rt.CONTAINER_REGISTRY],
        builtin(
            ACR,
            "Deny-ContainerRegistry-Unrestricted-Network-Access",
            "d0793b48-0edc-4296-a390-4c75d1bdfd71",
            "Container Registry/ACR_NetworkRulesExist_AuditDeny.json",
        ),
        _acr_unrestricted,
    ),
]

# --- Enforce-Guardrails-CognitiveServices and -OpenAI --------------------------------------------


def _managed_identity(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    kind = view.get("identity.type")
    if kind is UNKNOWN or (kind is not None and not equals(kind, "None")):
        return []
    return [f"identity.type is {shown(kind)}: give the resource a managed identity"]


def _ai_network_acl_rules(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    counts = {
        path: len(as_list(view.get(f"properties.networkAcls.{path}"))) for path in ("ipRules", "virtualNetworkRules")
    }
    found = [f"properties.networkAcls.{path} has {count}" for path, count in counts.items() if count]
    return [f"{'; '.join(found)}: admit no IP or VNet rules; use the private endpoint"] if found else []


_AI_RULES = [
    _deny(
        "ALZ-SEARCH-SKU-PRIVATE-LINK",
        "Azure AI Search service should use a SKU that supports private link",
        [rt.SEARCH],
        builtin(
            COGNITIVE,
            "Deny-CognitiveSearch-SKU",
            "a049bf77-880b-470f-ba6d-9f21c530cf83",
            "Search/RequirePrivateLinkSupportedResource_Deny.json",
        ),
        forbid_value("sku.name", "free", "use the basic SKU or higher"),
    ),
    _deny(
        "ALZ-SEARCH-LOCAL-AUTH",
        "Azure AI Search services should have local authentication methods disabled",
        [rt.SEARCH],
        builtin(
            COGNITIVE,
            "Deny-CongitiveSearch-LocalAuth",
            "6300012e-e9a4-4649-b41f-a85f5c43be91",
            "Search/DisableLocalAuth_AuditDeny.json",
        ),
        require_value("disableLocalAuth", True, "set disableLocalAuth to true (Entra ID only)"),
    ),
    _deny(
        "ALZ-COGNITIVE-MANAGED-IDENTITY",
        "Cognitive Services accounts should use a managed identity",
        [rt.COGNITIVE_ACCOUNT],
        builtin(
            COGNITIVE,
            "Deny-Cognitive-Services-Managed-Identity",
            "fe3fd216-4f83-4fc1-8984-2bbec80a3418",
            "Cognitive Services/ManagedIdentity_Audit.json",
        ),
        _managed_identity,
    ),
    _deny(
        "ALZ-COGNITIVE-LOCAL-AUTH",
        "Azure AI Services resources should have key access disabled (disable local authentication)",
        [rt.COGNITIVE_ACCOUNT, rt.SEARCH],
        builtin(
            OPENAI,
            "Deny-Cognitive-Services-Local-Auth",
            "71ef260a-8f18-47b7-abcb-62d0673d94dc",
            "Azure Ai Services/DisableLocalAuth_Audit.json",
        ),
        lambda view, context: require_value(
            "properties.disableLocalAuth" if view.type == rt.COGNITIVE_ACCOUNT else "disableLocalAuth",
            True,
            "disable local (key) authentication",
        )(view, context),
    ),
    _deny(
        "ALZ-COGNITIVE-RESTRICT-OUTBOUND",
        "Outbound network access should be restricted for Cognitive Services",
        [rt.COGNITIVE_ACCOUNT],
        alz_custom(OPENAI, "Deny-OpenAi-OutboundNetworkAccess", "Deny-CognitiveServices-RestrictOutboundNetworkAccess"),
        require_value(
            "properties.restrictOutboundNetworkAccess",
            True,
            "set properties.restrictOutboundNetworkAccess to true and list the allowed FQDNs",
        ),
    ),
    _deny(
        "ALZ-COGNITIVE-NETWORK-ACLS",
        "Network ACLs should be restricted for Cognitive Services",
        [rt.COGNITIVE_ACCOUNT],
        alz_custom(OPENAI, "Deny-OpenAi-NetworkAcls", "Deny-CognitiveServices-NetworkAcls"),
        _ai_network_acl_rules,
    ),
]

# --- Enforce-Guardrails-MachineLearning ----------------------------------------------------------


def _ml_compute_local_auth(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    kind = view.get("properties.computeType")
    if kind is UNKNOWN or not any(equals(kind, k) for k in ("ComputeInstance", "AmlCompute")):
        return []
    return require_value("properties.disableLocalAuth", True, "set properties.disableLocalAuth to true")(view, context)


def _ml_idle_shutdown(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if not equals(view.get("properties.computeType"), "ComputeInstance"):
        return []
    value = view.get("properties.properties.idleTimeBeforeShutdown")
    if value is UNKNOWN or value:
        return []
    return ["properties.properties.idleTimeBeforeShutdown is not set: shut idle compute instances down (e.g. 'PT60M')"]


def _ml_primary_identity(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    value = view.get("primaryUserAssignedIdentity")
    if value is UNKNOWN or value:
        return []
    return ["primaryUserAssignedIdentity is not set: give the workspace a user-assigned identity as its primary"]


_ML_RULES = [
    _deny(
        "ALZ-ML-COMPUTE-LOCAL-AUTH",
        "Azure Machine Learning Computes should have local authentication methods disabled",
        [rt.ML_COMPUTE],
        builtin(
            ML,
            "Deny-ML-Local-Auth",
            "e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f",
            "Machine Learning/DisableLocalAuth_Audit.json",
        ),
        _ml_compute_local_auth,
    ),
    _deny(
        "ALZ-ML-USER-ASSIGNED-IDENTITY",
        "Azure Machine Learning workspaces should use user-assigned managed identity",
        [rt.ML_WORKSPACE],
        builtin(
            ML,
            "Deny-ML-User-Assigned-Identity",
            "5f0c7d88-c7de-45b8-ac49-db49e72eaa78",
            "Machine Learning/Workspace_UAIEnabled_Audit.json",
        ),
        _ml_primary_identity,
    ),
    _deny(
        "ALZ-ML-IDLE-SHUTDOWN",
        "Azure Machine Learning Compute Instance should have idle shutdown",
        [rt.ML_COMPUTE],
        builtin(
            ML,
            "Deny-ML-Idle-Shutdown",
            "679ddf89-ab8f-48a5-9029-e76054077449",
            "Machine Learning/IdleShutdown_Audit.json",
        ),
        _ml_idle_shutdown,
    ),
    _deny(
        "ALZ-ML-V1-LEGACY-MODE",
        "Azure Machine Learning workspaces should enable V1LegacyMode to support network isolation backward "
        "compatibility",
        [rt.ML_WORKSPACE],
        builtin(
            ML,
            "Deny-ML-Legacy-Mode",
            "e413671a-dd10-4cc1-a943-45b598596cb7",
            "Machine Learning/Workspace_EnableV1LegacyMode_Audit.json",
        ),
        require_value("v1LegacyMode", True, "set v1LegacyMode to true"),
    ),
    _deny(
        "ALZ-ML-HBI-WORKSPACE",
        "Enforces high business impact Azure Machine Learning Workspaces",
        [rt.ML_WORKSPACE],
        alz_custom("", "Deny-MachineLearning-HbiWorkspace", "Deny-MachineLearning-HbiWorkspace"),
        require_value("hbiWorkspace", True, "set hbiWorkspace to true (only possible when the workspace is created)"),
    ),
]

# --- Enforce-Guardrails-DataFactory --------------------------------------------------------------

_MSI_LINKED_TYPES = (
    "AzureSqlDatabase",
    "AzureSqlMI",
    "AzureSqlDW",
    "AzureBlobFS",
    "AdlsGen2CosmosStructuredStream",
    "AzureDataLakeStore",
    "AzureDataLakeStoreCosmosStructuredStream",
    "AzureBlobStorage",
    "AzureDatabricks",
)


def _adf_git(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    name = view.get("repoConfiguration.repositoryName")
    if name is UNKNOWN or name:
        return []
    return ["repoConfiguration is not set: connect the factory to a Git repository (repoConfiguration)"]


def _linked_service_secret_auth(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    kind = view.get("properties.type")
    if kind is UNKNOWN or not any(equals(kind, k) for k in _MSI_LINKED_TYPES):
        return []
    props = "properties.typeProperties"
    connection = view.get(f"{props}.connectionString")
    problems = [
        f"connectionString holds {marker}"
        for marker in ("User ID=", "AccountKey=")
        if isinstance(connection, str) and marker.casefold() in connection.casefold()
    ]
    for key in (
        "servicePrincipalKey",
        "accountKey",
        "sasUri",
        "encryptedCredential",
        "credential",
        "servicePrincipalCredential",
    ):
        if view.get(f"{props}.{key}") is not None:
            problems.append(f"typeProperties.{key} is set")
    return [f"{'; '.join(problems)}: authenticate with the factory's managed identity"] if problems else []


def _linked_service_inline_secret(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    props = "properties.typeProperties"
    connection = view.get(f"{props}.connectionString")
    markers = ("AccountKey=", "PWD=", "Password=", "CredString=")
    problems = [
        f"connectionString holds {marker}"
        for marker in markers
        if isinstance(connection, str) and marker.casefold() in connection.casefold()
    ]
    for key in ("password", "servicePrincipalKey", "key", "sasUri"):
        secret = view.get(f"{props}.{key}")
        if isinstance(secret, dict) and not equals(secret.get("type"), "AzureKeyVaultSecret"):
            problems.append(f"typeProperties.{key} is an inline {shown(secret.get('type'))}")
    return [f"{'; '.join(problems)}: reference secrets in Key Vault (AzureKeyVaultSecret)"] if problems else []


_ADF_RULES = [
    _deny(
        "ALZ-ADF-GIT",
        "Azure Data Factory should use a Git repository for source control",
        [rt.DATA_FACTORY],
        builtin(
            ADF, "Deny-Adf-Git", "77d40665-3120-4348-b539-3192ec808307", "Data Factory/Factory_None_GIT_Audit.json"
        ),
        _adf_git,
    ),
    _deny(
        "ALZ-ADF-LINKED-SERVICE-MSI",
        "Azure Data Factory linked services should use system-assigned managed identity authentication when it "
        "is supported",
        [rt.LINKED_SERVICE],
        builtin(
            ADF,
            "Deny-Adf-Managed-Identity",
            "f78ccdb4-7bf4-4106-8647-270491d2978a",
            "Data Factory/LinkedService_All_Auth_Audit_except_MSI.json",
        ),
        _linked_service_secret_auth,
    ),
    _deny(
        "ALZ-ADF-LINKED-SERVICE-KEY-VAULT",
        "Azure Data Factory linked services should use Key Vault for storing secrets",
        [rt.LINKED_SERVICE],
        builtin(
            ADF,
            "Deny-Adf-Linked-Service-Key-Vault",
            "127ef6d7-242f-43b3-9eef-947faf1725d0",
            "Data Factory/LinkedService_InlineSecrets_Audit.json",
        ),
        _linked_service_inline_secret,
    ),
]

# --- Enforce-Guardrails-Compute and -Kubernetes --------------------------------------------------


def _aks_encryption_at_host(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    pools = [p for p in as_list(view.get("agentPoolProfiles")) if isinstance(p, dict)]
    bare = [
        str(p.get("name", "?"))
        for p in pools
        if p.get("enableEncryptionAtHost") is not UNKNOWN
        and (p.get("enableEncryptionAtHost") in (None, "") or equals(p.get("enableEncryptionAtHost"), False))
    ]
    if not bare:
        return []
    return [f"agent pool(s) {', '.join(bare)} without enableEncryptionAtHost: set enableEncryptionAtHost to true"]


_COMPUTE_RULES = [
    _deny(
        "ALZ-VM-ENCRYPTION-AT-HOST",
        "Virtual machines and virtual machine scale sets should have encryption at host enabled",
        [rt.VIRTUAL_MACHINE],
        builtin(
            COMPUTE,
            "Deny-VmAndVmss-Encryption-Host",
            "fc4d8e41-e223-45ea-9bf5-eada37891d87",
            "Compute/HostBasedEncryptionRequired_Deny.json",
        ),
        require_value("securityProfile.encryptionAtHost", True, "set securityProfile.encryptionAtHost to true"),
    ),
    _deny(
        "ALZ-AKS-ENCRYPTION-AT-HOST",
        "Temp disks and cache for agent node pools in Azure Kubernetes Service clusters should be encrypted at host",
        [rt.AKS],
        builtin(
            AKS,
            "Deny-Aks-Temp-Disk-Encryption",
            "41425d9f-d1a5-499a-9932-f8ed8453932c",
            "Kubernetes/AKS_EncryptionAtHost_Deny.json",
        ),
        _aks_encryption_at_host,
    ),
    _deny(
        "ALZ-AKS-PRIVATE-CLUSTER",
        "Azure Kubernetes Service Private Clusters should be enabled",
        [rt.AKS],
        builtin(
            AKS,
            "Deny-Aks-Private-Cluster",
            "040732e8-d947-40b8-95d6-854c95024bf8",
            "Kubernetes/AKS_PrivateCluster_Deny.json",
        ),
        _aks_private,
    ),
    _deny(
        "ALZ-AKS-LOCAL-ACCOUNTS",
        "Azure Kubernetes Service Clusters should have local authentication methods disabled",
        [rt.AKS],
        builtin(
            AKS,
            "Deny-Aks-Local-Auth",
            "993c2fcd-2b29-49d2-9eb0-df2c3a730c32",
            "Kubernetes/AKS_DisableLocalAccounts_Deny.json",
        ),
        require_value("disableLocalAccounts", True, "set disableLocalAccounts to true"),
    ),
]

# --- Enforce-Guardrails-CosmosDb and -EventHub ---------------------------------------------------

_NON_SQL_APIS = ("EnableMongo", "EnableCassandra", "EnableTable", "EnableGremlin")


def _cosmos_firewall(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    public = view.get("publicNetworkAccess")
    vnet_filter = view.get("isVirtualNetworkFilterEnabled")
    if UNKNOWN in (public, vnet_filter):
        return []
    if public is not None and not equals(public, "Enabled"):
        return []
    if vnet_filter is not None and equals(vnet_filter, True):
        return []
    if as_list(view.get("ipRules")) or view.get("ipRangeFilter"):
        return []
    return [f"publicNetworkAccess is {shown(public)} without firewall rules: disable public network access"]


def _cosmos_local_auth(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    names = [c.get("name") for c in as_list(view.get("capabilities")) if isinstance(c, dict)]
    if any(any(equals(n, api) for api in _NON_SQL_APIS) for n in names):
        return []
    return require_value("disableLocalAuth", True, "set disableLocalAuth to true (Entra ID data-plane roles)")(
        view, context
    )


def _event_hubs_double_encryption(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.get("clusterArmId") is None:
        return []
    return require_value(
        "encryption.requireInfrastructureEncryption", True, "set encryption.requireInfrastructureEncryption to true"
    )(view, context)


_DATA_RULES = [
    _deny(
        "ALZ-COSMOS-FIREWALL",
        "Azure Cosmos DB accounts should have firewall rules",
        [rt.COSMOS_ACCOUNT],
        builtin(
            COSMOS,
            "Deny-CosmosDb-Fw-Rules",
            "862e97cf-49fc-4a5c-9de4-40d4e2e7c8eb",
            "Cosmos DB/Cosmos_NetworkRulesExist_Audit.json",
        ),
        _cosmos_firewall,
    ),
    _deny(
        "ALZ-COSMOS-LOCAL-AUTH",
        "Cosmos DB database accounts should have local authentication methods disabled",
        [rt.COSMOS_ACCOUNT],
        builtin(
            COSMOS,
            "Deny-CosmosDb-Local-Auth",
            "5450f5bd-9c72-4390-a9c4-a7aba4edfdd2",
            "Cosmos DB/Cosmos_DisableLocalAuth_AuditDeny.json",
        ),
        _cosmos_local_auth,
    ),
    _deny(
        "ALZ-EVENT-HUBS-DOUBLE-ENCRYPTION",
        "Event Hub namespaces should have double encryption enabled",
        [rt.EVENT_HUBS],
        builtin(
            EVENTHUB,
            "Deny-EH-Double-Encryption",
            "836cd60e-87f3-4e6a-a27c-29d687f01a4c",
            "Event Hub/InfrastructureEncryptionEnabled_Audit.json",
        ),
        _event_hubs_double_encryption,
    ),
    _deny(
        "ALZ-EVENT-HUBS-LOCAL-AUTH",
        "Azure Event Hub namespaces should have local authentication methods disabled",
        [rt.EVENT_HUBS],
        builtin(
            EVENTHUB,
            "Deny-EH-Local-Auth",
            "5d4e3c65-4873-47be-94f3-6f8b953a3598",
            "Event Hub/DisableLocalAuth_AuditDeny.json",
        ),
        require_value("disableLocalAuth", True, "set disableLocalAuth to true"),
    ),
    _deny(
        "ALZ-EVENT-HUBS-TLS",
        "Event Hub namespaces should use a valid TLS version",
        [rt.EVENT_HUBS],
        alz_custom(TRANSIT, "Deny-EH-minTLS", "Deny-EH-minTLS"),
        require_in("minimumTlsVersion", ["1.2", "1.3"], "set minimumTlsVersion to '1.2'"),
    ),
]

# --- Enforce-Guardrails-AppServices, -ContainerApps, Enforce-EncryptTransit -----------------------

_PRIVATE_LINK_PLAN_SKUS = (
    *("B1", "B2", "B3", "S1", "S2", "S3", "EP1", "EP2", "EP3", "P1", "P2", "P3", "P1V2", "P2V2", "P3V2"),
    *("P0V3", "P1V3", "P2V3", "P3V3", "P1MV3", "P2MV3", "P3MV3", "P4MV3", "P5MV3"),
    *("P0V4", "P1V4", "P2V4", "P3V4", "P1MV4", "P2MV4", "P3MV4", "P4MV4", "P5MV4"),
    *("I1V2", "I2V2", "I3V2", "I4V2", "I5V2", "I6V2", "I1MV2", "I2MV2", "I3MV2", "I4MV2", "I5MV2"),
    *("WS1", "WS2", "WS3", "FC1"),
)


def _not_function(check: ResourceCheck) -> ResourceCheck:
    def wrapped(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        kind = view.get("kind")
        if isinstance(kind, str) and "functionapp" in kind.casefold():
            return []
        return check(view, context)

    return wrapped


def _web_app_config_routing(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    routing = "outboundVnetRouting"
    if equals(view.get(f"{routing}.allTraffic"), True) or view.get(f"{routing}.allTraffic") is UNKNOWN:
        return []
    off = [
        f"{routing}.{kind}"
        for kind in ("imagePullTraffic", "contentShareTraffic", "backupRestoreTraffic")
        if not equals(view.get(f"{routing}.{kind}"), True)
    ]
    return [f"{', '.join(off)} not routed through the VNet: set outboundVnetRouting.allTraffic to true"] if off else []


def _web_app_route_all(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    routing = "outboundVnetRouting"
    if any(equals(view.get(f"{routing}.{k}"), True) for k in ("applicationTraffic", "allTraffic")):
        return []
    return ["outbound application traffic is not routed through the VNet: set outboundVnetRouting.allTraffic to true"]


def _web_app_https(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    value = view.get("httpsOnly")
    if value is UNKNOWN or (value is not None and not equals(value, False)):
        return []
    return [f"httpsOnly is {shown(value)}: set httpsOnly to true"]


def _container_env_subnet(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    subnet = view.get("vnetConfiguration.infrastructureSubnetId")
    if subnet is UNKNOWN or subnet:
        return []
    return ["vnetConfiguration.infrastructureSubnetId is not set: inject the environment into a subnet"]


_APP_RULES = [
    _deny(
        "ALZ-WEB-APP-VNET-CONFIG-ROUTING",
        "App Service apps should enable configuration routing to Azure Virtual Network",
        [rt.WEB_APP],
        builtin(
            APPSERVICE,
            "Deny-AppService-Vnet-Routing",
            "801543d1-1953-4a90-b8b0-8cf6d41473a5",
            "App Service/WebApp_VnetConfigurationRouting_Audit.json",
        ),
        _not_function(_web_app_config_routing),
    ),
    _deny(
        "ALZ-WEB-APP-VNET-ROUTE-ALL",
        "App Service apps should enable outbound application traffic routing to Azure Virtual Network",
        [rt.WEB_APP],
        builtin(
            APPSERVICE,
            "Deny-AppServiceApps-Rfc",
            "a691eacb-474d-47e4-b287-b4813ca44222",
            "App Service/WebApp_VnetRouteAllEnabled_Audit.json",
        ),
        _not_function(_web_app_route_all),
    ),
    _deny(
        "ALZ-APP-SERVICE-PLAN-PRIVATE-LINK-SKU",
        "App Service apps should use a SKU that supports private link",
        [rt.APP_SERVICE_PLAN],
        builtin(
            APPSERVICE,
            "Deny-AppServ-SkuPl",
            "546fe8d2-368d-4029-a418-6af48a7f61e5",
            "App Service/DisablePrivateEndpoint_Deny.json",
        ),
        require_in("sku.name", _PRIVATE_LINK_PLAN_SKUS, "use a plan SKU that supports private endpoints, e.g. P0V3"),
    ),
    _deny(
        "ALZ-WEB-APP-HTTPS",
        "App Service apps should only be accessible over HTTPS",
        [rt.WEB_APP],
        builtin(
            TRANSIT,
            "Deny-AppService-Apps-Https",
            "a4af4a39-4135-47fb-b175-47fbdf85311d",
            "App Service/Webapp_AuditHTTP_Audit.json",
        ),
        _not_function(_web_app_https),
    ),
    _deny(
        "ALZ-CONTAINER-APPS-ENV-VNET",
        "Container App environments should use network injection",
        [rt.CONTAINER_APPS_ENV],
        builtin(
            CONTAINERAPPS,
            "Deny-ContainerApp-Vnet-Injection",
            "8b346db6-85af-419b-8557-92cee2c0f9bb",
            "Container Apps/InjectVNet_Audit.json",
        ),
        _container_env_subnet,
    ),
    _deny(
        "ALZ-CONTAINER-APPS-MANAGED-IDENTITY",
        "Managed Identity should be enabled for Container Apps",
        [rt.CONTAINER_APP],
        builtin(
            CONTAINERAPPS,
            "Deny-ContainerApps-Managed-Identity",
            "b874ab2d-72dd-47f1-8cb5-4a306478a4e7",
            "Container Apps/ManagedIdentity_Audit.json",
        ),
        _managed_identity,
    ),
    _deny(
        "ALZ-CONTAINER-APPS-HTTPS",
        "Container Apps should only be accessible over HTTPS",
        [rt.CONTAINER_APP],
        builtin(
            TRANSIT,
            "ContainerAppsHttpsOnlyEffect",
            "0e80e269-43a4-4ae9-b5bc-178126b8a5cb",
            "Container Apps/EnableHTTPS_Audit.json",
        ),
        forbid_value("configuration.ingress.allowInsecure", True, "set configuration.ingress.allowInsecure to false"),
    ),
]

# --- Enforce-Guardrails-Network and the standalone Deny assignments -------------------------------

NSG_EXCLUDED_SUBNETS = ("GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet")
"""ALZ ``Deny-Subnet-Without-Nsg`` default ``excludedSubnets``: subnets Azure does not let you put an NSG on."""
UDR_EXCLUDED_SUBNETS = ("AzureBastionSubnet", "RouteServerSubnet")
"""ALZ ``Deny-Subnet-Without-Udr`` default ``excludedSubnets``."""
MANAGEMENT_PORTS = ("22", "3389")
"""ALZ ``Deny-MgmtPorts-From-Internet`` default ``ports``."""
_INTERNET_SOURCES = ("*", "Internet", "0.0.0.0/0")


def subnet_name(view: ResourceView) -> str:
    """A subnet's Azure name (``subnetName``, else ``name``)."""
    value = view.get("subnetName") or view.get("name")
    return value if isinstance(value, str) else ""


def _subnet_nsg(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if subnet_name(view) in NSG_EXCLUDED_SUBNETS or view.get("networkSecurityGroup.id") is not None:
        return []
    return [f"subnet {subnet_name(view)!r} has no networkSecurityGroup: associate an NSG"]


def _subnet_udr(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if subnet_name(view) in UDR_EXCLUDED_SUBNETS or view.get("routeTable.id") is not None:
        return []
    return [
        f"subnet {subnet_name(view)!r} has no routeTable: route it through the hub firewall "
        "(set network.hub.firewall_ip) or record an exception"
    ]


def _subnet_service_endpoints(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    services = [
        e.get("service") for e in as_list(view.get("serviceEndpoints")) if isinstance(e, dict) and e.get("service")
    ]
    if not services:
        return []
    return [
        f"subnet {subnet_name(view)!r} has service endpoints {', '.join(map(str, services))}: use private endpoints"
    ]


def _gateway_subnet_nsg(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if subnet_name(view) == "GatewaySubnet" and view.get("networkSecurityGroup.id") is not None:
        return ["GatewaySubnet has a network security group: remove it (gateways do not support NSGs)"]
    return []


def _covers_port(port_range: object, port: str) -> bool:
    if not isinstance(port_range, str) or not port_range:
        return False
    if port_range in ("*", port):
        return True
    low, sep, high = port_range.partition("-")
    return bool(sep and low.isdigit() and high.isdigit() and int(low) <= int(port) <= int(high))


def management_ports_open(rule: dict[str, object]) -> list[str]:
    """The management ports (22, 3389) an inbound Allow rule opens to the internet."""
    if not (equals(rule.get("access"), "Allow") and equals(rule.get("direction"), "Inbound")):
        return []
    sources = [rule.get("sourceAddressPrefix"), *as_list(rule.get("sourceAddressPrefixes"))]
    if not any(any(equals(s, internet) for internet in _INTERNET_SOURCES) for s in sources if isinstance(s, str)):
        return []
    ranges = [rule.get("destinationPortRange"), *as_list(rule.get("destinationPortRanges"))]
    return [port for port in MANAGEMENT_PORTS if any(_covers_port(r, port) for r in ranges)]


def _mgmt_ports(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    rules = [view.inputs] if view.type == rt.SECURITY_RULE else as_list(view.get("securityRules"))
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        ports = management_ports_open(rule)
        if ports:
            name = rule.get("name") or rule.get("securityRuleName") or "?"
            yield f"rule {name!r} allows port(s) {', '.join(ports)} from the internet: allow only trusted sources"


def _nic_public_ip(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    configs = [c for c in as_list(view.get("ipConfigurations")) if isinstance(c, dict)]
    if any(isinstance(c.get("publicIPAddress"), dict) and c["publicIPAddress"].get("id") is not None for c in configs):
        return ["an IP configuration has a public IP address: reach the VM through Bastion or a private IP"]
    return []


_NETWORK_RULES = [
    _deny(
        "ALZ-DENY-SUBNET-WITHOUT-NSG",
        "Subnets should have a Network Security Group",
        [rt.SUBNET],
        alz_custom(NETWORK, "Deny-Subnet-Without-NSG", "Deny-Subnet-Without-Nsg"),
        _subnet_nsg,
    ),
    _deny(
        "ALZ-DENY-SUBNET-WITHOUT-UDR",
        "Subnets should have a User Defined Route",
        [rt.SUBNET],
        alz_custom(NETWORK, "Deny-Subnet-Without-Udr", "Deny-Subnet-Without-Udr"),
        _subnet_udr,
    ),
    _deny(
        "ALZ-DENY-SUBNET-SERVICE-ENDPOINTS",
        "Deny or Audit service endpoints on subnets",
        [rt.SUBNET],
        alz_custom(NETWORK, "Deny-Subnet-with-Service-Endpoints", "Deny-Service-Endpoints"),
        _subnet_service_endpoints,
    ),
    _deny(
        "ALZ-DENY-NSG-ON-GATEWAY-SUBNET",
        "Gateway subnets should not be configured with a network security group",
        [rt.SUBNET],
        builtin(
            NETWORK,
            "Deny-Nsg-GW-subnet",
            "35f9c03a-cc27-418e-9c0c-539ff999d010",
            "Network/NetworkSecurityGroupOnGatewaySubnet_Deny.json",
        ),
        _gateway_subnet_nsg,
    ),
    _deny(
        "ALZ-DENY-MGMT-PORTS-FROM-INTERNET",
        "Management port access from the Internet should be blocked",
        [rt.NSG, rt.SECURITY_RULE],
        alz_custom(NETWORK, "Deny-Mgmt-From-Internet", "Deny-MgmtPorts-From-Internet"),
        _mgmt_ports,
    ),
    _deny(
        "ALZ-DENY-NIC-IP-FORWARDING",
        "Network interfaces should disable IP forwarding",
        [rt.NETWORK_INTERFACE],
        builtin(
            NETWORK,
            "Deny-Ip-Forwarding",
            "88c0b9da-ce96-4b03-9635-f29a937e2900",
            "Network/NetworkIPForwardingNic_Deny.json",
        ),
        forbid_values({"enableIPForwarding": True}, "turn IP forwarding off"),
    ),
    _deny(
        "ALZ-DENY-NIC-PUBLIC-IP",
        "Network interfaces should not have public IPs",
        [rt.NETWORK_INTERFACE],
        builtin(
            NETWORK, "Deny-vNic-Pip", "83a86a26-fd1f-447c-b59d-e51f44264114", "Network/NetworkPublicIPNic_Deny.json"
        ),
        _nic_public_ip,
    ),
]

ALZ_RULES: tuple[ResourceRule, ...] = (
    *_PAAS_RULES,
    *_STORAGE_RULES,
    *_KEYVAULT_RULES,
    *_ACR_RULES,
    *_AI_RULES,
    *_ML_RULES,
    *_ADF_RULES,
    *_COMPUTE_RULES,
    *_DATA_RULES,
    *_APP_RULES,
    *_NETWORK_RULES,
)
