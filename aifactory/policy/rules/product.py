"""The factory's own promise, as rules: private, keyless, encrypted in transit, segmented, observed, tagged.

These hold whatever landing zone the factory lands in. A public endpoint is acceptable only as a
project's recorded ``network.allow_ips`` exception, with the firewall admitting exactly those ranges.
"""

from __future__ import annotations

from collections.abc import Iterable

import netaddr

from aifactory.policy import types as rt
from aifactory.policy.fields import as_list, equals, forbid_value, require_in, require_value, require_values, shown
from aifactory.policy.locks import lock_conflicts
from aifactory.policy.model import (
    UNKNOWN,
    Finding,
    GuardrailContext,
    ResourceCheck,
    ResourceRule,
    ResourceView,
    StackRule,
    StackView,
)
from aifactory.policy.rules.alz import NSG_EXCLUDED_SUBNETS, subnet_name
from aifactory.policy.sources import product
from aifactory.policy.taggable import TAGGABLE_TYPES

__all__ = ["DIAGNOSED_TYPES", "PAAS_TYPES", "PRODUCT_RULES"]

PUBLIC_ACCESS_PATHS: dict[str, str] = {
    rt.STORAGE_ACCOUNT: "publicNetworkAccess",
    rt.KEY_VAULT: "properties.publicNetworkAccess",
    rt.CONTAINER_REGISTRY: "publicNetworkAccess",
    rt.COGNITIVE_ACCOUNT: "properties.publicNetworkAccess",
    rt.SEARCH: "publicNetworkAccess",
    rt.COSMOS_ACCOUNT: "publicNetworkAccess",
    rt.ML_WORKSPACE: "publicNetworkAccess",
    rt.DATA_FACTORY: "publicNetworkAccess",
    rt.DATABRICKS: "publicNetworkAccess",
    rt.EVENT_HUBS: "publicNetworkAccess",
    rt.CONTAINER_APPS_ENV: "publicNetworkAccess",
    rt.WEB_APP: "publicNetworkAccess",
    rt.POSTGRESQL_SERVER: "network.publicNetworkAccess",
    rt.REDIS_CLUSTER: "publicNetworkAccess",
    rt.SQL_SERVER: "publicNetworkAccess",
}
"""Where each PaaS type says whether its public endpoint is on."""

PAAS_TYPES = tuple(PUBLIC_ACCESS_PATHS)
"""Services reached only through private endpoints."""

_IP_RULES: dict[str, tuple[str, str]] = {
    rt.STORAGE_ACCOUNT: ("networkRuleSet.ipRules", "iPAddressOrRange"),
    rt.KEY_VAULT: ("properties.networkAcls.ipRules", "value"),
    rt.CONTAINER_REGISTRY: ("networkRuleSet.ipRules", "iPAddressOrRange"),
    rt.COGNITIVE_ACCOUNT: ("properties.networkAcls.ipRules", "value"),
    rt.SEARCH: ("networkRuleSet.ipRules", "value"),
    rt.COSMOS_ACCOUNT: ("ipRules", "ipAddressOrRange"),
    rt.WEB_APP: ("siteConfig.ipSecurityRestrictions", "ipAddress"),
}
"""Where each IP-firewalled type lists the public ranges it admits (the ``allow_ips`` exception)."""

DIAGNOSED_TYPES = (
    *PAAS_TYPES,
    rt.LOG_ANALYTICS,
    rt.BASTION,
    rt.PUBLIC_IP,
    rt.VIRTUAL_MACHINE,
    rt.AKS,
    rt.SQL_DATABASE,
    rt.REDIS_DATABASE,
    rt.CONTAINER_APP,
)
"""Types whose logs and metrics go to the environment's Log Analytics workspace."""

ENVIRONMENT_TAG = "aifactory-environment"
PROJECT_TAGS = ("aifactory-project", "cost-center")


def _within(ranges: Iterable[str], allowed: tuple[str, ...]) -> list[str]:
    """The ranges not inside any allowed range."""
    networks = [netaddr.IPNetwork(a) for a in allowed]
    outside = []
    for value in ranges:
        try:
            network = netaddr.IPNetwork(value)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            outside.append(value)
            continue
        if not any(network in a for a in networks):
            outside.append(value)
    return outside


def _public_network(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    path = PUBLIC_ACCESS_PATHS[view.type]
    state = view.get(path)
    if state is UNKNOWN or equals(state, "Disabled"):
        return []
    allowed = context.allow_ips_of(view.workload)
    if view.type in _IP_RULES and allowed:
        rules_path, key = _IP_RULES[view.type]
        ranges = [r.get(key) for r in as_list(view.get(rules_path)) if isinstance(r, dict) and r.get(key)]
        outside = _within([str(r) for r in ranges], allowed)
        if ranges and not outside:
            return []
        if outside:
            return [f"{rules_path} admits {', '.join(outside)}, outside the project's allow_ips: admit only those"]
    return [f"{path} is {shown(state)}: set it to 'Disabled' (or record the ranges in the project's network.allow_ips)"]


_LOCAL_AUTH: dict[str, dict[str, object]] = {
    rt.STORAGE_ACCOUNT: {"allowSharedKeyAccess": False},
    rt.COGNITIVE_ACCOUNT: {"properties.disableLocalAuth": True},
    rt.SEARCH: {"disableLocalAuth": True},
    rt.COSMOS_ACCOUNT: {"disableLocalAuth": True},
    rt.EVENT_HUBS: {"disableLocalAuth": True},
    rt.CONTAINER_REGISTRY: {"adminUserEnabled": False},
    rt.APP_INSIGHTS: {"disableLocalAuth": True},
    rt.LOG_ANALYTICS: {"features.disableLocalAuth": True},
    rt.AKS: {"disableLocalAccounts": True},
    rt.POSTGRESQL_SERVER: {"authConfig.passwordAuth": "Disabled", "authConfig.activeDirectoryAuth": "Enabled"},
    rt.REDIS_DATABASE: {"accessKeysAuthentication": "Disabled"},
    rt.SQL_SERVER: {"administrators.azureADOnlyAuthentication": True},
    rt.SQL_ENTRA_ONLY: {"azureADOnlyAuthentication": True},
}


def _app_settings(view: ResourceView) -> dict[str, object]:
    return {
        str(s.get("name")): s.get("value")
        for s in as_list(view.get("siteConfig.appSettings"))
        if isinstance(s, dict) and s.get("name")
    }


def _function_app_keyless(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """A Function App reaches its host storage and telemetry with its identity, never with a key."""
    kind = view.get("kind")
    if (
        not isinstance(kind, str)
        or "functionapp" not in kind.casefold()
        or view.get("siteConfig.appSettings") is UNKNOWN
    ):
        return []
    settings = _app_settings(view)
    problems = [
        f"app setting {name} holds a connection string"
        for name in ("AzureWebJobsStorage", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")
        if name in settings
    ]
    problems.extend(
        f"app setting {name} holds an account key"
        for name, value in settings.items()
        if isinstance(value, str) and "accountkey=" in value.casefold()
    )
    credential = settings.get("AzureWebJobsStorage__credential")
    if credential is not UNKNOWN and not equals(credential, "managedidentity"):
        problems.append("AzureWebJobsStorage__credential is not 'managedidentity'")
    deployment = view.get("functionAppConfig.deployment.storage.authentication.type")
    if deployment is not None and deployment is not UNKNOWN and equals(deployment, "StorageAccountConnectionString"):
        problems.append("the deployment storage is reached with a connection string")
    telemetry = settings.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")
    if "APPLICATIONINSIGHTS_CONNECTION_STRING" in settings and not (
        telemetry is UNKNOWN or (isinstance(telemetry, str) and "authorization=aad" in telemetry.casefold())
    ):
        problems.append("telemetry is not sent with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)")
    if not problems:
        return []
    return [
        f"{'; '.join(problems)}: use AzureWebJobsStorage__accountName with AzureWebJobsStorage__credential "
        "'managedidentity', a UserAssignedIdentity deployment storage and Authorization=AAD telemetry"
    ]


def _registries_keyless(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """A container app pulls with a managed identity: no registry user name or password secret."""
    keyed = [
        str(r.get("server") or "?")
        for r in as_list(view.get("configuration.registries"))
        if isinstance(r, dict)
        and r.get("identity") is not UNKNOWN
        and (r.get("passwordSecretRef") or r.get("username") or not r.get("identity"))
    ]
    if not keyed:
        return []
    return [f"registry {', '.join(keyed)} is reached with a password: pull with the app's managed identity (identity)"]


def _local_auth(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.type == rt.ML_COMPUTE:
        return require_value("properties.disableLocalAuth", True, "turn local (key) authentication off")(view, context)
    if view.type == rt.WEB_APP:
        return _function_app_keyless(view, context)
    if view.type == rt.CONTAINER_APP:
        return _registries_keyless(view, context)
    return require_values(_LOCAL_AUTH[view.type], "turn local (key) authentication off; use Entra ID")(view, context)


_TLS: dict[str, dict[str, object]] = {
    rt.STORAGE_ACCOUNT: {"minimumTlsVersion": "TLS1_2"},
    rt.EVENT_HUBS: {"minimumTlsVersion": "1.2"},
    rt.COSMOS_ACCOUNT: {"minimalTlsVersion": "Tls12"},
    rt.WEB_APP: {"siteConfig.minTlsVersion": "1.2", "siteConfig.scmMinTlsVersion": "1.2"},
    rt.REDIS_CLUSTER: {"minimumTlsVersion": "1.2"},
    rt.REDIS_DATABASE: {"clientProtocol": "Encrypted"},
}

POSTGRESQL_SECURE_TRANSPORT: dict[str, tuple[str, ...]] = {
    "require_secure_transport": ("on",),
    "ssl_min_protocol_version": ("TLSv1.2", "TLSv1.3"),
}
"""The PostgreSQL server parameters that keep connections encrypted, and their accepted values."""


def _postgresql_parameter(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    name = view.get("configurationName")
    if not isinstance(name, str) or name not in POSTGRESQL_SECURE_TRANSPORT:
        return []
    return require_in("value", POSTGRESQL_SECURE_TRANSPORT[name], f"keep {name} at a secure value")(view, context)


def _tls(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.type == rt.SQL_SERVER:
        return require_in("minimalTlsVersion", ["1.2", "1.3"], "require TLS 1.2 as the minimum")(view, context)
    if view.type == rt.POSTGRESQL_CONFIGURATION:
        return _postgresql_parameter(view, context)
    return require_values(_TLS[view.type], "require TLS 1.2 as the minimum")(view, context)


_HTTPS: dict[str, ResourceCheck] = {
    rt.STORAGE_ACCOUNT: require_value("enableHttpsTrafficOnly", True, "set enableHttpsTrafficOnly to true"),
    rt.WEB_APP: require_value("httpsOnly", True, "set httpsOnly to true"),
    rt.CONTAINER_APP: forbid_value("configuration.ingress.allowInsecure", True, "set allowInsecure to false"),
}


def _https(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    return _HTTPS[view.type](view, context)


def _subnet_nsg(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if subnet_name(view) in NSG_EXCLUDED_SUBNETS or view.get("networkSecurityGroup.id") is not None:
        return []
    return [f"subnet {subnet_name(view)!r} has no network security group: give every subnet the factory's NSG"]


def _key_vault(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    return require_values(
        {"properties.enablePurgeProtection": True, "properties.enableRbacAuthorization": True},
        "turn purge protection and the RBAC permission model on",
    )(view, context)


def _tags(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    tags = view.get("tags")
    if tags is UNKNOWN:
        return []
    present = tags if isinstance(tags, dict) else {}
    wanted = [ENVIRONMENT_TAG, *(PROJECT_TAGS if view.workload != "common" else ())]
    missing = [t for t in wanted if not present.get(t)]
    problems = [f"missing tag(s) {', '.join(missing)}"] if missing else []
    env = present.get(ENVIRONMENT_TAG)
    if env and context.environment and not equals(env, context.environment):
        problems.append(f"{ENVIRONMENT_TAG} is {env!r} in the {context.environment} stack")
    return [f"{'; '.join(problems)}: apply the factory's tags (plan/tags.py)"] if problems else []


def _linked(stack: StackView, targets: tuple[str, ...], linker: str) -> set[str]:
    """URNs of the ``targets`` that some ``linker`` resource sits under (URN parent chain)."""
    wanted = set(targets)
    linked: set[str] = set()
    for view in stack.of_types([linker]):
        for ancestor in stack.ancestors(view):
            if ancestor.type in wanted:
                linked.add(ancestor.urn)
                break
    return linked


def _private_endpoints(stack: StackView, context: GuardrailContext) -> Iterable[Finding]:
    linked = _linked(stack, PAAS_TYPES, rt.PRIVATE_ENDPOINT)
    for view in stack.of_types(PAAS_TYPES):
        if view.urn not in linked:
            yield Finding(
                view, "no private endpoint sits under this resource: create its private endpoints with it as parent"
            )


def _diagnostics(stack: StackView, context: GuardrailContext) -> Iterable[Finding]:
    linked = _linked(stack, DIAGNOSED_TYPES, rt.DIAGNOSTIC_SETTING)
    for view in stack.of_types(DIAGNOSED_TYPES):
        if view.urn not in linked:
            yield Finding(view, "no diagnostic setting sits under this resource: send its logs to Log Analytics")


def _lock_placement(stack: StackView, context: GuardrailContext) -> Iterable[Finding]:
    """Nothing the factory may delete on a day-2 change sits below a lock (:mod:`aifactory.policy.locks`)."""
    by_urn = {view.urn: view for view in stack.resources}
    for conflict in lock_conflicts(stack.resources):
        yield Finding(by_urn[conflict.urn], conflict.message())


def _postgresql_transport(stack: StackView, context: GuardrailContext) -> Iterable[Finding]:
    """Every PostgreSQL server pins its secure-transport parameters (configuration resources under it)."""
    pinned: dict[str, set[str]] = {}
    for view in stack.of_types([rt.POSTGRESQL_CONFIGURATION]):
        name = view.get("configurationName")
        for ancestor in stack.ancestors(view):
            if ancestor.type == rt.POSTGRESQL_SERVER and isinstance(name, str):
                pinned.setdefault(ancestor.urn, set()).add(name)
                break
    for view in stack.of_types([rt.POSTGRESQL_SERVER]):
        missing = sorted(set(POSTGRESQL_SECURE_TRANSPORT) - pinned.get(view.urn, set()))
        if missing:
            yield Finding(
                view,
                f"no configuration under this server sets {', '.join(missing)}: pin encrypted connections "
                "(require_secure_transport on, ssl_min_protocol_version TLSv1.2) as its children",
            )


def _public_ips(stack: StackView, context: GuardrailContext) -> Iterable[Finding]:
    bastion_ips = {dep for view in stack.of_types([rt.BASTION]) for dep in view.dependencies}
    for view in stack.of_types([rt.PUBLIC_IP]):
        if view.urn not in bastion_ips:
            yield Finding(view, "a public IP that no Bastion host uses: remove it (only Bastion has a public IP)")


_PUBLIC_URL = "https://learn.microsoft.com/azure/private-link/private-endpoint-overview"
_KEYLESS_URL = "https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent"
_TLS_URL = "https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version"
_HTTPS_URL = "https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer"
_NSG_URL = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
_BASTION_URL = "https://learn.microsoft.com/azure/bastion/configuration-settings#public-ip"
_KV_URL = "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
_DIAG_URL = "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings"
_LOCK_URL = "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources"
_TAG_URL = "https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources"

PRODUCT_RULES: tuple[ResourceRule | StackRule, ...] = (
    ResourceRule(
        "AIF-PUBLIC-NETWORK",
        "No public network access unless it is the project's recorded allow_ips exception",
        "mandatory",
        PAAS_TYPES,
        product("aifactory: private by default", _PUBLIC_URL),
        _public_network,
    ),
    ResourceRule(
        "AIF-LOCAL-AUTH",
        "Local authentication and shared keys are off (Entra ID only); Function Apps and container apps reach "
        "storage, telemetry and registries with their identity",
        "mandatory",
        (*_LOCAL_AUTH, rt.ML_COMPUTE, rt.WEB_APP, rt.CONTAINER_APP),
        product("aifactory: keyless by default", _KEYLESS_URL),
        _local_auth,
    ),
    ResourceRule(
        "AIF-TLS12",
        "TLS 1.2 is the minimum",
        "mandatory",
        (*_TLS, rt.SQL_SERVER, rt.POSTGRESQL_CONFIGURATION),
        product("aifactory: encrypted in transit", _TLS_URL),
        _tls,
    ),
    StackRule(
        "AIF-POSTGRESQL-SECURE-TRANSPORT",
        "PostgreSQL servers pin encrypted connections (require_secure_transport, ssl_min_protocol_version)",
        "mandatory",
        (rt.POSTGRESQL_SERVER, rt.POSTGRESQL_CONFIGURATION),
        product(
            "aifactory: encrypted in transit",
            "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls",
        ),
        _postgresql_transport,
    ),
    ResourceRule(
        "AIF-HTTPS-ONLY",
        "HTTPS only",
        "mandatory",
        tuple(_HTTPS),
        product("aifactory: encrypted in transit", _HTTPS_URL),
        _https,
    ),
    ResourceRule(
        "AIF-SUBNET-NSG",
        "Every subnet has an NSG (except those Azure forbids one on)",
        "mandatory",
        (rt.SUBNET,),
        product("aifactory: an NSG on every subnet", _NSG_URL),
        _subnet_nsg,
    ),
    StackRule(
        "AIF-PUBLIC-IP-BASTION-ONLY",
        "No public IP address except Bastion's",
        "mandatory",
        (rt.PUBLIC_IP,),
        product("aifactory: no public IPs but Bastion's", _BASTION_URL),
        _public_ips,
    ),
    StackRule(
        "AIF-PRIVATE-ENDPOINT",
        "Every PaaS service has a private endpoint (linked through the URN parent chain)",
        "mandatory",
        PAAS_TYPES,
        product("aifactory: every PaaS service behind private endpoints", _PUBLIC_URL),
        _private_endpoints,
    ),
    ResourceRule(
        "AIF-KEY-VAULT-PROTECTION",
        "Key Vaults have purge protection and the RBAC permission model",
        "mandatory",
        (rt.KEY_VAULT,),
        product("aifactory: RBAC-mode Key Vaults that cannot be purged", _KV_URL),
        _key_vault,
    ),
    StackRule(
        "AIF-DIAGNOSTICS",
        "Diagnostics present: a diagnostic setting under every monitored resource",
        "mandatory",
        DIAGNOSED_TYPES,
        product("aifactory: diagnostics for every service", _DIAG_URL),
        _diagnostics,
    ),
    StackRule(
        "AIF-LOCK-PLACEMENT",
        "No resource the factory may delete on a day-2 change (unprotected) sits below a CanNotDelete lock",
        "mandatory",
        (rt.LOCK,),
        product("aifactory: data locked, day-2 changes never blocked by a lock", _LOCK_URL),
        _lock_placement,
    ),
    ResourceRule(
        "AIF-REQUIRED-TAGS",
        "Required tags: environment on every taggable resource; project and cost centre on project resources",
        "mandatory",
        TAGGABLE_TYPES,
        product("aifactory: cost-tracked and tagged", _TAG_URL),
        _tags,
    ),
)
