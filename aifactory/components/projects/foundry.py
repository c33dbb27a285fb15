"""Private Foundry agents (standard setup): the project's connections and capability host.

The AI Foundry account, its deployments and its Foundry project are a declared service
(:mod:`aifactory.services.ai_foundry`). With agents on, the agents keep their state in the project's
*own* stores, and binding them is a relationship between services, built here once the stores exist:

- keyless (Entra ID) project connections to the project's storage, AI Search and Cosmos DB, created
  one after another (a project takes one connection write at a time);
- then the project capability host that binds threads (Cosmos DB), vector stores (AI Search) and
  files (storage). It waits for the identity's roles on those stores and for their private
  endpoints. Each project has its own account and stores, so no two projects ever share a
  capability host's resources.

The capability host is a generic resource: azure-native's ``ProjectCapabilityHost`` (API
2025-06-01) has no ``capabilityHostKind``, which Microsoft's templates always send as ``Agents``.
Foundry does not update capability hosts, so a changed host is deleted and created again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cognitiveservices, resources

from aifactory.components.projects.baseline import ProjectBaseline
from aifactory.services.ai_foundry import Foundry

__all__ = ["AGENT_CONNECTIONS", "CAPABILITY_HOST_API_VERSION", "CAPABILITY_HOST_NAME", "AgentStores", "connect_agents"]

CAPABILITY_HOST_NAME = "agents"
CAPABILITY_HOST_API_VERSION = "2025-06-01"
AGENT_CONNECTIONS = {"storage": "project-storage", "search": "project-search", "threads": "project-cosmos"}
"""Connection names inside the Foundry project (3-33 characters): files, vector stores, threads."""


@dataclass(frozen=True)
class AgentStores:
    """The project's own stores the agents keep their state in, and what must exist before the host."""

    storage_name: str
    search_name: str
    search_id: pulumi.Input[str]
    cosmos_name: str
    cosmos_id: pulumi.Input[str]
    ready: Sequence[pulumi.Resource]


def connect_agents(base: ProjectBaseline, foundry: Foundry, stores: AgentStores) -> resources.Resource:
    """Keyless connections to the project's stores and the project capability host that binds them."""
    location = base.location
    targets: list[tuple[str, str, str, pulumi.Input[str]]] = [
        (
            AGENT_CONNECTIONS["storage"],
            "AzureStorageAccount",
            f"https://{stores.storage_name}.blob.core.windows.net/",
            base.storage.id,
        ),
        (
            AGENT_CONNECTIONS["search"],
            cognitiveservices.ConnectionCategory.COGNITIVE_SEARCH,
            f"https://{stores.search_name}.search.windows.net",
            stores.search_id,
        ),
        (
            AGENT_CONNECTIONS["threads"],
            cognitiveservices.ConnectionCategory.COSMOS_DB,
            f"https://{stores.cosmos_name}.documents.azure.com:443/",
            stores.cosmos_id,
        ),
    ]
    connections: list[cognitiveservices.ProjectConnection] = []
    for connection_name, category, target, resource_id in targets:
        connections.append(
            cognitiveservices.ProjectConnection(
                f"{base.key}-aif-connection-{connection_name}",
                connection_name=connection_name,
                account_name=foundry.resource.name,
                project_name=foundry.project.name,
                resource_group_name=base.resource_group_name,
                properties=cognitiveservices.AADAuthTypeConnectionPropertiesArgs(
                    auth_type="AAD",
                    category=category,
                    target=target,
                    metadata={"ApiType": "Azure", "ResourceId": resource_id, "location": location},
                ),
                # A project takes one connection write at a time; parallel writes fail with conflicts.
                opts=pulumi.ResourceOptions(parent=foundry.project, depends_on=connections[-1:]),
            )
        )
    return resources.Resource(
        f"{base.key}-aif-capability-host",
        resource_provider_namespace="Microsoft.CognitiveServices",
        parent_resource_path=pulumi.Output.all(foundry.resource.name, foundry.project.name).apply(
            lambda names: f"accounts/{names[0]}/projects/{names[1]}"
        ),
        resource_type="capabilityHosts",
        resource_name_=CAPABILITY_HOST_NAME,
        resource_group_name=base.resource_group_name,
        api_version=CAPABILITY_HOST_API_VERSION,
        properties={
            "capabilityHostKind": "Agents",
            "storageConnections": [AGENT_CONNECTIONS["storage"]],
            "vectorStoreConnections": [AGENT_CONNECTIONS["search"]],
            "threadStorageConnections": [AGENT_CONNECTIONS["threads"]],
        },
        opts=pulumi.ResourceOptions(
            parent=foundry.project,
            depends_on=[*connections, base.storage, *base.role_assignments, *stores.ready],
            replace_on_changes=["properties"],
            delete_before_replace=True,
        ),
    )
