"""Which private endpoints each workload gets: one decision, shared by the DNS plan and the components.

Components look their targets up by ``target`` and create exactly these endpoints (through
``PrivateEndpointSet``); the DNS plan creates exactly the zones these endpoints need.
"""

from __future__ import annotations

from dataclasses import dataclass

from aifactory.config.project import ProjectSpec
from aifactory.config.stack import StackConfig

__all__ = ["PlannedEndpoint", "common_endpoints", "project_endpoints"]


@dataclass(frozen=True)
class PlannedEndpoint:
    """Endpoints for one target resource: its private link kind and group ids."""

    target: str
    kind: str
    group_ids: tuple[str, ...]


_PROJECT_SERVICE_ENDPOINTS: dict[str, PlannedEndpoint] = {
    "machine_learning": PlannedEndpoint("machine_learning", "machine_learning", ("amlworkspace",)),
    # browser_authentication is per region, not per workspace: the common web-auth workspace serves it.
    "databricks": PlannedEndpoint("databricks", "databricks", ("databricks_ui_api",)),
    "data_factory": PlannedEndpoint("data_factory", "data_factory", ("dataFactory", "portal")),
    "event_hubs": PlannedEndpoint("event_hubs", "event_hubs", ("namespace",)),
    "container_registry": PlannedEndpoint("container_registry", "container_registry", ("registry",)),
    "ai_foundry": PlannedEndpoint("ai_foundry", "ai_services", ("account",)),
    "ai_search": PlannedEndpoint("ai_search", "ai_search", ("searchService",)),
    "cosmos_db": PlannedEndpoint("cosmos_db", "cosmos_db", ("Sql",)),
    "container_apps": PlannedEndpoint("container_apps", "container_apps", ("managedEnvironments",)),
    "web_app": PlannedEndpoint("web_app", "web_app", ("sites",)),
}


def project_endpoints(project: ProjectSpec) -> tuple[PlannedEndpoint, ...]:
    """The project's endpoints: its storage and key vault always, then one per enabled service."""
    storage_groups = ("blob", "file", "queue", "table") if project.type == "esml" else ("blob", "file")
    endpoints = [
        PlannedEndpoint("storage", "storage", storage_groups),
        PlannedEndpoint("key_vault", "key_vault", ("vault",)),
    ]
    enabled = project.enabled_services()
    endpoints.extend(endpoint for service, endpoint in _PROJECT_SERVICE_ENDPOINTS.items() if service in enabled)
    return tuple(endpoints)


def common_endpoints(stack: StackConfig, databricks: bool = False) -> tuple[PlannedEndpoint, ...]:
    """The environment's shared endpoints: datalake, key vault, registry, optional Data Factory.

    With Databricks in any project (``databricks``), also the browser sign-in endpoint of the
    environment's web-auth workspace: every workspace in a region shares one sign-in host, so one
    ``browser_authentication`` endpoint per environment serves them all (several would overwrite each
    other's record in the shared ``privatelink.azuredatabricks.net`` zone).
    """
    endpoints = [
        PlannedEndpoint("datalake", "storage", ("blob", "dfs", "file", "queue", "table")),
        PlannedEndpoint("key_vault", "key_vault", ("vault",)),
        PlannedEndpoint("container_registry", "container_registry", ("registry",)),
    ]
    if stack.shared_services.data_factory:
        endpoints.append(PlannedEndpoint("data_factory", "data_factory", ("dataFactory", "portal")))
    if databricks:
        endpoints.append(PlannedEndpoint("databricks_web_auth", "databricks", ("browser_authentication",)))
    return tuple(endpoints)
