"""Private Link facts: which group ids each service exposes and which private DNS zones each needs.

Public cloud. A zone containing ``{region}`` is regional; :func:`zone_name` fills it in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = [
    "PRIVATE_LINK_SERVICES",
    "ZONES_BY_NAME",
    "GroupId",
    "PrivateLinkKind",
    "PrivateLinkService",
    "is_known_zone",
    "zone_name",
    "zones_for",
]

PrivateLinkKind = Literal[
    "storage",
    "key_vault",
    "container_registry",
    "machine_learning",
    "ai_services",
    "ai_search",
    "cosmos_db",
    "databricks",
    "data_factory",
    "event_hubs",
    "web_app",
    "container_apps",
    "postgresql",
    "redis",
    "managed_redis",
    "sql",
    "api_management",
    "monitor",
]
"""Kinds of resource that can sit behind private endpoints (one per Azure resource type below)."""

GroupId = Literal[
    "blob",
    "dfs",
    "file",
    "queue",
    "table",
    "web",
    "vault",
    "registry",
    "amlworkspace",
    "account",
    "searchService",
    "Sql",
    "MongoDB",
    "databricks_ui_api",
    "browser_authentication",
    "dataFactory",
    "portal",
    "namespace",
    "sites",
    "managedEnvironments",
    "postgresqlServer",
    "redisCache",
    "redisEnterprise",
    "sqlServer",
    "Gateway",
    "azuremonitor",
]
"""Private link sub-resources (``groupIds``), spelled exactly as Azure expects them."""


@dataclass(frozen=True)
class PrivateLinkService:
    """A kind of Azure resource that can sit behind private endpoints."""

    kind: PrivateLinkKind
    resource_type: str
    group_zones: MappingProxyType[GroupId, tuple[str, ...]]

    @property
    def group_ids(self) -> tuple[GroupId, ...]:
        return tuple(self.group_zones)


def _service(
    kind: PrivateLinkKind, resource_type: str, groups: Mapping[GroupId, tuple[str, ...]]
) -> PrivateLinkService:
    return PrivateLinkService(kind, resource_type, MappingProxyType(dict(groups)))


_STORAGE_GROUP_IDS: tuple[GroupId, ...] = ("blob", "dfs", "file", "queue", "table", "web")
_STORAGE_GROUPS: dict[GroupId, tuple[str, ...]] = {
    group: (f"privatelink.{group}.core.windows.net",) for group in _STORAGE_GROUP_IDS
}

PRIVATE_LINK_SERVICES: MappingProxyType[PrivateLinkKind, PrivateLinkService] = MappingProxyType(
    {
        service.kind: service
        for service in (
            _service("storage", "Microsoft.Storage/storageAccounts", _STORAGE_GROUPS),
            _service("key_vault", "Microsoft.KeyVault/vaults", {"vault": ("privatelink.vaultcore.azure.net",)}),
            _service(
                "container_registry",
                "Microsoft.ContainerRegistry/registries",
                {"registry": ("privatelink.azurecr.io",)},
            ),
            _service(
                "machine_learning",
                "Microsoft.MachineLearningServices/workspaces",
                {"amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net")},
            ),
            _service(
                "ai_services",
                "Microsoft.CognitiveServices/accounts",
                {
                    "account": (
                        "privatelink.cognitiveservices.azure.com",
                        "privatelink.openai.azure.com",
                        "privatelink.services.ai.azure.com",
                    )
                },
            ),
            _service(
                "ai_search", "Microsoft.Search/searchServices", {"searchService": ("privatelink.search.windows.net",)}
            ),
            _service(
                "cosmos_db",
                "Microsoft.DocumentDB/databaseAccounts",
                {"Sql": ("privatelink.documents.azure.com",), "MongoDB": ("privatelink.mongo.cosmos.azure.com",)},
            ),
            _service(
                "databricks",
                "Microsoft.Databricks/workspaces",
                {
                    "databricks_ui_api": ("privatelink.azuredatabricks.net",),
                    "browser_authentication": ("privatelink.azuredatabricks.net",),
                },
            ),
            _service(
                "data_factory",
                "Microsoft.DataFactory/factories",
                {"dataFactory": ("privatelink.datafactory.azure.net",), "portal": ("privatelink.adf.azure.com",)},
            ),
            _service(
                "event_hubs",
                "Microsoft.EventHub/namespaces",
                {"namespace": ("privatelink.servicebus.windows.net",)},
            ),
            _service("web_app", "Microsoft.Web/sites", {"sites": ("privatelink.azurewebsites.net",)}),
            _service(
                "container_apps",
                "Microsoft.App/managedEnvironments",
                {"managedEnvironments": ("privatelink.{region}.azurecontainerapps.io",)},
            ),
            _service(
                "postgresql",
                "Microsoft.DBforPostgreSQL/flexibleServers",
                {"postgresqlServer": ("privatelink.postgres.database.azure.com",)},
            ),
            _service("redis", "Microsoft.Cache/redis", {"redisCache": ("privatelink.redis.cache.windows.net",)}),
            # Azure Managed Redis: the same redisEnterprise group as the retiring Redis Enterprise tiers, its own zone
            # (Microsoft Learn, "Azure Private Endpoint private DNS zone values", Databases).
            _service(
                "managed_redis",
                "Microsoft.Cache/redisEnterprise",
                {"redisEnterprise": ("privatelink.redis.azure.net",)},
            ),
            _service("sql", "Microsoft.Sql/servers", {"sqlServer": ("privatelink.database.windows.net",)}),
            _service("api_management", "Microsoft.ApiManagement/service", {"Gateway": ("privatelink.azure-api.net",)}),
            _service(
                "monitor",
                "Microsoft.Insights/privateLinkScopes",
                {
                    "azuremonitor": (
                        "privatelink.monitor.azure.com",
                        "privatelink.oms.opinsights.azure.com",
                        "privatelink.ods.opinsights.azure.com",
                        "privatelink.agentsvc.azure-automation.net",
                        "privatelink.blob.core.windows.net",
                    )
                },
            ),
        )
    }
)

ZONES_BY_NAME: frozenset[str] = frozenset(
    zone for service in PRIVATE_LINK_SERVICES.values() for zones in service.group_zones.values() for zone in zones
)
_ZONE_PATTERNS = [re.compile("^" + re.escape(z).replace(r"\{region\}", "[a-z0-9]+") + "$") for z in ZONES_BY_NAME]


def zone_name(template: str, region: str) -> str:
    """The concrete zone name for a region (templates without ``{region}`` are returned as they are)."""
    return template.replace("{region}", region)


def zones_for(kind: PrivateLinkKind, group_id: GroupId) -> tuple[str, ...]:
    """The zone templates a private endpoint of ``kind`` with ``group_id`` needs.

    Raises ``KeyError`` with the valid choices when the pair is unknown: a programming error.
    """
    service = PRIVATE_LINK_SERVICES[kind]
    try:
        return service.group_zones[group_id]
    except KeyError:
        msg = f"{kind} has no private link group {group_id!r}; known: {', '.join(service.group_ids)}"
        raise KeyError(msg) from None


def is_known_zone(name: str) -> bool:
    """Whether ``name`` is one of the zones above (regional zones with any region filled in)."""
    return any(p.match(name) for p in _ZONE_PATTERNS)
