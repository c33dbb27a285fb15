"""Azure naming rules per resource kind: CAF abbreviation, length limits, characters, uniqueness.

Sources: Azure "Naming rules and restrictions for Azure resources" and the CAF abbreviation list.
``charset`` is one of:

- ``alnum``: letters and digits only (hyphens dropped), e.g. container registries;
- ``lower_alnum``: lowercase letters and digits, e.g. storage accounts;
- ``hyphen``: letters, digits and single hyphens, starting with a letter, ending with a letter or digit;
- ``lower_hyphen``: as ``hyphen`` but lowercase (search services, Cosmos DB, Container Apps).

``global_scope`` kinds are unique across Azure (they become DNS names) and get a deterministic suffix.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["NAMING_RULES", "Charset", "NamingRule", "ResourceKind"]

Charset = Literal["alnum", "lower_alnum", "hyphen", "lower_hyphen"]

ResourceKind = Literal[
    "resource_group",
    "virtual_network",
    "subnet",
    "network_security_group",
    "route_table",
    "peering",
    "private_endpoint",
    "network_interface",
    "private_dns_link",
    "bastion",
    "public_ip",
    "virtual_machine",
    "log_analytics",
    "application_insights",
    "key_vault",
    "storage_account",
    "container_registry",
    "managed_identity",
    "machine_learning_workspace",
    "compute_instance",
    "databricks_workspace",
    "databricks_access_connector",
    "data_factory",
    "kubernetes_cluster",
    "event_hubs_namespace",
    "ai_services",
    "ai_foundry_project",
    "openai_account",
    "content_safety_account",
    "document_intelligence_account",
    "speech_account",
    "vision_account",
    "search_service",
    "cosmos_account",
    "container_apps_environment",
    "container_app",
    "app_service_plan",
    "web_app",
    "function_app",
    "postgresql_server",
    "managed_redis",
    "sql_server",
    "sql_database",
    "budget",
    "lock",
    "diagnostic_setting",
    "entra_group",
    "entra_application",
]


@dataclass(frozen=True)
class NamingRule:
    """How names of one kind look."""

    abbreviation: str
    min_length: int
    max_length: int
    charset: Charset
    global_scope: bool = False


NAMING_RULES: MappingProxyType[ResourceKind, NamingRule] = MappingProxyType(
    {
        "resource_group": NamingRule("rg", 1, 90, "hyphen"),
        "virtual_network": NamingRule("vnet", 2, 64, "hyphen"),
        "subnet": NamingRule("snet", 1, 80, "hyphen"),
        "network_security_group": NamingRule("nsg", 1, 80, "hyphen"),
        "route_table": NamingRule("rt", 1, 80, "hyphen"),
        "peering": NamingRule("peer", 1, 80, "hyphen"),
        "private_endpoint": NamingRule("pep", 2, 64, "hyphen"),
        "network_interface": NamingRule("nic", 1, 80, "hyphen"),
        "private_dns_link": NamingRule("vnetlink", 1, 80, "hyphen"),
        "bastion": NamingRule("bas", 1, 80, "hyphen"),
        "public_ip": NamingRule("pip", 1, 80, "hyphen"),
        "virtual_machine": NamingRule("vm", 1, 64, "hyphen"),
        "log_analytics": NamingRule("log", 4, 63, "hyphen"),
        "application_insights": NamingRule("appi", 1, 255, "hyphen"),
        "key_vault": NamingRule("kv", 3, 24, "hyphen", global_scope=True),
        "storage_account": NamingRule("st", 3, 24, "lower_alnum", global_scope=True),
        "container_registry": NamingRule("cr", 5, 50, "alnum", global_scope=True),
        "managed_identity": NamingRule("id", 3, 128, "hyphen"),
        "machine_learning_workspace": NamingRule("mlw", 3, 33, "hyphen"),
        "compute_instance": NamingRule("ci", 3, 24, "hyphen", global_scope=True),
        "databricks_workspace": NamingRule("dbw", 3, 64, "hyphen"),
        "databricks_access_connector": NamingRule("dbac", 3, 64, "hyphen"),
        "data_factory": NamingRule("adf", 3, 63, "hyphen", global_scope=True),
        "kubernetes_cluster": NamingRule("aks", 1, 63, "hyphen"),
        "event_hubs_namespace": NamingRule("evhns", 6, 50, "hyphen", global_scope=True),
        "ai_services": NamingRule("aif", 2, 64, "lower_hyphen", global_scope=True),
        "ai_foundry_project": NamingRule("proj", 2, 64, "hyphen"),
        # Standalone Azure AI accounts: the name is the account's custom subdomain, unique across Azure.
        "openai_account": NamingRule("oai", 2, 64, "lower_hyphen", global_scope=True),
        "content_safety_account": NamingRule("cs", 2, 64, "lower_hyphen", global_scope=True),
        "document_intelligence_account": NamingRule("di", 2, 64, "lower_hyphen", global_scope=True),
        "speech_account": NamingRule("spch", 2, 64, "lower_hyphen", global_scope=True),
        "vision_account": NamingRule("cv", 2, 64, "lower_hyphen", global_scope=True),
        "search_service": NamingRule("srch", 2, 60, "lower_hyphen", global_scope=True),
        "cosmos_account": NamingRule("cosmos", 3, 44, "lower_hyphen", global_scope=True),
        "container_apps_environment": NamingRule("cae", 2, 60, "lower_hyphen"),
        "container_app": NamingRule("ca", 2, 32, "lower_hyphen"),
        "app_service_plan": NamingRule("asp", 1, 60, "hyphen"),
        "web_app": NamingRule("app", 2, 60, "lower_hyphen", global_scope=True),
        "function_app": NamingRule("func", 2, 60, "lower_hyphen", global_scope=True),
        "postgresql_server": NamingRule("psql", 3, 63, "lower_hyphen", global_scope=True),
        "managed_redis": NamingRule("redis", 1, 60, "lower_hyphen", global_scope=True),
        "sql_server": NamingRule("sql", 1, 63, "lower_hyphen", global_scope=True),
        "sql_database": NamingRule("sqldb", 1, 128, "hyphen"),
        "budget": NamingRule("budget", 1, 63, "hyphen"),
        "lock": NamingRule("lock", 1, 90, "hyphen"),
        "diagnostic_setting": NamingRule("diag", 1, 260, "hyphen"),
        "entra_group": NamingRule("grp", 1, 120, "hyphen"),
        "entra_application": NamingRule("app", 1, 120, "hyphen"),
    }
)
