"""The ALZ Corp Deny guardrails for the data and app services: PostgreSQL, Azure SQL, Function Apps.

Same encoding as :mod:`aifactory.policy.rules.alz` (the definition's ``policyRule.if`` over the
azure-native inputs, Azure Policy's semantics), for the members whose ALZ default effect is ``Deny``:

- ``Deny-PublicPaaSEndpoints``: ``PostgreSQLFlexDenyPublicIP``, ``SqlServerDenyPaasPublicIP``,
  ``FunctionDenyPublicIP``;
- ``Enforce-Guardrails-SQL``: ``Deny-Sql-Aad-Only`` (Entra-only authentication in the server's create
  request) and ``Deny-Sql-Entra-Required`` (the ``azureADOnlyAuthentications`` resource);
- ``Enforce-EncryptTransit_20241211``: ``Deny-Sql-Db-Tls`` (minimal TLS of the server) and
  ``Deny-FunctionApp-Https``.

Members left out, and why (docs/guardrails.md says the same): ``Enforce-Guardrails-PostgreSQL`` has
only ``DeployIfNotExists`` members (Defender), and its transit members are ``Audit``/``DINE``;
``Deny-PostgreSql-Public-Network-Access`` targets single servers (``Microsoft.DBforPostgreSQL/servers``),
``RedisCacheDenyPublicIP`` and the Redis transit members target Azure Cache for Redis
(``Microsoft.Cache/Redis``), neither of which the factory creates; ALZ assigns no Deny for Azure Managed
Redis (``Microsoft.Cache/redisEnterprise``). App Service members that apply to Function Apps as well
(``AsDenyPublicIP``, ``Deny-AppServ-SkuPl``, which lists Flex Consumption's ``FC1``) and the Container
Apps members are encoded in :mod:`aifactory.policy.rules.alz` and cover these services unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from aifactory.policy import types as rt
from aifactory.policy.fields import equals, require_value, shown
from aifactory.policy.model import UNKNOWN, GuardrailContext, ResourceCheck, ResourceRule, ResourceView, Source
from aifactory.policy.sources import builtin

__all__ = ["ALZ_SERVICE_RULES"]

PAAS = "Deny-PublicPaaSEndpoints"
TRANSIT = "Enforce-EncryptTransit_20241211"
SQL = "Enforce-Guardrails-SQL"

_PRIVATE = "disable public network access and reach the service through its private endpoint"


def _present(value: object) -> bool:
    return value is not None and value is not UNKNOWN


def _postgresql_flex_public(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """5e1de0e3: VNet-injected without both subnet and zone, or a public network access that is not Disabled."""
    subnet = view.get("network.delegatedSubnetResourceId")
    zone = view.get("network.privateDnsZoneArmResourceId")
    public = view.get("network.publicNetworkAccess")
    if UNKNOWN in (subnet, zone, public):
        return []
    opened = _present(subnet) or _present(zone) or (public is not None and not equals(public, "Disabled"))
    incomplete = subnet is None or zone is None
    if opened and incomplete:
        return [f"network.publicNetworkAccess is {shown(public)}: {_PRIVATE}"]
    return []


def _functions(check: ResourceCheck) -> ResourceCheck:
    """The Function App definitions: ``kind`` contains functionapp, not Logic Apps or Functions on Container Apps."""

    def wrapped(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        kind = view.get("kind")
        if not isinstance(kind, str):
            return []
        folded = kind.casefold()
        if "functionapp" not in folded or "workflowapp" in folded or "azurecontainerapps" in folded:
            return []
        return check(view, context)

    return wrapped


def _function_public(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    if view.get("hostingEnvironmentProfile.id") is not None:
        return []
    return require_value("publicNetworkAccess", "Disabled", _PRIVATE)(view, context)


def _absent_or_false(path: str, fix: str) -> ResourceCheck:
    """Azure Policy's ``anyOf: [exists false, equals false]`` on ``path``: a violation unless it is true."""

    def check(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
        value = view.get(path)
        if value is UNKNOWN or (value is not None and not equals(value, False)):
            return []
        return [f"{path} is {shown(value)}: {fix}"]

    return check


_function_https = _absent_or_false("httpsOnly", "set httpsOnly to true")
_sql_entra_only = _absent_or_false("azureADOnlyAuthentication", "set azureADOnlyAuthentication to true")
_sql_entra_only_in_request = _absent_or_false(
    "administrators.azureADOnlyAuthentication",
    "create the server with an Entra administrator and azureADOnlyAuthentication true (no SQL logins)",
)


def _sql_entra_only_on_create(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """abda6d70: a create request (not a restore) without ``administrators.azureADOnlyAuthentication``."""
    if equals(view.get("createMode"), "Restore"):
        return []
    return _sql_entra_only_in_request(view, context)


_OLD_TLS = ("1.0", "1.1")


def _sql_tls(view: ResourceView, context: GuardrailContext) -> Iterable[str]:
    """32e6bbec: ``minimalTlsVersion`` absent or ``less`` than 1.2."""
    value = view.get("minimalTlsVersion")
    if value is UNKNOWN or (value is not None and not any(equals(value, old) for old in _OLD_TLS)):
        return []
    return [f"minimalTlsVersion is {shown(value)}: set minimalTlsVersion to '1.2'"]


def _deny(rule_id: str, title: str, types: Iterable[str], source: Source, check: ResourceCheck) -> ResourceRule:
    return ResourceRule(rule_id, title, "mandatory", tuple(types), source, check)


ALZ_SERVICE_RULES: tuple[ResourceRule, ...] = (
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-POSTGRESQL-FLEX",
        "Public network access should be disabled for PostgreSQL flexible servers",
        [rt.POSTGRESQL_SERVER],
        builtin(
            PAAS,
            "PostgreSQLFlexDenyPublicIP",
            "5e1de0e3-42cb-4ebc-a86d-61d0c619ca48",
            "SQL/PostgreSQL_FlexibleServers_DisablePublicNetworkAccess_Audit.json",
        ),
        _postgresql_flex_public,
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-SQL",
        "Public network access on Azure SQL Database should be disabled",
        [rt.SQL_SERVER],
        builtin(
            PAAS,
            "SqlServerDenyPaasPublicIP",
            "1b8ca024-1d5c-4dec-8995-b1a932b41780",
            "SQL/SqlServer_PublicNetworkAccess_Audit.json",
        ),
        require_value("publicNetworkAccess", "Disabled", _PRIVATE),
    ),
    _deny(
        "ALZ-DENY-PUBLIC-PAAS-FUNCTION-APP",
        "Function apps should disable public network access",
        [rt.WEB_APP],
        builtin(
            PAAS,
            "FunctionDenyPublicIP",
            "969ac98b-88a8-449f-883c-2e9adb123127",
            "App Service/FunctionApp_PublicNetworkAccess_Audit.json",
        ),
        _functions(_function_public),
    ),
    _deny(
        "ALZ-SQL-ENTRA-ONLY-ON-CREATE",
        "Azure SQL logical servers should have Microsoft Entra-only authentication enabled during creation",
        [rt.SQL_SERVER],
        builtin(
            SQL,
            "Deny-Sql-Aad-Only",
            "abda6d70-9778-44e7-84a8-06713e6db027",
            "SQL/SqlServer_ADOnlyEnabled_Audit.json",
        ),
        _sql_entra_only_on_create,
    ),
    _deny(
        "ALZ-SQL-ENTRA-ONLY",
        "Azure SQL Database should have Microsoft Entra-only authentication enabled",
        [rt.SQL_ENTRA_ONLY],
        builtin(
            SQL,
            "Deny-Sql-Entra-Required",
            "b3a22bc9-66de-45fb-98fa-00f5df42f41a",
            "SQL/SqlServer_ADOnlyEnabled_DisableADAuth_Deny.json",
        ),
        _sql_entra_only,
    ),
    _deny(
        "ALZ-SQL-TLS",
        "Azure SQL Database should be running TLS version 1.2 or newer",
        [rt.SQL_SERVER],
        builtin(
            TRANSIT,
            "Deny-Sql-Db-Tls",
            "32e6bbec-16b6-44c2-be37-c5b672d103cf",
            "SQL/SqlServer_MiniumTLSVersion_Audit.json",
        ),
        _sql_tls,
    ),
    _deny(
        "ALZ-FUNCTION-APP-HTTPS",
        "Function apps should only be accessible over HTTPS",
        [rt.WEB_APP],
        builtin(
            TRANSIT,
            "Deny-FunctionApp-Https",
            "6d555dd1-86f2-4f1c-8ed7-5abae7c6cbab",
            "App Service/FunctionApp_AuditHTTP_Audit.json",
        ),
        _functions(_function_https),
    ),
)
"""The Deny members above, in the order of their initiatives."""
